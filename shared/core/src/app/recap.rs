//! The monthly recap HR computes the allowance cut from, and the daily board, derived at
//! read time from the punches and the rules in force (office week, calendars, rosters,
//! deduction table): a corrected holiday or roster changes past reports too.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use serde::Serialize;

use super::calendars::default_calendar;
use super::reach::{may_read, office_in_reach};
use super::reports::text_cell;
use super::{App, AppError, Principal, parse_id};
use crate::domain::{
    AttendanceRecord, AttendanceRequest, AttendanceRules, CalendarView, DayRecord, DayRules,
    DayStatus, Employee, Id, Office, Role, Shift, ShiftAssignment, days_between, month_bounds,
};

/// One employee's month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EmployeeRecap {
    /// The employee.
    pub employee_id: Id,
    /// Their name.
    pub name: String,
    /// Their staff number (NIP).
    pub staff_number: Option<String>,
    /// Their office.
    pub office_id: Id,
    /// Days with planned work (office days and roster shifts, holidays excluded).
    pub working_days: u32,
    /// Working days with at least one punch.
    pub present_days: u32,
    /// Days in each lateness bucket, TL1 to TL4 (a missing check-in included as the rules
    /// say).
    pub late_days: [u32; 4],
    /// Days in each early-leave bucket, PSW1 to PSW4 (a missing check-out included).
    pub early_days: [u32; 4],
    /// Minutes late in all.
    pub late_minutes: u32,
    /// Minutes left early in all.
    pub early_minutes: u32,
    /// Working days without any punch: absent without notice (TK).
    pub absent_days: u32,
    /// Days checked in and never out.
    pub no_check_out_days: u32,
    /// Days checked out and never in.
    pub no_check_in_days: u32,
    /// Working days of approved leave (cuti).
    pub leave_days: u32,
    /// Working days of approved excused absence (izin).
    pub excused_days: u32,
    /// Working days of approved sick leave (sakit).
    pub sick_days: u32,
    /// Working days of approved official duty elsewhere (dinas luar).
    pub official_duty_days: u32,
    /// Holidays that would have been working days.
    pub holidays: u32,
    /// Total deduction of the month, in percent (capped by the rules).
    pub deduction: f64,
    /// Each day.
    pub days: Vec<DayRecord>,
}

/// Every employee's month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthlyRecap {
    /// `YYYY-MM`.
    pub month: String,
    /// The rules it was computed with.
    pub rules: AttendanceRules,
    /// One recap per employee on the roll, by id.
    pub employees: Vec<EmployeeRecap>,
}

/// Where someone is on the daily board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BoardStatus {
    /// Checked in on time.
    In,
    /// Checked in late.
    Late,
    /// Checked out.
    Gone,
    /// On approved leave, excused, sick or on official duty.
    OnLeave,
    /// A working period that has not started for them yet, or has and they are not in.
    NotYetIn,
    /// The punch window of their period closed without a punch.
    Absent,
    /// On a shift that crosses midnight.
    NightShift,
    /// A holiday or a day off.
    Off,
}

/// One person on the daily board.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BoardEntry {
    /// The employee.
    pub employee_id: Id,
    /// Their name.
    pub name: String,
    /// Where they are.
    pub status: BoardStatus,
    /// Their check-in, local time.
    pub check_in: Option<NaiveDateTime>,
    /// Their check-out, local time (a lone punch after the middle of the working period is
    /// read as one).
    pub check_out: Option<NaiveDateTime>,
    /// Their planned start, local time.
    pub planned_start: Option<NaiveDateTime>,
    /// Their shift, if any.
    pub shift: Option<Id>,
}

/// The board of one office on one day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DailyBoard {
    /// The office.
    pub office_id: Id,
    /// The day.
    pub day: NaiveDate,
    /// Everyone on the roll of the office, by status then name.
    pub entries: Vec<BoardEntry>,
}

/// Days of punches read from the store at once for a report.
const DAYS_READ_AT_ONCE: usize = 8;

/// What the month's computations share: offices with their calendars, shifts, rosters,
/// rules and punches.
struct Context {
    offices: BTreeMap<Id, (Office, CalendarView)>,
    shifts: HashMap<Id, Shift>,
    rosters: HashMap<Id, Vec<ShiftAssignment>>,
    rules: AttendanceRules,
    punches: HashMap<Id, Vec<DateTime<Utc>>>,
    approved: HashMap<Id, Vec<AttendanceRequest>>,
}

