//! Password hashing with bcrypt (run off the async workers) and the password rules.

use std::sync::OnceLock;

use super::AppError;

/// Shortest password accepted.
pub(super) const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (bcrypt reads at most 72 bytes; longer input is refused
/// rather than silently truncated).
pub(super) const MAX_PASSWORD_BYTES: usize = 72;

/// Hashes and checks passwords at a fixed bcrypt cost.
pub struct Passwords {
    cost: u32,
    dummy_hash: OnceLock<String>,
}

impl Passwords {
    /// Hashing at `cost` (4 to 31).
    pub fn new(cost: u32) -> Self {
        Self {
            cost,
            dummy_hash: OnceLock::new(),
        }
    }

    /// Checks the password rules: 10 to 72 bytes, at least 4 different characters, and not
    /// containing the account's own id.
    pub fn check_rules(password: &str, account_id: &str) -> Result<(), AppError> {
        let weak = |message: String| AppError::invalid("weak_password", message);
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(weak(format!(
                "the password must have at least {MIN_PASSWORD_CHARS} characters"
            )));
        }
        if password.len() > MAX_PASSWORD_BYTES {
            return Err(weak(format!(
                "the password must be at most {MAX_PASSWORD_BYTES} bytes"
            )));
        }
        let mut distinct: Vec<char> = password.chars().collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 4 {
            return Err(weak("the password repeats too few characters".into()));
        }
        if password.to_lowercase().contains(&account_id.to_lowercase()) {
            return Err(weak("the password must not contain the account id".into()));
        }
        Ok(())
    }

    /// The bcrypt hash of `password`.
    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let (password, cost) = (password.to_owned(), self.cost);
        blocking(move || bcrypt::hash(password, cost)).await
    }

    /// True when `password` matches `hash`. With no hash (unknown account) a fixed hash is
    /// checked instead, so both cases take the same time.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, AppError> {
        let known = hash.is_some();
        let hash = match hash {
            Some(hash) => hash.to_owned(),
            None => self.dummy_hash().await?,
        };
        let password = password.to_owned();
        let matches = blocking(move || bcrypt::verify(password, &hash)).await?;
        Ok(known && matches)
    }

    async fn dummy_hash(&self) -> Result<String, AppError> {
        if let Some(hash) = self.dummy_hash.get() {
            return Ok(hash.clone());
        }
        let hash = self.hash("a password no account has").await?;
        Ok(self.dummy_hash.get_or_init(|| hash).clone())
    }
}

/// Runs a bcrypt call on the blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, bcrypt::BcryptError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(format!("password task: {e}")))?
        .map_err(|e| AppError::Internal(format!("bcrypt: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_unknown_accounts_never_do() {
        let passwords = Passwords::new(4);
        let hash = passwords.hash("correct horse battery").await.unwrap();
        assert!(hash.starts_with("$2"));
        assert!(
            passwords
                .verify("correct horse battery", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !passwords
                .verify("wrong horse battery", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !passwords
                .verify("a password no account has", None)
                .await
                .unwrap()
        );
        assert!(
            !passwords
                .verify("anything", Some("not a hash"))
                .await
                .is_ok_and(|ok| ok)
        );
    }

    #[test]
    fn weak_passwords_are_refused() {
        for weak in [
            "short",
            "aaaaaaaaaaaaaaa",
            "my-alice-password",
            &"x1".repeat(40),
        ] {
            assert_eq!(
                Passwords::check_rules(weak, "alice").unwrap_err().code(),
                "weak_password",
                "{weak}"
            );
        }
        assert!(Passwords::check_rules("tiga kata acak", "alice").is_ok());
    }
}
