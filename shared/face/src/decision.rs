//! Operating points of the three face decisions, each from a measured calibration curve.
//!
//! One threshold cannot serve 1:1 verification, 1:N identification and duplicate detection
//! at once: a face compared with N enrolled people matches someone with probability about
//! `1 - (1 - FAR)^N`, so the threshold that keeps a kiosk's false identifications at its
//! target rises with the gallery. A [`Calibration`] holds, for each cosine threshold, the
//! measured false-match rate per comparison and the genuine acceptance rate; a
//! [`DecisionPolicy`] holds the target rate of each decision and turns both into the
//! [`OperatingPoints`] for the gallery's current size.

use serde::{Deserialize, Serialize};

/// One measured point of a calibration curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationPoint {
    /// Cosine threshold.
    pub threshold: f32,
    /// Share of different-person comparisons at or above it (false match per comparison);
    /// below what the data resolves, an extrapolation of the measured tail.
    pub far: f64,
    /// Share of same-person comparisons at or above it (genuine acceptance).
    pub tar: f64,
}

/// A measured curve of false-match and genuine-acceptance rates against the threshold,
/// thresholds ascending.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// What it was measured on, and with which model.
    pub source: String,
    /// The points, thresholds ascending, FAR and TAR not increasing.
    pub points: Vec<CalibrationPoint>,
}

/// The calibration shipped with LINTAS, measured by `lintas calibrate` on public data (see
/// `docs/ACCURACY.md`).
const SHIPPED_CALIBRATION: &str = include_str!("shipped_calibration.toml");

impl Default for Calibration {
    fn default() -> Self {
        toml::from_str(SHIPPED_CALIBRATION)
            .unwrap_or_else(|error| unreachable!("the shipped calibration parses: {error}"))
    }
}

impl Calibration {
    /// Checks the curve: at least two points, thresholds ascending, rates in `[0, 1]` and
    /// not increasing.
    pub fn validate(&self) -> Result<(), String> {
        if self.points.len() < 2 {
            return Err("a calibration needs at least two points".into());
        }
        for pair in self.points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if b.threshold <= a.threshold || b.far > a.far || b.tar > a.tar {
                return Err(format!(
                    "calibration points must ascend in threshold with FAR and TAR not increasing \
                     (at threshold {})",
                    b.threshold
                ));
            }
        }
        if self
            .points
            .iter()
            .any(|p| !(0.0..=1.0).contains(&p.far) || !(0.0..=1.0).contains(&p.tar))
        {
            return Err("calibration rates must be within 0 and 1".into());
        }
        Ok(())
    }

    /// The lowest threshold whose false-match rate per comparison is at most `far`
    /// (interpolated in log FAR between points; the highest threshold when none is).
    pub fn threshold_at_far(&self, far: f64) -> f32 {
        let Some(first) = self.points.first() else {
            return 1.0;
        };
        if first.far <= far {
            return first.threshold;
        }
        for pair in self.points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if b.far <= far {
                let (la, lb, lt) = (log(a.far), log(b.far), log(far));
                let t = if (la - lb).abs() < 1e-12 {
                    1.0
                } else {
                    ((la - lt) / (la - lb)).clamp(0.0, 1.0)
                };
                return a.threshold + (b.threshold - a.threshold) * t as f32;
            }
        }
        self.points.last().map_or(1.0, |p| p.threshold)
    }

    /// The false-match rate per comparison at `threshold` (interpolated in log FAR).
    pub fn far_at(&self, threshold: f32) -> f64 {
        self.interpolate(threshold, |p| log(p.far)).exp()
    }

    /// The genuine acceptance rate at `threshold` (interpolated linearly).
    pub fn tar_at(&self, threshold: f32) -> f64 {
        self.interpolate(threshold, |p| p.tar)
    }

    fn interpolate(&self, threshold: f32, value: impl Fn(&CalibrationPoint) -> f64) -> f64 {
        let points = &self.points;
        let (Some(first), Some(last)) = (points.first(), points.last()) else {
            return 0.0;
        };
        if threshold <= first.threshold {
            return value(first);
        }
        if threshold >= last.threshold {
            return value(last);
        }
        for pair in points.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if threshold <= b.threshold {
                let t = f64::from((threshold - a.threshold) / (b.threshold - a.threshold));
                return value(a) + (value(b) - value(a)) * t;
            }
        }
        value(last)
    }
}

/// `ln` with a floor, so a measured rate of zero stays finite.
fn log(rate: f64) -> f64 {
    rate.max(1e-15).ln()
}

