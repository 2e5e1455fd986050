//! Service settings read from the environment, with safe defaults and hard limits.

use std::time::Duration;

use chrono_tz::Tz;

/// A setting that is missing or unusable; the service refuses to start with it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A required variable is not set.
    #[error("{0} is not set")]
    Missing(&'static str),
    /// A variable is set to something unusable.
    #[error("{name}: {reason}")]
    Invalid {
        /// The variable.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

/// Least length of the token signing secret, in bytes (256 bits for HS256).
pub const MIN_SECRET_BYTES: usize = 32;

/// How tokens are signed and how long they live.
#[derive(Clone)]
pub struct TokenConfig {
    /// HMAC secret for access tokens.
    pub secret: Vec<u8>,
    /// `iss` claim issued and required.
    pub issuer: String,
    /// `aud` claim issued and required.
    pub audience: String,
    /// Lifetime of access tokens.
    pub access_ttl: Duration,
    /// Lifetime of refresh tokens.
    pub refresh_ttl: Duration,
}

impl std::fmt::Debug for TokenConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenConfig")
            .field("secret", &"<redacted>")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("access_ttl", &self.access_ttl)
            .field("refresh_ttl", &self.refresh_ttl)
            .finish()
    }
}

/// Login rules.
#[derive(Clone, Debug)]
pub struct LoginConfig {
    /// bcrypt cost of new password hashes.
    pub bcrypt_cost: u32,
    /// Failed logins per account from one source address before that address may not try
    /// the account again within the window.
    pub max_failures: u32,
    /// Failed logins per account from all addresses together before the account's logins
    /// are refused (high, so one attacker cannot lock a colleague out).
    pub max_account_failures: u32,
    /// Failed logins per source address (higher: a whole office may share one address).
    pub max_source_failures: u32,
    /// How long failures are remembered (and logins refused once over the limit).
    pub failure_window: Duration,
}

/// Attendance rules.
#[derive(Clone, Debug)]
pub struct AttendanceConfig {
    /// A punch this soon after the previous one returns that one instead of a new record.
    pub repeat_window: Duration,
    /// Time zone of offices created by default.
    pub default_time_zone: Tz,
    /// Most days one leave request may cover.
    pub max_request_days: u32,
}

/// How a kiosk decides whose face it sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KioskMode {
    /// A punch in one shot when the match is safe at the gallery's size; otherwise the
    /// kiosk shows the best candidate and the person confirms.
    Auto,
    /// One shot only, when safe at the gallery's size; nothing else is recorded.
    Plain,
    /// The person always confirms the candidate the kiosk shows.
    Confirm,
    /// The person always claims an identity (badge or id) and the face is verified 1:1.
    Claimed,
}

impl KioskMode {
    fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "auto" => Some(Self::Auto),
            "plain" => Some(Self::Plain),
            "confirm" => Some(Self::Confirm),
            "claimed" => Some(Self::Claimed),
            _ => None,
        }
    }

    /// The setting's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Plain => "plain",
            Self::Confirm => "confirm",
            Self::Claimed => "claimed",
        }
    }
}

/// Face checks of punches: kiosk mode, liveness, attempt limits and the review of refusals.
#[derive(Clone, Debug)]
pub struct FaceCheckConfig {
    /// How kiosks identify.
    pub kiosk_mode: KioskMode,
    /// Passive liveness on every punch and enrollment photo, and challenges where offices
    /// ask for them; off only for trusted setups.
    pub liveness: bool,
    /// Refused face attempts per employee within the window before they are locked out.
    pub max_employee_failures: u32,
    /// Refused face attempts per sending device within the window (a kiosk sees many
    /// people) before it is locked out.
    pub max_device_failures: u32,
    /// Window in which refused attempts are counted.
    pub failure_window: Duration,
    /// How long a locked-out employee or device waits.
    pub lockout: Duration,
    /// How long a challenge may be answered.
    pub challenge_ttl: Duration,
    /// How long a kiosk's confirmation stays valid.
    pub confirmation_ttl: Duration,
    /// How far back a selfie is compared with the employee's earlier punches (replay).
    pub replay_window: Duration,
    /// How long refused attempts and their photos are kept for review.
    pub refusal_review: Duration,
}