impl App {
    /// The recap of `month` (`YYYY-MM`), up to today in each office's zone, for one
    /// employee or for every employee on the roll that `caller` may read: an admin those
    /// they manage, a supervisor their team and themselves, an employee themselves.
    pub async fn monthly_recap(
        &self,
        caller: &Principal,
        month: &str,
        employee: Option<&str>,
    ) -> Result<MonthlyRecap, AppError> {
        let (first, last) = month_bounds(month)
            .ok_or_else(|| AppError::invalid("invalid_month", "the month must be YYYY-MM"))?;
        let employees = match employee {
            Some(id) => {
                let employee = self.existing_employee(id).await?;
                if !may_read(caller, &employee) {
                    return Err(AppError::NotFound(format!("employee {}", employee.id)));
                }
                vec![employee]
            }
            None => self.readable_attending_employees(caller).await?,
        };
        let context = self.context(&employees, first, last).await?;
        let now = self.clock.now();
        let mut recaps = Vec::with_capacity(employees.len());
        for employee in &employees {
            let (office, calendar) = &context.offices[&employee.office_id];
            let zone = office
                .zone()
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let local_now = now.with_timezone(&zone).naive_local();
            let today = local_now.date();
            let since = employee.created_at.with_timezone(&zone).date_naive();
            let (from, to) = (first.max(since), last.min(today));
            let days = if from <= to {
                context
                    .rules_for(employee, office, calendar, local_now)
                    .days(from, to, &context.local_punches(employee, office))
            } else {
                Vec::new()
            };
            recaps.push(recap(employee, &context.rules, days));
        }
        Ok(MonthlyRecap {
            month: month.to_owned(),
            rules: context.rules,
            employees: recaps,
        })
    }

    /// Who is in, late, not yet in, gone, off or on a night shift at `office` (default: the
    /// caller's own) on `day` (default: today in the office's zone), as of now: of the
    /// employees `caller` may read, as for [`App::monthly_recap`]. An office where an
    /// employee reads nobody is not found for them.
    pub async fn daily_board(
        &self,
        caller: &Principal,
        office: Option<&str>,
        day: Option<NaiveDate>,
    ) -> Result<DailyBoard, AppError> {
        let office_id = match office {
            Some(office) => parse_id(office, "office id")?,
            None => self.existing_employee(caller.id.as_str()).await?.office_id,
        };
        if caller.role == Role::Admin {
            office_in_reach(caller, &office_id)?;
        }
        let employees: Vec<Employee> = self
            .readable_attending_employees(caller)
            .await?
            .into_iter()
            .filter(|e| e.office_id == office_id)
            .collect();
        let office = match employees.first() {
            Some(employee) => self.office_of(employee).await?,
            None if caller.role == Role::Admin => self.office(office_id.as_str()).await?,
            None => return Err(AppError::NotFound(format!("office {office_id}"))),
        };
        let zone = office
            .zone()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let now = self.clock.now();
        let local_now = now.with_timezone(&zone).naive_local();
        let day = day.unwrap_or(local_now.date());
        let context = self.context(&employees, day, day).await?;
        let (office, calendar) = &context.offices[&office_id];
        let mut entries = Vec::with_capacity(employees.len());
        for employee in &employees {
            let record = context
                .rules_for(employee, office, calendar, local_now)
                .days(day, day, &context.local_punches(employee, office))
                .remove(0);
            entries.push(board_entry(employee, &record));
        }
        entries.sort_by(|a, b| (a.status as u8, &a.name).cmp(&(b.status as u8, &b.name)));
        Ok(DailyBoard {
            office_id,
            day,
            entries,
        })
    }

