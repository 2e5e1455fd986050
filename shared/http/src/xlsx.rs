//! The monthly recap as a spreadsheet: a `Recap` sheet with one row per employee and a
//! `Days` sheet with one row per employee per day; header rows frozen and filtered, dates,
//! times and numbers typed as such.

use chrono::NaiveDateTime;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use lintas_core::app::{AppError, MonthlyRecap, status_name};

/// The columns of the `Recap` sheet.
pub const RECAP_COLUMNS: [&str; 25] = [
    "employee_id",
    "name",
    "staff_number",
    "office_id",
    "working_days",
    "present_days",
    "tl1",
    "tl2",
    "tl3",
    "tl4",
    "psw1",
    "psw2",
    "psw3",
    "psw4",
    "late_minutes",
    "early_minutes",
    "absent_days",
    "no_check_out_days",
    "no_check_in_days",
    "leave_days",
    "excused_days",
    "sick_days",
    "official_duty_days",
    "holidays",
    "deduction_percent",
];

/// The columns of the `Days` sheet.
pub const DAY_COLUMNS: [&str; 15] = [
    "employee_id",
    "name",
    "date",
    "status",
    "shift",
    "planned_start",
    "planned_end",
    "check_in",
    "check_out",
    "late_minutes",
    "early_minutes",
    "worked_minutes",
    "tl",
    "psw",
    "deduction_percent",
];

/// The recap as an `.xlsx` file.
pub fn recap_workbook(recap: &MonthlyRecap) -> Result<Vec<u8>, AppError> {
    build(recap).map_err(|error| AppError::Internal(format!("writing the spreadsheet: {error}")))
}

/// The formats the sheets share.
struct Formats {
    header: Format,
    date: Format,
    time: Format,
    percent: Format,
}

fn build(recap: &MonthlyRecap) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats {
        header: Format::new().set_bold(),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        time: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
        percent: Format::new().set_num_format("0.00"),
    };
    let mut workbook = Workbook::new();
    recap_sheet(workbook.add_worksheet(), recap, &formats)?;
    days_sheet(workbook.add_worksheet(), recap, &formats)?;
    workbook.save_to_buffer()
}

fn recap_sheet(sheet: &mut Worksheet, recap: &MonthlyRecap, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(format!("Recap {}", recap.month))?;
    header(sheet, &RECAP_COLUMNS, f)?;
    for (index, e) in recap.employees.iter().enumerate() {
        let row = row_number(index);
        sheet.write_string(row, 0, e.employee_id.as_str())?;
        sheet.write_string(row, 1, &e.name)?;
        sheet.write_string(row, 2, e.staff_number.as_deref().unwrap_or_default())?;
        sheet.write_string(row, 3, e.office_id.as_str())?;
        let counts = [e.working_days, e.present_days]
            .into_iter()
            .chain(e.late_days)
            .chain(e.early_days)
            .chain([
                e.late_minutes,
                e.early_minutes,
                e.absent_days,
                e.no_check_out_days,
                e.no_check_in_days,
                e.leave_days,
                e.excused_days,
                e.sick_days,
                e.official_duty_days,
                e.holidays,
            ]);
        for (column, count) in (4..).zip(counts) {
            sheet.write_number(row, column, count)?;
        }
        sheet.write_number_with_format(row, 24, e.deduction, &f.percent)?;
    }
    finish(sheet, &RECAP_COLUMNS, recap.employees.len())
}

fn days_sheet(sheet: &mut Worksheet, recap: &MonthlyRecap, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name("Days")?;
    header(sheet, &DAY_COLUMNS, f)?;
    let mut rows = 0;
    for e in &recap.employees {
        for d in &e.days {
            let row = row_number(rows);
            rows += 1;
            sheet.write_string(row, 0, e.employee_id.as_str())?;
            sheet.write_string(row, 1, &e.name)?;
            sheet.write_date_with_format(row, 2, d.date, &f.date)?;
            sheet.write_string(row, 3, status_name(d.status))?;
            if let Some(shift) = &d.shift {
                sheet.write_string(row, 4, shift.as_str())?;
            }
            let times = [d.planned_start, d.planned_end, d.check_in, d.check_out];
            for (column, at) in (5..).zip(times) {
                write_time(sheet, row, column, at, f)?;
            }
            sheet.write_number(row, 9, d.late_minutes)?;
            sheet.write_number(row, 10, d.early_minutes)?;
            sheet.write_number(row, 11, d.worked_minutes)?;
            if let Some(bucket) = d.late_bucket {
                sheet.write_number(row, 12, bucket)?;
            }
            if let Some(bucket) = d.early_bucket {
                sheet.write_number(row, 13, bucket)?;
            }
            sheet.write_number_with_format(row, 14, d.deduction, &f.percent)?;
        }
    }
    finish(sheet, &DAY_COLUMNS, rows)
}

fn header(sheet: &mut Worksheet, columns: &[&str], f: &Formats) -> Result<(), XlsxError> {
    for (column, name) in (0..).zip(columns) {
        sheet.write_string_with_format(0, column, *name, &f.header)?;
    }
    Ok(())
}

/// Freezes the header row and the first column, filters the header, widens the columns.
fn finish(sheet: &mut Worksheet, columns: &[&str], rows: usize) -> Result<(), XlsxError> {
    sheet.set_freeze_panes(1, 1)?;
    let last_column = u16::try_from(columns.len().saturating_sub(1)).unwrap_or(u16::MAX);
    sheet.autofilter(0, 0, row_number(rows.saturating_sub(1)), last_column)?;
    for (column, name) in (0..).zip(columns) {
        sheet.set_column_width(column, (name.len() as f64 + 2.0).max(12.0))?;
    }
    Ok(())
}

fn write_time(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    at: Option<NaiveDateTime>,
    f: &Formats,
) -> Result<(), XlsxError> {
    if let Some(at) = at {
        sheet.write_datetime_with_format(row, column, at, &f.time)?;
    }
    Ok(())
}

/// The sheet row of data row `index` (the header is row 0); past Excel's limit the writer
/// refuses the row.
fn row_number(index: usize) -> u32 {
    u32::try_from(index).map_or(u32::MAX, |i| i.saturating_add(1))
}
