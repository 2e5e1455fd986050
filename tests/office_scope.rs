//! Office-scoped admins through the HTTP API on `lintas serve`'s server: siti administers
//! dinas-b only. Every route of the route table that names an employee or an office answers
//! her 404 for dinas-a's (and for another admin), every route shared by all offices answers
//! 403, and nothing is changed; lists, reports, the board and requests hold only dinas-b;
//! she cannot create admins, grant offices or move staff out of her offices; a global admin
//! widening her offices ends her old tokens and the new one reaches both offices.

use chrono::{NaiveDate, NaiveDateTime};
use lintas_core::app::AppConfig;
use lintas_core::domain::Role;
use lintas_http::{ROUTES, Reach};
use lintas_tests::cloud::{ADMIN_PASSWORD, JWT_SECRET};
use lintas_tests::served::{ApiClient, SetClock, in_jakarta, serve_embedded};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "bekerja dari pagi 7";

/// The day of the test: Tuesday 1 December 2026.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).expect("a day")
}

fn at(hour: u32, minute: u32) -> NaiveDateTime {
    today().and_hms_opt(hour, minute, 0).expect("a time")
}

fn config() -> AppConfig {
    let mut config = AppConfig::with_secret(JWT_SECRET.as_bytes().to_vec()).expect("a secret");
    config.login.bcrypt_cost = 4;
    config
}

/// One running server and the tokens of its two admins.
struct Offices {
    http: ApiClient,
    /// The admin of every office.
    global: String,
    /// siti, admin of dinas-b.
    scoped: String,
}

impl Offices {
    /// `token` calls, expecting `expected`; the answer.
    async fn call(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
        expected: StatusCode,
    ) -> Value {
        let (status, answer) = self.http.send(Some(token), method, path, body).await;
        assert_eq!(status, expected, "{method} {path}: {answer}");
        answer
    }

    /// siti calls, expecting the refusal `code` with `expected`.
    async fn refused(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        expected: StatusCode,
        code: &str,
    ) {
        let answer = self.call(&self.scoped, method, path, body, expected).await;
        assert_eq!(answer["code"], code, "{method} {path}: {answer}");
    }

