//! Presentation-attack checks of a punch: passive anti-spoofing on the frame the face is
//! matched on, and the server challenge (a single-use nonce with a random sequence of head
//! poses, answered with one frame per pose).

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::auth::chrono_duration;
use super::refusals::Evidence;
use super::{App, AppError, Photo, Principal};
use crate::domain::{Challenge, Id, new_id};
use lintas_face::liveness::LivenessVerdict;
use lintas_face::pose::{Pose, PoseMeasure};
use lintas_face::{FaceAnalysis, FacePolicy, Liveness};

/// Every order of the three poses; a challenge asks for one of them at random.
const POSE_ORDERS: [[Pose; 3]; 6] = [
    [Pose::Frontal, Pose::Left, Pose::Right],
    [Pose::Frontal, Pose::Right, Pose::Left],
    [Pose::Left, Pose::Frontal, Pose::Right],
    [Pose::Right, Pose::Frontal, Pose::Left],
    [Pose::Left, Pose::Right, Pose::Frontal],
    [Pose::Right, Pose::Left, Pose::Frontal],
];

/// A challenge as its caller receives it.
#[derive(Clone, Debug, Serialize)]
pub struct ChallengeView {
    /// The id to send back with the frames.
    pub id: Id,
    /// The head poses, in the order the frames must show them.
    pub poses: Vec<Pose>,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
}

/// The frame a punch is judged on, after the liveness checks passed.
pub(super) struct Capture {
    /// The face of the (frontal) frame, with its liveness report when assessed.
    pub analysis: FaceAnalysis,
    /// That frame.
    pub photo: Photo,
    /// Whether a challenge was answered.
    pub challenged: bool,
}

/// What a punch sends to prove a live capture.
pub(super) struct Frames<'a> {
    /// One photo, or one per pose of the challenge.
    pub photos: &'a [Photo],
    /// The challenge answered, if any.
    pub challenge_id: Option<&'a str>,
    /// Whether a challenge is required.
    pub challenge_required: bool,
}

impl App {
    /// Issues a challenge to `caller`: a random order of the three head poses, answered once
    /// within the challenge lifetime.
    pub async fn issue_challenge(&self, caller: &Principal) -> Result<ChallengeView, AppError> {
        let mut byte = [0u8; 1];
        getrandom::fill(&mut byte).map_err(|e| AppError::Internal(format!("random: {e}")))?;
        let poses = POSE_ORDERS[usize::from(byte[0]) % POSE_ORDERS.len()].to_vec();
        let now = self.clock.now();
        let challenge = Challenge {
            id: new_id(),
            owner: caller.id.clone(),
            poses,
            issued_at: now,
            expires_at: now + chrono_duration(self.config.faces.challenge_ttl),
            used_at: None,
        };
        self.store.put_challenge(&challenge).await?;
        Ok(ChallengeView {
            id: challenge.id,
            poses: challenge.poses,
            expires_at: challenge.expires_at,
        })
    }

    /// Judges the frames of a punch: the challenge when one is answered (or required),
    /// else the one photo; then passive liveness on the frame the face is matched on.
    pub(super) async fn capture(
        &self,
        sender: &Principal,
        frames: Frames<'_>,
        evidence: &mut Evidence,
    ) -> Result<Capture, AppError> {
        let capture = match (frames.challenge_id, frames.challenge_required) {
            (Some(id), _) => {
                self.answer_challenge(sender, id, frames.photos, evidence)
                    .await?
            }
            (None, true) => {
                return Err(AppError::PreconditionRequired {
                    code: "challenge_required",
                    message: "this punch must answer a liveness challenge: ask for one at \
                              POST /v1/challenges and send one photo per pose"
                        .into(),
                });
            }
            (None, false) => {
                let [photo] = frames.photos else {
                    return Err(AppError::invalid(
                        "invalid_photo_count",
                        "send exactly one photo (or one per pose of a challenge)",
                    ));
                };
                evidence.photo = Some(photo.clone());
                let analysis = self
                    .faces()?
                    .analyze(photo.bytes().clone(), FacePolicy::Selfie, self.liveness())
                    .await?;
                Capture {
                    analysis,
                    photo: photo.clone(),
                    challenged: false,
                }
            }
        };
        self.judge_liveness(&capture.analysis, evidence)?;
        Ok(capture)
    }

    /// Whether punches and enrollment photos are checked for liveness.
    pub(super) fn liveness(&self) -> Liveness {
        if self.config.faces.liveness {
            Liveness::Assess
        } else {
            Liveness::Skip
        }
    }

