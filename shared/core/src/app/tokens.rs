//! Access tokens (HS256 JWTs with every claim checked) and opaque refresh-token secrets.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::AppError;
use super::config::TokenConfig;
use crate::domain::{Employee, Id, Role, new_id};
use lintas_face::embedding::ProbePrint;

/// The one algorithm tokens are signed and accepted with.
const ALGORITHM: Algorithm = Algorithm::HS256;

/// Claims of an access token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// The employee (or kiosk account) id.
    pub sub: String,
    /// What the bearer may do.
    pub role: Role,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Not before.
    pub nbf: i64,
    /// Expiry.
    pub exp: i64,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Token id.
    pub jti: String,
    /// The account instance ([`crate::domain::Employee::account_key`]).
    #[serde(default)]
    pub acct: String,
    /// The account's token generation at issue.
    #[serde(default, rename = "gen")]
    pub generation: u64,
}

/// The authenticated caller of a request.
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    /// Who.
    pub id: Id,
    /// Their role when the token was issued.
    pub role: Role,
    /// The account instance the token was issued for.
    pub account: String,
    /// The account's token generation at issue.
    pub generation: u64,
    /// For an admin, the offices they manage, as the account says on this request; empty
    /// for an admin of every office (and for other roles).
    pub offices: Vec<Id>,
}

impl Principal {
    /// Whether the caller is an admin of every office.
    pub fn is_global_admin(&self) -> bool {
        self.role == Role::Admin && self.offices.is_empty()
    }

    /// Whether the caller is an admin of `office`.
    pub fn administers(&self, office: &Id) -> bool {
        self.role == Role::Admin && (self.offices.is_empty() || self.offices.contains(office))
    }
}

/// What a kiosk's confirmation token vouches for: the face the kiosk sent was close to
/// this employee, passed the liveness checks, and is waiting for the person to confirm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfirmationClaims {
    /// The candidate employee.
    pub sub: String,
    /// The kiosk account that asked.
    pub kiosk: String,
    /// SHA-256 (hex) of the photo the kiosk sent; the confirmation sends it again.
    pub photo: String,
    /// Similarity of the photo to the candidate.
    pub score: f32,
    /// Fused passive liveness score, when assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<f32>,
    /// Whether a challenge was passed.
    #[serde(default)]
    pub challenged: bool,
    /// The photo's quantised embedding, to refuse replays of it later.
    pub probe: ProbePrint,
    /// Issued at.
    pub iat: i64,
    /// Not before.
    pub nbf: i64,
    /// Expiry.
    pub exp: i64,
    /// Issuer.
    pub iss: String,
    /// Audience: the API's, with `:confirm`.
    pub aud: String,
    /// Token id; the punch it confirms is recorded once per id.
    pub jti: String,
}

impl From<&Employee> for Principal {
    /// The principal a token issued to `employee` now would name.
    fn from(employee: &Employee) -> Self {
        Self {
            id: employee.id.clone(),
            role: employee.role,
            account: employee.account_key.clone(),
            generation: employee.token_generation,
            offices: employee.admin_offices.clone(),
        }
    }
}

/// Signs and checks access tokens and kiosk confirmation tokens.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    confirmation_validation: Validation,
    config: TokenConfig,
}

