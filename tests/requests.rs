//! Requests and approvals through the HTTP API at set times (a test clock): an employee
//! files leave of each kind and corrections of missed punches, their supervisor approves or
//! rejects, the recap and the daily board change accordingly; nobody decides their own
//! request, nobody outside the team sees it (404), overlapping and too long requests and
//! corrections in the future are refused; an approval and a withdrawal sent at once, and
//! colliding filings sent at once, leave exactly one winner; erasing the employee erases
//! their requests and keeps the audit trail. The same run on the embedded store behind
//! `lintas serve`'s server and on DynamoDB Local with the S3 server.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use lintas_core::app::AppConfig;
use lintas_tests::cloud::{ADMIN_PASSWORD, JWT_SECRET};
use lintas_tests::fixture_bytes;
use lintas_tests::served::{ApiClient, SetClock, in_jakarta, serve_cloud, serve_embedded};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::Barrier;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("a November day")
}

fn local(date: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    date.and_hms_opt(hour, minute, 0).expect("a time")
}

/// A Jakarta local time as the RFC 3339 instant the API takes.
fn instant(at: NaiveDateTime) -> String {
    in_jakarta(at).to_rfc3339()
}

const PASSWORD: &str = "bekerja dari pagi 7";

/// How many approvals and withdrawals race for one request, and filings for one day.
const RACERS: usize = 24;

/// The API of one running server, at the time the test sets.
struct Api {
    http: ApiClient,
    clock: Arc<SetClock>,
}

impl Api {
    fn at(&self, at: NaiveDateTime) {
        self.clock.set(at);
    }

    async fn token(&self, id: &str) -> String {
        let password = if id == "admin" {
            ADMIN_PASSWORD
        } else {
            PASSWORD
        };
        self.http.login(id, password).await
    }

    async fn send(
        &self,
        token: Option<&str>,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.http.send(token, method, path, body).await
    }

    /// `who` calls, expecting `expected`; the answer.
    async fn call(
        &self,
        who: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
        expected: StatusCode,
    ) -> Value {
        let token = self.token(who).await;
        let (status, answer) = self.send(Some(&token), method, path, body).await;
        assert_eq!(status, expected, "{who}: {method} {path}: {answer}");
        answer
    }

    /// `who` calls, expecting the refusal `code` with `expected`.
    async fn refused(
        &self,
        who: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
        expected: StatusCode,
        code: &str,
    ) {
        let answer = self.call(who, method, path, body, expected).await;
        assert_eq!(answer["code"], code, "{who}: {method} {path}: {answer}");
    }

    /// `who` files a request; its id.
    async fn file(&self, who: &str, body: Value) -> String {
        let filed = self
            .call(who, "POST", "/v1/requests", Some(body), StatusCode::CREATED)
            .await;
        filed["id"].as_str().expect("an id").to_owned()
    }
}

fn config() -> AppConfig {
    let mut config = AppConfig::with_secret(JWT_SECRET.as_bytes().to_vec()).expect("a secret");
    config.login.bcrypt_cost = 4;
    config
}

