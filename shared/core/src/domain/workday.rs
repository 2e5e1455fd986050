//! The civil-service attendance rules: what each day of an employee was planned to be
//! (office week, special period, holiday, roster shift), which punches belong to it, and
//! what it was (present, late, left early, no check-out, absent without notice...), with
//! the lateness and early-leave buckets and the deductions a deployment applies.
//!
//! Everything here works on the office's local time and is computed at read time from the
//! punches and the rules, so a corrected holiday or roster changes past days too.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{
    AttendanceRequest, CalendarView, Id, Office, Period, RequestKind, Shift, ShiftAssignment,
};

/// Lateness (TL) and early-leave (PSW) buckets and the deduction table of a deployment:
/// regional regulations set their own, so admins change them (`PUT /v1/attendance-rules`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AttendanceRules {
    /// Upper bounds in minutes of buckets 1, 2 and 3 (TL1 1-30, TL2 31-60, TL3 61-90);
    /// bucket 4 is everything above the last.
    pub bucket_limits: [u32; 3],
    /// Deduction in percent of the allowance for one day in each lateness bucket.
    pub late_deductions: [f64; 4],
    /// Deduction for one day in each early-leave bucket.
    pub early_deductions: [f64; 4],
    /// Deduction for one day absent without notice (TK).
    pub absent_deduction: f64,
    /// The early-leave bucket a day without a check-out counts as.
    pub no_check_out_bucket: u8,
    /// The lateness bucket a day without a check-in counts as.
    pub no_check_in_bucket: u8,
    /// Most deduction of one month, in percent.
    pub monthly_cap: f64,
    /// Deduction for one working day of each kind of approved leave.
    pub leave_deductions: LeaveDeductions,
}

/// Deduction in percent for one working day of each kind of approved leave; none by
/// default (regions that cut the allowance for izin or sakit set their own).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeaveDeductions {
    /// Cuti.
    pub leave: f64,
    /// Izin.
    pub excused: f64,
    /// Sakit.
    pub sick: f64,
    /// Dinas luar.
    pub official_duty: f64,
}

impl LeaveDeductions {
    /// The deduction of one day of `kind`, or `None` for a correction.
    pub fn of(&self, kind: RequestKind) -> Option<f64> {
        match kind {
            RequestKind::Leave => Some(self.leave),
            RequestKind::Excused => Some(self.excused),
            RequestKind::Sick => Some(self.sick),
            RequestKind::OfficialDuty => Some(self.official_duty),
            RequestKind::MissedCheckIn
            | RequestKind::MissedCheckOut
            | RequestKind::OtherCorrection => None,
        }
    }
}

impl Default for AttendanceRules {
    fn default() -> Self {
        Self {
            bucket_limits: [30, 60, 90],
            late_deductions: [0.5, 1.0, 1.25, 1.5],
            early_deductions: [0.5, 1.0, 1.25, 1.5],
            absent_deduction: 3.0,
            no_check_out_bucket: 4,
            no_check_in_bucket: 4,
            monthly_cap: 100.0,
            leave_deductions: LeaveDeductions::default(),
        }
    }
}

impl AttendanceRules {
    /// Checks that the bucket limits ascend and the percentages are within 0 and 100.
    pub fn validate(&self) -> Result<(), String> {
        let [a, b, c] = self.bucket_limits;
        if !(0 < a && a < b && b < c && c <= 24 * 60) {
            return Err("bucket limits must ascend from above 0 to at most 1440 minutes".into());
        }
        let percentages = self
            .late_deductions
            .iter()
            .chain(&self.early_deductions)
            .chain([&self.absent_deduction, &self.monthly_cap])
            .chain([
                &self.leave_deductions.leave,
                &self.leave_deductions.excused,
                &self.leave_deductions.sick,
                &self.leave_deductions.official_duty,
            ]);
        for value in percentages {
            if !(0.0..=100.0).contains(value) {
                return Err("deductions are percentages from 0 to 100".into());
            }
        }
        if !(1..=4).contains(&self.no_check_out_bucket)
            || !(1..=4).contains(&self.no_check_in_bucket)
        {
            return Err("a missing punch counts as a bucket from 1 to 4".into());
        }
        Ok(())
    }