    /// Loads what the days from `first` to `last` of `employees` are computed from: their
    /// offices and calendars, the shifts, the rosters, the rules and the punches of the days
    /// around (a night shift's check-out falls on the next day).
    async fn context(
        &self,
        employees: &[Employee],
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Context, AppError> {
        let (before, after) = (first - Duration::days(1), last + Duration::days(1));
        let mut offices = BTreeMap::new();
        for employee in employees {
            if !offices.contains_key(&employee.office_id) {
                let office = self.office_of(employee).await?;
                let calendar = self.calendar_view(&office, before, after).await?;
                offices.insert(employee.office_id.clone(), (office, calendar));
            }
        }
        let shifts = self
            .store
            .shifts()
            .await?
            .into_iter()
            .map(|s| (s.id.clone(), s))
            .collect();
        let mut rosters: HashMap<Id, Vec<ShiftAssignment>> = HashMap::new();
        for entry in self.store.assignments_between(before, after).await? {
            rosters
                .entry(entry.employee_id.clone())
                .or_default()
                .push(entry);
        }
        let mut approved: HashMap<Id, Vec<AttendanceRequest>> = HashMap::new();
        for request in self.store.approved_between(before, after).await? {
            approved
                .entry(request.employee_id.clone())
                .or_default()
                .push(request);
        }
        let wanted: std::collections::HashSet<&Id> = employees.iter().map(|e| &e.id).collect();
        let mut punches: HashMap<Id, Vec<DateTime<Utc>>> = HashMap::new();
        // Days are read a few at a time: each is one query (or a few pages) on the store.
        let days: Vec<Vec<AttendanceRecord>> =
            futures::stream::iter(days_between(before, after).map(|day| self.everyone_on(day)))
                .buffered(DAYS_READ_AT_ONCE)
                .try_collect()
                .await?;
        for records in days {
            for record in records
                .into_iter()
                .filter(|r| wanted.contains(&r.employee_id))
            {
                punches
                    .entry(record.employee_id)
                    .or_default()
                    .push(record.at);
            }
        }
        Ok(Context {
            offices,
            shifts,
            rosters,
            rules: self.attendance_rules().await?,
            punches,
            approved,
        })
    }

    /// The holidays and special periods of the default calendar and the office's own.
    async fn calendar_view(
        &self,
        office: &Office,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<CalendarView, AppError> {
        let mut view = CalendarView::default();
        let mut calendars = vec![default_calendar()];
        calendars.extend(office.calendar.clone());
        for calendar in &calendars {
            view.holidays
                .extend(self.store.holidays(calendar, from, to).await?);
            view.periods
                .extend(self.store.special_periods(calendar).await?);
        }
        Ok(view)
    }
}

impl Context {
    fn rules_for<'a>(
        &'a self,
        employee: &Employee,
        office: &'a Office,
        calendar: &'a CalendarView,
        local_now: NaiveDateTime,
    ) -> DayRules<'a> {
        DayRules {
            office,
            calendar,
            roster: self.rosters.get(&employee.id).map_or(&[], Vec::as_slice),
            shifts: &self.shifts,
            rules: &self.rules,
            as_of: Some(local_now),
            approved: self.approved.get(&employee.id).map_or(&[], Vec::as_slice),
        }
    }