/// Limits on uploaded photos.
#[derive(Clone, Debug)]
pub struct UploadConfig {
    /// Largest photo accepted, in bytes.
    pub max_photo_bytes: usize,
    /// Lifetime of pre-signed upload and download URLs.
    pub presign_ttl: Duration,
}

/// Everything the application services need besides their ports.
#[derive(Clone, Debug)]
pub struct AppConfig {
    /// Tokens.
    pub tokens: TokenConfig,
    /// Logins.
    pub login: LoginConfig,
    /// Attendance.
    pub attendance: AttendanceConfig,
    /// Uploads.
    pub uploads: UploadConfig,
    /// Face checks of punches.
    pub faces: FaceCheckConfig,
    /// Web origins allowed to call the API from a browser (none: no cross-origin access).
    pub cors_origins: Vec<String>,
}

impl AppConfig {
    /// Defaults for everything but the secret, which must be given.
    pub fn with_secret(secret: Vec<u8>) -> Result<Self, ConfigError> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(ConfigError::Invalid {
                name: "LINTAS_JWT_SECRET",
                reason: format!("must be at least {MIN_SECRET_BYTES} bytes"),
            });
        }
        Ok(Self {
            tokens: TokenConfig {
                secret,
                issuer: "lintas".into(),
                audience: "lintas-api".into(),
                access_ttl: Duration::from_secs(15 * 60),
                refresh_ttl: Duration::from_secs(30 * 24 * 3600),
            },
            login: LoginConfig {
                bcrypt_cost: 12,
                max_failures: 5,
                max_account_failures: 100,
                max_source_failures: 50,
                failure_window: Duration::from_secs(15 * 60),
            },
            attendance: AttendanceConfig {
                repeat_window: Duration::from_secs(5 * 60),
                default_time_zone: Tz::Asia__Jakarta,
                max_request_days: 92,
            },
            uploads: UploadConfig {
                max_photo_bytes: 4 * 1024 * 1024,
                presign_ttl: Duration::from_secs(5 * 60),
            },
            faces: FaceCheckConfig {
                kiosk_mode: KioskMode::Auto,
                liveness: true,
                max_employee_failures: 5,
                max_device_failures: 20,
                failure_window: Duration::from_secs(3 * 60),
                lockout: Duration::from_secs(15 * 60),
                challenge_ttl: Duration::from_secs(60),
                confirmation_ttl: Duration::from_secs(60),
                replay_window: Duration::from_secs(30 * 24 * 3600),
                refusal_review: Duration::from_secs(30 * 24 * 3600),
            },
            cors_origins: Vec::new(),
        })
    }

    /// Reads the settings through `var` (the environment in production):
    /// `LINTAS_JWT_SECRET` (required, at least 32 bytes), `LINTAS_JWT_ISSUER`,
    /// `LINTAS_JWT_AUDIENCE`, `LINTAS_ACCESS_TOKEN_MINUTES`, `LINTAS_REFRESH_TOKEN_DAYS`,
    /// `LINTAS_BCRYPT_COST`, `LINTAS_LOGIN_MAX_FAILURES`, `LINTAS_LOGIN_MAX_ACCOUNT_FAILURES`,
    /// `LINTAS_LOGIN_MAX_SOURCE_FAILURES`,
    /// `LINTAS_LOGIN_WINDOW_MINUTES`,
    /// `LINTAS_REPEAT_PUNCH_MINUTES`, `LINTAS_TIME_ZONE`, `LINTAS_REQUEST_MAX_DAYS`,
    /// `LINTAS_MAX_PHOTO_BYTES`,
    /// `LINTAS_CORS_ORIGINS`, `LINTAS_KIOSK_MODE`, `LINTAS_LIVENESS` (`on` or `off`),
    /// `LINTAS_FACE_MAX_FAILURES`, `LINTAS_FACE_DEVICE_MAX_FAILURES`,
    /// `LINTAS_FACE_WINDOW_MINUTES`, `LINTAS_FACE_LOCKOUT_MINUTES`,
    /// `LINTAS_CHALLENGE_SECONDS`, `LINTAS_REPLAY_DAYS`, `LINTAS_REFUSAL_REVIEW_DAYS`.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let secret = var("LINTAS_JWT_SECRET").ok_or(ConfigError::Missing("LINTAS_JWT_SECRET"))?;
        let mut config = Self::with_secret(secret.into_bytes())?;
        let minutes = |m: u64| Duration::from_secs(m * 60);
        if let Some(v) = var("LINTAS_JWT_ISSUER") {
            config.tokens.issuer = v;
        }
        if let Some(v) = var("LINTAS_JWT_AUDIENCE") {
            config.tokens.audience = v;
        }
        if let Some(v) = number(&var, "LINTAS_ACCESS_TOKEN_MINUTES", 1..=24 * 60)? {
            config.tokens.access_ttl = minutes(v);
        }
        if let Some(v) = number(&var, "LINTAS_REFRESH_TOKEN_DAYS", 1..=365)? {
            config.tokens.refresh_ttl = minutes(v * 24 * 60);
        }
        if let Some(v) = number(&var, "LINTAS_BCRYPT_COST", 4..=31)? {
            config.login.bcrypt_cost = v as u32;
        }
        if let Some(v) = number(&var, "LINTAS_LOGIN_MAX_FAILURES", 1..=1000)? {
            config.login.max_failures = v as u32;
        }
        if let Some(v) = number(&var, "LINTAS_LOGIN_MAX_ACCOUNT_FAILURES", 1..=100_000)? {
            config.login.max_account_failures = v as u32;
        }
        if let Some(v) = number(&var, "LINTAS_LOGIN_MAX_SOURCE_FAILURES", 1..=100_000)? {
            config.login.max_source_failures = v as u32;
        }
        if let Some(v) = number(&var, "LINTAS_LOGIN_WINDOW_MINUTES", 1..=24 * 60)? {
            config.login.failure_window = minutes(v);
        }
        if let Some(v) = number(&var, "LINTAS_REPEAT_PUNCH_MINUTES", 0..=24 * 60)? {
            config.attendance.repeat_window = minutes(v);
        }
        if let Some(v) = var("LINTAS_TIME_ZONE") {
            config.attendance.default_time_zone = v.parse().map_err(|_| ConfigError::Invalid {
                name: "LINTAS_TIME_ZONE",
                reason: format!("unknown time zone {v:?}"),
            })?;
        }
        if let Some(v) = number(&var, "LINTAS_REQUEST_MAX_DAYS", 1..=366)? {
            config.attendance.max_request_days = v as u32;
        }
        if let Some(v) = number(&var, "LINTAS_MAX_PHOTO_BYTES", 64 * 1024..=6 * 1024 * 1024)? {
            config.uploads.max_photo_bytes = v as usize;
        }
        if let Some(v) = var("LINTAS_CORS_ORIGINS") {
            config.cors_origins = cors_origins(&v)?;
        }
        read_face_checks(&var, &mut config.faces)?;
        Ok(config)
    }
}