    /// Refuses a face the anti-spoofing models call an attack, or cannot judge.
    pub(super) fn judge_liveness(
        &self,
        analysis: &FaceAnalysis,
        evidence: &mut Evidence,
    ) -> Result<(), AppError> {
        let Some(report) = &analysis.liveness else {
            return Ok(());
        };
        evidence.liveness = Some(report.score);
        match self.faces()?.rules().liveness.judge(report) {
            LivenessVerdict::Live => Ok(()),
            LivenessVerdict::Attack => Err(AppError::unprocessable(
                "presentation_attack_suspected",
                "the photo looks like a picture of a print or a screen, not a live face",
            )),
            LivenessVerdict::Grayscale => Err(AppError::unprocessable(
                "liveness_unverifiable",
                "the photo has no colour, so its liveness cannot be checked; use a colour camera",
            )),
            LivenessVerdict::TooSmall => Err(AppError::unprocessable(
                "liveness_unverifiable",
                "the face is too small to check its liveness; come closer to the camera",
            )),
        }
    }

    /// Checks a challenge answer: the challenge is the sender's, unexpired and used now for
    /// the first time; one face per frame; the poses in the asked order, judged by a
    /// measure a flat picture cannot change; distinct captures of one person.
    async fn answer_challenge(
        &self,
        sender: &Principal,
        id: &str,
        photos: &[Photo],
        evidence: &mut Evidence,
    ) -> Result<Capture, AppError> {
        let not_found = || {
            AppError::unprocessable(
                "challenge_not_found",
                "no such challenge was issued to this account; ask for a new one",
            )
        };
        let id = Id::parse(id).map_err(|_| not_found())?;
        let challenge = self
            .store
            .challenge(&id)
            .await?
            .filter(|c| c.owner == sender.id)
            .ok_or_else(not_found)?;
        if photos.len() != challenge.poses.len() {
            return Err(AppError::invalid(
                "invalid_photo_count",
                format!(
                    "send one photo per pose of the challenge ({})",
                    challenge.poses.len()
                ),
            ));
        }
        let now = self.clock.now();
        if challenge.used_at.is_some() {
            return Err(challenge_used());
        }
        if now >= challenge.expires_at {
            return Err(AppError::unprocessable(
                "challenge_expired",
                "the challenge has expired; ask for a new one",
            ));
        }
        if !self.store.use_challenge(&challenge.id, now).await? {
            return Err(challenge_used());
        }
        let frontal_index = challenge
            .poses
            .iter()
            .position(|pose| *pose == Pose::Frontal)
            .ok_or_else(|| AppError::Internal("a challenge without a frontal pose".into()))?;
        evidence.photo = Some(photos[frontal_index].clone());
        let digests: Vec<[u8; 32]> = photos
            .iter()
            .map(|photo| Sha256::digest(photo.bytes().as_slice()).into())
            .collect();
        if (1..digests.len()).any(|i| digests[..i].contains(&digests[i])) {
            return Err(frames_repeated());
        }
        let faces = self.faces()?;
        let mut analyses = Vec::with_capacity(photos.len());
        for (index, photo) in photos.iter().enumerate() {
            let liveness = if index == frontal_index {
                self.liveness()
            } else {
                Liveness::Skip
            };
            analyses.push(
                faces
                    .analyze(photo.bytes().clone(), FacePolicy::ChallengeFrame, liveness)
                    .await?,
            );
        }
        let rules = faces.rules();
        let measures: Vec<PoseMeasure> = analyses
            .iter()
            .map(|a| PoseMeasure::of(&a.detection.landmarks))
            .collect::<Option<_>>()
            .ok_or_else(|| pose_mismatch("a frame's landmarks give no pose"))?;
        let frontal = measures[frontal_index];
        for (index, (pose, measure)) in challenge.poses.iter().zip(&measures).enumerate() {
            if !rules.pose.shows(*pose, *measure, frontal) {
                return Err(pose_mismatch(&format!(
                    "photo {} does not show the head {}",
                    index + 1,
                    describe(*pose)
                )));
            }
        }
        let frontal_face = &analyses[frontal_index].embedding;
        for (index, analysis) in analyses.iter().enumerate() {
            if index == frontal_index {
                continue;
            }
            let similarity = analysis.embedding.cosine(frontal_face)?;
            if similarity >= rules.liveness.replay_cosine {
                return Err(frames_repeated());
            }
            if similarity < rules.pose.min_frame_similarity {
                return Err(AppError::unprocessable(
                    "challenge_face_changed",
                    format!("photo {} shows someone else", index + 1),
                ));
            }
        }
        let analysis = analyses.swap_remove(frontal_index);
        Ok(Capture {
            analysis,
            photo: photos[frontal_index].clone(),
            challenged: true,
        })
    }
}

fn challenge_used() -> AppError {
    AppError::conflict(
        "challenge_used",
        "this challenge was already answered; ask for a new one",
    )
}

fn frames_repeated() -> AppError {
    AppError::unprocessable(
        "challenge_frames_repeated",
        "two photos of the challenge are the same capture; take one photo per pose",
    )
}

fn pose_mismatch(detail: &str) -> AppError {
    AppError::unprocessable(
        "challenge_pose_mismatch",
        format!("{detail}; follow the poses in the order asked"),
    )
}

/// The pose in words, for the refusal message.
fn describe(pose: Pose) -> &'static str {
    match pose {
        Pose::Frontal => "facing the camera",
        Pose::Left => "turned to your left",
        Pose::Right => "turned to your right",
    }
}
