//! Access tokens (HS256 JWTs with every claim checked) and opaque refresh-token secrets.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::AppError;
use super::config::TokenConfig;
use crate::domain::{Id, Role, new_id};

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
}

/// Signs and checks access tokens.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    config: TokenConfig,
}

impl TokenKeys {
    /// Keys for `config`'s secret, issuer and audience.
    pub fn new(config: TokenConfig) -> Self {
        let mut validation = Validation::new(ALGORITHM);
        validation.set_issuer(&[&config.issuer]);
        validation.set_audience(&[&config.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(&config.secret),
            decoding: DecodingKey::from_secret(&config.secret),
            validation,
            config,
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

    /// The caller named by a valid access token.
    pub fn verify(&self, token: &str) -> Result<Principal, AppError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|error| match error.kind() {
                ErrorKind::ExpiredSignature => {
                    AppError::unauthenticated("token_expired", "the access token has expired")
                }
                ErrorKind::ImmatureSignature => AppError::unauthenticated(
                    "token_not_yet_valid",
                    "the access token is not valid yet",
                ),
                _ => AppError::unauthenticated("invalid_token", "the access token is not valid"),
            })?;
        let id = Id::parse(data.claims.sub).map_err(|_| {
            AppError::unauthenticated("invalid_token", "the token subject is not valid")
        })?;
        Ok(Principal {
            id,
            role: data.claims.role,
            account: data.claims.acct,
            generation: data.claims.generation,
        })
    }
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
        }
    }

    #[test]
    fn issued_tokens_verify_and_others_do_not() {
        let keys = keys("0123456789abcdef0123456789abcdef");
        let token = keys.issue(&alice(), Utc::now()).unwrap();
        assert_eq!(keys.verify(&token).unwrap(), alice());

        let other = self::keys("another secret of enough length!!");
        assert_eq!(other.verify(&token).unwrap_err().code(), "invalid_token");

        let old = keys
            .issue(&alice(), Utc::now() - chrono::Duration::hours(1))
            .unwrap();
        assert_eq!(keys.verify(&old).unwrap_err().code(), "token_expired");

        let future = keys
            .issue(&alice(), Utc::now() + chrono::Duration::hours(1))
            .unwrap();
        assert_eq!(
            keys.verify(&future).unwrap_err().code(),
            "token_not_yet_valid"
        );
        assert_eq!(
            keys.verify("not.a.jwt").unwrap_err().code(),
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
            keys.verify(&signed(Algorithm::HS256, valid.clone()))
                .unwrap(),
            alice(),
            "the control token passes"
        );
        for algorithm in [Algorithm::HS384, Algorithm::HS512] {
            assert_eq!(
                keys.verify(&signed(algorithm, valid.clone()))
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
                keys.verify(&signed(Algorithm::HS256, claims))
                    .unwrap_err()
                    .code(),
                "invalid_token",
                "{what}"
            );
        }
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
