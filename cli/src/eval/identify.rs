//! Open-set 1:N identification measured on embeddings: galleries of chosen sizes, genuine
//! probes of enrolled people and impostor probes of people never enrolled, under a rule
//! (threshold and margin), and the template strategies (one photo, best of several, their
//! mean, refreshed from confident matches).

use serde::Serialize;

use lintas_face::decision::DecisionPolicy;

/// One person's embeddings, in photo order.
pub type Person = Vec<Vec<f32>>;

/// A person of the gallery and their score: (index, cosine).
pub type Ranked = (usize, f32);

/// How an enrolled person is represented in the gallery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The best score over the person's templates.
    BestOf,
    /// The score against the normalised mean of the templates.
    Mean,
}

/// A gallery: per enrolled person, the vectors compared with a probe.
pub struct GalleryVectors {
    people: Vec<Vec<Vec<f32>>>,
}

impl GalleryVectors {
    /// The first `k` photos of each person, under `strategy`.
    pub fn build(enrolled: &[&Person], k: usize, strategy: Strategy) -> Self {
        let people = enrolled
            .iter()
            .map(|person| {
                let templates: Vec<Vec<f32>> = person.iter().take(k).cloned().collect();
                match strategy {
                    Strategy::BestOf => templates,
                    Strategy::Mean => vec![mean(&templates)],
                }
            })
            .collect();
        Self { people }
    }

    /// Adds `vector` to person `index`'s templates.
    pub fn add(&mut self, index: usize, vector: Vec<f32>) {
        self.people[index].push(vector);
    }

    /// People in the gallery.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// Templates in the gallery.
    pub fn templates(&self) -> usize {
        self.people.iter().map(Vec::len).sum()
    }

    /// The best and second-best person for `probe`.
    pub fn top2(&self, probe: &[f32]) -> (Option<Ranked>, Option<Ranked>) {
        let (mut best, mut second): (Option<Ranked>, Option<Ranked>) = (None, None);
        for (index, templates) in self.people.iter().enumerate() {
            let score = templates
                .iter()
                .map(|t| dot(t, probe))
                .fold(f32::NEG_INFINITY, f32::max);
            if best.is_none_or(|(_, b)| score > b) {
                second = best;
                best = Some((index, score));
            } else if second.is_none_or(|(_, s)| score > s) {
                second = Some((index, score));
            }
        }
        (best, second)
    }
}

/// The top two of one probe, and whose probe it is (`None` for an impostor).
#[derive(Clone, Copy, Debug)]
pub struct Outcome {
    /// The enrolled person the probe shows, if any.
    pub truth: Option<usize>,
    /// Best person and score.
    pub best: Option<(usize, f32)>,
    /// Second best score.
    pub second: Option<f32>,
}

impl Outcome {
    /// Whether the probe is accepted as its best person under `threshold` and `margin`.
    pub fn accepted(&self, threshold: f32, margin: f32) -> bool {
        match self.best {
            Some((_, score)) => {
                score >= threshold && self.second.is_none_or(|second| score - second >= margin)
            }
            None => false,
        }
    }

    /// Whether the best person is the true one.
    pub fn rank1(&self) -> bool {
        matches!((self.best, self.truth), (Some((b, _)), Some(t)) if b == t)
    }
}

/// Every probe's outcome against `gallery`.
pub fn outcomes(
    gallery: &GalleryVectors,
    genuine: &[(usize, &[f32])],
    impostors: &[&[f32]],
) -> Vec<Outcome> {
    let outcome = |truth: Option<usize>, probe: &[f32]| {
        let (best, second) = gallery.top2(probe);
        Outcome {
            truth,
            best,
            second: second.map(|(_, s)| s),
        }
    };
    genuine
        .iter()
        .map(|(truth, probe)| outcome(Some(*truth), probe))
        .chain(impostors.iter().map(|probe| outcome(None, probe)))
        .collect()
}

/// Rates of one rule over a set of outcomes.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Rates {
    /// Threshold.
    pub threshold: f32,
    /// Share of impostor probes accepted as someone.
    pub fpir: f64,
    /// Share of genuine probes not accepted as their own person.
    pub fnir: f64,
    /// Share of genuine probes accepted as someone else.
    pub wrong_person: f64,
    /// Share of genuine probes whose best person is their own.
    pub rank1: f64,
}

/// The rates of `outcomes` at `threshold` and `margin`.
pub fn rates(outcomes: &[Outcome], threshold: f32, margin: f32) -> Rates {
    let genuine: Vec<&Outcome> = outcomes.iter().filter(|o| o.truth.is_some()).collect();
    let impostors: Vec<&Outcome> = outcomes.iter().filter(|o| o.truth.is_none()).collect();
    let share = |count: usize, of: usize| count as f64 / of.max(1) as f64;
    let accepted_right = genuine
        .iter()
        .filter(|o| o.accepted(threshold, margin) && o.rank1())
        .count();
    let accepted_wrong = genuine
        .iter()
        .filter(|o| o.accepted(threshold, margin) && !o.rank1())
        .count();
    Rates {
        threshold,
        fpir: share(
            impostors
                .iter()
                .filter(|o| o.accepted(threshold, margin))
                .count(),
            impostors.len(),
        ),
        fnir: 1.0 - share(accepted_right, genuine.len()),
        wrong_person: share(accepted_wrong, genuine.len()),
        rank1: share(genuine.iter().filter(|o| o.rank1()).count(), genuine.len()),
    }
}

