//! Calendars (holidays and special periods in one partition per calendar), shifts (one
//! partition), roster entries (in the employee's partition, beside a roster version that
//! makes "no two entries share a day" atomic) and the attendance rules (one item).

use async_trait::async_trait;
use chrono::NaiveDate;

use super::DynamoStore;
use super::codec::{Item, from_item, to_item};
use super::keys::{self, GSI1, index_item, key_item};
use super::query::{KeyQuery, SortKey};
use super::write::Condition;
use lintas_core::domain::{AttendanceRules, Holiday, Id, Shift, ShiftAssignment, SpecialPeriod};
use lintas_core::ports::{CalendarStore, RulesStore, ShiftStore, StoreError};

/// Rounds of "read the roster, check, write if unchanged" before giving up.
const ROSTER_ATTEMPTS: usize = 5;

#[async_trait]
impl CalendarStore for DynamoStore {
    async fn put_holiday(&self, holiday: &Holiday) -> Result<(), StoreError> {
        self.put(holiday_item(holiday)?, None).await
    }

    async fn delete_holiday(&self, calendar: &Id, date: NaiveDate) -> Result<bool, StoreError> {
        self.delete_existing(keys::holiday(calendar, date)).await
    }

    async fn holidays(
        &self,
        calendar: &Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Holiday>, StoreError> {
        let range = SortKey::Between(
            keys::holiday(calendar, from).1,
            keys::holiday(calendar, to).1,
        );
        let query = KeyQuery::table(keys::calendar(calendar)).sort(range);
        self.query_all(&query)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    async fn put_special_period(&self, period: &SpecialPeriod) -> Result<(), StoreError> {
        self.put(period_item(period)?, None).await
    }

    async fn delete_special_period(&self, calendar: &Id, id: &Id) -> Result<bool, StoreError> {
        self.delete_existing(keys::special_period(calendar, id))
            .await
    }

    async fn special_periods(&self, calendar: &Id) -> Result<Vec<SpecialPeriod>, StoreError> {
        let query = KeyQuery::table(keys::calendar(calendar))
            .sort(SortKey::BeginsWith(keys::SPECIAL_PERIOD_PREFIX.to_owned()));
        self.query_all(&query)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }
}

#[async_trait]
impl ShiftStore for DynamoStore {
    async fn put_shift(&self, shift: &Shift) -> Result<(), StoreError> {
        self.put(shift_item(shift)?, None).await
    }

    async fn shifts(&self) -> Result<Vec<Shift>, StoreError> {
        let query = KeyQuery::table(keys::SHIFTS);
        self.query_all(&query)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    async fn delete_shift(&self, id: &Id) -> Result<bool, StoreError> {
        self.delete_existing(keys::shift(id)).await
    }

    async fn add_assignment(&self, assignment: &ShiftAssignment) -> Result<(), StoreError> {
        let employee = &assignment.employee_id;
        for _ in 0..ROSTER_ATTEMPTS {
            let version = self.guard_version(keys::roster_version(employee)).await?;
            let existing = self.assignments_of(employee).await?;
            if let Some(other) = existing.iter().find(|a| a.overlaps(assignment)) {
                return Err(StoreError::Conflict(format!(
                    "roster entry {} shares a day with the new one",
                    other.id
                )));
            }
            // The version moves with the write: an entry added meanwhile fails the condition
            // and the check is made again.
            let item = assignment_item(assignment)?;
            let writes = vec![
                self.guard_bump(keys::roster_version(employee), version)?,
                self.put_in_transaction(item, Some(Condition::absent()))?,
            ];
            match self.transact(writes).await {
                Err(StoreError::Conflict(_)) => continue,
                done => return done,
            }
        }
        Err(StoreError::Conflict(format!(
            "the roster of {employee} kept changing"
        )))
    }

    async fn assignments_of(&self, employee: &Id) -> Result<Vec<ShiftAssignment>, StoreError> {
        let query = KeyQuery::table(keys::employee(employee).0)
            .sort(SortKey::BeginsWith(keys::ASSIGNMENT_PREFIX.to_owned()));
        self.query_all(&query)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    async fn assignments_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ShiftAssignment>, StoreError> {
        // Entries are listed by their last day: those ending on or after `from`, of which
        // the ones starting after `to` are dropped.
        let query = KeyQuery::index(GSI1, keys::ROSTERS)
            .sort(SortKey::Between(from.to_string(), "~".to_owned()));
        let found: Vec<ShiftAssignment> = self
            .query_all(&query)
            .await?
            .into_iter()
            .map(from_item)
            .collect::<Result<_, _>>()?;
        Ok(found.into_iter().filter(|a| a.from <= to).collect())
    }

    async fn delete_assignment(&self, employee: &Id, id: &Id) -> Result<bool, StoreError> {
        let found = self
            .assignments_of(employee)
            .await?
            .into_iter()
            .find(|a| &a.id == id);
        match found {
            Some(entry) => {
                self.delete_existing(keys::assignment(employee, entry.from, id))
                    .await
            }
            None => Ok(false),
        }
    }

    async fn delete_assignments_of(&self, employee: &Id) -> Result<(), StoreError> {
        let mut found: Vec<_> = self
            .assignments_of(employee)
            .await?
            .into_iter()
            .map(|a| keys::assignment(employee, a.from, &a.id))
            .collect();
        found.push(keys::roster_version(employee));
        self.delete_items(found).await
    }
}

impl DynamoStore {
    /// Deletes the item with `key`; `false` when there was none.
    async fn delete_existing(&self, key: keys::Key) -> Result<bool, StoreError> {
        match self
            .delete(key, Some(Condition::new("attribute_exists(PK)")))
            .await
        {
            Ok(()) => Ok(true),
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(error) => Err(error),
        }
    }
}

#[async_trait]
impl RulesStore for DynamoStore {
    async fn attendance_rules(&self) -> Result<Option<AttendanceRules>, StoreError> {
        self.get(keys::attendance_rules())
            .await?
            .map(from_item)
            .transpose()
    }

    async fn put_attendance_rules(&self, rules: &AttendanceRules) -> Result<(), StoreError> {
        self.put(rules_item(rules)?, None).await
    }
}

/// The stored item of a holiday.
pub(super) fn holiday_item(holiday: &Holiday) -> Result<Item, StoreError> {
    let mut item = to_item(holiday)?;
    item.extend(key_item(keys::holiday(&holiday.calendar, holiday.date)));
    Ok(item)
}

/// The stored item of a special period.
pub(super) fn period_item(period: &SpecialPeriod) -> Result<Item, StoreError> {
    let mut item = to_item(period)?;
    item.extend(key_item(keys::special_period(&period.calendar, &period.id)));
    Ok(item)
}

/// The stored item of a shift.
pub(super) fn shift_item(shift: &Shift) -> Result<Item, StoreError> {
    let mut item = to_item(shift)?;
    item.extend(key_item(keys::shift(&shift.id)));
    Ok(item)
}

/// The stored item of a roster entry, indexed by its last day.
pub(super) fn assignment_item(entry: &ShiftAssignment) -> Result<Item, StoreError> {
    let mut item = to_item(entry)?;
    item.extend(key_item(keys::assignment(
        &entry.employee_id,
        entry.from,
        &entry.id,
    )));
    index_item(&mut item, GSI1, keys::assignment_by_end(entry));
    Ok(item)
}

/// The stored item of the attendance rules.
pub(super) fn rules_item(rules: &AttendanceRules) -> Result<Item, StoreError> {
    let mut item = to_item(rules)?;
    item.extend(key_item(keys::attendance_rules()));
    Ok(item)
}