    /// The employee's punches in their office's local time.
    fn local_punches(&self, employee: &Employee, office: &Office) -> Vec<NaiveDateTime> {
        self.punches
            .get(&employee.id)
            .map(|all| {
                all.iter()
                    .filter_map(|at| office.local_time(*at).ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Sums an employee's days into their recap.
fn recap(employee: &Employee, rules: &AttendanceRules, days: Vec<DayRecord>) -> EmployeeRecap {
    let mut recap = EmployeeRecap {
        employee_id: employee.id.clone(),
        name: employee.name.clone(),
        staff_number: employee.staff_number.clone(),
        office_id: employee.office_id.clone(),
        working_days: 0,
        present_days: 0,
        late_days: [0; 4],
        early_days: [0; 4],
        late_minutes: 0,
        early_minutes: 0,
        absent_days: 0,
        no_check_out_days: 0,
        no_check_in_days: 0,
        leave_days: 0,
        excused_days: 0,
        sick_days: 0,
        official_duty_days: 0,
        holidays: 0,
        deduction: 0.0,
        days: Vec::new(),
    };
    for day in &days {
        match day.status {
            DayStatus::Holiday => recap.holidays += 1,
            DayStatus::DayOff | DayStatus::Open => {}
            status => {
                recap.working_days += 1;
                match status {
                    DayStatus::Absent => recap.absent_days += 1,
                    DayStatus::NoCheckOut => recap.no_check_out_days += 1,
                    DayStatus::NoCheckIn => recap.no_check_in_days += 1,
                    DayStatus::Leave => recap.leave_days += 1,
                    DayStatus::Excused => recap.excused_days += 1,
                    DayStatus::Sick => recap.sick_days += 1,
                    DayStatus::OfficialDuty => recap.official_duty_days += 1,
                    _ => {}
                }
                if status != DayStatus::Absent && !status.is_leave() {
                    recap.present_days += 1;
                }
            }
        }
        if let Some(bucket) = day.late_bucket {
            recap.late_days[usize::from(bucket.clamp(1, 4)) - 1] += 1;
        }
        if let Some(bucket) = day.early_bucket {
            recap.early_days[usize::from(bucket.clamp(1, 4)) - 1] += 1;
        }
        recap.late_minutes += day.late_minutes;
        recap.early_minutes += day.early_minutes;
        recap.deduction += day.deduction;
    }
    recap.deduction = (recap.deduction * 100.0).round() / 100.0;
    recap.deduction = recap.deduction.min(rules.monthly_cap);
    recap.days = days;
    recap
}

/// Where `record`'s employee is (the record is read as of now).
fn board_entry(employee: &Employee, record: &DayRecord) -> BoardEntry {
    let night = record
        .planned_end
        .zip(record.planned_start)
        .is_some_and(|(end, start)| end.date() > start.date());
    let status = match record.status {
        DayStatus::Holiday | DayStatus::DayOff => BoardStatus::Off,
        status if status.is_leave() => BoardStatus::OnLeave,
        DayStatus::Absent => BoardStatus::Absent,
        _ if record.check_out.is_some() => BoardStatus::Gone,
        _ if record.check_in.is_none() => BoardStatus::NotYetIn,
        _ if night => BoardStatus::NightShift,
        _ if record.late_minutes > 0 => BoardStatus::Late,
        _ => BoardStatus::In,
    };
    BoardEntry {
        employee_id: employee.id.clone(),
        name: employee.name.clone(),
        status,
        check_in: record.check_in,
        check_out: record.check_out,
        planned_start: record.planned_start,
        shift: record.shift.clone(),
    }
}

impl MonthlyRecap {
    /// The recap, one row per employee, as CSV (text cells defused).
    pub fn recap_csv(&self) -> String {
        let mut csv = String::from(
            "employee_id,name,staff_number,office_id,working_days,present_days,tl1,tl2,tl3,tl4,\
             psw1,psw2,psw3,psw4,late_minutes,early_minutes,absent_days,no_check_out_days,\
             no_check_in_days,leave_days,excused_days,sick_days,official_duty_days,holidays,\
             deduction_percent\n",
        );
        for e in &self.employees {
            let mut cells = vec![
                text_cell(e.employee_id.as_str()),
                text_cell(&e.name),
                text_cell(e.staff_number.as_deref().unwrap_or_default()),
                text_cell(e.office_id.as_str()),
                e.working_days.to_string(),
                e.present_days.to_string(),
            ];
            cells.extend(e.late_days.iter().chain(&e.early_days).map(u32::to_string));
            cells.extend([
                e.late_minutes.to_string(),
                e.early_minutes.to_string(),
                e.absent_days.to_string(),
                e.no_check_out_days.to_string(),
                e.no_check_in_days.to_string(),
                e.leave_days.to_string(),
                e.excused_days.to_string(),
                e.sick_days.to_string(),
                e.official_duty_days.to_string(),
                e.holidays.to_string(),
                format!("{:.2}", e.deduction),
            ]);
            csv.push_str(&cells.join(","));
            csv.push('\n');
        }
        csv
    }

    /// Every employee's days, one row per day, as CSV (text cells defused).
    pub fn daily_csv(&self) -> String {
        let mut csv = String::from(
            "employee_id,name,date,status,shift,planned_start,planned_end,check_in,check_out,\
             late_minutes,early_minutes,worked_minutes,tl,psw,deduction_percent\n",
        );
        let time = |t: Option<NaiveDateTime>| {
            t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default()
        };
        let bucket = |b: Option<u8>| b.map(|b| b.to_string()).unwrap_or_default();
        for e in &self.employees {
            for d in &e.days {
                let cells = [
                    text_cell(e.employee_id.as_str()),
                    text_cell(&e.name),
                    d.date.to_string(),
                    status_name(d.status).to_owned(),
                    d.shift.as_ref().map(Id::to_string).unwrap_or_default(),
                    time(d.planned_start),
                    time(d.planned_end),
                    time(d.check_in),
                    time(d.check_out),
                    d.late_minutes.to_string(),
                    d.early_minutes.to_string(),
                    d.worked_minutes.to_string(),
                    bucket(d.late_bucket),
                    bucket(d.early_bucket),
                    format!("{:.2}", d.deduction),
                ];
                csv.push_str(&cells.join(","));
                csv.push('\n');
            }
        }
        csv
    }
}

/// The stable name of a day status, as JSON writes it.
pub fn status_name(status: DayStatus) -> &'static str {
    match status {
        DayStatus::Present => "present",
        DayStatus::Late => "late",
        DayStatus::LeftEarly => "left_early",
        DayStatus::LateAndLeftEarly => "late_and_left_early",
        DayStatus::NoCheckOut => "no_check_out",
        DayStatus::NoCheckIn => "no_check_in",
        DayStatus::Absent => "absent",
        DayStatus::Holiday => "holiday",
        DayStatus::DayOff => "day_off",
        DayStatus::Open => "open",
        DayStatus::Leave => "leave",
        DayStatus::Excused => "excused",
        DayStatus::Sick => "sick",
        DayStatus::OfficialDuty => "official_duty",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_are_the_json_ones() {
        for status in [
            DayStatus::Present,
            DayStatus::Late,
            DayStatus::LeftEarly,
            DayStatus::LateAndLeftEarly,
            DayStatus::NoCheckOut,
            DayStatus::NoCheckIn,
            DayStatus::Absent,
            DayStatus::Holiday,
            DayStatus::DayOff,
            DayStatus::Open,
            DayStatus::Leave,
            DayStatus::Excused,
            DayStatus::Sick,
            DayStatus::OfficialDuty,
        ] {
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::json!(status_name(status))
            );
        }
    }
}
