//! A calibration curve from genuine and impostor scores: measured false-match and genuine
//! acceptance rates at every threshold step, with the impostor tail extrapolated where too
//! few impostor pairs remain to measure it.

use lintas_face::decision::{Calibration, CalibrationPoint};

/// Threshold steps of a curve.
const FIRST_THRESHOLD: f32 = 0.20;
const LAST_THRESHOLD: f32 = 0.95;
const STEP: f32 = 0.01;
/// A rate is measured where at least this many impostor scores reach the threshold; past
/// that the tail is extrapolated.
const MIN_TAIL_COUNT: usize = 25;

/// Counts of scores, in bins of 0.001 over [-1, 1].
#[derive(Clone, Debug)]
pub struct Histogram {
    bins: Vec<u64>,
    total: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Self {
            bins: vec![0; 2001],
            total: 0,
        }
    }
}

impl Histogram {
    /// Counts one score.
    pub fn add(&mut self, score: f32) {
        let bin = ((score.clamp(-1.0, 1.0) + 1.0) * 1000.0).round() as usize;
        self.bins[bin.min(2000)] += 1;
        self.total += 1;
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Histogram) {
        for (mine, theirs) in self.bins.iter_mut().zip(&other.bins) {
            *mine += theirs;
        }
        self.total += other.total;
    }

    /// Scores counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Scores at or above `threshold`.
    pub fn at_or_above(&self, threshold: f32) -> u64 {
        let first = ((threshold.clamp(-1.0, 1.0) + 1.0) * 1000.0).round() as usize;
        self.bins[first.min(2000)..].iter().sum()
    }

    /// Share of scores at or above `threshold`.
    pub fn rate(&self, threshold: f32) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.at_or_above(threshold) as f64 / self.total as f64
        }
    }
}

/// The curve of `impostors` and `genuine` scores. Where fewer than 25 impostor scores reach
/// a threshold, the false-match rate is extrapolated from a straight line fitted to log FAR
/// over the measured tail (FAR from 1e-2 down to the last well-measured point), as extreme
/// tails of similarity scores fall off about exponentially; the `source` says where.
pub fn curve(impostors: &Histogram, genuine: &Histogram, source: &str) -> Calibration {
    let thresholds: Vec<f32> = (0..)
        .map(|i| FIRST_THRESHOLD + STEP * i as f32)
        .take_while(|t| *t <= LAST_THRESHOLD + 1e-6)
        .collect();
    let measured: Vec<(f32, f64, u64)> = thresholds
        .iter()
        .map(|t| (*t, impostors.rate(*t), impostors.at_or_above(*t)))
        .collect();
    let tail: Vec<(f64, f64)> = measured
        .iter()
        .filter(|(_, far, count)| *far <= 1e-2 && *count as usize >= MIN_TAIL_COUNT)
        .map(|(t, far, _)| (f64::from(*t), far.ln()))
        .collect();
    let fit = line_fit(&tail);
    let mut last_measured = None;
    let mut points = Vec::with_capacity(thresholds.len());
    let mut previous_far = 1.0f64;
    for (threshold, far, count) in measured {
        let far = if count as usize >= MIN_TAIL_COUNT || fit.is_none() {
            last_measured = Some(threshold);
            far
        } else {
            let (slope, intercept) = fit.unwrap_or((0.0, 0.0));
            (intercept + slope * f64::from(threshold)).exp()
        };
        let far = far.min(previous_far);
        previous_far = far;
        points.push(CalibrationPoint {
            threshold: (threshold * 100.0).round() / 100.0,
            far,
            tar: genuine.rate(threshold),
        });
    }
    let extrapolated = match (last_measured, fit) {
        (Some(t), Some(_)) if t < LAST_THRESHOLD => {
            format!("; FAR measured up to threshold {t:.2}, extrapolated above")
        }
        _ => String::new(),
    };
    Calibration {
        source: format!(
            "{source}: {} impostor and {} genuine pairs{extrapolated}",
            impostors.total(),
            genuine.total()
        ),
        points,
    }
}

/// Least-squares line `y = slope * x + intercept` through `points`; `None` for fewer than
/// three points or a vertical spread of none.
fn line_fit(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    if points.len() < 3 {
        return None;
    }
    let n = points.len() as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(sx, sy), (x, y)| (sx + x, sy + y));
    let (mx, my) = (sx / n, sy / n);
    let (sxy, sxx) = points.iter().fold((0.0, 0.0), |(sxy, sxx), (x, y)| {
        (sxy + (x - mx) * (y - my), sxx + (x - mx) * (x - mx))
    });
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    (slope < 0.0).then_some((slope, my - slope * mx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_counted_and_the_tail_extrapolated_downwards() {
        let mut impostors = Histogram::default();
        let mut genuine = Histogram::default();
        // Impostor scores falling off exponentially: 200,000 scores, 10x fewer per 0.1.
        for i in 0..200_000u32 {
            let u = (f64::from(i) + 0.5) / 200_000.0;
            impostors.add((-u.log10() / 10.0) as f32);
        }
        for i in 0..1000 {
            genuine.add(0.4 + 0.5 * i as f32 / 1000.0);
        }
        let calibration = curve(&impostors, &genuine, "test");
        assert!(
            calibration.source.contains("extrapolated"),
            "{}",
            calibration.source
        );
        let at = |t: f32| {
            calibration
                .points
                .iter()
                .find(|p| (p.threshold - t).abs() < 1e-4)
                .copied()
                .unwrap()
        };
        // Measured: FAR at 0.3 is 1e-3.
        assert!((at(0.3).far.log10() + 3.0).abs() < 0.05, "{:?}", at(0.3));
        // Extrapolated: FAR at 0.8 about 1e-8 (200,000 scores cannot measure it).
        assert!((at(0.8).far.log10() + 8.0).abs() < 0.5, "{:?}", at(0.8));
        assert!((at(0.65).tar - 0.5).abs() < 0.01, "{:?}", at(0.65));
        let mut last = 1.0;
        for point in &calibration.points {
            assert!(point.far <= last);
            last = point.far;
        }
    }
}
