//! Limits on refused face attempts, per employee and per sending device, kept in the store
//! so they hold across processes and cold starts.
//!
//! Two counters per scope, both in the store's expiring counters: the attempts admitted in
//! the window (counted before the face is looked at, atomically, so a burst sent at once sees
//! its own counts, and taken back unless the face checks refused the attempt), and the
//! refused attempts. An attempt past the first limit is refused at once (429 until the
//! window ends); when the refused attempts reach the limit the employee or device is locked
//! out for the lockout period. So a burst of N attempts looks at no more than the limit, and
//! only refusals, never a burst of good punches, lock anyone out.

use chrono::{DateTime, Utc};

use super::auth::chrono_duration;
use super::{App, AppError};
use crate::domain::Id;

/// The codes of refusals that count as failed face attempts (and are kept for review).
pub(super) const COUNTED_REFUSALS: [&str; 9] = [
    "no_match",
    "ambiguous_match",
    "face_mismatch",
    "presentation_attack_suspected",
    "liveness_unverifiable",
    "replayed_photo",
    "challenge_pose_mismatch",
    "challenge_frames_repeated",
    "challenge_face_changed",
];

/// What one face attempt is counted against.
#[derive(Clone, Debug)]
pub(super) struct AttemptScope {
    key: String,
    limit: u32,
}

impl AttemptScope {
    /// The attempts of one employee, wherever they come from.
    pub(super) fn employee(app: &App, employee: &Id) -> Self {
        Self {
            key: format!("face:employee:{employee}"),
            limit: app.config.faces.max_employee_failures,
        }
    }

    /// The attempts sent by one account from one device.
    pub(super) fn device(app: &App, sender: &Id, device: Option<&str>) -> Self {
        Self {
            key: format!("face:device:{sender}:{}", device.unwrap_or("-")),
            limit: app.config.faces.max_device_failures,
        }
    }

    fn refused_key(&self) -> String {
        format!("{}:refused", self.key)
    }

    fn lock_key(&self) -> String {
        format!("{}:locked", self.key)
    }
}

/// Attempts counted and not yet settled.
#[must_use = "settle the attempt with App::settle_attempt"]
pub(super) struct ReservedAttempt {
    scopes: Vec<AttemptScope>,
}

impl App {
    /// Admits one face attempt against `scopes`; `Throttled` (with the time left) when one
    /// of them is locked out, or has admitted as many attempts as its limit in this window.
    pub(super) async fn reserve_attempt(
        &self,
        scopes: Vec<AttemptScope>,
    ) -> Result<ReservedAttempt, AppError> {
        let now = self.clock.now();
        self.refuse_if_locked(&scopes, now).await?;
        let window_end = now + chrono_duration(self.config.faces.failure_window);
        let mut wait = None;
        for scope in &scopes {
            let counter = self
                .store
                .record_login_failure(&scope.key, now, window_end)
                .await?;
            if counter.count > scope.limit {
                let left = (counter.expires_at - now).to_std().unwrap_or_default();
                wait = Some(left.max(std::time::Duration::from_secs(1)));
            }
        }
        let reserved = ReservedAttempt { scopes };
        if let Some(retry_after) = wait {
            self.release(&reserved).await?;
            return Err(AppError::Throttled { retry_after });
        }
        Ok(reserved)
    }

    /// Counts a refused attempt on an employee found only after the face was looked at (a
    /// kiosk's candidate): a face refused for them counts towards their lockout.
    pub(super) async fn count_refusal_for(&self, employee: &Id) -> Result<(), AppError> {
        let scope = AttemptScope::employee(self, employee);
        self.count_refusal(&scope, self.clock.now()).await
    }

    /// Forgets the attempt counters of an erased employee (they would expire anyway).
    pub(super) async fn forget_attempts_of(&self, employee: &Id) -> Result<(), AppError> {
        let scope = AttemptScope::employee(self, employee);
        for key in [scope.key.clone(), scope.refused_key(), scope.lock_key()] {
            self.store.clear_login_failures(&key).await?;
        }
        Ok(())
    }

    /// `Throttled` when `employee` is locked out (checked before a kiosk records their punch).
    pub(super) async fn refuse_if_employee_locked(&self, employee: &Id) -> Result<(), AppError> {
        let scopes = [AttemptScope::employee(self, employee)];
        self.refuse_if_locked(&scopes, self.clock.now()).await
    }

    /// Settles an attempt by its result: a refusal the face checks made stays admitted and
    /// counts towards the lockout; anything else is taken back.
    pub(super) async fn settle_attempt<T>(
        &self,
        attempt: ReservedAttempt,
        result: &Result<T, AppError>,
    ) -> Result<(), AppError> {
        let counted = matches!(result, Err(error) if COUNTED_REFUSALS.contains(&error.code()));
        if counted {
            let now = self.clock.now();
            for scope in &attempt.scopes {
                self.count_refusal(scope, now).await?;
            }
            Ok(())
        } else {
            self.release(&attempt).await
        }
    }

    async fn release(&self, attempt: &ReservedAttempt) -> Result<(), AppError> {
        for scope in &attempt.scopes {
            self.store.release_login_attempt(&scope.key).await?;
        }
        Ok(())
    }

    async fn refuse_if_locked(
        &self,
        scopes: &[AttemptScope],
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        for scope in scopes {
            if let Some(lock) = self.store.login_failures(&scope.lock_key(), now).await? {
                let wait = (lock.expires_at - now).to_std().unwrap_or_default();
                return Err(AppError::Throttled {
                    retry_after: wait.max(std::time::Duration::from_secs(1)),
                });
            }
        }
        Ok(())
    }

    /// Counts one refused attempt of `scope`, and starts its lockout when the refusals of
    /// the window reached the limit.
    async fn count_refusal(
        &self,
        scope: &AttemptScope,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let window_end = now + chrono_duration(self.config.faces.failure_window);
        let refused = self
            .store
            .record_login_failure(&scope.refused_key(), now, window_end)
            .await?;
        if refused.count >= scope.limit
            && self
                .store
                .login_failures(&scope.lock_key(), now)
                .await?
                .is_none()
        {
            let until = now + chrono_duration(self.config.faces.lockout);
            self.store
                .record_login_failure(&scope.lock_key(), now, until)
                .await?;
        }
        Ok(())
    }
}