    /// The bucket (1 to 4) of `minutes` late or early; 0 for none.
    pub fn bucket(&self, minutes: u32) -> u8 {
        match minutes {
            0 => 0,
            m if m <= self.bucket_limits[0] => 1,
            m if m <= self.bucket_limits[1] => 2,
            m if m <= self.bucket_limits[2] => 3,
            _ => 4,
        }
    }
}

/// What a day was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayStatus {
    /// Worked the whole period.
    Present,
    /// Checked in late (TL).
    Late,
    /// Left early (PSW).
    LeftEarly,
    /// Both.
    LateAndLeftEarly,
    /// Checked in and never out (a forgotten punch).
    NoCheckOut,
    /// Checked out and never in.
    NoCheckIn,
    /// A working day without a punch: absent without notice (TK).
    Absent,
    /// A holiday of the office's calendars.
    Holiday,
    /// Not a working day (the week's, or the roster's).
    DayOff,
    /// A working period whose punch window has not closed yet: its punches so far, no
    /// bucket and no deduction until it closes.
    Open,
    /// A working day of approved leave (cuti).
    Leave,
    /// A working day of approved excused absence (izin).
    Excused,
    /// A working day of approved sick leave (sakit).
    Sick,
    /// A working day of approved official duty elsewhere (dinas luar).
    OfficialDuty,
}

impl DayStatus {
    /// The status of a working day that an approved request of `kind` covers, or `None`
    /// for a correction (which adds a punch instead).
    pub fn of_leave(kind: RequestKind) -> Option<Self> {
        match kind {
            RequestKind::Leave => Some(Self::Leave),
            RequestKind::Excused => Some(Self::Excused),
            RequestKind::Sick => Some(Self::Sick),
            RequestKind::OfficialDuty => Some(Self::OfficialDuty),
            RequestKind::MissedCheckIn
            | RequestKind::MissedCheckOut
            | RequestKind::OtherCorrection => None,
        }
    }

    /// Whether it is a day of approved leave of some kind.
    pub fn is_leave(self) -> bool {
        matches!(
            self,
            Self::Leave | Self::Excused | Self::Sick | Self::OfficialDuty
        )
    }
}

/// One day of one employee, derived from their punches and the rules.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayRecord {
    /// The day (a night shift's is the day it starts).
    pub date: NaiveDate,
    /// What it was.
    pub status: DayStatus,
    /// Planned start, local time.
    pub planned_start: Option<NaiveDateTime>,
    /// Planned end, local time (the next day for a night shift).
    pub planned_end: Option<NaiveDateTime>,
    /// The roster's shift, if the day was one.
    pub shift: Option<Id>,
    /// The holiday's name, on a holiday.
    pub holiday: Option<String>,
    /// Check-in, local time.
    pub check_in: Option<NaiveDateTime>,
    /// Check-out, local time.
    pub check_out: Option<NaiveDateTime>,
    /// Minutes late (past the grace period: counted from the start).
    pub late_minutes: u32,
    /// Minutes left before the end.
    pub early_minutes: u32,
    /// Minutes between check-in and check-out.
    pub worked_minutes: u32,
    /// Lateness bucket, 1 to 4 (TL1-TL4); a missing check-in counts as the rules say.
    pub late_bucket: Option<u8>,
    /// Early-leave bucket, 1 to 4 (PSW1-PSW4); a missing check-out counts as the rules say.
    pub early_bucket: Option<u8>,
    /// Deduction of the day, in percent.
    pub deduction: f64,
}

/// What a day was planned to be.
#[derive(Clone, Debug, PartialEq)]
pub enum DayPlan {
    /// A period of work.
    Work(Period),
    /// A holiday of the calendar.
    Holiday(String),
    /// A day off.
    DayOff,
}

/// Everything that decides an employee's days besides their punches.
pub struct DayRules<'a> {
    /// Their office (time zone, week).
    pub office: &'a Office,
    /// The office's calendars.
    pub calendar: &'a CalendarView,
    /// Their roster entries.
    pub roster: &'a [ShiftAssignment],
    /// Every shift, by id.
    pub shifts: &'a HashMap<Id, Shift>,
    /// Buckets and deductions.
    pub rules: &'a AttendanceRules,
    /// Their approved requests (leave of any kind covers its working days).
    pub approved: &'a [AttendanceRequest],
    /// Local time now, when the days are read while they may still be going on; `None`
    /// treats every day as final.
    pub as_of: Option<NaiveDateTime>,
}

