//! The attendance read side: lists of punches and the monthly report (first in, last out,
//! late minutes and absences per employee per day).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::Serialize;

use super::{App, AppError, AttendanceView, Principal, all_pages, parse_id};
use crate::domain::{AttendanceKind, AttendanceRecord, Employee, Id, Office, Role};
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

/// One employee on one day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportRow {
    /// The employee.
    pub employee_id: Id,
    /// Their name.
    pub name: String,
    /// The local day.
    pub date: NaiveDate,
    /// `present`, `absent` or `day_off`.
    pub status: &'static str,
    /// Local time of the check-in.
    pub first_in: Option<NaiveTime>,
    /// Local time of the last check-out.
    pub last_out: Option<NaiveTime>,
    /// Minutes late at check-in.
    pub late_minutes: u32,
}

/// The report of one month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthlyReport {
    /// `YYYY-MM`.
    pub month: String,
    /// One row per employee per day up to today, by employee then day.
    pub rows: Vec<ReportRow>,
}

impl MonthlyReport {
    /// The report as CSV, with cells that a spreadsheet would run as formulas defused.
    pub fn to_csv(&self) -> String {
        let mut csv = String::from("employee_id,name,date,status,first_in,last_out,late_minutes\n");
        let time = |t: Option<NaiveTime>| {
            t.map(|t| t.format("%H:%M:%S").to_string())
                .unwrap_or_default()
        };
        for row in &self.rows {
            let cells = [
                text_cell(row.employee_id.as_str()),
                text_cell(&row.name),
                row.date.to_string(),
                row.status.to_owned(),
                time(row.first_in),
                time(row.last_out),
                row.late_minutes.to_string(),
            ];
            csv.push_str(&cells.join(","));
            csv.push('\n');
        }
        csv
    }
}

impl App {
    /// Punches by employee and date range, or of everyone on one day. Employees see only
    /// their own.
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
        if caller.role != Role::Admin && employee.as_ref() != Some(&caller.id) {
            return Err(AppError::forbidden(
                "forbidden",
                "employees may only read their own attendance",
            ));
        }
        let page = match (employee, query.day) {
            (None, Some(day)) => self.store.attendance_on(day, &query.page).await?,
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

    /// The monthly report of every employee, or of one.
    pub async fn monthly_report(
        &self,
        month: &str,
        employee: Option<&str>,
    ) -> Result<MonthlyReport, AppError> {
        let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
            .ok()
            .filter(|_| month.len() == 7)
            .ok_or_else(|| AppError::invalid("invalid_month", "the month must be YYYY-MM"))?;
        let employees = match employee {
            Some(id) => vec![self.existing_employee(id).await?],
            None => self.all_attending_employees().await?,
        };
        // Up to the latest "today" of any zone (UTC+14 is a day ahead of UTC at most); each
        // employee's rows then stop at today in their own office's zone.
        let now = self.clock.now();
        let latest_today = now.date_naive() + chrono::Duration::days(1);
        let days: Vec<NaiveDate> = first
            .iter_days()
            .take_while(|d| d.month() == first.month() && *d <= latest_today)
            .collect();
        let mut punches: HashMap<(Id, NaiveDate), Vec<AttendanceRecord>> = HashMap::new();
        for day in &days {
            for record in self.everyone_on(*day).await? {
                punches
                    .entry((record.employee_id.clone(), record.local_day))
                    .or_default()
                    .push(record);
            }
        }
        let mut offices: BTreeMap<Id, Office> = BTreeMap::new();
        let mut rows = Vec::new();
        for employee in &employees {
            if !offices.contains_key(&employee.office_id) {
                let office = self.office_of(employee).await?;
                offices.insert(employee.office_id.clone(), office);
            }
            let office = &offices[&employee.office_id];
            let zone = office
                .zone()
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let since = employee.created_at.with_timezone(&zone).date_naive();
            let today = now.with_timezone(&zone).date_naive();
            for day in days.iter().filter(|d| **d >= since && **d <= today) {
                let records = punches.get(&(employee.id.clone(), *day));
                rows.push(report_row(
                    employee,
                    office,
                    *day,
                    records.map(Vec::as_slice),
                ));
            }
        }
        Ok(MonthlyReport {
            month: month.to_owned(),
            rows,
        })
    }

    /// Today in the default time zone.
    fn today(&self) -> NaiveDate {
        self.clock
            .now()
            .with_timezone(&self.config.attendance.default_time_zone)
            .date_naive()
    }

    async fn all_attending_employees(&self) -> Result<Vec<Employee>, AppError> {
        let employees =
            all_pages(|request| async move { self.store.list_employees(&request).await }).await?;
        Ok(employees
            .into_iter()
            .filter(|e| e.on_roll && e.role != Role::Kiosk)
            .collect())
    }

    async fn everyone_on(&self, day: NaiveDate) -> Result<Vec<AttendanceRecord>, AppError> {
        all_pages(|request| async move { self.store.attendance_on(day, &request).await }).await
    }
}

/// One report row from the day's punches (oldest first).
fn report_row(
    employee: &Employee,
    office: &Office,
    day: NaiveDate,
    records: Option<&[AttendanceRecord]>,
) -> ReportRow {
    let local = |r: &AttendanceRecord| office.local_time(r.at).ok();
    let records = records.unwrap_or_default();
    let check_in = records.iter().find(|r| r.kind == AttendanceKind::CheckIn);
    let last_out = records
        .iter()
        .rev()
        .find(|r| r.kind == AttendanceKind::CheckOut);
    let first_in = check_in.and_then(local);
    let status = if !records.is_empty() {
        "present"
    } else if office.is_working_day(day) {
        "absent"
    } else {
        "day_off"
    };
    ReportRow {
        employee_id: employee.id.clone(),
        name: employee.name.clone(),
        date: day,
        status,
        first_in: first_in.map(|t| t.time()),
        last_out: last_out.and_then(local).map(|t| t.time()),
        late_minutes: first_in.map(|t| office.late_minutes(t)).unwrap_or(0),
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
fn text_cell(value: &str) -> String {
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
