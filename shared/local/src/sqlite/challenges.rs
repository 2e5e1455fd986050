//! Liveness challenges, each used at most once.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::params;

use super::*;

#[async_trait]
impl ChallengeStore for SqliteStore {
    async fn put_challenge(&self, challenge: &Challenge) -> Result<()> {
        let row = (
            challenge.id.to_string(),
            challenge.owner.to_string(),
            timestamp(challenge.expires_at),
            to_json(challenge)?,
        );
        self.run(move |c| {
            c.execute(
                "INSERT INTO challenges (id, owner, expires_at, data) VALUES (?1, ?2, ?3, ?4)",
                params![row.0, row.1, row.2, row.3],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn challenge(&self, id: &Id) -> Result<Option<Challenge>> {
        let id = id.to_string();
        self.run(move |c| {
            let row: Option<(String, Option<String>)> = c
                .query_row(
                    "SELECT data, used_at FROM challenges WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(sql_error)?;
            row.map(|(data, used_at)| {
                let mut challenge: Challenge = from_json(&data)?;
                challenge.used_at = used_at.as_deref().map(parse_timestamp).transpose()?;
                Ok(challenge)
            })
            .transpose()
        })
        .await
    }

    async fn use_challenge(&self, id: &Id, at: DateTime<Utc>) -> Result<bool> {
        let (id, at) = (id.to_string(), timestamp(at));
        self.run(move |c| {
            let changed = c
                .execute(
                    "UPDATE challenges SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL",
                    params![id, at],
                )
                .map_err(sql_error)?;
            Ok(changed == 1)
        })
        .await
    }

    async fn delete_challenges_of(&self, owner: &Id) -> Result<()> {
        let owner = owner.to_string();
        self.run(move |c| {
            c.execute("DELETE FROM challenges WHERE owner = ?1", [owner])
                .map_err(sql_error)?;
            Ok(())
        })
        .await
    }
}
