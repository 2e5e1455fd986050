//! Login, refresh-token rotation and logout, with failed-login throttling kept in the store.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::tokens::{Principal, new_refresh_secret, refresh_token_id};
use super::{App, AppError};
use crate::domain::{Employee, EmployeeStatus, Id, RefreshToken, Role, new_id};

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
    /// Checks `login` (an id or an e-mail) and `password`. After too many failures for the
    /// account or for `source` within the window, answers `Throttled` without checking, the
    /// same way for accounts that exist and accounts that do not.
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        source: Option<&str>,
    ) -> Result<TokenPair, AppError> {
        let now = self.clock.now();
        let keys = throttle_keys(login, source);
        self.refuse_if_throttled(&keys, now).await?;
        let employee = self.find_login(login).await?;
        let verified = self
            .passwords
            .verify(
                password,
                employee.as_ref().and_then(|e| e.password_hash.as_deref()),
            )
            .await?;
        let employee = match employee {
            Some(employee) if verified => employee,
            _ => {
                let window_end = now + chrono_duration(self.config.login.failure_window);
                for key in &keys {
                    self.store
                        .record_login_failure(key, now, window_end)
                        .await?;
                }
                return Err(AppError::invalid_credentials());
            }
        };
        if employee.status != EmployeeStatus::Active {
            return Err(AppError::forbidden(
                "account_suspended",
                "this account is suspended",
            ));
        }
        self.store.clear_login_failures(&keys[0]).await?;
        let pair = self.issue_pair(&employee, new_id(), now).await?;
        self.audit(&employee.id, "auth.login", employee.id.as_str(), None)
            .await;
        Ok(pair)
    }

    /// Exchanges a refresh token for a new pair. The old token is revoked; presenting a
    /// revoked token again (a stolen, rotated token) revokes its whole family.
    pub async fn refresh(&self, secret: &str) -> Result<TokenPair, AppError> {
        let now = self.clock.now();
        let token = self.live_refresh_token(secret, now).await?;
        if token.revoked || !self.store.revoke_refresh_token(&token.id).await? {
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
        self.issue_pair(&employee, token.family, now).await
    }

    /// Revokes the refresh token's whole family (this device's session).
    pub async fn logout(&self, secret: &str) -> Result<(), AppError> {
        let token = self.live_refresh_token(secret, self.clock.now()).await?;
        self.store.revoke_token_family(&token.family).await?;
        Ok(())
    }

    /// The caller named by a bearer token.
    pub fn authenticate(&self, bearer: &str) -> Result<Principal, AppError> {
        self.keys.verify(bearer)
    }

    async fn refuse_if_throttled(
        &self,
        keys: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let login = &self.config.login;
        for (key, limit) in keys
            .iter()
            .zip([login.max_failures, login.max_source_failures])
        {
            if let Some(failures) = self.store.login_failures(key, now).await?
                && failures.count >= limit
            {
                let wait = (failures.expires_at - now).to_std().unwrap_or_default();
                return Err(AppError::Throttled {
                    retry_after: wait.max(std::time::Duration::from_secs(1)),
                });
            }
        }
        Ok(())
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

    async fn issue_pair(
        &self,
        employee: &Employee,
        family: Id,
        now: DateTime<Utc>,
    ) -> Result<TokenPair, AppError> {
        let principal = Principal {
            id: employee.id.clone(),
            role: employee.role,
        };
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

/// The failure counters a login attempt counts against: the account, then the source.
fn throttle_keys(login: &str, source: Option<&str>) -> Vec<String> {
    let account: String = login.to_lowercase().chars().take(128).collect();
    let mut keys = vec![format!("account:{account}")];
    if let Some(source) = source {
        keys.push(format!("source:{source}"));
    }
    keys
}

/// A std duration as a chrono one (saturating).
pub(super) fn chrono_duration(duration: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}