impl DayRules<'_> {
    /// The plan of `day`: a roster entry first (a shift is worked even on a holiday), then a
    /// holiday, then the week of a special period or the office's.
    pub fn plan(&self, day: NaiveDate) -> DayPlan {
        if let Some(entry) = self.roster.iter().find(|a| a.covers(day)) {
            return match entry.shift_id.as_ref().and_then(|id| self.shifts.get(id)) {
                Some(shift) => DayPlan::Work(shift.period_on(day)),
                None => DayPlan::DayOff,
            };
        }
        if let Some(holiday) = self.calendar.holiday(day) {
            return DayPlan::Holiday(holiday.name.clone());
        }
        let week = self
            .calendar
            .period(day)
            .map_or(&self.office.schedule, |p| &p.schedule);
        week.period_on(day).map_or(DayPlan::DayOff, DayPlan::Work)
    }

    /// The record of every day from `first` to `last` (included), from `punches` (local
    /// times, any order; punches of the days around the range belong there too). A punch
    /// belongs to the work period whose window (from `earliest` before its start to `latest`
    /// after its end) holds it; where two windows hold it, to the period it is nearer to, and
    /// on a tie to the earlier one. A punch no window holds is shown on its calendar day if
    /// that is a holiday or a day off (work outside the plan, without deduction), else
    /// belongs to no day.
    pub fn days(
        &self,
        first: NaiveDate,
        last: NaiveDate,
        punches: &[NaiveDateTime],
    ) -> Vec<DayRecord> {
        let plans: Vec<(NaiveDate, DayPlan)> =
            days_between(first - Duration::days(1), last + Duration::days(1))
                .map(|day| (day, self.plan(day)))
                .collect();
        let periods: Vec<&Period> = plans
            .iter()
            .filter_map(|(_, plan)| match plan {
                DayPlan::Work(period) => Some(period),
                _ => None,
            })
            .collect();
        let mut belonging: HashMap<NaiveDate, Vec<NaiveDateTime>> = HashMap::new();
        for punch in punches {
            let owner = periods
                .iter()
                .filter(|p| p.admits(*punch))
                .min_by_key(|p| (p.distance(*punch), p.start));
            let day = owner.map_or(punch.date(), |period| period.day);
            belonging.entry(day).or_default().push(*punch);
        }
        plans
            .into_iter()
            .filter(|(day, _)| first <= *day && *day <= last)
            .map(|(day, plan)| {
                let mut mine = belonging.remove(&day).unwrap_or_default();
                mine.sort();
                self.record(day, plan, &mine)
            })
            .collect()
    }

    /// The record of one day from its plan and its punches (sorted).
    fn record(&self, date: NaiveDate, plan: DayPlan, punches: &[NaiveDateTime]) -> DayRecord {
        let mut record = DayRecord {
            date,
            status: DayStatus::DayOff,
            planned_start: None,
            planned_end: None,
            shift: None,
            holiday: None,
            check_in: None,
            check_out: None,
            late_minutes: 0,
            early_minutes: 0,
            worked_minutes: 0,
            late_bucket: None,
            early_bucket: None,
            deduction: 0.0,
        };
        let period = match plan {
            DayPlan::Work(period) => period,
            DayPlan::Holiday(name) => {
                record.status = DayStatus::Holiday;
                record.holiday = Some(name);
                record.show_unplanned(punches);
                return record;
            }
            DayPlan::DayOff => {
                record.show_unplanned(punches);
                return record;
            }
        };
        record.planned_start = Some(period.start);
        record.planned_end = Some(period.end);
        record.shift = period.shift.clone();
        let rules = self.rules;
        let midpoint = period.midpoint();
        let (check_in, check_out) = match punches {
            [] => (None, None),
            [one] if *one < midpoint => (Some(*one), None),
            [one] => (None, Some(*one)),
            [first, .., last] => (Some(*first), Some(*last)),
        };
        record.check_in = check_in;
        record.check_out = check_out;
        let leave = self.approved.iter().find_map(|request| {
            let status = DayStatus::of_leave(request.kind)?;
            let deduction = self.rules.leave_deductions.of(request.kind)?;
            request.covers(date).then_some((status, deduction))
        });
        if let Some((status, deduction)) = leave {
            // A working day of approved leave: its punches are shown, nothing is late.
            if let (Some(start), Some(end)) = (check_in, check_out) {
                record.worked_minutes = minutes(end - start);
            }
            record.status = status;
            record.deduction = deduction;
            return record;
        }
        if let Some(at) = check_in {
            let late = at - period.start;
            if late > Duration::minutes(i64::from(period.grace_minutes)) {
                record.late_minutes = minutes(late);
            }
        }
        if let Some(at) = check_out {
            record.early_minutes = minutes(period.end - at);
        }
        if let (Some(start), Some(end)) = (check_in, check_out) {
            record.worked_minutes = minutes(end - start);
        }
        if self.as_of.is_some_and(|now| now <= period.closes()) {
            record.status = DayStatus::Open;
            return record;
        }
        let late = rules.bucket(record.late_minutes);
        let early = rules.bucket(record.early_minutes);
        record.late_bucket = (late > 0).then_some(late);
        record.early_bucket = (early > 0).then_some(early);
        record.status = match (check_in, check_out) {
            (None, None) => DayStatus::Absent,
            (Some(_), None) => {
                record.early_bucket = Some(rules.no_check_out_bucket);
                DayStatus::NoCheckOut
            }
            (None, Some(_)) => {
                record.late_bucket = Some(rules.no_check_in_bucket);
                DayStatus::NoCheckIn
            }
            (Some(_), Some(_)) => match (late > 0, early > 0) {
                (false, false) => DayStatus::Present,
                (true, false) => DayStatus::Late,
                (false, true) => DayStatus::LeftEarly,
                (true, true) => DayStatus::LateAndLeftEarly,
            },
        };
        record.deduction = if record.status == DayStatus::Absent {
            rules.absent_deduction
        } else {
            let pick = |table: &[f64; 4], bucket: Option<u8>| {
                bucket.map_or(0.0, |b| table[usize::from(b.clamp(1, 4)) - 1])
            };
            pick(&rules.late_deductions, record.late_bucket)
                + pick(&rules.early_deductions, record.early_bucket)
        };
        record
    }
}