fn set_clock() -> Arc<SetClock> {
    SetClock::at(local(day(1), 8, 0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_on_the_embedded_store_change_the_recap_as_decided() {
    let clock = set_clock();
    let base = serve_embedded("requests", config(), clock.clone(), false).await;
    workflow(Api {
        http: ApiClient::new(base),
        clock,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_on_dynamodb_and_s3_change_the_recap_as_decided() {
    let clock = set_clock();
    let base = serve_cloud("requests", config(), clock.clone()).await;
    workflow(Api {
        http: ApiClient::new(base),
        clock,
    })
    .await;
}

async fn workflow(api: Api) {
    setup(&api).await;
    // On Friday 6 November, amy asks for the week that was and the days to come.
    api.at(local(day(6), 9, 0));
    let cuti = api
        .file(
            "amy",
            json!({"kind": "leave", "from": "2026-11-02", "to": "2026-11-04",
                "reason": "Cuti tahunan"}),
        )
        .await;
    api.at(local(day(6), 9, 1));
    let check_in = api
        .file(
            "amy",
            json!({"kind": "missed_check_in", "at": instant(local(day(5), 7, 25)),
                "reason": "Lupa absen, rapat pagi", "reference": "Notulen 12/XI"}),
        )
        .await;
    api.at(local(day(6), 9, 2));
    let check_out = api
        .file(
            "amy",
            json!({"kind": "missed_check_out", "at": instant(local(day(5), 16, 5)),
                "reason": "Lupa absen pulang"}),
        )
        .await;
    refuses_bad_requests(&api).await;
    outsiders_see_nothing(&api, &cuti).await;

    let waiting = api
        .call(
            "kepala",
            "GET",
            "/v1/requests/waiting",
            None,
            StatusCode::OK,
        )
        .await;
    let ids: Vec<&str> = waiting["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids, [&cuti, &check_in, &check_out], "oldest first");
    let cici = api
        .call("cici", "GET", "/v1/requests/waiting", None, StatusCode::OK)
        .await;
    assert_eq!(cici["items"], json!([]), "cici supervises nobody");

    // The supervisor decides.
    let approved = api
        .call(
            "kepala",
            "POST",
            &format!("/v1/requests/{cuti}/approve"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        (approved["status"].as_str(), approved["decided_by"].as_str()),
        (Some("approved"), Some("kepala"))
    );
    api.refused(
        "kepala",
        "POST",
        &format!("/v1/requests/{cuti}/approve"),
        None,
        StatusCode::CONFLICT,
        "request_already_decided",
    )
    .await;
    let rejected = api
        .call(
            "kepala",
            "POST",
            &format!("/v1/requests/{check_out}/reject"),
            Some(json!({"reason": "Tidak ada bukti kehadiran"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(rejected["decision_note"], "Tidak ada bukti kehadiran");
    api.call(
        "kepala",
        "POST",
        &format!("/v1/requests/{check_in}/approve"),
        None,
        StatusCode::OK,
    )
    .await;
    let punches = api
        .call(
            "amy",
            "GET",
            "/v1/attendance?from=2026-11-05&to=2026-11-05",
            None,
            StatusCode::OK,
        )
        .await;
    let punches = punches["items"].as_array().expect("items");
    assert_eq!(
        punches.len(),
        1,
        "only the approved correction: {punches:?}"
    );
    assert_eq!(
        (
            punches[0]["method"].as_str(),
            punches[0]["kind"].as_str(),
            punches[0]["correction"]["request_id"].as_str(),
            punches[0]["correction"]["approved_by"].as_str(),
        ),
        (
            Some("correction"),
            Some("check_in"),
            Some(check_in.as_str()),
            Some("kepala")
        )
    );

    withdrawals(&api).await;
    let izin = approve_and_cancel_at_once(&api).await;
    let sick = file_at_once(&api).await;
    api.call(
        "kepala",
        "POST",
        &format!("/v1/requests/{sick}/approve"),
        None,
        StatusCode::OK,
    )
    .await;
    manual_entry(&api).await;
    other_corrections(&api).await;
    board_shows_leave(&api).await;
    recap_counts_leave(&api, izin).await;
    team_reports(&api).await;
    let letter = attachments(&api).await;
    erasure_keeps_the_audit_trail(&api, &cuti, &letter).await;
}

/// The office, and four employees: kepala supervises amy and bob; cici is in no team.
async fn setup(api: &Api) {
    let schedule = json!({"start": "07:30:00", "end": "16:00:00", "weekdays": [1, 2, 3, 4, 5],
        "grace_minutes": 10});
    let office = json!({"name": "Dinas", "time_zone": "Asia/Jakarta", "schedule": schedule});
    api.call(
        "admin",
        "PUT",
        "/v1/offices/dinas",
        Some(office),
        StatusCode::OK,
    )
    .await;
    for (id, supervisor) in [
        ("kepala", None),
        ("amy", Some("kepala")),
        ("bob", Some("kepala")),
        ("cici", None),
    ] {
        let mut body = json!({"id": id, "name": id.to_uppercase(), "role": "employee",
            "office_id": "dinas", "password": PASSWORD});
        if let Some(supervisor) = supervisor {
            body["supervisor_id"] = json!(supervisor);
        }
        let created = api
            .call(
                "admin",
                "POST",
                "/v1/employees",
                Some(body),
                StatusCode::CREATED,
            )
            .await;
        assert_eq!(created["supervisor_id"].as_str(), supervisor);
    }
    for (supervisor, why) in [("amy", "themself"), ("nobody", "no employee")] {
        let answer = api
            .call(
                "admin",
                "PATCH",
                "/v1/employees/amy",
                Some(json!({"supervisor_id": supervisor})),
                StatusCode::BAD_REQUEST,
            )
            .await;
        assert_eq!(answer["code"], "invalid_supervisor", "{why}: {answer}");
    }
}

async fn refuses_bad_requests(api: &Api) {
    let cases = [
        (
            json!({"kind": "sick", "from": "2026-11-04", "reason": "Demam"}),
            StatusCode::CONFLICT,
            "overlapping_request",
        ),
        (
            json!({"kind": "leave", "from": "2026-11-09", "to": "2027-03-01",
                "reason": "Cuti besar"}),
            StatusCode::BAD_REQUEST,
            "request_too_long",
        ),
        (
            json!({"kind": "missed_check_in", "at": instant(local(day(9), 7, 30)),
                "reason": "Nanti"}),
            StatusCode::BAD_REQUEST,
            "correction_in_future",
        ),
        (
            json!({"kind": "leave", "from": "2026-11-10", "to": "2026-11-09",
                "reason": "Terbalik"}),
            StatusCode::BAD_REQUEST,
            "invalid_attendance_request",
        ),
        (
            json!({"kind": "missed_check_in", "from": "2026-11-05", "reason": "Tanpa jam"}),
            StatusCode::BAD_REQUEST,
            "invalid_attendance_request",
        ),
        (
            json!({"kind": "leave", "from": "2026-11-10", "reason": "   "}),
            StatusCode::BAD_REQUEST,
            "invalid_attendance_request",
        ),
        (
            json!({"kind": "holiday", "from": "2026-11-10", "reason": "Libur"}),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            json!({"kind": "leave", "from": "2026-11-10", "reason": "Untuk bob",
                "employee_id": "bob"}),
            StatusCode::FORBIDDEN,
            "own_requests_only",
        ),
    ];
    for (body, status, code) in cases {
        api.refused("amy", "POST", "/v1/requests", Some(body), status, code)
            .await;
    }
    let mine = api
        .call("amy", "GET", "/v1/requests", None, StatusCode::OK)
        .await;
    assert_eq!(
        mine["items"].as_array().map(Vec::len),
        Some(3),
        "nothing refused was stored: {mine}"
    );
}

/// Everyone outside amy's reporting line gets 404 on every route that takes her request's
/// id or her id; amy herself cannot decide her own request.
async fn outsiders_see_nothing(api: &Api, request: &str) {
    let routes = [
        ("GET", format!("/v1/requests/{request}"), None),
        ("POST", format!("/v1/requests/{request}/approve"), None),
        (
            "POST",
            format!("/v1/requests/{request}/reject"),
            Some(json!({"reason": "Bukan urusan saya"})),
        ),
        ("POST", format!("/v1/requests/{request}/cancel"), None),
        ("GET", "/v1/requests?employee_id=amy".to_owned(), None),
    ];
    for outsider in ["cici", "bob"] {
        for (method, path, body) in &routes {
            api.refused(
                outsider,
                method,
                path,
                body.clone(),
                StatusCode::NOT_FOUND,
                "not_found",
            )
            .await;
        }
    }
    for action in ["approve", "reject"] {
        api.refused(
            "amy",
            "POST",
            &format!("/v1/requests/{request}/{action}"),
            Some(json!({"reason": "Saya sendiri"})),
            StatusCode::FORBIDDEN,
            "own_request",
        )
        .await;
    }
    api.refused(
        "kepala",
        "POST",
        &format!("/v1/requests/{request}/cancel"),
        None,
        StatusCode::FORBIDDEN,
        "not_requester",
    )
    .await;
    let seen = api
        .call(
            "kepala",
            "GET",
            "/v1/requests?employee_id=amy",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(seen["items"].as_array().map(Vec::len), Some(3));
}

/// amy withdraws an official duty she no longer needs; it cannot be approved afterwards
/// and its days are free again.
async fn withdrawals(api: &Api) {
    let duty = api
        .file(
            "amy",
            json!({"kind": "official_duty", "from": "2026-11-10", "to": "2026-11-11",
                "reason": "Rapat koordinasi provinsi", "reference": "ST/045/XI/2026"}),
        )
        .await;
    let cancelled = api
        .call(
            "amy",
            "POST",
            &format!("/v1/requests/{duty}/cancel"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(cancelled["status"], "cancelled");
    api.refused(
        "kepala",
        "POST",
        &format!("/v1/requests/{duty}/approve"),
        None,
        StatusCode::CONFLICT,
        "request_already_decided",
    )
    .await;
}

/// An approval by the supervisor and withdrawals by amy, sent at once: exactly one wins,
/// every other answer is 409. Returns whether the izin ended up approved.
async fn approve_and_cancel_at_once(api: &Api) -> bool {
    let izin = api
        .file(
            "amy",
            json!({"kind": "excused", "from": "2026-11-12", "reason": "Mengurus KTP"}),
        )
        .await;
    let (kepala, amy) = (api.token("kepala").await, api.token("amy").await);
    let barrier = Arc::new(Barrier::new(RACERS));
    let racers = (0..RACERS).map(|n| {
        let barrier = barrier.clone();
        let (token, action) = if n % 2 == 0 {
            (kepala.clone(), "approve")
        } else {
            (amy.clone(), "cancel")
        };
        let path = format!("/v1/requests/{izin}/{action}");
        async move {
            barrier.wait().await;
            let (status, answer) = api.send(Some(&token), "POST", &path, None).await;
            (action, status, answer)
        }
    });
    let answers = futures::future::join_all(racers).await;
    let winners: Vec<_> = answers
        .iter()
        .filter(|(_, status, _)| *status == StatusCode::OK)
        .collect();
    assert_eq!(winners.len(), 1, "one decision wins: {answers:?}");
    for (_, status, answer) in &answers {
        assert!(
            *status == StatusCode::OK
                || (*status == StatusCode::CONFLICT && answer["code"] == "request_already_decided"),
            "{status} {answer}"
        );
    }
    let stored = api
        .call(
            "amy",
            "GET",
            &format!("/v1/requests/{izin}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(stored, winners[0].2, "the stored request is the winner's");
    assert_eq!(stored["version"], 2, "decided once");
    winners[0].0 == "approve"
}

/// The same sick day filed many times at once: one request is stored. Returns its id.
async fn file_at_once(api: &Api) -> String {
    let amy = api.token("amy").await;
    let barrier = Arc::new(Barrier::new(RACERS));
    let filings = (0..RACERS).map(|n| {
        let (barrier, amy) = (barrier.clone(), amy.clone());
        async move {
            barrier.wait().await;
            let body = json!({"kind": "sick", "from": "2026-11-16",
                "reason": format!("Demam, surat dokter {n}")});
            api.send(Some(&amy), "POST", "/v1/requests", Some(body))
                .await
        }
    });
    let answers = futures::future::join_all(filings).await;
    let filed: Vec<&Value> = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .map(|(_, answer)| answer)
        .collect();
    assert_eq!(filed.len(), 1, "one of {RACERS} filings: {answers:?}");
    for (status, answer) in &answers {
        assert!(
            *status == StatusCode::CREATED
                || (*status == StatusCode::CONFLICT && answer["code"] == "overlapping_request"),
            "{status} {answer}"
        );
    }
    filed[0]["id"].as_str().expect("an id").to_owned()
}

/// An admin enters bob's official duty after the fact: approved at once in the admin's
/// name.
async fn manual_entry(api: &Api) {
    let entry = api
        .call(
            "admin",
            "POST",
            "/v1/requests",
            Some(json!({"employee_id": "bob", "kind": "official_duty",
                "from": "2026-11-09", "reason": "Kiosk mati, dinas ke kecamatan",
                "reference": "ST/050/XI/2026"})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(
        (
            entry["status"].as_str(),
            entry["filed_by"].as_str(),
            entry["decided_by"].as_str()
        ),
        (Some("approved"), Some("admin"), Some("admin"))
    );
}

/// bob's kiosk punches of the 10th were lost: two other corrections put back the morning
/// and the afternoon (the earlier one is the check-in, whichever is approved first); the
/// same instant twice is one punch too many.
async fn other_corrections(api: &Api) {
    api.at(local(day(11), 8, 0));
    let afternoon = api
        .file(
            "bob",
            json!({"kind": "other_correction", "at": instant(local(day(10), 16, 30)),
                "reason": "Kiosk mati sore hari"}),
        )
        .await;
    let morning = api
        .file(
            "bob",
            json!({"kind": "other_correction", "at": instant(local(day(10), 7, 20)),
                "reason": "Kiosk mati pagi hari", "reference": "Laporan TI 3/XI"}),
        )
        .await;
    api.refused(
        "bob",
        "POST",
        "/v1/requests",
        Some(
            json!({"kind": "other_correction", "at": instant(local(day(10), 7, 20)),
            "reason": "Sekali lagi"}),
        ),
        StatusCode::CONFLICT,
        "overlapping_request",
    )
    .await;
    for request in [&afternoon, &morning] {
        api.call(
            "kepala",
            "POST",
            &format!("/v1/requests/{request}/approve"),
            None,
            StatusCode::OK,
        )
        .await;
    }
    let punches = api
        .call(
            "bob",
            "GET",
            "/v1/attendance?from=2026-11-10&to=2026-11-10",
            None,
            StatusCode::OK,
        )
        .await;
    let mut kinds: Vec<(String, String)> = punches["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| {
            assert_eq!(p["method"], "correction", "{p}");
            (
                p["at"].as_str().unwrap_or_default().to_owned(),
                p["kind"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    kinds.sort();
    let kinds: Vec<&str> = kinds.iter().map(|(_, kind)| kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["check_in", "check_in"],
        "each was the day's earliest when approved"
    );
}

async fn board_shows_leave(api: &Api) {
    let board = api
        .call(
            "admin",
            "GET",
            "/v1/reports/board?office_id=dinas&day=2026-11-03",
            None,
            StatusCode::OK,
        )
        .await;
    let amy = board["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["employee_id"] == "amy")
        .expect("amy on the board");
    assert_eq!(amy["status"], "on_leave", "{board}");
}

/// November as HR reads it on 1 December: 21 working days; amy was on leave the 2nd to
/// the 4th, checked in by correction on the 5th (no check-out: PSW4), sick on the 16th,
/// excused on the 12th if the approval won the race, absent on every other working day.
async fn recap_counts_leave(api: &Api, izin_approved: bool) {
    api.at(local(
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("a day"),
        12,
        0,
    ));
    let recap = api
        .call(
            "admin",
            "GET",
            "/v1/reports/attendance?month=2026-11",
            None,
            StatusCode::OK,
        )
        .await;
    let of = |id: &str| {
        recap["employees"]
            .as_array()
            .expect("employees")
            .iter()
            .find(|e| e["employee_id"] == id)
            .cloned()
            .expect("in the recap")
    };
    let amy = of("amy");
    let excused = u64::from(izin_approved);
    let absent = 21 - 3 - 1 - 1 - excused;
    let expected = json!({"working_days": 21, "present_days": 1, "leave_days": 3,
        "excused_days": excused, "sick_days": 1, "official_duty_days": 0,
        "absent_days": absent, "no_check_out_days": 1, "early_days": [0, 0, 0, 1],
        "deduction": absent as f64 * 3.0 + 1.5});
    for (key, value) in expected.as_object().expect("an object") {
        assert_eq!(&amy[key], value, "amy {key}");
    }
    let days = amy["days"].as_array().expect("days");
    let on = |d: usize| &days[d - 1];
    assert_eq!(
        (on(3)["status"].as_str(), on(3)["deduction"].as_f64()),
        (Some("leave"), Some(0.0))
    );
    assert_eq!(on(5)["status"], "no_check_out");
    assert_eq!(on(5)["check_in"], "2026-11-05T07:25:00");
    assert_eq!(on(16)["status"], "sick");
    assert_eq!(
        on(12)["status"],
        if izin_approved { "excused" } else { "absent" }
    );
    let bob = of("bob");
    assert_eq!(bob["official_duty_days"], 1);
    assert_eq!(bob["days"][8]["status"], "official_duty");
    let (_, csv) = {
        let admin = api.token("admin").await;
        let response = api
            .http
            .client
            .get(format!(
                "{}/v1/reports/attendance?month=2026-11&format=csv",
                api.http.base
            ))
            .bearer_auth(admin)
            .send()
            .await
            .expect("an answer");
        (response.status(), response.text().await.expect("the CSV"))
    };
    let amy_row = csv
        .lines()
        .find(|line| line.starts_with("\"amy\""))
        .expect("amy's row");
    assert!(
        amy_row.contains(&format!(",1,0,3,{excused},1,0,0,")),
        "no_check_in, leave, excused, sick, official duty, holidays: {amy_row}"
    );
}

/// A supervisor reads the recap and the board of their team and themselves; an employee
/// their own; nobody else's (404).
async fn team_reports(api: &Api) {
    let ids = |answer: &Value, list: &str| -> Vec<String> {
        let mut ids: Vec<String> = answer[list]
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|e| e["employee_id"].as_str().map(str::to_owned))
            .collect();
        ids.sort();
        ids
    };
    let month = "/v1/reports/attendance?month=2026-11";
    let team = api.call("kepala", "GET", month, None, StatusCode::OK).await;
    assert_eq!(ids(&team, "employees"), ["amy", "bob", "kepala"]);
    let amy = team["employees"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["employee_id"] == "amy"))
        .expect("amy");
    assert_eq!(amy["sick_days"], 1, "the same figures as HR's: {amy}");
    let bob = team["employees"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["employee_id"] == "bob"))
        .expect("bob");
    assert_eq!(
        (
            bob["days"][9]["status"].as_str(),
            bob["days"][9]["check_in"].as_str(),
            bob["days"][9]["check_out"].as_str()
        ),
        (
            Some("present"),
            Some("2026-11-10T07:20:00"),
            Some("2026-11-10T16:30:00")
        ),
        "the other corrections make the 10th a full day: {bob}"
    );
    let own = api.call("amy", "GET", month, None, StatusCode::OK).await;
    assert_eq!(ids(&own, "employees"), ["amy"]);
    let one = format!("{month}&employee_id=amy");
    let of_amy = api.call("kepala", "GET", &one, None, StatusCode::OK).await;
    assert_eq!(ids(&of_amy, "employees"), ["amy"]);
    for (who, path) in [
        ("amy", format!("{month}&employee_id=bob")),
        ("cici", format!("{month}&employee_id=amy")),
        ("kepala", format!("{month}&employee_id=cici")),
        ("kepala", "/v1/reports/board?office_id=default".to_owned()),
    ] {
        api.refused(who, "GET", &path, None, StatusCode::NOT_FOUND, "not_found")
            .await;
    }
    let board = "/v1/reports/board?office_id=dinas&day=2026-11-03";
    let team = api.call("kepala", "GET", board, None, StatusCode::OK).await;
    assert_eq!(ids(&team, "entries"), ["amy", "bob", "kepala"]);
    let own_office = api
        .call(
            "cici",
            "GET",
            "/v1/reports/board?day=2026-11-03",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        (
            own_office["office_id"].as_str(),
            ids(&own_office, "entries")
        ),
        (Some("dinas"), vec!["cici".to_owned()]),
        "without office_id, the caller's own office"
    );
    let kepala = api.token("kepala").await;
    let response = api
        .http
        .client
        .get(format!("{}{month}&format=csv", api.http.base))
        .bearer_auth(kepala)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK);
    let csv = response.text().await.expect("the CSV");
    assert!(csv.lines().any(|line| line.starts_with("\"amy\"")), "{csv}");
    assert!(
        !csv.lines().any(|line| line.starts_with("\"cici\"")),
        "{csv}"
    );
}

/// Erasing amy erases her requests (her supervisor no longer sees them, her id is gone)
/// and keeps the audit trail of their decisions.
/// `who` asks for an upload URL for a document of `content_type` for `request` and puts
/// `bytes` there; the upload's key.
async fn upload(api: &Api, who: &str, request: &str, content_type: &str, bytes: Vec<u8>) -> String {
    let upload = api
        .call(
            who,
            "POST",
            &format!("/v1/requests/{request}/attachment-upload"),
            Some(json!({"content_type": content_type})),
            StatusCode::CREATED,
        )
        .await;
    let method = upload["method"].as_str().expect("a method");
    let url = upload["url"].as_str().expect("a URL");
    let mut put = api.http.client.request(
        reqwest::Method::from_bytes(method.as_bytes()).expect("a method"),
        url,
    );
    for (name, value) in upload["headers"].as_object().expect("headers") {
        put = put.header(name, value.as_str().expect("a header value"));
    }
    let response = put.body(bytes).send().await.expect("an answer");
    assert!(response.status().is_success(), "upload: {response:?}");
    upload["key"].as_str().expect("a key").to_owned()
}

/// amy attaches her doctor's letter to a sick day through a pre-signed URL: checked by
/// its bytes, read back by her supervisor and by nobody outside the team; a file that is
/// not what its URL was signed for, a key of another request and a used upload are
/// refused and change nothing; once decided, the request takes no document from her.
/// Returns the link to the letter.
async fn attachments(api: &Api) -> String {
    let sick = api
        .file(
            "amy",
            json!({"kind": "sick", "from": "2026-11-27", "reason": "Demam",
                "reference": "SKS/027/XI/2026"}),
        )
        .await;
    let path = format!("/v1/requests/{sick}/attachment");
    let letter = fixture_bytes("documents/surat-dokter.pdf");
    let key = upload(api, "amy", &sick, "application/pdf", letter.clone()).await;
    let attached = api
        .call(
            "amy",
            "PUT",
            &path,
            Some(json!({"upload_key": key})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(attached["attachment"]["content_type"], "application/pdf");
    assert_eq!(attached["attachment"]["bytes"], letter.len());

    let png = fixture_bytes("bad/one_pixel.png");
    let disguised = upload(api, "amy", &sick, "application/pdf", png).await;
    for (key, status, code) in [
        (
            key.as_str(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "attachment_missing",
        ),
        (
            disguised.as_str(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_attachment",
        ),
        (
            disguised.as_str(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "attachment_missing",
        ),
        (
            "attachment-uploads/amy/another/u1.pdf",
            StatusCode::BAD_REQUEST,
            "invalid_upload_key",
        ),
    ] {
        api.refused(
            "amy",
            "PUT",
            &path,
            Some(json!({"upload_key": key})),
            status,
            code,
        )
        .await;
    }
    let upload = format!("{path}-upload");
    for (who, method, target, body, status, code) in [
        (
            "amy",
            "POST",
            &upload,
            Some(json!({"content_type": "text/html"})),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "cici",
            "GET",
            &path,
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "cici",
            "POST",
            &upload,
            Some(json!({"content_type": "application/pdf"})),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ] {
        api.refused(who, method, target, body, status, code).await;
    }

    let link = api.call("kepala", "GET", &path, None, StatusCode::OK).await;
    assert_eq!(link["content_type"], "application/pdf");
    assert_eq!(link["bytes"], letter.len());
    let url = link["url"].as_str().expect("a URL").to_owned();
    let response = api.http.client.get(&url).send().await.expect("an answer");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.bytes().await.expect("the letter").to_vec(), letter);

    api.call(
        "kepala",
        "POST",
        &format!("/v1/requests/{sick}/reject"),
        Some(json!({"reason": "Surat tidak dilegalisasi"})),
        StatusCode::OK,
    )
    .await;
    api.refused(
        "amy",
        "POST",
        &upload,
        Some(json!({"content_type": "application/pdf"})),
        StatusCode::CONFLICT,
        "request_already_decided",
    )
    .await;
    url
}

async fn erasure_keeps_the_audit_trail(api: &Api, cuti: &str, letter: &str) {
    api.at(local(
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("a day"),
        13,
        0,
    ));
    api.call(
        "admin",
        "DELETE",
        "/v1/employees/amy",
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    api.refused(
        "admin",
        "GET",
        &format!("/v1/requests/{cuti}"),
        None,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let waiting = api
        .call(
            "kepala",
            "GET",
            "/v1/requests/waiting",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(waiting["items"], json!([]));
    let letter = api.http.client.get(letter).send().await.expect("an answer");
    assert_eq!(
        letter.status(),
        StatusCode::NOT_FOUND,
        "the letter is erased"
    );
    let mut actions: Vec<(String, String)> = Vec::new();
    let mut path = "/v1/audit?limit=100".to_owned();
    loop {
        let page = api.call("admin", "GET", &path, None, StatusCode::OK).await;
        for event in page["items"].as_array().expect("items") {
            if let (Some(action), Some(subject)) =
                (event["action"].as_str(), event["subject"].as_str())
            {
                actions.push((action.to_owned(), subject.to_owned()));
            }
        }
        match page["next"].as_str() {
            Some(cursor) => path = format!("/v1/audit?limit=100&cursor={cursor}"),
            None => break,
        }
    }
    for action in ["request.file", "request.approve"] {
        assert!(
            actions.contains(&(action.to_owned(), cuti.to_owned())),
            "{action} of {cuti} stays in the audit trail: {actions:?}"
        );
    }
    // Erasing the supervisor frees the team: an account made later with the same id
    // supervises nobody.
    api.call(
        "admin",
        "DELETE",
        "/v1/employees/kepala",
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    let bob = api
        .call("admin", "GET", "/v1/employees/bob", None, StatusCode::OK)
        .await;
    assert!(bob["supervisor_id"].is_null(), "{bob}");
}
