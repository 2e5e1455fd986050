//! Login, refresh-token rotation and logout, with failed-login throttling kept in the store.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::tokens::{Principal, new_refresh_secret, refresh_token_id};
use super::{App, AppError, Passwords};
use crate::domain::{Employee, EmployeeStatus, Id, RefreshToken, Role, new_id};
use crate::ports::StoreError;

/// What a successful login or refresh returns.
#[derive(Clone, Debug, Serialize)]
pub struct TokenPair {
    /// Bearer token for API calls.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds the access token lives.
    pub expires_in: u64,
    /// Secret to get the next pair; single use.
    pub refresh_token: String,
    /// Seconds the refresh token lives.
    pub refresh_expires_in: u64,
    /// Who logged in.
    pub employee_id: Id,
    /// Their role.
    pub role: Role,
}

impl App {
    /// Checks `login` (an id or an e-mail) and `password`. Every attempt is counted before
    /// the password is checked, atomically in the store, against three limits: the account
    /// from this source address, the account from anywhere (higher, so nobody can lock a
    /// colleague out from one address), and this source address over all accounts. Over any
    /// limit the answer is `Throttled` without checking the password. The answers are the
    /// same whether or not the account exists, and whether or not it is suspended.
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        source: Option<&str>,
    ) -> Result<TokenPair, AppError> {
        let now = self.clock.now();
        let employee = self.find_login(login).await?;
        let account = match &employee {
            Some(employee) => employee.id.to_string(),
            None => login.to_lowercase().chars().take(128).collect(),
        };
        let attempts = self.login_attempts(&account, source);
        if let Err(throttled) = self.reserve_attempts(&attempts, now).await? {
            self.audit_login(employee.as_ref(), "auth.login_throttled", &account, source)
                .await;
            return Err(throttled);
        }
        let hash = employee.as_ref().and_then(|e| e.password_hash.as_deref());
        let verified =
            !Passwords::is_too_long(password) && self.passwords.verify(password, hash).await?;
        let employee = match employee {
            Some(employee) if verified && employee.status == EmployeeStatus::Active => employee,
            other => {
                self.audit_login(other.as_ref(), "auth.login_failed", &account, source)
                    .await;
                return Err(AppError::invalid_credentials());
            }
        };
        // A success forgets the account's failures, and takes back this attempt from the
        // address's count (an office behind one address is not throttled by its own logins).
        for attempt in &attempts {
            match attempt.scope {
                AttemptScope::Source => self.store.release_login_attempt(&attempt.key).await?,
                _ => self.store.clear_login_failures(&attempt.key).await?,
            }
        }
        let pair = self.open_session(&employee, now).await?;
        self.audit(&employee.id, "auth.login", employee.id.as_str(), None)
            .await;
        Ok(pair)
    }

    /// Exchanges a refresh token for a new pair. The old token is revoked; presenting a
    /// revoked token again (a stolen, rotated token) revokes its whole family.
    pub async fn refresh(&self, secret: &str) -> Result<TokenPair, AppError> {
        let now = self.clock.now();
        let token = self.live_refresh_token(secret, now).await?;
        let reused = token.revoked
            || self.store.family_revoked(&token.family).await?
            || !self.store.revoke_refresh_token(&token.id).await?;
        if reused {
            self.store.revoke_token_family(&token.family).await?;
            self.audit(
                &token.employee_id,
                "auth.refresh_reuse",
                token.employee_id.as_str(),
                Some(format!("family {} revoked", token.family)),
            )
            .await;
            return Err(AppError::unauthenticated(
                "refresh_token_reused",
                "this refresh token was already used; sign in again",
            ));
        }
        let employee = self
            .store
            .employee(&token.employee_id)
            .await?
            .filter(|e| e.status == EmployeeStatus::Active)
            .ok_or_else(|| {
                AppError::unauthenticated("invalid_refresh_token", "the account is not active")
            })?;
        // The successor is stored only while the family is live, in one atomic step: when a
        // concurrent refresh of the same token, a logout or the end of every session of the
        // account revoked the family meanwhile, it is refused.
        self.issue_pair(&employee, token.family, now)
            .await
            .map_err(|error| match error {
                AppError::Conflict { .. } => AppError::unauthenticated(
                    "refresh_token_reused",
                    "this refresh token was already used; sign in again",
                ),
                other => other,
            })
    }

    /// Ends every session of the account `id` in the caller's reach: its access tokens die
    /// at once and its refresh tokens are deleted (a kiosk tablet is unpaired, a lost phone
    /// signed out).
    pub async fn end_every_session(&self, caller: &Principal, id: &str) -> Result<(), AppError> {
        let employee = self.employee_in_reach(caller, id).await?;
        self.end_sessions_for_good(&employee.id).await?;
        self.audit(
            &caller.id,
            "auth.sessions_ended",
            employee.id.as_str(),
            None,
        )
        .await;
        Ok(())
    }

    /// A session for the kiosk account `kiosk`, issued by an admin who manages it, e.g. on
    /// the tablet itself: the kiosk needs no password, and
    /// [`App::end_every_session`] revokes it.
    pub async fn kiosk_session(
        &self,
        caller: &Principal,
        kiosk: &str,
    ) -> Result<TokenPair, AppError> {
        let employee = self.employee_in_reach(caller, kiosk).await?;
        if employee.role != Role::Kiosk {
            return Err(AppError::invalid(
                "not_a_kiosk",
                "sessions are issued this way to kiosk accounts only",
            ));
        }
        if employee.status != EmployeeStatus::Active {
            return Err(AppError::forbidden(
                "account_suspended",
                "this kiosk account is suspended; reactivate it first",
            ));
        }
        let pair = self.open_session(&employee, self.clock.now()).await?;
        self.audit(&caller.id, "auth.kiosk_session", employee.id.as_str(), None)
            .await;
        Ok(pair)
    }

    /// Revokes the refresh token's whole family and ends every access token of the
    /// account at once (their generation moves).
    pub async fn logout(&self, secret: &str) -> Result<(), AppError> {
        let token = self.live_refresh_token(secret, self.clock.now()).await?;
        self.store.revoke_token_family(&token.family).await?;
        self.end_sessions(&token.employee_id).await
    }

    /// The caller named by a bearer token, checked against the account as it is now: the
    /// token must be of this account instance (not an erased one with the same id), of its
    /// current token generation and role, and the account active. So suspension, a role or
    /// password change, logout and erasure take effect on the next request.
    pub async fn authenticate(&self, bearer: &str) -> Result<Principal, AppError> {
        let principal = self.keys.verify(bearer, self.clock.now())?;
        let revoked =
            || AppError::unauthenticated("token_revoked", "this token was revoked; sign in again");
        let employee = self
            .store
            .employee(&principal.id)
            .await?
            .ok_or_else(revoked)?;
        let current = employee.account_key == principal.account
            && employee.token_generation == principal.generation
            && employee.role == principal.role
            && employee.status == EmployeeStatus::Active;
        if current {
            Ok(Principal {
                offices: employee.admin_offices,
                ..principal
            })
        } else {
            Err(revoked())
        }
    }

    /// Ends every session of the account `id`, also those refreshing at this moment: every
    /// family of its refresh tokens is revoked first (a successor put after that is refused,
    /// one put before is revoked with its family), then the token generation moves (an access
    /// token issued by a refresh that read the account before is dead), then the tokens are
    /// deleted.
    pub(super) async fn end_sessions_for_good(&self, id: &Id) -> Result<(), AppError> {
        self.store.revoke_token_families_of(id).await?;
        self.end_sessions(id).await?;
        Ok(self.store.delete_tokens_of(id).await?)
    }

    /// Moves the account's token generation, so every access token issued so far dies.
    pub(super) async fn end_sessions(&self, id: &Id) -> Result<(), AppError> {
        for _ in 0..3 {
            let Some(mut employee) = self.store.employee(id).await? else {
                return Ok(());
            };
            employee.token_generation += 1;
            employee.version += 1;
            employee.updated_at = self.clock.now();
            match self.store.update_employee(&employee).await {
                Err(StoreError::Conflict(_)) => continue,
                done => return Ok(done?),
            }
        }
        Err(AppError::conflict(
            "edit_conflict",
            "the account kept changing while its sessions were ended; retry",
        ))
    }

    /// The counters one login attempt counts against, with their limits.
    fn login_attempts(&self, account: &str, source: Option<&str>) -> Vec<LoginAttempt> {
        let limits = &self.config.login;
        let mut attempts = vec![LoginAttempt {
            key: format!("account:{account}"),
            limit: limits.max_account_failures,
            scope: AttemptScope::Account,
        }];
        if let Some(source) = source {
            attempts.push(LoginAttempt {
                key: format!("account:{account}@{source}"),
                limit: limits.max_failures,
                scope: AttemptScope::AccountFromSource,
            });
            attempts.push(LoginAttempt {
                key: format!("source:{source}"),
                limit: limits.max_source_failures,
                scope: AttemptScope::Source,
            });
        }
        attempts
    }

    /// Counts the attempt on every counter first (atomically, so concurrent attempts each
    /// see their own count); `Err(Throttled)` when any counter is past its limit, and then
    /// the attempt is taken back from every counter: a refused attempt checks nothing, so it
    /// does not use up the budget of the account or the address.
    async fn reserve_attempts(
        &self,
        attempts: &[LoginAttempt],
        now: DateTime<Utc>,
    ) -> Result<Result<(), AppError>, AppError> {
        let window_end = now + chrono_duration(self.config.login.failure_window);
        let mut refused = None;
        for attempt in attempts {
            let counter = self
                .store
                .record_login_failure(&attempt.key, now, window_end)
                .await?;
            if counter.count > attempt.limit && refused.is_none() {
                let wait = (counter.expires_at - now).to_std().unwrap_or_default();
                refused = Some(AppError::Throttled {
                    retry_after: wait.max(std::time::Duration::from_secs(1)),
                });
            }
        }
        if let Some(refused) = refused {
            for attempt in attempts {
                self.store.release_login_attempt(&attempt.key).await?;
            }
            return Ok(Err(refused));
        }
        Ok(Ok(()))
    }

    /// Audits a refused login under the account it named (`anonymous` when unknown).
    async fn audit_login(
        &self,
        employee: Option<&Employee>,
        action: &str,
        account: &str,
        source: Option<&str>,
    ) {
        let actor = employee.map_or_else(anonymous, |e| e.id.clone());
        let detail = source.map(|source| format!("from {source}"));
        self.audit(&actor, action, account, detail).await;
    }

    async fn find_login(&self, login: &str) -> Result<Option<Employee>, AppError> {
        if login.contains('@') {
            return Ok(self.store.employee_by_email(&login.to_lowercase()).await?);
        }
        match Id::parse(login) {
            Ok(id) => Ok(self.store.employee(&id).await?),
            Err(_) => Ok(None),
        }
    }

    async fn live_refresh_token(
        &self,
        secret: &str,
        now: DateTime<Utc>,
    ) -> Result<RefreshToken, AppError> {
        let invalid =
            || AppError::unauthenticated("invalid_refresh_token", "the refresh token is not valid");
        if secret.len() > 128 {
            return Err(invalid());
        }
        self.store
            .refresh_token(&refresh_token_id(secret), now)
            .await?
            .ok_or_else(invalid)
    }

    /// A pair in a new family for `employee` as read before. When the account's sessions
    /// were ended meanwhile (the password checked was just changed, the kiosk just unpaired),
    /// the new family is revoked and the session refused: ending the sessions revokes the
    /// families it finds, then moves the token generation, so a family stored too late to be
    /// found is caught by this re-read.
    async fn open_session(
        &self,
        employee: &Employee,
        now: DateTime<Utc>,
    ) -> Result<TokenPair, AppError> {
        let family = new_id();
        let pair = self.issue_pair(employee, family.clone(), now).await?;
        let unchanged = self.store.employee(&employee.id).await?.is_some_and(|now| {
            now.token_generation == employee.token_generation
                && now.account_key == employee.account_key
                && now.status == EmployeeStatus::Active
        });
        if unchanged {
            return Ok(pair);
        }
        self.store.revoke_token_family(&family).await?;
        Err(AppError::unauthenticated(
            "token_revoked",
            "the sessions of this account were ended meanwhile; sign in again",
        ))
    }

    async fn issue_pair(
        &self,
        employee: &Employee,
        family: Id,
        now: DateTime<Utc>,
    ) -> Result<TokenPair, AppError> {
        let principal = Principal::from(employee);
        let access_token = self.keys.issue(&principal, now)?;
        let secret = new_refresh_secret()?;
        let refresh_ttl = self.config.tokens.refresh_ttl;
        self.store
            .put_refresh_token(&RefreshToken {
                id: refresh_token_id(&secret),
                family,
                employee_id: employee.id.clone(),
                expires_at: now + chrono_duration(refresh_ttl),
                revoked: false,
            })
            .await?;
        Ok(TokenPair {
            access_token,
            token_type: "Bearer",
            expires_in: self.config.tokens.access_ttl.as_secs(),
            refresh_token: secret,
            refresh_expires_in: refresh_ttl.as_secs(),
            employee_id: employee.id.clone(),
            role: employee.role,
        })
    }
}

/// What a login failure counter counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AttemptScope {
    /// One account, from anywhere.
    Account,
    /// One account from one source address.
    AccountFromSource,
    /// One source address, over all accounts.
    Source,
}

/// One counter a login attempt counts against.
#[derive(Clone, Debug)]
struct LoginAttempt {
    key: String,
    limit: u32,
    scope: AttemptScope,
}

/// The actor of audit events about an account that does not exist.
fn anonymous() -> Id {
    Id::parse("anonymous").unwrap_or_else(|_| unreachable!("a valid id"))
}

/// A std duration as a chrono one (saturating).
pub(super) fn chrono_duration(duration: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}