impl TokenKeys {
    /// Keys for `config`'s secret, issuer and audience.
    pub fn new(config: TokenConfig) -> Self {
        let mut validation = Validation::new(ALGORITHM);
        validation.set_issuer(&[&config.issuer]);
        validation.set_audience(&[&config.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        // Expiry and not-before are checked against the service's clock, not the system's.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let mut confirmation_validation = validation.clone();
        confirmation_validation.set_audience(&[confirmation_audience(&config)]);
        confirmation_validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(&config.secret),
            decoding: DecodingKey::from_secret(&config.secret),
            validation,
            confirmation_validation,
            config,
        }
    }

    /// Signs `claims` as a confirmation token (their audience and issuer are set here).
    pub fn issue_confirmation(&self, mut claims: ConfirmationClaims) -> Result<String, AppError> {
        claims.iss = self.config.issuer.clone();
        claims.aud = confirmation_audience(&self.config);
        jsonwebtoken::encode(&Header::new(ALGORITHM), &claims, &self.encoding)
            .map_err(|e| AppError::Internal(format!("signing a confirmation: {e}")))
    }

    /// The claims of a confirmation token valid at `now`; access tokens are not
    /// confirmations.
    pub fn verify_confirmation(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<ConfirmationClaims, AppError> {
        let invalid = || AppError::invalid("invalid_confirmation", "the confirmation is not valid");
        let claims = jsonwebtoken::decode::<ConfirmationClaims>(
            token,
            &self.decoding,
            &self.confirmation_validation,
        )
        .map_err(|_| invalid())?
        .claims;
        match lifetime_at(claims.nbf, claims.exp, now) {
            Lifetime::Valid => Ok(claims),
            Lifetime::Expired => Err(AppError::unprocessable(
                "confirmation_expired",
                "the confirmation has expired; take the photo again",
            )),
            Lifetime::NotYet => Err(invalid()),
        }
    }

    /// The token settings.
    pub fn config(&self) -> &TokenConfig {
        &self.config
    }

    /// A signed access token for `principal`, valid from `now` for the configured lifetime.
    pub fn issue(&self, principal: &Principal, now: DateTime<Utc>) -> Result<String, AppError> {
        let iat = now.timestamp();
        let claims = Claims {
            sub: principal.id.to_string(),
            role: principal.role,
            iat,
            nbf: iat,
            exp: iat + self.config.access_ttl.as_secs() as i64,
            iss: self.config.issuer.clone(),
            aud: self.config.audience.clone(),
            jti: new_id().to_string(),
            acct: principal.account.clone(),
            generation: principal.generation,
        };
        jsonwebtoken::encode(&Header::new(ALGORITHM), &claims, &self.encoding)
            .map_err(|e| AppError::Internal(format!("signing a token: {e}")))
    }

    /// The caller named by an access token valid at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Principal, AppError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| {
                AppError::unauthenticated("invalid_token", "the access token is not valid")
            })?;
        match lifetime_at(data.claims.nbf, data.claims.exp, now) {
            Lifetime::Valid => {}
            Lifetime::Expired => {
                return Err(AppError::unauthenticated(
                    "token_expired",
                    "the access token has expired",
                ));
            }
            Lifetime::NotYet => {
                return Err(AppError::unauthenticated(
                    "token_not_yet_valid",
                    "the access token is not valid yet",
                ));
            }
        }
        let id = Id::parse(data.claims.sub).map_err(|_| {
            AppError::unauthenticated("invalid_token", "the token subject is not valid")
        })?;
        Ok(Principal {
            id,
            role: data.claims.role,
            account: data.claims.acct,
            generation: data.claims.generation,
            offices: Vec::new(),
        })
    }
}

/// Seconds of clock difference tolerated on a token's not-before and expiry.
const LEEWAY_SECONDS: i64 = 5;

/// Where `now` stands in a token's lifetime.
enum Lifetime {
    NotYet,
    Valid,
    Expired,
}

fn lifetime_at(not_before: i64, expiry: i64, now: DateTime<Utc>) -> Lifetime {
    let now = now.timestamp();
    if now + LEEWAY_SECONDS < not_before {
        Lifetime::NotYet
    } else if now - LEEWAY_SECONDS >= expiry {
        Lifetime::Expired
    } else {
        Lifetime::Valid
    }
}

/// The audience of confirmation tokens, so no access token passes as one.
fn confirmation_audience(config: &TokenConfig) -> String {
    format!("{}:confirm", config.audience)
}