    /// The ids in the `items` (or `key`) list of what `token` reads at `path`.
    async fn ids(&self, token: &str, path: &str, key: &str, field: &str) -> Vec<String> {
        let answer = self.call(token, "GET", path, None, StatusCode::OK).await;
        answer[key]
            .as_array()
            .unwrap_or_else(|| panic!("{path}: {answer}"))
            .iter()
            .filter_map(|item| item[field].as_str().map(str::to_owned))
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_scoped_admin_reaches_only_their_offices() {
    let clock = SetClock::at(at(8, 0));
    let http = ApiClient::new(serve_embedded("office-scope", config(), clock, false).await);
    let global = http.login("admin", ADMIN_PASSWORD).await;
    setup(&http, &global).await;
    let scoped = http.login("siti", PASSWORD).await;
    let offices = Offices {
        http,
        global,
        scoped,
    };
    let before = records_of_dinas_a(&offices).await;
    every_route_that_names_another_office(&offices).await;
    assert_eq!(
        records_of_dinas_a(&offices).await,
        before,
        "nothing changed"
    );
    her_own_offices(&offices).await;
    lists_and_reports_hold_her_offices(&offices).await;
    no_admin_rights_to_give(&offices).await;
    requests_of_her_offices(&offices).await;
    widened_offices(offices).await;
}

/// Offices dinas-a and dinas-b; ani in dinas-a, budi in dinas-b; siti admin of dinas-b;
/// rudi an admin of every office who works in dinas-b; a correction punch for ani and budi
/// entered by the global admin this morning; a leave request of ani and one of budi.
async fn setup(http: &ApiClient, global: &str) {
    let schedule = json!({"start": "07:30:00", "end": "16:00:00", "weekdays": [1, 2, 3, 4, 5],
        "grace_minutes": 10});
    for office in ["dinas-a", "dinas-b"] {
        let body = json!({"name": office, "time_zone": "Asia/Jakarta", "schedule": schedule});
        let (status, answer) = http
            .send(
                Some(global),
                "PUT",
                &format!("/v1/offices/{office}"),
                Some(body),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    for (id, office, extra) in [
        ("ani", "dinas-a", json!({"role": "employee"})),
        ("budi", "dinas-b", json!({"role": "employee"})),
        (
            "siti",
            "dinas-b",
            json!({"role": "admin", "admin_offices": ["dinas-b"]}),
        ),
        ("rudi", "dinas-b", json!({"role": "admin"})),
    ] {
        let mut body = json!({"id": id, "name": id.to_uppercase(), "office_id": office,
            "password": PASSWORD});
        body.as_object_mut()
            .expect("an object")
            .extend(extra.as_object().expect("an object").clone());
        let (status, answer) = http
            .send(Some(global), "POST", "/v1/employees", Some(body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{id}: {answer}");
    }
    let (status, siti) = http
        .send(Some(global), "GET", "/v1/employees/siti", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(siti["admin_offices"], json!(["dinas-b"]), "{siti}");
    for employee in ["ani", "budi"] {
        let entry = json!({"employee_id": employee, "kind": "missed_check_in",
            "at": in_jakarta(at(7, 25)).to_rfc3339(), "reason": "Kiosk mati"});
        let (status, answer) = http
            .send(Some(global), "POST", "/v1/requests", Some(entry))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        assert_eq!(answer["status"], "approved", "{answer}");
        let token = http.login(employee, PASSWORD).await;
        let leave = json!({"kind": "leave", "from": "2026-12-07", "reason": "Cuti tahunan"});
        let (status, answer) = http
            .send(Some(&token), "POST", "/v1/requests", Some(leave))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
}

/// What the global admin reads of dinas-a: ani, the office, ani's roster, faces and
/// requests.
async fn records_of_dinas_a(offices: &Offices) -> Vec<Value> {
    let mut records = Vec::new();
    for path in [
        "/v1/employees/ani",
        "/v1/offices/dinas-a",
        "/v1/employees/ani/roster",
        "/v1/employees/ani/faces",
        "/v1/attendance?employee_id=ani&from=2026-12-01&to=2026-12-01",
        "/v1/requests/waiting",
    ] {
        records.push(
            offices
                .call(&offices.global, "GET", path, None, StatusCode::OK)
                .await,
        );
    }
    records
}

/// Every route siti may call as an admin whose path names an employee, an office or a
/// setting every office shares: for dinas-a's employee, another admin, dinas-a and the
/// shared settings, the refusal the route table promises, before the body is read.
async fn every_route_that_names_another_office(offices: &Offices) {
    let mut checked = [0_usize; 3];
    for route in ROUTES
        .iter()
        .filter(|route| route.access.roles().contains(&Role::Admin))
    {
        let targets: &[&str] = match route.reach {
            Reach::Employee => &["ani", "rudi", "admin"],
            Reach::Office => &["dinas-a", "default"],
            Reach::Global => &["budi"],
            Reach::Caller | Reach::Narrowed => continue,
        };
        for target in targets {
            let path = route
                .path
                .replace("{id}", target)
                .replace("{template_id}", "t-1")
                .replace("{entry_id}", "e-1")
                .replace("{calendar}", "default")
                .replace("{date}", "2026-12-25");
            let (status, code, slot) = match route.reach {
                Reach::Global => (StatusCode::FORBIDDEN, "global_admin_only", 2),
                Reach::Office => (StatusCode::NOT_FOUND, "not_found", 1),
                _ => (StatusCode::NOT_FOUND, "not_found", 0),
            };
            offices
                .refused(route.method, &path, Some(json!({})), status, code)
                .await;
            checked[slot] += 1;
        }
    }
    // Employees: record, update, erase, sessions, faces (3), upload, roster (3); offices:
    // read and write; shared: calendars (7), shifts (3), deduction rules (2), the audit trail.
    assert_eq!(checked, [33, 4, 13], "routes checked per reach");
    // A route naming the employee in its body: pairing a tablet with dinas-a's account.
    offices
        .refused(
            "POST",
            "/v1/auth/kiosk-session",
            Some(json!({"kiosk_id": "ani"})),
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
}

/// siti manages dinas-b, its staff and herself.
async fn her_own_offices(offices: &Offices) {
    let scoped = &offices.scoped;
    offices
        .call(scoped, "GET", "/v1/offices/dinas-b", None, StatusCode::OK)
        .await;
    for id in ["budi", "siti"] {
        offices
            .call(
                scoped,
                "GET",
                &format!("/v1/employees/{id}"),
                None,
                StatusCode::OK,
            )
            .await;
    }
    let budi = offices
        .call(
            scoped,
            "PATCH",
            "/v1/employees/budi",
            Some(json!({"name": "Budi Santoso"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(budi["name"], "Budi Santoso");
    offices
        .call(
            scoped,
            "GET",
            "/v1/employees/budi/roster",
            None,
            StatusCode::OK,
        )
        .await;
}

/// Lists, the month's recap, the board, attendance and the refusal trace hold dinas-b.
async fn lists_and_reports_hold_her_offices(offices: &Offices) {
    let (global, scoped) = (&offices.global, &offices.scoped);
    let mut employees = offices.ids(scoped, "/v1/employees", "items", "id").await;
    employees.sort();
    assert_eq!(employees, ["budi", "siti"]);
    let everyone = offices.ids(global, "/v1/employees", "items", "id").await;
    assert_eq!(everyone.len(), 5, "{everyone:?}");

    let day = "/v1/attendance?day=2026-12-01";
    assert_eq!(
        offices.ids(scoped, day, "items", "employee_id").await,
        ["budi"]
    );
    let mut both = offices.ids(global, day, "items", "employee_id").await;
    both.sort();
    assert_eq!(both, ["ani", "budi"]);

    let recap = "/v1/reports/attendance?month=2026-12";
    let in_recap = offices.ids(scoped, recap, "employees", "employee_id").await;
    assert!(in_recap.contains(&"budi".to_owned()), "{in_recap:?}");
    assert!(!in_recap.contains(&"ani".to_owned()), "{in_recap:?}");
    assert!(
        offices
            .ids(global, recap, "employees", "employee_id")
            .await
            .contains(&"ani".to_owned())
    );
    let (status, csv) = {
        let response = offices
            .http
            .client
            .get(format!("{}{recap}&format=csv", offices.http.base))
            .bearer_auth(scoped)
            .send()
            .await
            .expect("an answer");
        (response.status(), response.text().await.expect("the CSV"))
    };
    assert_eq!(status, StatusCode::OK);
    assert!(
        csv.contains("\"budi\"") && !csv.contains("\"ani\""),
        "{csv}"
    );

    let board = "/v1/reports/board?office_id=dinas-b&day=2026-12-01";
    assert!(
        offices
            .ids(scoped, board, "entries", "employee_id")
            .await
            .contains(&"budi".to_owned())
    );
    for path in [
        "/v1/attendance?employee_id=ani",
        "/v1/reports/attendance?month=2026-12&employee_id=ani",
        "/v1/reports/board?office_id=dinas-a&day=2026-12-01",
        "/v1/refusals?employee_id=ani",
    ] {
        offices
            .refused("GET", path, None, StatusCode::NOT_FOUND, "not_found")
            .await;
    }
    let held = json!({"review_key": "enrollments/ani/held.jpg", "decision": "same_person"});
    offices
        .refused(
            "POST",
            "/v1/enrollments/resolve",
            Some(held),
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
}

/// siti cannot make admins, hand out offices, or move staff into dinas-a.
async fn no_admin_rights_to_give(offices: &Offices) {
    let new = |extra: Value| {
        let mut body = json!({"id": "dewi", "name": "Dewi", "office_id": "dinas-b",
            "password": PASSWORD});
        body.as_object_mut()
            .expect("an object")
            .extend(extra.as_object().expect("an object").clone());
        body
    };
    for (body, status, code) in [
        (
            new(json!({"role": "admin"})),
            StatusCode::FORBIDDEN,
            "global_admin_only",
        ),
        (
            new(json!({"role": "employee", "admin_offices": ["dinas-b"]})),
            StatusCode::FORBIDDEN,
            "global_admin_only",
        ),
        (
            new(json!({"role": "employee", "office_id": "dinas-a"})),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ] {
        offices
            .refused("POST", "/v1/employees", Some(body), status, code)
            .await;
    }
    for (changes, status, code) in [
        (
            json!({"role": "admin"}),
            StatusCode::FORBIDDEN,
            "global_admin_only",
        ),
        (
            json!({"admin_offices": ["dinas-a"]}),
            StatusCode::FORBIDDEN,
            "global_admin_only",
        ),
        (
            json!({"office_id": "dinas-a"}),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ] {
        offices
            .refused("PATCH", "/v1/employees/budi", Some(changes), status, code)
            .await;
    }
    let budi = offices
        .call(
            &offices.global,
            "GET",
            "/v1/employees/budi",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        (budi["role"].as_str(), budi["office_id"].as_str()),
        (Some("employee"), Some("dinas-b"))
    );
    let created = offices
        .call(
            &offices.scoped,
            "POST",
            "/v1/employees",
            Some(new(json!({"role": "employee"}))),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(created["office_id"], "dinas-b");
}

/// siti decides dinas-b's requests; ani's do not exist for her.
async fn requests_of_her_offices(offices: &Offices) {
    let (global, scoped) = (&offices.global, &offices.scoped);
    let waiting = "/v1/requests/waiting";
    let all = offices.ids(global, waiting, "items", "id").await;
    assert_eq!(all.len(), 2, "{all:?}");
    let hers = offices.ids(scoped, waiting, "items", "id").await;
    assert_eq!(hers.len(), 1, "{hers:?}");
    let budis = hers[0].clone();
    let anis = all
        .into_iter()
        .find(|id| id != &budis)
        .expect("ani's request");
    for (method, path, body) in [
        ("GET", "/v1/requests?employee_id=ani".to_owned(), None),
        ("GET", format!("/v1/requests/{anis}"), None),
        ("POST", format!("/v1/requests/{anis}/approve"), None),
        (
            "POST",
            format!("/v1/requests/{anis}/reject"),
            Some(json!({"reason": "Tidak"})),
        ),
        ("GET", format!("/v1/requests/{anis}/attachment"), None),
        (
            "POST",
            format!("/v1/requests/{anis}/attachment-upload"),
            Some(json!({"content_type": "application/pdf"})),
        ),
    ] {
        offices
            .refused(method, &path, body, StatusCode::NOT_FOUND, "not_found")
            .await;
    }
    let entry = json!({"employee_id": "ani", "kind": "missed_check_out",
        "at": in_jakarta(at(16, 5)).to_rfc3339(), "reason": "Kiosk mati"});
    offices
        .refused(
            "POST",
            "/v1/requests",
            Some(entry),
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    let ani = offices
        .call(
            global,
            "GET",
            &format!("/v1/requests/{anis}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(ani["status"], "pending", "{ani}");
    let budi = offices
        .call(
            scoped,
            "POST",
            &format!("/v1/requests/{budis}/approve"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        (budi["status"].as_str(), budi["employee_id"].as_str()),
        (Some("approved"), Some("budi"))
    );
}

/// The global admin gives siti dinas-a too: her old token dies with the change, and her
/// new one reaches ani.
async fn widened_offices(offices: Offices) {
    let siti = offices
        .call(
            &offices.global,
            "PATCH",
            "/v1/employees/siti",
            Some(json!({"admin_offices": ["dinas-a", "dinas-b"]})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        siti["admin_offices"],
        json!(["dinas-a", "dinas-b"]),
        "{siti}"
    );
    offices
        .refused(
            "GET",
            "/v1/employees/budi",
            None,
            StatusCode::UNAUTHORIZED,
            "token_revoked",
        )
        .await;
    let token = offices.http.login("siti", PASSWORD).await;
    offices
        .call(&token, "GET", "/v1/employees/ani", None, StatusCode::OK)
        .await;
    offices
        .call(
            &token,
            "GET",
            "/v1/employees/rudi",
            None,
            StatusCode::NOT_FOUND,
        )
        .await;
}
