//! Refresh tokens and their families.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::*;

#[async_trait]
impl TokenStore for SqliteStore {
    async fn put_refresh_token(&self, token: &RefreshToken) -> Result<()> {
        let token = token.clone();
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            let revoked: Option<String> = tx
                .query_row(
                    "SELECT family FROM revoked_families WHERE family = ?1",
                    [token.family.as_str()],
                    |r| r.get(0),
                )
                .optional()
                .map_err(sql_error)?;
            if revoked.is_some() {
                return Err(StoreError::Conflict(format!(
                    "token family {} is revoked",
                    token.family
                )));
            }
            tx.execute(
                "INSERT INTO refresh_tokens (id, family, employee_id, expires_at, revoked)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    token.id,
                    token.family.as_str(),
                    token.employee_id.as_str(),
                    timestamp(token.expires_at),
                    token.revoked
                ],
            )
            .map_err(sql_error)?;
            tx.commit().map_err(sql_error)
        })
        .await
    }

    async fn refresh_token(&self, id: &str, now: DateTime<Utc>) -> Result<Option<RefreshToken>> {
        let (id, now) = (id.to_owned(), timestamp(now));
        self.run(move |c| {
            let row: Option<(String, String, String, String, bool)> = c
                .query_row(
                    "SELECT id, family, employee_id, expires_at, revoked FROM refresh_tokens
                     WHERE id = ?1 AND expires_at > ?2",
                    params![id, now],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()
                .map_err(sql_error)?;
            row.map(|(id, family, employee, expires_at, revoked)| {
                let stored_id =
                    |text: String| Id::parse(text).map_err(|e| StoreError::Corrupt(e.to_string()));
                Ok(RefreshToken {
                    id,
                    family: stored_id(family)?,
                    employee_id: stored_id(employee)?,
                    expires_at: parse_timestamp(&expires_at)?,
                    revoked,
                })
            })
            .transpose()
        })
        .await
    }

    async fn revoke_refresh_token(&self, id: &str) -> Result<bool> {
        let id = id.to_owned();
        self.run(move |c| {
            let changed = c
                .execute(
                    "UPDATE refresh_tokens SET revoked = 1 WHERE id = ?1 AND revoked = 0",
                    [id],
                )
                .map_err(sql_error)?;
            Ok(changed > 0)
        })
        .await
    }

    async fn revoke_token_family(&self, family: &Id) -> Result<usize> {
        let family = family.to_string();
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            tx.execute(
                "INSERT OR IGNORE INTO revoked_families (family) VALUES (?1)",
                [&family],
            )
            .map_err(sql_error)?;
            let revoked = tx
                .execute(
                    "UPDATE refresh_tokens SET revoked = 1 WHERE family = ?1 AND revoked = 0",
                    [&family],
                )
                .map_err(sql_error)?;
            tx.commit().map_err(sql_error)?;
            Ok(revoked)
        })
        .await
    }

    async fn revoke_token_families_of(&self, employee: &Id) -> Result<usize> {
        let employee = employee.to_string();
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            tx.execute(
                "INSERT OR IGNORE INTO revoked_families (family)
                 SELECT DISTINCT family FROM refresh_tokens WHERE employee_id = ?1",
                [&employee],
            )
            .map_err(sql_error)?;
            let revoked = tx
                .execute(
                    "UPDATE refresh_tokens SET revoked = 1 WHERE employee_id = ?1 AND revoked = 0",
                    [&employee],
                )
                .map_err(sql_error)?;
            tx.commit().map_err(sql_error)?;
            Ok(revoked)
        })
        .await
    }

    async fn family_revoked(&self, family: &Id) -> Result<bool> {
        let family = family.to_string();
        self.run(move |c| {
            c.query_row(
                "SELECT 1 FROM revoked_families WHERE family = ?1",
                [family],
                |_| Ok(()),
            )
            .optional()
            .map(|found| found.is_some())
            .map_err(sql_error)
        })
        .await
    }

    async fn delete_tokens_of(&self, employee: &Id) -> Result<()> {
        let employee = employee.to_string();
        self.run(move |c| {
            c.execute(
                "DELETE FROM refresh_tokens WHERE employee_id = ?1",
                [employee],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }
}