/// A new refresh-token secret: 256 random bits, URL-safe.
pub fn new_refresh_secret() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("random source: {e}")))?;
    Ok(format!("rt_{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// The stored id of a refresh-token secret (its SHA-256, hex), so a leaked table holds no
/// usable token.
pub fn refresh_token_id(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn keys(secret: &str) -> TokenKeys {
        TokenKeys::new(TokenConfig {
            secret: secret.as_bytes().to_vec(),
            issuer: "lintas".into(),
            audience: "lintas-api".into(),
            access_ttl: Duration::from_secs(900),
            refresh_ttl: Duration::from_secs(3600),
        })
    }

    fn alice() -> Principal {
        Principal {
            id: Id::parse("alice").unwrap(),
            role: Role::Employee,
            account: "acct-alice-1".into(),
            generation: 3,
            offices: Vec::new(),
        }
    }

    #[test]
    fn issued_tokens_verify_and_others_do_not() {
        let keys = keys("0123456789abcdef0123456789abcdef");
        let token = keys.issue(&alice(), Utc::now()).unwrap();
        assert_eq!(keys.verify(&token, Utc::now()).unwrap(), alice());

        let other = self::keys("another secret of enough length!!");
        assert_eq!(
            other.verify(&token, Utc::now()).unwrap_err().code(),
            "invalid_token"
        );

        let old = keys
            .issue(&alice(), Utc::now() - chrono::Duration::hours(1))
            .unwrap();
        assert_eq!(
            keys.verify(&old, Utc::now()).unwrap_err().code(),
            "token_expired"
        );
        // Time is the service clock's, not the machine's.
        let then = Utc::now() - chrono::Duration::minutes(59);
        assert_eq!(keys.verify(&old, then).unwrap(), alice());

        let future = keys
            .issue(&alice(), Utc::now() + chrono::Duration::hours(1))
            .unwrap();
        assert_eq!(
            keys.verify(&future, Utc::now()).unwrap_err().code(),
            "token_not_yet_valid"
        );
        assert_eq!(
            keys.verify("not.a.jwt", Utc::now()).unwrap_err().code(),
            "invalid_token"
        );
    }

    /// A token with `claims` signed by `keys`' own secret under `algorithm`.
    fn signed(algorithm: Algorithm, claims: serde_json::Value) -> String {
        let secret = EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef");
        jsonwebtoken::encode(&Header::new(algorithm), &claims, &secret).unwrap()
    }

    #[test]
    fn forged_algorithms_and_claims_are_refused_even_with_the_right_key() {
        let keys = keys("0123456789abcdef0123456789abcdef");
        let now = Utc::now().timestamp();
        let valid = serde_json::json!({
            "sub": "alice", "role": "employee", "iat": now, "nbf": now, "exp": now + 600,
            "iss": "lintas", "aud": "lintas-api", "jti": "j1", "acct": "acct-alice-1", "gen": 3,
        });
        assert_eq!(
            keys.verify(&signed(Algorithm::HS256, valid.clone()), Utc::now())
                .unwrap(),
            alice(),
            "the control token passes"
        );
        for algorithm in [Algorithm::HS384, Algorithm::HS512] {
            assert_eq!(
                keys.verify(&signed(algorithm, valid.clone()), Utc::now())
                    .unwrap_err()
                    .code(),
                "invalid_token",
                "{algorithm:?} is not the pinned algorithm"
            );
        }
        let with = |field: &str, value: serde_json::Value| {
            let mut claims = valid.clone();
            claims[field] = value;
            claims
        };
        let without = |field: &str| {
            let mut claims = valid.clone();
            claims.as_object_mut().unwrap().remove(field);
            claims
        };
        let forged = [
            ("wrong issuer", with("iss", "someone-else".into())),
            ("wrong audience", with("aud", "another-api".into())),
            ("unknown role", with("role", "superuser".into())),
            ("subject that is not an id", with("sub", "../admin".into())),
            ("expiry as text", with("exp", "never".into())),
            ("no expiry", without("exp")),
            ("no not-before", without("nbf")),
            ("no issued-at", without("iat")),
            ("no issuer", without("iss")),
            ("no audience", without("aud")),
            ("no subject", without("sub")),
            ("no role", without("role")),
            ("no token id", without("jti")),
        ];
        for (what, claims) in forged {
            assert_eq!(
                keys.verify(&signed(Algorithm::HS256, claims), Utc::now())
                    .unwrap_err()
                    .code(),
                "invalid_token",
                "{what}"
            );
        }
    }

    #[test]
    fn confirmations_are_not_access_tokens_and_expire() {
        let keys = keys("0123456789abcdef0123456789abcdef");
        let now = Utc::now().timestamp();
        let claims = ConfirmationClaims {
            sub: "alice".into(),
            kiosk: "lobby".into(),
            photo: "ab".repeat(32),
            score: 0.61,
            liveness: Some(0.9),
            challenged: false,
            probe: ProbePrint {
                model: lintas_face::embedding::ModelId::new("m"),
                hex: "00".repeat(128),
            },
            iat: now,
            nbf: now,
            exp: now + 60,
            iss: String::new(),
            aud: String::new(),
            jti: "j1".into(),
        };
        let token = keys.issue_confirmation(claims.clone()).unwrap();
        let read = keys.verify_confirmation(&token, Utc::now()).unwrap();
        assert_eq!((read.sub.as_str(), read.score), ("alice", 0.61));
        assert_eq!(
            keys.verify(&token, Utc::now()).unwrap_err().code(),
            "invalid_token"
        );
        let access = keys.issue(&alice(), Utc::now()).unwrap();
        assert_eq!(
            keys.verify_confirmation(&access, Utc::now())
                .unwrap_err()
                .code(),
            "invalid_confirmation"
        );
        let stale = keys
            .issue_confirmation(ConfirmationClaims {
                exp: now - 60,
                ..claims
            })
            .unwrap();
        assert_eq!(
            keys.verify_confirmation(&stale, Utc::now())
                .unwrap_err()
                .code(),
            "confirmation_expired"
        );
    }

    #[test]
    fn refresh_secrets_are_random_and_stored_hashed() {
        let a = new_refresh_secret().unwrap();
        let b = new_refresh_secret().unwrap();
        assert_ne!(a, b);
        assert!(a.len() > 40);
        let id = refresh_token_id(&a);
        assert_eq!(id.len(), 64);
        assert!(!id.contains(&a[3..]));
    }
}