/// The target rate of each face decision and the calibration they are read from
/// (`[decisions]` in `lintas.toml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionPolicy {
    /// 1:1 verification (a selfie against the caller's own face, or a claimed identity at a
    /// kiosk): false matches per attempt.
    pub verify_far: f64,
    /// 1:N identification at a kiosk: share of faces of people who are not enrolled that
    /// would be recorded as someone (false positive identification rate), at the
    /// gallery's current size.
    pub identify_fpir: f64,
    /// Least lead of the best employee over the next one in 1:N identification.
    pub identify_margin: f32,
    /// Enrollment: share of distinct new people flagged as a possible duplicate of
    /// someone enrolled, at the gallery's current size.
    pub duplicate_flag_rate: f64,
    /// Enrollment: false-match rate per comparison at or above which a new face is refused
    /// outright as someone already enrolled (same-person certainty).
    pub duplicate_refuse_far: f64,
    /// Known look-alike pairs (twins) are never told apart by 1:N identification when their
    /// scores are this close: the kiosk asks for confirmation or a claimed identity.
    pub look_alike_margin: f32,
    /// The measured curve.
    pub calibration: Calibration,
}

impl Default for DecisionPolicy {
    fn default() -> Self {
        Self {
            verify_far: 1e-3,
            identify_fpir: 0.01,
            identify_margin: 0.05,
            duplicate_flag_rate: 0.005,
            duplicate_refuse_far: 1e-6,
            look_alike_margin: 0.15,
            calibration: Calibration::default(),
        }
    }
}

/// The thresholds in force for a gallery of a given size, with the rates to expect.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OperatingPoints {
    /// Enrolled people the points are for.
    pub people: usize,
    /// Face templates they have.
    pub templates: usize,
    /// 1:1 threshold.
    pub verify_threshold: f32,
    /// Expected false matches per 1:1 attempt.
    pub verify_far: f64,
    /// Expected share of genuine 1:1 attempts accepted (one template).
    pub verify_tar: f64,
    /// 1:N threshold at which a kiosk records a punch in one shot.
    pub identify_threshold: f32,
    /// Least lead over the next employee.
    pub identify_margin: f32,
    /// Least lead over a known look-alike.
    pub look_alike_margin: f32,
    /// Expected share of never-enrolled faces recorded as someone.
    pub identify_fpir: f64,
    /// Expected share of enrolled people identified in one shot (one template each).
    pub identify_tpir: f64,
    /// Enrollment score at or above which a new face is flagged for an admin.
    pub duplicate_flag_threshold: f32,
    /// Enrollment score at or above which a new face is refused as already enrolled.
    pub duplicate_refuse_threshold: f32,
    /// Expected share of distinct new people flagged.
    pub duplicate_flag_rate: f64,
}

impl DecisionPolicy {
    /// Checks the targets and the calibration.
    pub fn validate(&self) -> Result<(), String> {
        self.calibration.validate()?;
        for (name, rate) in [
            ("verify_far", self.verify_far),
            ("identify_fpir", self.identify_fpir),
            ("duplicate_flag_rate", self.duplicate_flag_rate),
            ("duplicate_refuse_far", self.duplicate_refuse_far),
        ] {
            if !(rate > 0.0 && rate < 1.0) {
                return Err(format!(
                    "decisions.{name} must be between 0 and 1, not {rate}"
                ));
            }
        }
        for (name, margin) in [
            ("identify_margin", self.identify_margin),
            ("look_alike_margin", self.look_alike_margin),
        ] {
            if !(0.0..=1.0).contains(&margin) {
                return Err(format!(
                    "decisions.{name} must be within 0 and 1, not {margin}"
                ));
            }
        }
        Ok(())
    }