/// Reads the face-check settings of [`AppConfig::from_vars`].
fn read_face_checks(
    var: &impl Fn(&str) -> Option<String>,
    faces: &mut FaceCheckConfig,
) -> Result<(), ConfigError> {
    let minutes = |m: u64| Duration::from_secs(m * 60);
    if let Some(v) = var("LINTAS_KIOSK_MODE") {
        faces.kiosk_mode = KioskMode::parse(&v).ok_or_else(|| ConfigError::Invalid {
            name: "LINTAS_KIOSK_MODE",
            reason: format!("{v:?} is not auto, plain, confirm or claimed"),
        })?;
    }
    if let Some(v) = var("LINTAS_LIVENESS") {
        faces.liveness = match v.trim() {
            "on" => true,
            "off" => false,
            _ => {
                return Err(ConfigError::Invalid {
                    name: "LINTAS_LIVENESS",
                    reason: format!("{v:?} is not on or off"),
                });
            }
        };
    }
    if let Some(v) = number(var, "LINTAS_FACE_MAX_FAILURES", 1..=1000)? {
        faces.max_employee_failures = v as u32;
    }
    if let Some(v) = number(var, "LINTAS_FACE_DEVICE_MAX_FAILURES", 1..=100_000)? {
        faces.max_device_failures = v as u32;
    }
    if let Some(v) = number(var, "LINTAS_FACE_WINDOW_MINUTES", 1..=24 * 60)? {
        faces.failure_window = minutes(v);
    }
    if let Some(v) = number(var, "LINTAS_FACE_LOCKOUT_MINUTES", 1..=24 * 60)? {
        faces.lockout = minutes(v);
    }
    if let Some(v) = number(var, "LINTAS_CHALLENGE_SECONDS", 10..=600)? {
        faces.challenge_ttl = Duration::from_secs(v);
    }
    if let Some(v) = number(var, "LINTAS_REPLAY_DAYS", 1..=400)? {
        faces.replay_window = minutes(v * 24 * 60);
    }
    if let Some(v) = number(var, "LINTAS_REFUSAL_REVIEW_DAYS", 1..=400)? {
        faces.refusal_review = minutes(v * 24 * 60);
    }
    Ok(())
}

