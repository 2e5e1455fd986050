//! The attendance read side: lists of punches. The monthly recap and the daily board are
//! in [`super::recap`].

use chrono::NaiveDate;

use super::reach::may_read;
use super::{App, AppError, AttendanceView, Principal, all_pages, parse_id};
use crate::domain::{AttendanceRecord, Employee, Role};
use crate::ports::{Page, PageRequest};

/// Longest date range of one attendance query, in days.
pub(super) const MAX_QUERY_DAYS: i64 = 366;

/// Which punches to list.
#[derive(Clone, Debug, Default)]
pub struct AttendanceQuery {
    /// One employee (employees may only ask for themselves).
    pub employee_id: Option<String>,
    /// First local day.
    pub from: Option<NaiveDate>,
    /// Last local day.
    pub to: Option<NaiveDate>,
    /// Everyone's punches on one day (admins only).
    pub day: Option<NaiveDate>,
    /// Page.
    pub page: PageRequest,
}

impl App {
    /// Punches by employee and date range, or of everyone on one day. Employees see their
    /// own and their team's (as supervisor); an office-scoped admin those of their offices.
    pub async fn attendance(
        &self,
        caller: &Principal,
        query: AttendanceQuery,
    ) -> Result<Page<AttendanceView>, AppError> {
        let employee = match (&query.employee_id, caller.role) {
            (Some(id), _) => Some(parse_id(id, "employee id")?),
            (None, Role::Employee) => Some(caller.id.clone()),
            (None, _) => None,
        };
        match &employee {
            Some(id) => self.check_may_read(caller, id.as_str()).await?,
            None if caller.role != Role::Admin => {
                return Err(AppError::forbidden(
                    "forbidden",
                    "the attendance of a whole day is for admins; ask for one employee",
                ));
            }
            None => {}
        }
        let page = match (employee, query.day) {
            (None, Some(day)) => {
                let mut page = self.store.attendance_on(day, &query.page).await?;
                if let Some(reach) = self.employees_in_reach(caller).await? {
                    page.items.retain(|r| reach.contains(&r.employee_id));
                }
                page
            }
            (Some(employee), None) => {
                let today = self.today();
                let to = query.to.unwrap_or(today);
                let from = query.from.unwrap_or(to - chrono::Duration::days(30));
                check_range(from, to)?;
                self.store
                    .attendance_of(&employee, from, to, &query.page)
                    .await?
            }
            _ => {
                return Err(AppError::invalid(
                    "invalid_query",
                    "ask for one employee (with from and to) or for one day",
                ));
            }
        };
        Ok(Page {
            items: page.items.into_iter().map(AttendanceView::from).collect(),
            next: page.next,
        })
    }

    /// Today in the default time zone.
    fn today(&self) -> NaiveDate {
        self.clock
            .now()
            .with_timezone(&self.config.attendance.default_time_zone)
            .date_naive()
    }

    /// The employees on the attendance roll whose records `caller` may read.
    pub(super) async fn readable_attending_employees(
        &self,
        caller: &Principal,
    ) -> Result<Vec<Employee>, AppError> {
        let employees =
            all_pages(|request| async move { self.store.list_employees(&request).await }).await?;
        Ok(employees
            .into_iter()
            .filter(|e| e.on_roll && e.role != Role::Kiosk && may_read(caller, e))
            .collect())
    }

    pub(super) async fn everyone_on(
        &self,
        day: NaiveDate,
    ) -> Result<Vec<AttendanceRecord>, AppError> {
        all_pages(|request| async move { self.store.attendance_on(day, &request).await }).await
    }
}

fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), AppError> {
    if from > to || (to - from).num_days() > MAX_QUERY_DAYS {
        return Err(AppError::invalid(
            "invalid_date_range",
            format!("from must not be after to, and the range at most {MAX_QUERY_DAYS} days"),
        ));
    }
    Ok(())
}

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell: always quoted, and every formula trigger that starts the cell or follows a
/// separator (`,` or `;`, which spreadsheets set to Indonesian conventions split on, tab or
/// newline) prefixed with `'`, so no part of it can become a formula.
pub(super) fn text_cell(value: &str) -> String {
    let mut defused = String::with_capacity(value.len() + 2);
    let mut segment_start = true;
    for c in value.chars() {
        if segment_start && FORMULA_TRIGGERS.contains(&c) {
            defused.push('\'');
        }
        defused.push(c);
        segment_start = matches!(c, ',' | ';' | '\t' | '\n' | '\r');
    }
    format!("\"{}\"", defused.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_cells_are_quoted_and_formulas_defused_after_any_separator() {
        assert_eq!(text_cell("Siti"), "\"Siti\"");
        assert_eq!(text_cell("Rahma, Siti"), "\"Rahma, Siti\"");
        assert_eq!(text_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text_cell("-5"), "\"'-5\"");
        assert_eq!(
            text_cell("Name;=HYPERLINK(\"http://x\")"),
            "\"Name;'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(text_cell("a,+1;@b"), "\"a,'+1;'@b\"");
    }

    #[test]
    fn date_ranges_are_bounded() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert!(check_range(day(1), day(30)).is_ok());
        assert!(check_range(day(30), day(1)).is_err());
        assert!(check_range(day(1) - chrono::Duration::days(400), day(1)).is_err());
    }
}
