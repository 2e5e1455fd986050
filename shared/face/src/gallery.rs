//! 1:N search over enrolled templates held contiguously in memory. An employee with several
//! templates is compared through the normalised mean of them, which measured better at the
//! 1:N operating point than the best single template (see `docs/ACCURACY.md`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::FaceError;
use super::embedding::{EMBEDDING_DIM, Embedding, ModelId, dot};

/// When a probe counts as a given employee in a 1:N search.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MatchPolicy {
    /// Least cosine similarity for a match.
    pub threshold: f32,
    /// Least lead of the best employee over the second best.
    pub margin: f32,
}

/// One employee's match for a probe: their template closest to it, and the similarity to the
/// mean of their templates (their score).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The employee.
    pub employee_id: String,
    /// Their template closest to the probe.
    pub template_id: String,
    /// Cosine similarity to the normalised mean of their templates.
    pub score: f32,
}

/// Outcome of a 1:N search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Identification {
    /// One employee passed the threshold with enough lead over the next.
    Match {
        /// The identified employee.
        best: Candidate,
        /// The next employee, if any.
        runner_up: Option<Candidate>,
    },
    /// Two employees scored too close to tell apart.
    Ambiguous {
        /// The best employee.
        best: Candidate,
        /// The employee too close behind.
        runner_up: Candidate,
    },
    /// Nobody passed the threshold.
    NoMatch {
        /// The closest employee, if the gallery is not empty.
        best: Option<Candidate>,
    },
}

/// Templates of one model, stored as one contiguous block of vectors, with the normalised
/// mean of each employee's templates beside them.
#[derive(Clone, Debug)]
pub struct Gallery {
    model: ModelId,
    vectors: Vec<f32>,
    template_ids: Vec<String>,
    owners: Vec<u32>,
    employees: Vec<String>,
    employee_index: HashMap<String, u32>,
    /// Per employee, the sum of their template vectors.
    sums: Vec<f32>,
    /// Per employee, that sum normalised to unit length.
    means: Vec<f32>,
}

impl Gallery {
    /// An empty gallery for embeddings of `model`.
    pub fn new(model: ModelId) -> Self {
        Self {
            model,
            vectors: Vec::new(),
            template_ids: Vec::new(),
            owners: Vec::new(),
            employees: Vec::new(),
            employee_index: HashMap::new(),
            sums: Vec::new(),
            means: Vec::new(),
        }
    }

    /// The model every template here belongs to.
    pub fn model(&self) -> &ModelId {
        &self.model
    }

    /// Number of templates.
    pub fn len(&self) -> usize {
        self.template_ids.len()
    }

    /// Number of people with at least one template.
    pub fn people(&self) -> usize {
        self.employees.len()
    }

    /// True when no template is enrolled.
    pub fn is_empty(&self) -> bool {
        self.template_ids.is_empty()
    }

    /// Adds a template; refuses embeddings of another model.
    pub fn insert(
        &mut self,
        template_id: impl Into<String>,
        employee_id: &str,
        embedding: &Embedding,
    ) -> Result<(), FaceError> {
        embedding.ensure_same_model(&self.model)?;
        let next = self.employees.len() as u32;
        let owner = *self
            .employee_index
            .entry(employee_id.to_owned())
            .or_insert(next);
        if owner == next {
            self.employees.push(employee_id.to_owned());
            self.sums.extend_from_slice(&[0.0; EMBEDDING_DIM]);
            self.means.extend_from_slice(&[0.0; EMBEDDING_DIM]);
        }
        self.vectors.extend_from_slice(embedding.vector());
        self.template_ids.push(template_id.into());
        self.owners.push(owner);
        let at = owner as usize * EMBEDDING_DIM;
        let sum = &mut self.sums[at..at + EMBEDDING_DIM];
        for (total, value) in sum.iter_mut().zip(embedding.vector()) {
            *total += value;
        }
        let norm = dot(sum, sum).sqrt().max(f32::MIN_POSITIVE);
        for (mean, total) in self.means[at..at + EMBEDDING_DIM]
            .iter_mut()
            .zip(sum.iter())
        {
            *mean = total / norm;
        }
        Ok(())
    }

