//! Finding photos that no record refers to. A punch stores its selfie before its record, and
//! an enrollment its photo before its template; each deletes the photo again when the record
//! is not written, and only when that delete fails too (the photo store went down in
//! between) is a photo left behind. Photos of refused attempts go after their review period.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::{App, AppError, all_pages};
use crate::domain::Id;
use crate::ports::photo_keys;

/// What a sweep found.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PhotoSweep {
    /// Attendance photos of the days swept.
    pub checked: usize,
    /// Enrolled photos checked against the templates.
    pub enrolled_checked: usize,
    /// Photos no record refers to, deleted (or only listed in a dry run).
    pub orphans: Vec<String>,
}

impl App {
    /// Checks every attendance photo of the days before `before` against the records of its
    /// employee and day, and deletes those no record refers to unless `dry_run`. Recent
    /// days are left alone: a punch in flight stores its photo moments before its record.
    pub async fn sweep_orphan_photos(
        &self,
        before: NaiveDate,
        dry_run: bool,
    ) -> Result<PhotoSweep, AppError> {
        let mut by_day: BTreeMap<(NaiveDate, Id), Vec<String>> = BTreeMap::new();
        let mut checked = 0;
        for key in self.photos.list_photos(photo_keys::ATTENDANCE).await? {
            if let Some((day, employee)) = photo_keys::parse_attendance(&key)
                && day < before
            {
                checked += 1;
                by_day.entry((day, employee)).or_default().push(key);
            }
        }
        let mut orphans = Vec::new();
        for ((day, employee), keys) in by_day {
            let employee = &employee;
            let referenced: BTreeSet<String> = all_pages(|page| async move {
                self.store.attendance_of(employee, day, day, &page).await
            })
            .await?
            .into_iter()
            .filter_map(|record| record.photo_key)
            .collect();
            orphans.extend(keys.into_iter().filter(|key| !referenced.contains(key)));
        }
        let enrolled_checked = self.enrolled_orphans(&mut orphans).await?;
        self.reviewed_refusals(&mut orphans).await?;
        if !dry_run {
            for key in &orphans {
                self.photos.delete_photo(key).await?;
            }
        }
        Ok(PhotoSweep {
            checked,
            enrolled_checked,
            orphans,
        })
    }

    /// Adds to `orphans` the enrolled photos that no template refers to; returns how many
    /// enrolled photos were checked.
    async fn enrolled_orphans(&self, orphans: &mut Vec<String>) -> Result<usize, AppError> {
        let mut by_employee: BTreeMap<Id, Vec<String>> = BTreeMap::new();
        let mut checked = 0;
        for key in self.photos.list_photos(photo_keys::ENROLLED).await? {
            if let Some(employee) = photo_keys::parse_enrolled(&key) {
                checked += 1;
                by_employee.entry(employee).or_default().push(key);
            }
        }
        for (employee, keys) in by_employee {
            let referenced: BTreeSet<String> = self
                .store
                .templates_of(&employee)
                .await?
                .into_iter()
                .map(|template| template.photo_key)
                .collect();
            orphans.extend(keys.into_iter().filter(|key| !referenced.contains(key)));
        }
        Ok(checked)
    }

    /// Adds to `orphans` the photos of refused attempts whose review period is over (a
    /// bucket's lifecycle rule drops them too; a photo folder has none).
    async fn reviewed_refusals(&self, orphans: &mut Vec<String>) -> Result<(), AppError> {
        let review = super::auth::chrono_duration(self.config.faces.refusal_review);
        let last_kept = (self.clock.now() - review).date_naive();
        for key in self.photos.list_photos(photo_keys::REFUSED).await? {
            if photo_keys::parse_refused(&key).is_some_and(|day| day < last_kept) {
                orphans.push(key);
            }
        }
        Ok(())
    }
}