impl DayRecord {
    /// Shows the punches of a day without planned work, and the time between them.
    fn show_unplanned(&mut self, punches: &[NaiveDateTime]) {
        if let [first, .., last] = punches {
            self.check_in = Some(*first);
            self.check_out = Some(*last);
            self.worked_minutes = minutes(*last - *first);
        } else if let [one] = punches {
            self.check_in = Some(*one);
        }
    }
}

/// Whole minutes of a duration, none below zero.
fn minutes(duration: Duration) -> u32 {
    u32::try_from(duration.num_minutes()).unwrap_or(0)
}

/// Every day from `first` to `last`, both included.
pub fn days_between(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    first.iter_days().take_while(move |day| *day <= last)
}

/// The first and last day of the month `YYYY-MM`.
pub fn month_bounds(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    if month.len() != 7 {
        return None;
    }
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Some((first, next - Duration::days(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Holiday, HolidayKind, SpecialPeriod, WorkHours, WorkSchedule};
    use chrono::NaiveTime;

    fn id(text: &str) -> Id {
        Id::parse(text).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
        day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap())
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    /// A Monday-Friday 07:30-16:00 office (Friday to 16:30) with a 10-minute grace.
    fn office(zone: &str) -> Office {
        let mut office = Office::standard(id("dinas"), "Dinas", zone);
        office.schedule = WorkSchedule::new(time(7, 30), time(16, 0), vec![1, 2, 3, 4, 5]);
        office.schedule.hours.insert(
            5,
            WorkHours {
                start: time(7, 30),
                end: time(16, 30),
            },
        );
        office.schedule.grace_minutes = 10;
        office
    }

    fn night() -> Shift {
        Shift {
            id: id("malam"),
            name: "Malam".into(),
            start: time(22, 0),
            end: time(7, 0),
            grace_minutes: 0,
            earliest_check_in_minutes: 120,
            latest_check_out_minutes: 180,
        }
    }

    struct Fixture {
        office: Office,
        calendar: CalendarView,
        roster: Vec<ShiftAssignment>,
        shifts: HashMap<Id, Shift>,
        rules: AttendanceRules,
        approved: Vec<AttendanceRequest>,
    }

    impl Fixture {
        fn new(zone: &str) -> Self {
            Self {
                office: office(zone),
                calendar: CalendarView::default(),
                roster: Vec::new(),
                shifts: HashMap::from([(id("malam"), night())]),
                rules: AttendanceRules::default(),
                approved: Vec::new(),
            }
        }

        fn rules(&self) -> DayRules<'_> {
            DayRules {
                office: &self.office,
                calendar: &self.calendar,
                roster: &self.roster,
                shifts: &self.shifts,
                rules: &self.rules,
                approved: &self.approved,
                as_of: None,
            }
        }

        fn one(&self, date: NaiveDate, punches: &[NaiveDateTime]) -> DayRecord {
            self.rules().days(date, date, punches).remove(0)
        }
    }

    #[test]
    fn the_grace_minute_itself_is_on_time_and_lateness_counts_from_the_start() {
        let f = Fixture::new("Asia/Jakarta");
        let monday = day(2026, 11, 30);
        let on_time = f.one(monday, &[at(monday, 7, 40), at(monday, 16, 0)]);
        assert_eq!(
            (on_time.status, on_time.late_minutes),
            (DayStatus::Present, 0)
        );
        let late = f.one(monday, &[at(monday, 7, 41), at(monday, 16, 5)]);
        assert_eq!(
            (late.status, late.late_minutes, late.late_bucket),
            (DayStatus::Late, 11, Some(1))
        );
        assert_eq!(late.deduction, 0.5);
        assert_eq!(late.worked_minutes, 8 * 60 + 24);
        let very = f.one(monday, &[at(monday, 8, 59), at(monday, 15, 0)]);
        assert_eq!(very.status, DayStatus::LateAndLeftEarly);
        assert_eq!((very.late_bucket, very.early_bucket), (Some(3), Some(2)));
        assert_eq!(very.deduction, 1.25 + 1.0);
        let later = f.one(monday, &[at(monday, 9, 1), at(monday, 16, 0)]);
        assert_eq!((later.late_minutes, later.late_bucket), (91, Some(4)));
    }

    #[test]
    fn a_longer_friday_and_a_forgotten_check_out() {
        let f = Fixture::new("Asia/Makassar");
        let friday = day(2026, 12, 4);
        let left = f.one(friday, &[at(friday, 7, 20), at(friday, 16, 10)]);
        assert_eq!(
            (left.status, left.early_minutes),
            (DayStatus::LeftEarly, 20)
        );
        let forgot = f.one(friday, &[at(friday, 7, 25)]);
        assert_eq!(forgot.status, DayStatus::NoCheckOut);
        assert_eq!(forgot.early_bucket, Some(4), "counts as PSW4 by default");
        assert_eq!(forgot.deduction, 1.5);
        let only_out = f.one(friday, &[at(friday, 16, 40)]);
        assert_eq!(
            (only_out.status, only_out.late_bucket),
            (DayStatus::NoCheckIn, Some(4))
        );
        let absent = f.one(friday, &[]);
        assert_eq!((absent.status, absent.deduction), (DayStatus::Absent, 3.0));
    }

    #[test]
    fn approved_leave_covers_its_working_days_with_the_rules_deduction() {
        let mut f = Fixture::new("Asia/Jakarta");
        f.rules.leave_deductions.excused = 1.0;
        let (monday, tuesday, saturday) = (day(2026, 11, 30), day(2026, 12, 1), day(2026, 12, 5));
        let leave = |kind, from, to| AttendanceRequest {
            id: id("r"),
            employee_id: id("amy"),
            kind,
            from,
            to,
            at: None,
            reason: "family".into(),
            reference: None,
            status: crate::domain::RequestStatus::Approved,
            filed_by: id("amy"),
            filed_at: chrono::DateTime::default(),
            decided_by: Some(id("boss")),
            decided_at: None,
            decision_note: None,
            attachment: None,
            version: 2,
        };
        f.approved = vec![
            leave(RequestKind::Sick, monday, monday),
            leave(RequestKind::Excused, tuesday, saturday),
            leave(
                RequestKind::MissedCheckIn,
                day(2026, 12, 7),
                day(2026, 12, 7),
            ),
        ];
        let sick = f.one(monday, &[]);
        assert_eq!((sick.status, sick.deduction), (DayStatus::Sick, 0.0));
        let izin = f.one(tuesday, &[at(tuesday, 9, 30)]);
        assert_eq!((izin.status, izin.late_bucket), (DayStatus::Excused, None));
        assert_eq!(izin.deduction, 1.0);
        assert_eq!(f.one(saturday, &[]).status, DayStatus::DayOff);
        let corrected = f.one(day(2026, 12, 7), &[]);
        assert_eq!(
            corrected.status,
            DayStatus::Absent,
            "a correction is no leave"
        );
    }

    #[test]
    fn a_holiday_on_a_working_day_is_no_absence_and_weekends_are_off() {
        let mut f = Fixture::new("Asia/Jayapura");
        let wednesday = day(2026, 12, 2);
        f.calendar.holidays.push(Holiday {
            calendar: id("default"),
            date: wednesday,
            name: "Libur".into(),
            kind: HolidayKind::National,
        });
        let holiday = f.one(wednesday, &[]);
        assert_eq!(
            (holiday.status, holiday.deduction),
            (DayStatus::Holiday, 0.0)
        );
        assert_eq!(holiday.holiday.as_deref(), Some("Libur"));
        let saturday = f.one(day(2026, 12, 5), &[]);
        assert_eq!(saturday.status, DayStatus::DayOff);
    }

    #[test]
    fn work_on_a_holiday_is_shown_without_deduction() {
        let mut f = Fixture::new("Asia/Jakarta");
        let wednesday = day(2026, 12, 2);
        f.calendar.holidays.push(Holiday {
            calendar: id("default"),
            date: wednesday,
            name: "Libur".into(),
            kind: HolidayKind::National,
        });
        let worked = f.one(wednesday, &[at(wednesday, 8, 0), at(wednesday, 12, 30)]);
        assert_eq!((worked.status, worked.deduction), (DayStatus::Holiday, 0.0));
        assert_eq!(worked.check_in, Some(at(wednesday, 8, 0)));
        assert_eq!(worked.worked_minutes, 270);
    }

    #[test]
    fn a_day_is_open_until_its_check_out_window_closes() {
        let f = Fixture::new("Asia/Jakarta");
        let monday = day(2026, 11, 30);
        let mut rules = f.rules();
        // The default window: check-outs count until six hours after 16:00.
        rules.as_of = Some(at(monday, 21, 59));
        let open = rules.days(monday, monday, &[at(monday, 8, 0)]).remove(0);
        assert_eq!((open.status, open.deduction), (DayStatus::Open, 0.0));
        assert_eq!((open.late_minutes, open.early_bucket), (30, None));
        rules.as_of = Some(at(monday, 22, 1));
        let closed = rules.days(monday, monday, &[at(monday, 8, 0)]).remove(0);
        assert_eq!(closed.status, DayStatus::NoCheckOut);
    }

    #[test]
    fn ramadan_hours_replace_the_week() {
        let mut f = Fixture::new("Asia/Jakarta");
        let mut ramadan = WorkSchedule::new(time(8, 0), time(15, 0), vec![1, 2, 3, 4, 5]);
        ramadan.hours.insert(
            5,
            WorkHours {
                start: time(8, 0),
                end: time(15, 30),
            },
        );
        f.calendar.periods.push(SpecialPeriod {
            calendar: id("default"),
            id: id("ramadan"),
            name: "Ramadan".into(),
            from: day(2027, 2, 8),
            to: day(2027, 3, 9),
            schedule: ramadan,
        });
        let monday = day(2027, 2, 15);
        let short = f.one(monday, &[at(monday, 7, 55), at(monday, 15, 1)]);
        assert_eq!(short.status, DayStatus::Present);
        assert_eq!(short.planned_end, Some(at(monday, 15, 0)));
        let late = f.one(monday, &[at(monday, 8, 20), at(monday, 15, 1)]);
        assert_eq!(late.late_minutes, 20);
        let after = day(2027, 3, 15);
        let normal = f.one(after, &[at(after, 7, 35), at(after, 15, 1)]);
        assert_eq!(normal.status, DayStatus::LeftEarly, "the usual week again");
    }

    #[test]
    fn a_night_shift_crossing_midnight_and_the_month_owns_its_morning_check_out() {
        let mut f = Fixture::new("Asia/Jakarta");
        f.roster.push(ShiftAssignment {
            id: id("r1"),
            employee_id: id("nurse"),
            shift_id: Some(id("malam")),
            from: day(2026, 11, 28),
            to: day(2026, 12, 1),
        });
        // The nights of 29 and 30 November and of 1 December, a holiday on the 1st.
        f.calendar.holidays.push(Holiday {
            calendar: id("default"),
            date: day(2026, 12, 1),
            name: "Libur".into(),
            kind: HolidayKind::Local,
        });
        let punches = [
            at(day(2026, 11, 29), 21, 50),
            at(day(2026, 11, 30), 7, 5),
            at(day(2026, 11, 30), 22, 15),
            at(day(2026, 12, 1), 7, 2),
            at(day(2026, 12, 1), 21, 58),
        ];
        let days = f
            .rules()
            .days(day(2026, 11, 29), day(2026, 12, 1), &punches);
        assert_eq!(days[0].status, DayStatus::Present);
        assert_eq!(days[0].check_out, Some(at(day(2026, 11, 30), 7, 5)));
        assert_eq!(days[0].worked_minutes, 9 * 60 + 15);
        assert_eq!(
            (days[1].status, days[1].late_minutes),
            (DayStatus::Late, 15)
        );
        assert_eq!(days[1].check_out, Some(at(day(2026, 12, 1), 7, 2)));
        // The shift is worked on the holiday; its check-out is on 2 December, not given.
        assert_eq!(days[2].status, DayStatus::NoCheckOut);
        assert_eq!(days[2].shift, Some(id("malam")));
        // The month boundary: November's report sees the 30th's shift whole.
        let november = f
            .rules()
            .days(day(2026, 11, 30), day(2026, 11, 30), &punches);
        assert_eq!(november[0].check_out, Some(at(day(2026, 12, 1), 7, 2)));
    }

    #[test]
    fn a_punch_between_two_close_periods_goes_to_the_nearer() {
        let mut f = Fixture::new("Asia/Jakarta");
        let early = Shift {
            id: id("pagi"),
            name: "Pagi".into(),
            start: time(6, 0),
            end: time(14, 0),
            grace_minutes: 0,
            earliest_check_in_minutes: 180,
            latest_check_out_minutes: 180,
        };
        f.shifts.insert(id("pagi"), early);
        // Night shift on the 1st, morning shift on the 2nd: 07:00 end, 06:00 start overlap.
        f.roster.push(ShiftAssignment {
            id: id("r1"),
            employee_id: id("nurse"),
            shift_id: Some(id("malam")),
            from: day(2026, 12, 1),
            to: day(2026, 12, 1),
        });
        f.roster.push(ShiftAssignment {
            id: id("r2"),
            employee_id: id("nurse"),
            shift_id: Some(id("pagi")),
            from: day(2026, 12, 2),
            to: day(2026, 12, 2),
        });
        let punches = [at(day(2026, 12, 1), 22, 0), at(day(2026, 12, 2), 9, 0)];
        let days = f.rules().days(day(2026, 12, 1), day(2026, 12, 2), &punches);
        // 09:00 is two hours after the night's end and inside the morning: the morning's.
        assert_eq!(days[0].status, DayStatus::NoCheckOut);
        assert_eq!(days[1].check_in, Some(at(day(2026, 12, 2), 9, 0)));
    }

    #[test]
    fn rules_are_checked_and_buckets_follow_them() {
        let rules = AttendanceRules::default();
        assert!(rules.validate().is_ok());
        assert_eq!(
            [0, 1, 30, 31, 60, 61, 90, 91].map(|m| rules.bucket(m)),
            [0, 1, 1, 2, 2, 3, 3, 4]
        );
        let bad = AttendanceRules {
            bucket_limits: [30, 20, 90],
            ..rules.clone()
        };
        assert!(bad.validate().is_err());
        let bad = AttendanceRules {
            absent_deduction: 120.0,
            ..rules
        };
        assert!(bad.validate().is_err());
        assert_eq!(
            month_bounds("2026-12"),
            Some((day(2026, 12, 1), day(2026, 12, 31)))
        );
        assert_eq!(month_bounds("2026-13"), None);
    }
}
