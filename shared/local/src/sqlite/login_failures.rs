//! Failed-login counters with their windows.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::*;

#[async_trait]
impl LoginFailureStore for SqliteStore {
    async fn record_login_failure(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window_end: DateTime<Utc>,
    ) -> Result<LoginFailures> {
        let key = key.to_owned();
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            let live: Option<(u32, String)> = tx
                .query_row(
                    "SELECT count, expires_at FROM login_failures WHERE key = ?1 AND expires_at > ?2",
                    params![key, timestamp(now)],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(sql_error)?;
            let (count, expires_at) = match live {
                Some((count, expires_at)) => (count + 1, parse_timestamp(&expires_at)?),
                None => (1, window_end),
            };
            tx.execute(
                "INSERT INTO login_failures (key, count, expires_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET count = excluded.count, expires_at = excluded.expires_at",
                params![key, count, timestamp(expires_at)],
            )
            .map_err(sql_error)?;
            tx.commit().map_err(sql_error)?;
            Ok(LoginFailures { key, count, expires_at })
        })
        .await
    }

    async fn login_failures(&self, key: &str, now: DateTime<Utc>) -> Result<Option<LoginFailures>> {
        let key = key.to_owned();
        self.run(move |c| {
            let live: Option<(u32, String)> = c
                .query_row(
                    "SELECT count, expires_at FROM login_failures WHERE key = ?1 AND expires_at > ?2",
                    params![key, timestamp(now)],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(sql_error)?;
            live.map(|(count, expires_at)| {
                Ok(LoginFailures { key, count, expires_at: parse_timestamp(&expires_at)? })
            })
            .transpose()
        })
        .await
    }

    async fn release_login_attempt(&self, key: &str) -> Result<()> {
        let key = key.to_owned();
        self.run(move |c| {
            c.execute(
                "UPDATE login_failures SET count = count - 1 WHERE key = ?1 AND count > 0",
                [key],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn clear_login_failures(&self, key: &str) -> Result<()> {
        let key = key.to_owned();
        self.run(move |c| {
            c.execute("DELETE FROM login_failures WHERE key = ?1", [key])
                .map_err(sql_error)?;
            Ok(())
        })
        .await
    }
}
