//! Password hashing with bcrypt (run off the async workers, a bounded number at a time) and
//! the password rules.

use std::sync::Arc;

use tokio::sync::{OnceCell, Semaphore};

use super::AppError;

/// Shortest password accepted.
pub(super) const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (bcrypt reads at most 72 bytes; longer input is refused
/// rather than silently truncated).
pub(super) const MAX_PASSWORD_BYTES: usize = 72;

/// Common passwords of at least [`MIN_PASSWORD_CHARS`] characters that the length and
/// variety rules let through, lower case: the first guesses of any attacker.
const COMMON_PASSWORDS: &[&str] = &[
    "password12",
    "password123",
    "password1234",
    "passw0rd12",
    "p@ssw0rd12",
    "p@ssword123",
    "qwertyuiop",
    "qwerty1234",
    "qwerty12345",
    "qwerty123456",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "q1w2e3r4t5",
    "1qaz2wsx3edc",
    "zaq12wsxcde",
    "qazwsxedcrfv",
    "asdfghjkl1",
    "asdfghjkl;",
    "zxcvbnm123",
    "1234567890",
    "0987654321",
    "123456789a",
    "a123456789",
    "abc1234567",
    "abcdefghij",
    "abcd123456",
    "iloveyou12",
    "iloveyou123",
    "letmein123",
    "welcome123",
    "welcome1234",
    "admin12345",
    "admin123456",
    "administrator",
    "administrator1",
    "superadmin1",
    "changeme123",
    "default123",
    "football123",
    "baseball123",
    "princess123",
    "sunshine123",
    "dragon1234",
    "monkey1234",
    "master1234",
    "trustno1234",
    "indonesia1",
    "indonesia123",
    "indonesia45",
    "merdeka1945",
    "garuda1234",
    "pancasila1",
    "pancasila45",
    "bismillah1",
    "bismillah123",
    "alhamdulillah",
    "assalamualaikum",
    "jakarta123",
    "surabaya123",
    "bandung123",
    "sayang1234",
    "sayangku123",
    "cintaku123",
    "katasandi1",
    "katasandi123",
    "rahasia123",
    "rahasiaku1",
    "kantor1234",
    "pegawai123",
    "absensi123",
    "lintas12345",
];

/// Hashes and checks passwords at a fixed bcrypt cost.
pub struct Passwords {
    cost: u32,
    /// Computed once, by the first unknown-account login; concurrent ones wait for it.
    dummy_hash: OnceCell<String>,
    /// bcrypt runs at most this many at a time (half the cores, at least one), so a flood
    /// of logins queues instead of taking every core from the punches.
    hashing: Arc<Semaphore>,
}

impl Passwords {
    /// Hashing at `cost` (4 to 31), on at most half the cores at a time.
    pub fn new(cost: u32) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self {
            cost,
            dummy_hash: OnceCell::new(),
            hashing: Arc::new(Semaphore::new((cores / 2).max(1))),
        }
    }

    /// True when bcrypt would check only a prefix of `password` (it reads 72 bytes), so
    /// such a password is never accepted at login.
    pub fn is_too_long(password: &str) -> bool {
        password.len() > MAX_PASSWORD_BYTES
    }

    /// Checks the password rules: 10 to 72 bytes, at least 4 different characters, not a
    /// common password, not only digits, and not containing the account's own id.
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
        let lower = password.to_lowercase();
        if lower.contains(&account_id.to_lowercase()) {
            return Err(weak("the password must not contain the account id".into()));
        }
        if COMMON_PASSWORDS.contains(&lower.as_str())
            || password.chars().all(|c| c.is_ascii_digit())
        {
            return Err(weak(
                "the password is one of the first an attacker tries; choose another".into(),
            ));
        }
        Ok(())
    }

    /// The bcrypt hash of `password`.
    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let (password, cost) = (password.to_owned(), self.cost);
        self.blocking(move || bcrypt::hash(password, cost)).await
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
        let matches = self
            .blocking(move || bcrypt::verify(password, &hash))
            .await?;
        Ok(known && matches)
    }

    async fn dummy_hash(&self) -> Result<String, AppError> {
        self.dummy_hash
            .get_or_try_init(|| self.hash("a password no account has"))
            .await
            .cloned()
    }

    /// Runs a bcrypt call on the blocking pool once a hashing permit is free; the permit
    /// is held by the blocking task itself, so a cancelled request cannot free it early.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, bcrypt::BcryptError> + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = Arc::clone(&self.hashing)
            .acquire_owned()
            .await
            .map_err(|e| AppError::Internal(format!("password permits: {e}")))?;
        tokio::task::spawn_blocking(move || {
            let result = work();
            drop(permit);
            result
        })
        .await
        .map_err(|e| AppError::Internal(format!("password task: {e}")))?
        .map_err(|e| AppError::Internal(format!("bcrypt: {e}")))
    }
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
            "password12",
            "QwertyUiop",
            "12345678901",
            "Bismillah123",
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