/// The DET curve: rates at every threshold from 0.2 to 0.95 in steps of 0.01.
pub fn det(outcomes: &[Outcome], margin: f32) -> Vec<Rates> {
    (20..=95)
        .map(|i| rates(outcomes, i as f32 / 100.0, margin))
        .collect()
}

/// The lowest threshold whose FPIR is at most `fpir`, and the rates there.
pub fn at_fpir(outcomes: &[Outcome], margin: f32, fpir: f64) -> Rates {
    det(outcomes, margin)
        .into_iter()
        .find(|r| r.fpir <= fpir)
        .unwrap_or_else(|| rates(outcomes, 1.0, margin))
}

/// The rates at the shipped operating point for the gallery's size.
pub fn at_operating_point(
    outcomes: &[Outcome],
    gallery: &GalleryVectors,
    decisions: &DecisionPolicy,
) -> Rates {
    let points = decisions.at_gallery_size(gallery.len(), gallery.templates());
    rates(outcomes, points.identify_threshold, points.identify_margin)
}

/// Template refresh: after each genuine probe that is accepted as its own person with a
/// wide lead, that probe becomes a template too (at most `max_extra` per person, the oldest
/// replaced), but only if it also matches the person's first template at `anchor` (the
/// guard against drift). Returns the gallery after `stream` was seen.
pub fn refreshed(
    mut gallery: GalleryVectors,
    stream: &[(usize, &[f32])],
    refresh_threshold: f32,
    min_lead: f32,
    anchor: f32,
    max_extra: usize,
) -> GalleryVectors {
    let first: Vec<Vec<f32>> = gallery
        .people
        .iter()
        .map(|templates| templates[0].clone())
        .collect();
    let mut extra: Vec<Vec<Vec<f32>>> = vec![Vec::new(); gallery.len()];
    for (truth, probe) in stream {
        let (best, second) = gallery.top2(probe);
        let Some((who, score)) = best else { continue };
        let lead = second.map_or(1.0, |(_, s)| score - s);
        if who == *truth
            && score >= refresh_threshold
            && lead >= min_lead
            && dot(&first[who], probe) >= anchor
        {
            extra[who].push(probe.to_vec());
            if extra[who].len() > max_extra {
                extra[who].remove(0);
            }
            gallery.people[who].truncate(1);
            for template in &extra[who] {
                gallery.add(who, template.clone());
            }
        }
    }
    gallery
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The normalised mean of `vectors`.
fn mean(vectors: &[Vec<f32>]) -> Vec<f32> {
    let dim = vectors.first().map_or(0, Vec::len);
    let mut sum = vec![0.0f32; dim];
    for vector in vectors {
        for (s, v) in sum.iter_mut().zip(vector) {
            *s += v;
        }
    }
    let norm = dot(&sum, &sum).sqrt().max(f32::MIN_POSITIVE);
    sum.iter().map(|s| s / norm).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(axis: usize, lean: f32) -> Vec<f32> {
        let mut v = vec![0.0; 8];
        v[axis] = 1.0;
        v[7] = lean;
        let norm = dot(&v, &v).sqrt();
        v.iter().map(|x| x / norm).collect()
    }

    #[test]
    fn open_set_rates_count_each_kind_of_error() {
        let people: Vec<Person> = vec![vec![unit(0, 0.0)], vec![unit(1, 0.0)]];
        let enrolled: Vec<&Person> = people.iter().collect();
        let gallery = GalleryVectors::build(&enrolled, 1, Strategy::BestOf);
        let probe_a = unit(0, 0.3);
        let probe_b_as_a = unit(0, 0.2);
        let stranger = unit(5, 0.0);
        let near_a = unit(0, 0.9);
        let genuine = [(0, probe_a.as_slice()), (1, probe_b_as_a.as_slice())];
        let impostors = [stranger.as_slice(), near_a.as_slice()];
        let all = outcomes(&gallery, &genuine, &impostors);
        let r = rates(&all, 0.5, 0.05);
        assert_eq!(r.rank1, 0.5);
        assert_eq!(r.fnir, 0.5);
        assert_eq!(r.wrong_person, 0.5);
        assert_eq!(
            r.fpir, 0.5,
            "the stranger is refused, the look-alike of a is not"
        );
        let strict = at_fpir(&all, 0.05, 0.0);
        assert_eq!(strict.fpir, 0.0);
    }

    #[test]
    fn a_mean_template_is_one_normalised_vector() {
        let person: Person = vec![unit(0, 0.0), unit(1, 0.0)];
        let gallery = GalleryVectors::build(&[&person], 2, Strategy::Mean);
        assert_eq!(gallery.templates(), 1);
        let (best, _) = gallery.top2(&unit(0, 0.0));
        assert!((best.unwrap().1 - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-5);
    }
}