/// A comma-separated list of `http://` or `https://` origins, without paths.
fn cors_origins(list: &str) -> Result<Vec<String>, ConfigError> {
    list.split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let rest = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            match rest {
                Some(host) if !host.is_empty() && !host.contains('/') && origin != "*" => {
                    Ok(origin.to_owned())
                }
                _ => Err(ConfigError::Invalid {
                    name: "LINTAS_CORS_ORIGINS",
                    reason: format!(
                        "{origin:?} is not an origin such as https://app.example.go.id"
                    ),
                }),
            }
        })
        .collect()
}

/// An optional whole-number setting `name` read through `var`, within `range`; shared by
/// every settings reader so all refuse a bad value the same way.
pub fn number(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    range: std::ops::RangeInclusive<u64>,
) -> Result<Option<u64>, ConfigError> {
    let Some(text) = var(name) else {
        return Ok(None);
    };
    match text.trim().parse::<u64>() {
        Ok(value) if range.contains(&value) => Ok(Some(value)),
        _ => Err(ConfigError::Invalid {
            name,
            reason: format!(
                "{text:?} is not a whole number from {} to {}",
                range.start(),
                range.end()
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn a_missing_or_short_secret_is_refused() {
        assert!(matches!(
            AppConfig::from_vars(vars(&[])),
            Err(ConfigError::Missing("LINTAS_JWT_SECRET"))
        ));
        assert!(matches!(
            AppConfig::from_vars(vars(&[("LINTAS_JWT_SECRET", "short")])),
            Err(ConfigError::Invalid { .. })
        ));
    }

    #[test]
    fn settings_are_read_and_checked() {
        let secret = "0123456789abcdef0123456789abcdef";
        let config = AppConfig::from_vars(vars(&[
            ("LINTAS_JWT_SECRET", secret),
            ("LINTAS_BCRYPT_COST", "4"),
            ("LINTAS_TIME_ZONE", "Asia/Makassar"),
        ]))
        .unwrap();
        assert_eq!(config.login.bcrypt_cost, 4);
        assert_eq!(config.faces.kiosk_mode, KioskMode::Auto);
        assert!(config.faces.liveness);
        assert_eq!(config.attendance.default_time_zone, Tz::Asia__Makassar);
        assert!(!format!("{:?}", config.tokens).contains(secret));
        assert!(config.cors_origins.is_empty());
        let with_origins = AppConfig::from_vars(vars(&[
            ("LINTAS_JWT_SECRET", secret),
            (
                "LINTAS_CORS_ORIGINS",
                "https://absen.example.go.id, http://localhost:5173",
            ),
        ]))
        .unwrap();
        assert_eq!(with_origins.cors_origins.len(), 2);
        for (name, value) in [
            ("LINTAS_BCRYPT_COST", "3"),
            ("LINTAS_LOGIN_MAX_FAILURES", "many"),
            ("LINTAS_TIME_ZONE", "Nowhere/Land"),
            ("LINTAS_CORS_ORIGINS", "*"),
            ("LINTAS_CORS_ORIGINS", "https://x.id/path"),
            ("LINTAS_KIOSK_MODE", "magic"),
            ("LINTAS_LIVENESS", "maybe"),
            ("LINTAS_FACE_MAX_FAILURES", "0"),
            ("LINTAS_CHALLENGE_SECONDS", "5"),
        ] {
            assert!(
                AppConfig::from_vars(vars(&[("LINTAS_JWT_SECRET", secret), (name, value)]))
                    .is_err(),
                "{name}={value}"
            );
        }
    }
}
