//! Every route of the API in one table: the routers, the OpenAPI document and the
//! deployment template are all checked against it.

use std::sync::Arc;

use axum::routing::{MethodRouter, delete, get, patch, post, put};

use super::handlers::{
    attendance, auth, console, employees, faces, meta, reports, requests, rules,
};
use lintas_core::app::App;
use lintas_core::domain::Role;

/// The Lambda function that serves a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// Login, tokens, health and the API document.
    Login,
    /// Employees, offices, faces and enrollment (admins).
    Register,
    /// Punching and reading attendance.
    Predict,
}

impl Function {
    /// Every HTTP function.
    pub const ALL: [Function; 3] = [Function::Login, Function::Register, Function::Predict];

    /// The function's name, as in `functions/` and the template.
    pub fn name(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Register => "register",
            Self::Predict => "predict",
        }
    }
}

/// Who may call a route: enforced for every route by one layer ([`crate::authorize`]),
/// published in the OpenAPI document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without a token.
    Public,
    /// A valid access token of an account with one of these roles.
    Roles(&'static [Role]),
}

impl Access {
    /// The roles that may call the route; empty for a public one.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Self::Public => &[],
            Self::Roles(roles) => roles,
        }
    }
}

/// What an office-scoped admin (an admin with `admin_offices`) reaches through a route;
/// the authorization layer enforces the path's part, the use cases narrow lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Nothing bound to an office, or only the caller's own records (or those the use case
    /// decides by the caller, as requests by reporting line and office).
    Caller,
    /// `{id}` names an employee: outside the admin's offices (or another admin) it does not
    /// exist (404).
    Employee,
    /// `{id}` names an office: outside the admin's offices it does not exist (404).
    Office,
    /// A list or report the use case narrows to the admin's offices.
    Narrowed,
    /// Shared by every office (calendars, shifts, deduction rules, the audit trail): global
    /// admins only (403 `global_admin_only`).
    Global,
}

/// Admins only.
const ADMINS: Access = Access::Roles(&[Role::Admin]);
/// Kiosks identify faces 1:N; admins may too, to try a kiosk.
const KIOSKS: Access = Access::Roles(&[Role::Kiosk, Role::Admin]);
/// Employees punch with their own face 1:1; admins may too.
const STAFF: Access = Access::Roles(&[Role::Employee, Role::Admin]);
/// Whoever punches: employees, kiosks, admins.
const PUNCHERS: Access = Access::Roles(&[Role::Employee, Role::Kiosk, Role::Admin]);

/// One route.
pub struct Route {
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path in axum's syntax (`{id}`), which is also OpenAPI's and API Gateway's.
    pub path: &'static str,
    /// The function that serves it.
    pub function: Function,
    /// Who may call it.
    pub access: Access,
    /// What of it an office-scoped admin reaches.
    pub reach: Reach,
    /// What it does.
    pub summary: &'static str,
    /// Request body media types, if it takes a body.
    pub body: &'static [&'static str],
    /// Query parameters it reads.
    pub query: &'static [&'static str],
    /// The handler.
    pub handler: fn() -> MethodRouter<Arc<App>>,
}

const JSON: &[&str] = &["application/json"];
const PHOTOS: &[&str] = &["multipart/form-data", "application/json"];
const CSV: &[&str] = &["text/csv"];