    /// Every template as (template id, employee id, unit vector), in insertion order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str, &[f32])> {
        self.template_ids
            .iter()
            .zip(&self.owners)
            .zip(self.vectors.chunks_exact(EMBEDDING_DIM))
            .map(|((template, owner), vector)| {
                (
                    template.as_str(),
                    self.employees[*owner as usize].as_str(),
                    vector,
                )
            })
    }

    /// True when `employee_id` has at least one template here.
    pub fn has_employee(&self, employee_id: &str) -> bool {
        self.employee_index.contains_key(employee_id)
    }

    /// The score of `probe` against one employee (1:1 verification): its similarity to the
    /// mean of their templates; `None` when the employee has no template here.
    pub fn best_score_of(
        &self,
        employee_id: &str,
        probe: &Embedding,
    ) -> Result<Option<f32>, FaceError> {
        probe.ensure_same_model(&self.model)?;
        Ok(self
            .employee_index
            .get(employee_id)
            .map(|&owner| dot(self.mean_of(owner as usize), probe.vector())))
    }

    /// The `k` employees closest to `probe`, best first.
    pub fn top_k(&self, probe: &Embedding, k: usize) -> Result<Vec<Candidate>, FaceError> {
        probe.ensure_same_model(&self.model)?;
        let mut ranked: Vec<(usize, f32)> = self
            .means
            .chunks_exact(EMBEDDING_DIM)
            .map(|mean| dot(mean, probe.vector()))
            .enumerate()
            .collect();
        let k = k.min(ranked.len());
        if k == 0 {
            return Ok(Vec::new());
        }
        ranked.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1));
        ranked.truncate(k);
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        Ok(ranked
            .into_iter()
            .map(|(employee, score)| Candidate {
                employee_id: self.employees[employee].clone(),
                template_id: self.closest_template(employee, probe),
                score,
            })
            .collect())
    }

    /// The normalised mean of one employee's templates.
    fn mean_of(&self, owner: usize) -> &[f32] {
        &self.means[owner * EMBEDDING_DIM..(owner + 1) * EMBEDDING_DIM]
    }

    /// The id of `owner`'s template closest to `probe`.
    fn closest_template(&self, owner: usize, probe: &Embedding) -> String {
        self.vectors
            .chunks_exact(EMBEDDING_DIM)
            .zip(&self.owners)
            .enumerate()
            .filter(|(_, (_, template_owner))| **template_owner as usize == owner)
            .map(|(index, (vector, _))| (index, dot(vector, probe.vector())))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(index, _)| self.template_ids[index].clone())
            .unwrap_or_default()
    }

    /// Identifies `probe` under `policy`.
    pub fn identify(
        &self,
        probe: &Embedding,
        policy: &MatchPolicy,
    ) -> Result<Identification, FaceError> {
        let mut top = self.top_k(probe, 2)?.into_iter();
        let (best, runner_up) = (top.next(), top.next());
        Ok(match best {
            Some(best) if best.score >= policy.threshold => match runner_up {
                Some(runner_up) if best.score - runner_up.score < policy.margin => {
                    Identification::Ambiguous { best, runner_up }
                }
                runner_up => Identification::Match { best, runner_up },
            },
            best => Identification::NoMatch { best },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(axis: usize, lean: f32) -> Embedding {
        let mut raw = vec![0.0; EMBEDDING_DIM];
        raw[axis] = 1.0;
        raw[EMBEDDING_DIM - 1] = lean;
        Embedding::from_raw(ModelId::new("m"), raw).unwrap()
    }

    fn gallery() -> Gallery {
        let mut gallery = Gallery::new(ModelId::new("m"));
        gallery.insert("t1", "alice", &unit(0, 0.0)).unwrap();
        gallery.insert("t2", "alice", &unit(0, 0.5)).unwrap();
        gallery.insert("t3", "bob", &unit(1, 0.0)).unwrap();
        gallery.insert("t4", "carol", &unit(2, 0.0)).unwrap();
        gallery
    }

    #[test]
    fn an_employee_scores_by_the_mean_of_their_templates() {
        let top = gallery().top_k(&unit(0, 0.0), 2).unwrap();
        assert_eq!(top.len(), 2);
        assert_eq!(
            (top[0].employee_id.as_str(), top[0].template_id.as_str()),
            ("alice", "t1"),
            "the closest template is named"
        );
        // Alice's templates lean apart; the probe is closer to their mean than to t2.
        let t2 = unit(0, 0.5);
        let mean_score = top[0].score;
        assert!(mean_score < 1.0 - 1e-3, "{mean_score}");
        assert!(mean_score > unit(0, 0.0).cosine(&t2).unwrap());
        assert_ne!(top[1].employee_id, "alice");
        assert_eq!(gallery().people(), 3);
    }

    #[test]
    fn identify_needs_threshold_and_margin() {
        let gallery = gallery();
        let policy = MatchPolicy {
            threshold: 0.6,
            margin: 0.1,
        };
        assert!(
            matches!(gallery.identify(&unit(1, 0.1), &policy).unwrap(), Identification::Match { best, .. } if best.employee_id == "bob")
        );
        assert!(matches!(
            gallery.identify(&unit(5, 0.0), &policy).unwrap(),
            Identification::NoMatch { .. }
        ));
        let mut between = vec![0.0; EMBEDDING_DIM];
        (between[1], between[2]) = (1.0, 1.0);
        let probe = Embedding::from_raw(ModelId::new("m"), between).unwrap();
        let lenient = MatchPolicy {
            threshold: 0.5,
            margin: 0.1,
        };
        assert!(matches!(
            gallery.identify(&probe, &lenient).unwrap(),
            Identification::Ambiguous { .. }
        ));
    }

    #[test]
    fn other_models_are_refused() {
        let mut gallery = Gallery::new(ModelId::new("other"));
        assert_eq!(
            gallery.insert("t", "e", &unit(0, 0.0)).unwrap_err().code(),
            "model_mismatch"
        );
        assert!(
            Gallery::new(ModelId::new("m"))
                .top_k(&unit(0, 0.0), 3)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn verification_scores_only_the_claimed_employee() {
        let gallery = gallery();
        let probe = unit(1, 0.0);
        let bob = gallery.best_score_of("bob", &probe).unwrap().unwrap();
        assert!(bob > 0.99, "{bob}");
        let mean = gallery.top_k(&probe, 1).unwrap()[0].score;
        assert!((bob - mean).abs() < 1e-6, "1:1 and 1:N score alike");
        let alice = gallery.best_score_of("alice", &probe).unwrap().unwrap();
        assert!(alice < 0.5, "{alice}");
        assert_eq!(gallery.best_score_of("nobody", &probe).unwrap(), None);
    }
}
