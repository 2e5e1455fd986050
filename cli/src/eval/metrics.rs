//! Verification metrics: ROC, AUC, EER, TAR at fixed FAR, 10-fold accuracy.

use serde::Serialize;

use super::Scored;

/// One point of the ROC curve: pairs scoring at or above `threshold` are accepted.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RocPoint {
    /// Decision threshold.
    pub threshold: f32,
    /// False-accept rate.
    pub far: f64,
    /// True-accept rate.
    pub tar: f64,
}

/// The ROC curve from the strictest threshold to the loosest (one point per distinct score).
pub fn roc(pairs: &[Scored]) -> Vec<RocPoint> {
    let mut sorted: Vec<&Scored> = pairs.iter().collect();
    sorted.sort_by(|a, b| b.score.total_cmp(&a.score));
    let positives = pairs.iter().filter(|p| p.same).count().max(1) as f64;
    let negatives = pairs.iter().filter(|p| !p.same).count().max(1) as f64;
    let mut points = vec![RocPoint {
        threshold: f32::INFINITY,
        far: 0.0,
        tar: 0.0,
    }];
    let (mut true_accepts, mut false_accepts) = (0usize, 0usize);
    for (i, pair) in sorted.iter().enumerate() {
        if pair.same {
            true_accepts += 1;
        } else {
            false_accepts += 1;
        }
        let last_of_score = sorted.get(i + 1).is_none_or(|next| next.score < pair.score);
        if last_of_score {
            points.push(RocPoint {
                threshold: pair.score,
                far: false_accepts as f64 / negatives,
                tar: true_accepts as f64 / positives,
            });
        }
    }
    points
}

/// Area under the ROC curve (trapezoids).
pub fn auc(curve: &[RocPoint]) -> f64 {
    curve
        .windows(2)
        .map(|w| (w[1].far - w[0].far) * (w[1].tar + w[0].tar) / 2.0)
        .sum()
}

/// Equal error rate: where the false-accept rate meets the false-reject rate.
pub fn eer(curve: &[RocPoint]) -> f64 {
    curve
        .iter()
        .map(|p| (p.far, 1.0 - p.tar))
        .min_by(|a, b| (a.0 - a.1).abs().total_cmp(&(b.0 - b.1).abs()))
        .map(|(far, frr)| (far + frr) / 2.0)
        .unwrap_or(1.0)
}

/// The best true-accept rate whose false-accept rate is at most `far`, with its threshold.
pub fn tar_at_far(curve: &[RocPoint], far: f64) -> RocPoint {
    curve
        .iter()
        .copied()
        .filter(|p| p.far <= far)
        .max_by(|a, b| a.tar.total_cmp(&b.tar))
        .unwrap_or(curve[0])
}

/// Accuracy of the best single threshold on `pairs`, and that threshold.
pub fn best_threshold(pairs: &[Scored]) -> (f32, f64) {
    let mut sorted: Vec<&Scored> = pairs.iter().collect();
    sorted.sort_by(|a, b| a.score.total_cmp(&b.score));
    let total = sorted.len().max(1) as f64;
    // Threshold below everything: all accepted, so every positive is right.
    let mut correct = sorted.iter().filter(|p| p.same).count() as i64;
    let mut best = (sorted.first().map_or(0.0, |p| p.score - 1e-4), correct);
    for (i, pair) in sorted.iter().enumerate() {
        correct += if pair.same { -1 } else { 1 };
        let next = sorted.get(i + 1).map(|p| p.score);
        if next.is_none_or(|n| n > pair.score) && correct > best.1 {
            let threshold = next.map_or(pair.score + 1e-4, |n| (pair.score + n) / 2.0);
            best = (threshold, correct);
        }
    }
    (best.0, best.1 as f64 / total)
}

/// Mean and standard deviation of k-fold accuracy: each fold is judged with the threshold
/// that is best on all the other folds.
pub fn k_fold_accuracy(pairs: &[Scored], folds: usize) -> (f64, f64) {
    let accuracies: Vec<f64> = (0..folds)
        .filter_map(|fold| {
            let (test, train): (Vec<Scored>, Vec<Scored>) =
                pairs.iter().partition(|p| p.fold == fold);
            if test.is_empty() || train.is_empty() {
                return None;
            }
            let (threshold, _) = best_threshold(&train);
            let right = test
                .iter()
                .filter(|p| (p.score >= threshold) == p.same)
                .count();
            Some(right as f64 / test.len() as f64)
        })
        .collect();
    let n = accuracies.len().max(1) as f64;
    let mean = accuracies.iter().sum::<f64>() / n;
    let variance = accuracies.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / n;
    (mean, variance.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(list: &[(f32, bool)]) -> Vec<Scored> {
        list.iter()
            .enumerate()
            .map(|(i, &(score, same))| Scored {
                score,
                same,
                fold: i % 2,
            })
            .collect()
    }

    #[test]
    fn perfectly_separated_scores_give_auc_one_and_eer_zero() {
        let pairs = scored(&[(0.9, true), (0.8, true), (0.3, false), (0.1, false)]);
        let curve = roc(&pairs);
        assert!((auc(&curve) - 1.0).abs() < 1e-9);
        assert_eq!(eer(&curve), 0.0);
        let point = tar_at_far(&curve, 0.0);
        assert_eq!((point.tar, point.threshold), (1.0, 0.8));
        let (threshold, accuracy) = best_threshold(&pairs);
        assert_eq!(accuracy, 1.0);
        assert!(threshold > 0.3 && threshold <= 0.8);
        assert_eq!(k_fold_accuracy(&pairs, 2).0, 1.0);
    }

    #[test]
    fn one_impostor_above_a_genuine_pair_costs_what_it_should() {
        let pairs = scored(&[(0.9, true), (0.7, false), (0.6, true), (0.1, false)]);
        let curve = roc(&pairs);
        assert!((auc(&curve) - 0.75).abs() < 1e-9);
        assert_eq!(tar_at_far(&curve, 0.0).tar, 0.5);
        assert_eq!(best_threshold(&pairs).1, 0.75);
        assert!((eer(&curve) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn tied_scores_make_a_single_roc_point() {
        let pairs = scored(&[(0.5, true), (0.5, false)]);
        assert_eq!(roc(&pairs).len(), 2);
    }
}