/// Every route of the API.
pub const ROUTES: &[Route] = &[
    Route {
        method: "POST",
        path: "/v1/auth/login",
        function: Function::Login,
        access: Access::Public,
        reach: Reach::Caller,
        summary: "Log in with an id or e-mail and a password; returns an access and a refresh token",
        body: JSON,
        query: &[],
        handler: || post(auth::login),
    },
    Route {
        method: "POST",
        path: "/v1/auth/refresh",
        function: Function::Login,
        access: Access::Public,
        reach: Reach::Caller,
        summary: "Exchange a refresh token for a new pair (reuse revokes the family)",
        body: JSON,
        query: &[],
        handler: || post(auth::refresh),
    },
    Route {
        method: "POST",
        path: "/v1/auth/logout",
        function: Function::Login,
        access: Access::Public,
        reach: Reach::Caller,
        summary: "Revoke a refresh token and its family",
        body: JSON,
        query: &[],
        handler: || post(auth::logout),
    },
    Route {
        method: "POST",
        path: "/v1/auth/kiosk-session",
        function: Function::Login,
        access: ADMINS,
        reach: Reach::Caller,
        summary: "An admin issues a session for a kiosk account it manages (e.g. on the tablet itself); the kiosk needs no password",
        body: JSON,
        query: &[],
        handler: || post(auth::kiosk_session),
    },
    Route {
        method: "GET",
        path: "/v1/me",
        function: Function::Login,
        access: PUNCHERS,
        reach: Reach::Caller,
        summary: "The caller's own account: name, role, office, supervisor, the offices an admin manages",
        body: &[],
        query: &[],
        handler: || get(auth::me),
    },
    Route {
        method: "GET",
        path: "/v1/health",
        function: Function::Login,
        access: Access::Public,
        reach: Reach::Caller,
        summary: "Health check (the store answers)",
        body: &[],
        query: &[],
        handler: || get(meta::health),
    },
    Route {
        method: "GET",
        path: "/v1/openapi.json",
        function: Function::Login,
        access: Access::Public,
        reach: Reach::Caller,
        summary: "This API as an OpenAPI 3 document",
        body: &[],
        query: &[],
        handler: || get(meta::openapi),
    },
    Route {
        method: "GET",
        path: "/console",
        function: Function::Login,
        access: Access::Public,
        reach: Reach::Caller,
        summary: "The web console (redirects to its entry page)",
        body: &[],
        query: &[],
        handler: || get(console::entry),
    },
    Route {
        method: "GET",
        path: "/console/{file}",
        function: Function::Login,
        access: Access::Public,
        reach: Reach::Caller,
        summary: "A file of the web console or the kiosk page",
        body: &[],
        query: &[],
        handler: || get(console::file),
    },
    Route {
        method: "POST",
        path: "/v1/employees",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Narrowed,
        summary: "Create an employee",
        body: JSON,
        query: &[],
        handler: || post(employees::create),
    },
    Route {
        method: "GET",
        path: "/v1/employees",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Narrowed,
        summary: "List employees (paginated)",
        body: &[],
        query: &["limit", "cursor"],
        handler: || get(employees::list),
    },
    Route {
        method: "GET",
        path: "/v1/employees/{id}",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Employee,
        summary: "Read an employee",
        body: &[],
        query: &[],
        handler: || get(employees::read),
    },
    Route {
        method: "PATCH",
        path: "/v1/employees/{id}",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Employee,
        summary: "Change an employee (name, e-mail, role, office, status, password)",
        body: JSON,
        query: &[],
        handler: || patch(employees::update),
    },
    Route {
        method: "DELETE",
        path: "/v1/employees/{id}",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Employee,
        summary: "Erase an employee with their templates, photos, attendance and tokens",
        body: &[],
        query: &[],
        handler: || delete(employees::delete),
    },
    Route {
        method: "DELETE",
        path: "/v1/employees/{id}/sessions",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Employee,
        summary: "Sign an account out everywhere: its access tokens die, its refresh tokens are deleted (unpairs a kiosk tablet)",
        body: &[],
        query: &[],
        handler: || delete(employees::end_sessions),
    },
    Route {
        method: "POST",
        path: "/v1/employees/{id}/faces",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Employee,
        summary: "Enroll photos; answers per photo: accepted with a template id, or rejected with a reason",
        body: PHOTOS,
        query: &[],
        handler: || post(faces::enroll),
    },
    Route {
        method: "GET",
        path: "/v1/employees/{id}/faces",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Employee,
        summary: "List an employee's face templates",
        body: &[],
        query: &[],
        handler: || get(faces::list),
    },
    Route {
        method: "DELETE",
        path: "/v1/employees/{id}/faces/{template_id}",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Employee,
        summary: "Delete a face template and its photo",
        body: &[],
        query: &[],
        handler: || delete(faces::delete),
    },
    Route {
        method: "POST",
        path: "/v1/employees/{id}/enrollment-uploads",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Employee,
        summary: "Get a short-lived pre-signed URL to upload an enrollment photo",
        body: JSON,
        query: &[],
        handler: || post(faces::upload_url),
    },
    Route {
        method: "GET",
        path: "/v1/enrollments",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Narrowed,
        summary: "Enrollment jobs by status (pending, accepted, failed) with the reason",
        body: &[],
        query: &["status", "limit", "cursor"],
        handler: || get(faces::enrollments),
    },
    Route {
        method: "POST",
        path: "/v1/enrollments/resolve",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Narrowed,
        summary: "Decide a flagged enrollment: same_person (refused) or different_people (enrolled, remembered as look-alikes)",
        body: JSON,
        query: &[],
        handler: || post(faces::resolve),
    },
    Route {
        method: "GET",
        path: "/v1/refusals",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Narrowed,
        summary: "Refused face attempts in their review period (reason, scores, device, location, photo), most recent first",
        body: &[],
        query: &["employee_id", "limit", "cursor"],
        handler: || get(faces::refusals),
    },
    Route {
        method: "PUT",
        path: "/v1/offices/{id}",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Office,
        summary: "Create or replace an office (time zone, schedule, geofence)",
        body: JSON,
        query: &[],
        handler: || put(employees::put_office),
    },
    Route {
        method: "GET",
        path: "/v1/offices/{id}",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Office,
        summary: "Read an office",
        body: &[],
        query: &[],
        handler: || get(employees::read_office),
    },
    Route {
        method: "GET",
        path: "/v1/calendars/{calendar}/holidays",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Global,
        summary: "Holidays of a calendar in a year (`default`, or an office's own)",
        body: &[],
        query: &["year"],
        handler: || get(rules::holidays),
    },
    Route {
        method: "PUT",
        path: "/v1/calendars/{calendar}/holidays/{date}",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Global,
        summary: "Create or replace the holiday of a date: name and kind (national, collective_leave, local)",
        body: JSON,
        query: &[],
        handler: || put(rules::put_holiday),
    },
    Route {
        method: "DELETE",
        path: "/v1/calendars/{calendar}/holidays/{date}",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Global,
        summary: "Delete the holiday of a date",
        body: &[],
        query: &[],
        handler: || delete(rules::delete_holiday),
    },
    Route {
        method: "POST",
        path: "/v1/calendars/{calendar}/holidays/import",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Global,
        summary: "Import holidays from CSV lines `date,name,kind`; every line is checked before any is stored",
        body: CSV,
        query: &[],
        handler: || post(rules::import_holidays),
    },
    Route {
        method: "GET",
        path: "/v1/calendars/{calendar}/special-periods",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Global,
        summary: "Special periods of a calendar (date ranges with other hours, e.g. Ramadan)",
        body: &[],
        query: &[],
        handler: || get(rules::special_periods),
    },
    Route {
        method: "PUT",
        path: "/v1/calendars/{calendar}/special-periods/{id}",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Global,
        summary: "Create or replace a special period: name, from, to and the week's schedule in force",
        body: JSON,
        query: &[],
        handler: || put(rules::put_special_period),
    },
    Route {
        method: "DELETE",
        path: "/v1/calendars/{calendar}/special-periods/{id}",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Global,
        summary: "Delete a special period",
        body: &[],
        query: &[],
        handler: || delete(rules::delete_special_period),
    },
    Route {
        method: "GET",
        path: "/v1/shifts",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Global,
        summary: "Every shift",
        body: &[],
        query: &[],
        handler: || get(rules::shifts),
    },
    Route {
        method: "PUT",
        path: "/v1/shifts/{id}",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Global,
        summary: "Create or replace a shift: start and end (the end may be on the next day), grace, punch windows",
        body: JSON,
        query: &[],
        handler: || put(rules::put_shift),
    },
    Route {
        method: "DELETE",
        path: "/v1/shifts/{id}",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Global,
        summary: "Delete a shift (roster days naming it become days off)",
        body: &[],
        query: &[],
        handler: || delete(rules::delete_shift),
    },
    Route {
        method: "GET",
        path: "/v1/employees/{id}/roster",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Employee,
        summary: "An employee's roster entries",
        body: &[],
        query: &[],
        handler: || get(rules::roster),
    },
    Route {
        method: "POST",
        path: "/v1/employees/{id}/roster",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Employee,
        summary: "Assign a shift (or days off) from one date to another; refused when it shares a day with another entry",
        body: JSON,
        query: &[],
        handler: || post(rules::assign),
    },
    Route {
        method: "DELETE",
        path: "/v1/employees/{id}/roster/{entry_id}",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Employee,
        summary: "Delete a roster entry",
        body: &[],
        query: &[],
        handler: || delete(rules::unassign),
    },
    Route {
        method: "GET",
        path: "/v1/attendance-rules",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Global,
        summary: "Lateness and early-leave buckets and the deduction table in force",
        body: &[],
        query: &[],
        handler: || get(rules::rules),
    },
    Route {
        method: "PUT",
        path: "/v1/attendance-rules",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Global,
        summary: "Replace the buckets and the deduction table",
        body: JSON,
        query: &[],
        handler: || put(rules::put_rules),
    },
    Route {
        method: "GET",
        path: "/v1/audit",
        function: Function::Register,
        access: ADMINS,
        reach: Reach::Global,
        summary: "The audit trail, most recent first",
        body: &[],
        query: &["limit", "cursor"],
        handler: || get(employees::audit),
    },
    Route {
        method: "POST",
        path: "/v1/predict",
        function: Function::Predict,
        access: KIOSKS,
        reach: Reach::Caller,
        summary: "Kiosk: identify the face (1:N, or 1:1 with a claim) and record the punch when safe at the gallery's size; 202 asks the person to confirm",
        body: PHOTOS,
        query: &[],
        handler: || post(attendance::predict),
    },
    Route {
        method: "POST",
        path: "/v1/predict/confirm",
        function: Function::Predict,
        access: KIOSKS,
        reach: Reach::Caller,
        summary: "Kiosk: the person confirmed the candidate; records the punch with the same photo",
        body: PHOTOS,
        query: &[],
        handler: || post(attendance::confirm),
    },
    Route {
        method: "POST",
        path: "/v1/challenges",
        function: Function::Predict,
        access: PUNCHERS,
        reach: Reach::Caller,
        summary: "A liveness challenge (single-use nonce and head poses) for the caller's next punch",
        body: &[],
        query: &[],
        handler: || post(attendance::challenge),
    },
    Route {
        method: "GET",
        path: "/v1/face-metrics",
        function: Function::Predict,
        access: ADMINS,
        reach: Reach::Caller,
        summary: "Face decision thresholds in force and the rates to expect at the gallery's size",
        body: &[],
        query: &[],
        handler: || get(faces::metrics),
    },
    Route {
        method: "POST",
        path: "/v1/attendance",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Caller,
        summary: "Employee: verify the selfie against the caller's own face (1:1) and record the punch",
        body: PHOTOS,
        query: &[],
        handler: || post(attendance::punch),
    },
    Route {
        method: "GET",
        path: "/v1/attendance",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Narrowed,
        summary: "Punches by employee and date range, or of everyone on one day (employees: their own)",
        body: &[],
        query: &["employee_id", "from", "to", "day", "limit", "cursor"],
        handler: || get(attendance::list),
    },
    Route {
        method: "GET",
        path: "/v1/reports/attendance",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Narrowed,
        summary: "Monthly recap per employee (TL1-4, PSW1-4, TK, holidays, deduction) with each day, as JSON, CSV or XLSX: an admin's staff, a supervisor's team, an employee's own",
        body: &[],
        query: &["month", "format", "table", "employee_id"],
        handler: || get(reports::recap),
    },
    Route {
        method: "GET",
        path: "/v1/reports/board",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Narrowed,
        summary: "An office's day: who is in, late, not yet in, gone, absent, off or on a night shift (a supervisor's team, an employee's own)",
        body: &[],
        query: &["office_id", "day"],
        handler: || get(reports::board),
    },
    Route {
        method: "POST",
        path: "/v1/requests",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Caller,
        summary: "Leave (cuti, izin, sakit, dinas luar) or a missed punch: the caller's own, waiting for a decision; an admin's for someone else is approved at once",
        body: JSON,
        query: &[],
        handler: || post(requests::file),
    },
    Route {
        method: "GET",
        path: "/v1/requests",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Caller,
        summary: "The caller's requests, or one employee's (for them, their supervisor or an admin)",
        body: &[],
        query: &["employee_id"],
        handler: || get(requests::list),
    },
    Route {
        method: "GET",
        path: "/v1/requests/waiting",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Caller,
        summary: "Pending requests the caller may decide: their team's, or everyone's for an admin",
        body: &[],
        query: &[],
        handler: || get(requests::waiting),
    },
    Route {
        method: "GET",
        path: "/v1/requests/{id}",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Caller,
        summary: "One request (for the requester, their supervisor or an admin)",
        body: &[],
        query: &[],
        handler: || get(requests::get_one),
    },
    Route {
        method: "POST",
        path: "/v1/requests/{id}/approve",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Caller,
        summary: "Supervisor or admin: approve a pending request (a correction adds its punch)",
        body: &[],
        query: &[],
        handler: || post(requests::approve),
    },
    Route {
        method: "POST",
        path: "/v1/requests/{id}/reject",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Caller,
        summary: "Supervisor or admin: reject a pending request with a reason",
        body: JSON,
        query: &[],
        handler: || post(requests::reject),
    },
    Route {
        method: "POST",
        path: "/v1/requests/{id}/cancel",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Caller,
        summary: "Requester: withdraw a pending request",
        body: &[],
        query: &[],
        handler: || post(requests::cancel),
    },
    Route {
        method: "POST",
        path: "/v1/requests/{id}/attachment-upload",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Caller,
        summary: "Requester or admin: a pre-signed URL to upload a PDF, JPEG or PNG for the request",
        body: JSON,
        query: &[],
        handler: || post(requests::attachment_upload),
    },
    Route {
        method: "PUT",
        path: "/v1/requests/{id}/attachment",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Caller,
        summary: "Requester or admin: attach the uploaded document, checked by its first bytes",
        body: JSON,
        query: &[],
        handler: || put(requests::attach),
    },
    Route {
        method: "GET",
        path: "/v1/requests/{id}/attachment",
        function: Function::Predict,
        access: STAFF,
        reach: Reach::Caller,
        summary: "Whoever may see the request: a short-lived link to its document",
        body: &[],
        query: &[],
        handler: || get(requests::attachment),
    },
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// `(function, method, path)` of every `HttpApi` event in the SAM template, read line by
    /// line: a resource `LoginFunction:` at two spaces, then `Method:` and `Path:` pairs.
    fn template_routes() -> BTreeSet<(String, String, String)> {
        let template = include_str!("../../../template.yaml");
        let mut routes = BTreeSet::new();
        let (mut resource, mut method) = (String::new(), None::<String>);
        for line in template.lines() {
            if let Some(name) = line.strip_prefix("  ").and_then(|l| l.strip_suffix(':'))
                && !name.starts_with(' ')
            {
                resource = name.to_owned();
            }
            let line = line.trim();
            if let Some(value) = line.strip_prefix("Method: ") {
                method = Some(value.to_owned());
            } else if let (Some(path), Some(value)) = (line.strip_prefix("Path: "), method.take()) {
                let function = resource.trim_end_matches("Function").to_lowercase();
                routes.insert((function, value, path.to_owned()));
            }
        }
        routes
    }

    #[test]
    fn the_deployment_template_routes_exactly_the_route_table() {
        let table: BTreeSet<(String, String, String)> = ROUTES
            .iter()
            .map(|r| {
                (
                    r.function.name().to_owned(),
                    r.method.to_owned(),
                    r.path.to_owned(),
                )
            })
            .collect();
        assert_eq!(template_routes(), table);
    }
}