    /// The operating points for a gallery of `people` enrolled people holding `templates`
    /// templates. A face is compared with each person once (through the mean of their
    /// templates), so the per-comparison rate that keeps the 1:N target is
    /// `1 - (1 - target)^(1 / people)`.
    pub fn at_gallery_size(&self, people: usize, templates: usize) -> OperatingPoints {
        let curve = &self.calibration;
        let comparisons = people.max(1) as f64;
        let per_comparison = |target: f64| 1.0 - (1.0 - target).powf(1.0 / comparisons);
        let verify_threshold = curve.threshold_at_far(self.verify_far);
        let identify_threshold = curve
            .threshold_at_far(per_comparison(self.identify_fpir))
            .max(verify_threshold);
        let refuse = curve.threshold_at_far(self.duplicate_refuse_far);
        let flag = curve
            .threshold_at_far(per_comparison(self.duplicate_flag_rate))
            .max(verify_threshold)
            .min(refuse);
        let rate_at = |threshold: f32| 1.0 - (1.0 - curve.far_at(threshold)).powf(comparisons);
        OperatingPoints {
            people,
            templates,
            verify_threshold,
            verify_far: curve.far_at(verify_threshold),
            verify_tar: curve.tar_at(verify_threshold),
            identify_threshold,
            identify_margin: self.identify_margin,
            look_alike_margin: self.look_alike_margin,
            identify_fpir: if people == 0 {
                0.0
            } else {
                rate_at(identify_threshold)
            },
            identify_tpir: curve.tar_at(identify_threshold),
            duplicate_flag_threshold: flag,
            duplicate_refuse_threshold: refuse,
            duplicate_flag_rate: if people == 0 { 0.0 } else { rate_at(flag) },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FAR falling tenfold every 0.05 from 1e-1 at 0.3; TAR falling 2 points per 0.05.
    fn curve() -> Calibration {
        Calibration {
            source: "test".into(),
            points: (0..=12)
                .map(|i| CalibrationPoint {
                    threshold: 0.3 + 0.05 * i as f32,
                    far: 10f64.powi(-(i + 1)),
                    tar: 1.0 - 0.02 * i as f64,
                })
                .collect(),
        }
    }

    fn policy() -> DecisionPolicy {
        DecisionPolicy {
            calibration: curve(),
            ..DecisionPolicy::default()
        }
    }

    #[test]
    fn thresholds_are_read_from_the_curve_in_log_far() {
        let curve = curve();
        assert!((curve.threshold_at_far(1e-3) - 0.40).abs() < 1e-5);
        // Halfway in log between 1e-3 (0.40) and 1e-4 (0.45).
        assert!((curve.threshold_at_far(10f64.powf(-3.5)) - 0.425).abs() < 1e-4);
        assert!((curve.far_at(0.425).log10() + 3.5).abs() < 1e-4);
        assert!((curve.tar_at(0.425) - 0.95).abs() < 1e-6);
        assert_eq!(curve.threshold_at_far(1.0), 0.3);
        assert!((curve.threshold_at_far(1e-30) - 0.9).abs() < 1e-5);
    }

    #[test]
    fn the_identification_threshold_rises_with_the_gallery() {
        let policy = policy();
        let mut last = 0.0;
        for people in [1, 10, 50, 100, 500, 1000, 5000] {
            let points = policy.at_gallery_size(people, people);
            assert!(points.identify_threshold >= last, "{people}: {points:?}");
            last = points.identify_threshold;
            // Whatever the size, the expected rate stays at the target (or below, where the
            // verification threshold is the stricter one).
            assert!(
                points.identify_fpir <= policy.identify_fpir + 1e-4,
                "{people}: {points:?}"
            );
            if points.identify_threshold > points.verify_threshold {
                assert!(
                    (points.identify_fpir - policy.identify_fpir).abs() < 1e-3,
                    "{people}: {points:?}"
                );
            }
            assert!(points.duplicate_flag_threshold <= points.duplicate_refuse_threshold);
        }
        // 1,000 people at 1%: about 1e-5 per comparison, 0.5 on this curve.
        let thousand = policy.at_gallery_size(1000, 1000);
        assert!(
            (thousand.identify_threshold - 0.50).abs() < 0.002,
            "{thousand:?}"
        );
        // More templates per person change nothing: each person is compared once.
        let doubled = policy.at_gallery_size(1000, 2000);
        assert_eq!(doubled.identify_threshold, thousand.identify_threshold);
    }

    #[test]
    fn identification_is_never_looser_than_verification() {
        let points = policy().at_gallery_size(1, 1);
        assert!(points.identify_threshold >= points.verify_threshold);
        assert!((points.verify_threshold - 0.40).abs() < 1e-5);
        assert_eq!(policy().at_gallery_size(0, 0).identify_fpir, 0.0);
    }

    #[test]
    fn broken_curves_and_targets_are_refused() {
        let mut policy = policy();
        assert!(policy.validate().is_ok());
        policy.calibration.points.swap(0, 1);
        assert!(policy.validate().is_err());
        let mut policy = self::policy();
        policy.identify_fpir = 0.0;
        assert!(policy.validate().is_err());
    }

    #[test]
    fn the_shipped_calibration_is_valid() {
        let shipped = DecisionPolicy::default();
        assert!(shipped.validate().is_ok(), "{:?}", shipped.validate());
    }
}
