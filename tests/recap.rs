//! A month of attendance through the HTTP API at set times (a test clock, never sleeping):
//! a holiday imported as CSV, a special period with other hours, a night shift crossing
//! midnight and the month's end, a forgotten check-out, an absence, an employee who joined
//! mid-month; then the recap as JSON, CSV and XLSX checked cell by cell against figures
//! computed by hand. The same month runs on the embedded store behind `lintas serve`'s server
//! and on DynamoDB Local with the S3 server.

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};
use lintas_core::app::AppConfig;
use lintas_tests::cloud::{ADMIN_PASSWORD, JWT_SECRET};
use lintas_tests::fixture_bytes;
use lintas_tests::served::{ApiClient, SetClock, serve_cloud, serve_embedded};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("a November day")
}

fn local(date: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    date.and_hms_opt(hour, minute, 0).expect("a time")
}

const PASSWORD: &str = "bekerja dari pagi 7";

/// The API of one running server, at the time the test sets.
struct Api {
    http: ApiClient,
    clock: Arc<SetClock>,
}

impl Api {
    /// Sets the clock to `at` in Jakarta.
    fn at(&self, at: NaiveDateTime) {
        self.clock.set(at);
    }

    async fn token(&self, id: &str, password: &str) -> String {
        self.http.login(id, password).await
    }

    async fn admin(&self) -> String {
        self.token("admin", ADMIN_PASSWORD).await
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

    /// As an admin, expecting `expected`.
    async fn admin_call(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        expected: StatusCode,
    ) -> Value {
        let admin = self.admin().await;
        let (status, answer) = self.send(Some(&admin), method, path, body).await;
        assert_eq!(status, expected, "{method} {path}: {answer}");
        answer
    }

    /// The bytes and content type of a download.
    async fn download(&self, path: &str) -> (String, Vec<u8>) {
        let admin = self.admin().await;
        let response = self
            .http
            .client
            .get(format!("{}{path}", self.http.base))
            .bearer_auth(admin)
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let kind = response.headers()["content-type"]
            .to_str()
            .expect("a content type")
            .to_owned();
        (kind, response.bytes().await.expect("a body").to_vec())
    }

    /// `employee` punches at `at` with the fixture `photo`, through their own phone (1:1);
    /// the punch answered.
    async fn punch(&self, employee: &str, photo: &str, at: NaiveDateTime) -> Value {
        self.at(at);
        let token = self.token(employee, PASSWORD).await;
        let form = Form::new().part(
            "photo",
            Part::bytes(fixture_bytes(photo)).file_name("selfie.png"),
        );
        let response = self
            .http
            .client
            .post(format!("{}/v1/attendance", self.http.base))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("an answer");
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(status, StatusCode::OK, "{employee} at {at}: {body}");
        assert_eq!(body["repeated"], false, "{employee} at {at}: {body}");
        body
    }

    async fn add_employee(&self, id: &str, photos: &[&str]) {
        let body = json!({"id": id, "name": id.to_uppercase(), "role": "employee",
            "office_id": "dinas", "password": PASSWORD});
        self.admin_call("POST", "/v1/employees", Some(body), StatusCode::CREATED)
            .await;
        if photos.is_empty() {
            return;
        }
        let mut form = Form::new();
        for photo in photos {
            form = form.part(
                "photo",
                Part::bytes(fixture_bytes(photo)).file_name("enroll.png"),
            );
        }
        let admin = self.admin().await;
        let response = self
            .http
            .client
            .post(format!("{}/v1/employees/{id}/faces", self.http.base))
            .bearer_auth(admin)
            .multipart(form)
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::OK, "enrolling {id}");
    }
}

/// The configuration both servers run with: bcrypt at its lowest cost, and liveness off
/// (the fixture photos are grayscale crops the anti-spoofing models cannot judge).
fn config() -> AppConfig {
    let mut config = AppConfig::with_secret(JWT_SECRET.as_bytes().to_vec()).expect("a secret");
    config.login.bcrypt_cost = 4;
    config.faces.liveness = false;
    config
}

fn set_clock() -> Arc<SetClock> {
    SetClock::at(local(day(1), 8, 0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_on_the_embedded_store_makes_the_recap_hr_computes_by_hand() {
    let clock = set_clock();
    let base = serve_embedded("recap", config(), clock.clone(), true).await;
    month(Api {
        http: ApiClient::new(base),
        clock,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_on_dynamodb_and_s3_makes_the_recap_hr_computes_by_hand() {
    let clock = set_clock();
    let base = serve_cloud("recap", config(), clock.clone()).await;
    month(Api {
        http: ApiClient::new(base),
        clock,
    })
    .await;
}

/// amy's days: (day, check-in, check-out) in Jakarta time; `None` for no punch.
type Day = (u32, Option<(u32, u32)>, Option<(u32, u32)>);

const AMY: &[Day] = &[
    (2, Some((7, 25)), Some((16, 5))),   // present
    (3, Some((7, 41)), Some((16, 0))),   // 11 minutes late: TL1
    (4, Some((8, 15)), Some((16, 2))),   // 45 minutes late: TL2
    (5, Some((7, 30)), None),            // forgot to check out: PSW4
    (6, Some((7, 20)), Some((16, 10))),  // Friday ends 16:30: 20 minutes early, PSW1
    (7, Some((9, 0)), Some((12, 0))),    // Saturday: work on a day off, no deduction
    (10, Some((7, 40)), Some((16, 0))),  // the grace minute itself: on time
    (11, Some((7, 15)), Some((16, 1))),  // present
    (12, Some((7, 15)), Some((16, 1))),  // present
    (13, Some((7, 15)), Some((16, 45))), // present
    (16, Some((7, 15)), Some((16, 1))),  // present
    (17, Some((7, 15)), Some((16, 1))),  // present
    (18, Some((7, 15)), Some((16, 1))),  // present
    (19, Some((7, 15)), Some((16, 1))),  // present
    (23, Some((7, 55)), Some((15, 5))),  // special week 08:00-15:00: present
    (24, Some((9, 35)), Some((15, 0))),  // 95 minutes late: TL4
    (25, Some((7, 50)), Some((15, 10))), // present
    (26, Some((7, 50)), Some((15, 10))), // present
    (27, Some((7, 50)), Some((15, 10))), // present
    (30, Some((7, 29)), Some((16, 1))),  // present
];

async fn month(api: Api) {
    // The office, its rules and calendar, on 1 November.
    api.at(local(day(1), 8, 0));
    let schedule = json!({"start": "07:30:00", "end": "16:00:00", "weekdays": [1, 2, 3, 4, 5],
        "hours": {"5": {"start": "07:30:00", "end": "16:30:00"}}, "grace_minutes": 10});
    let office = json!({"name": "Dinas", "time_zone": "Asia/Jakarta", "schedule": schedule,
        "challenge": {"phone": false, "kiosk": false}});
    api.admin_call("PUT", "/v1/offices/dinas", Some(office), StatusCode::OK)
        .await;
    import_holidays(&api).await;
    let special = json!({"name": "Pekan olahraga", "from": "2026-11-23", "to": "2026-11-27",
        "schedule": {"start": "08:00:00", "end": "15:00:00", "weekdays": [1, 2, 3, 4, 5]}});
    api.admin_call(
        "PUT",
        "/v1/calendars/default/special-periods/porda",
        Some(special),
        StatusCode::OK,
    )
    .await;
    let night = json!({"name": "Malam", "start": "22:00:00", "end": "07:00:00",
        "latest_check_out_minutes": 180});
    api.admin_call("PUT", "/v1/shifts/malam", Some(night), StatusCode::OK)
        .await;
    let rules = api
        .admin_call("GET", "/v1/attendance-rules", None, StatusCode::OK)
        .await;
    assert_eq!(rules["bucket_limits"], json!([30, 60, 90]), "{rules}");

    api.add_employee("amy", &["faces/amy/amy1.png", "faces/amy/amy2.png"])
        .await;
    api.add_employee(
        "howard",
        &["faces/howard/howard1.png", "faces/howard/howard2.png"],
    )
    .await;
    // howard has days off until the 25th, then five nights.
    for entry in [
        json!({"from": "2026-11-01", "to": "2026-11-25"}),
        json!({"shift_id": "malam", "from": "2026-11-26", "to": "2026-11-30"}),
    ] {
        api.admin_call(
            "POST",
            "/v1/employees/howard/roster",
            Some(entry),
            StatusCode::CREATED,
        )
        .await;
    }
    refuses_bad_rules(&api).await;

    let photos = [
        "faces/amy/amy3.png",
        "faces/amy/amy4.png",
        "faces/amy/amy5.png",
    ];
    for (n, (d, check_in, check_out)) in AMY.iter().enumerate() {
        if *d == 16 {
            // bernadette joins on the 16th at 08:00 and never punches.
            api.at(local(day(16), 6, 0));
            api.add_employee("bernadette", &[]).await;
        }
        for (k, time) in [check_in, check_out].into_iter().enumerate() {
            if let Some((hour, minute)) = time {
                let photo = photos[(n + k) % photos.len()];
                let punch = api
                    .punch("amy", photo, local(day(*d), *hour, *minute))
                    .await;
                // The kiosk tells what the recap will read.
                let kind = ["check_in", "check_out"][k];
                assert_eq!(punch["kind"], kind, "amy on the {d}th: {punch}");
            }
        }
    }
    let nights = [
        (26, (21, 55), (27, 7, 2)),  // present
        (27, (22, 20), (28, 7, 0)),  // 20 minutes late: TL1
        (28, (21, 50), (29, 6, 30)), // 30 minutes early: PSW1
        (30, (21, 58), (31, 7, 5)),  // the check-out on 1 December belongs to 30 November
    ];
    for (n, (d, (in_h, in_m), (out_d, out_h, out_m))) in nights.into_iter().enumerate() {
        let out_day = if out_d == 31 {
            NaiveDate::from_ymd_opt(2026, 12, 1).expect("a day")
        } else {
            day(out_d)
        };
        let photo = ["faces/howard/howard3.png", "faces/howard/howard4.png"][n % 2];
        let evening = api.punch("howard", photo, local(day(d), in_h, in_m)).await;
        if d == 30 {
            night_board(&api).await;
        }
        let morning = api
            .punch(
                "howard",
                "faces/howard/howard5.png",
                local(out_day, out_h, out_m),
            )
            .await;
        // A night shift is checked into in the evening (after the middle of the office's
        // day, after the morning's check-out of the night before) and out the next morning
        // (the first punch of that day), as the recap reads it.
        let kinds = (&evening["kind"], &morning["kind"]);
        assert_eq!(
            kinds,
            (&json!("check_in"), &json!("check_out")),
            "night of the {d}th"
        );
    }

    // HR reads the month on 1 December at noon: every window of November has closed.
    api.at(local(
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("a day"),
        12,
        0,
    ));
    let recap = api
        .admin_call(
            "GET",
            "/v1/reports/attendance?month=2026-11",
            None,
            StatusCode::OK,
        )
        .await;
    check_json(&recap);
    check_csv(&api).await;
    check_xlsx(&api).await;
    check_board(&api).await;

    // A holiday corrected afterwards changes the past month: amy's absence on the 9th
    // becomes a holiday.
    api.admin_call(
        "PUT",
        "/v1/calendars/default/holidays/2026-11-09",
        Some(json!({"name": "Cuti bersama", "kind": "collective_leave"})),
        StatusCode::OK,
    )
    .await;
    let again = api
        .admin_call(
            "GET",
            "/v1/reports/attendance?month=2026-11&employee_id=amy",
            None,
            StatusCode::OK,
        )
        .await;
    let amy = &again["employees"][0];
    assert_eq!(
        (amy["absent_days"].as_u64(), amy["holidays"].as_u64()),
        (Some(0), Some(2)),
        "{amy}"
    );
    assert_eq!(amy["deduction"], json!(5.0));
    let audit = api
        .admin_call("GET", "/v1/audit?limit=20", None, StatusCode::OK)
        .await;
    let change = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["action"] == "calendar.holiday" && e["detail"] == "2026-11-09")
        .expect("the change is audited");
    assert_eq!(
        (change["actor"].as_str(), change["subject"].as_str()),
        (Some("admin"), Some("default"))
    );
}

/// Imports the month's holiday as CSV; a bad line refuses the whole file.
async fn import_holidays(api: &Api) {
    let admin = api.admin().await;
    let post = |csv: &'static str| {
        api.http
            .client
            .post(format!(
                "{}/v1/calendars/default/holidays/import",
                api.http.base
            ))
            .bearer_auth(&admin)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
    };
    let bad = post("date,name,kind\n2026-12-25,Natal,national\n1999-01-01,Old,national\n")
        .await
        .expect("an answer");
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let problem: Value = bad.json().await.expect("a problem");
    assert_eq!(problem["code"], "invalid_calendar", "{problem}");
    let good = post("date,name,kind\n2026-11-20,Libur daerah,local\n2026-12-25,Natal,national\n")
        .await
        .expect("an answer");
    assert_eq!(good.status(), StatusCode::OK);
    let listed = api
        .admin_call(
            "GET",
            "/v1/calendars/default/holidays?year=2026",
            None,
            StatusCode::OK,
        )
        .await;
    let dates: Vec<&str> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|h| h["date"].as_str())
        .collect();
    assert_eq!(
        dates,
        ["2026-11-20", "2026-12-25"],
        "nothing of the bad file"
    );
}

/// Bad rules are refused with a stable code, and nothing is stored, even when sent at once.
async fn refuses_bad_rules(api: &Api) {
    let admin = api.admin().await;
    let refused = [
        (
            "PUT",
            "/v1/shifts/none",
            json!({"name": "None", "start": "08:00:00", "end": "08:00:00"}),
            "invalid_shift",
        ),
        (
            "PUT",
            "/v1/shifts/short",
            json!({"name": "Short", "start": "08:00:00", "end": "08:30:00", "grace_minutes": 30}),
            "invalid_shift",
        ),
        (
            "PUT",
            "/v1/offices/graceful",
            json!({"name": "G", "time_zone": "Asia/Makassar", "schedule": {"start": "08:00:00",
                "end": "09:00:00", "weekdays": [1], "grace_minutes": 90}}),
            "invalid_schedule",
        ),
        (
            "PUT",
            "/v1/calendars/default/holidays/2101-01-01",
            json!({"name": "Far", "kind": "national"}),
            "invalid_calendar",
        ),
        (
            "PUT",
            "/v1/attendance-rules",
            json!({"bucket_limits": [60, 30, 90]}),
            "invalid_rules",
        ),
        (
            "POST",
            "/v1/employees/howard/roster",
            json!({"shift_id": "malam", "from": "2026-11-25", "to": "2026-11-26"}),
            "overlapping_assignment",
        ),
        (
            "PUT",
            "/v1/attendance-rules",
            json!({"absent_deductoin": 5}),
            "invalid_json",
        ),
    ];
    for (method, path, body, code) in refused {
        let (status, problem) = api.send(Some(&admin), method, path, Some(body)).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some(code)),
            "{method} {path}: {problem}"
        );
    }
    let (status, problem) = api
        .send(
            Some(&admin),
            "POST",
            "/v1/employees/amy/roster",
            Some(json!({"shift_id": "nowhere", "from": "2026-12-01", "to": "2026-12-02"})),
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_shift"))
    );
    // Eight overlapping entries for amy at once: one is stored.
    let barrier = Arc::new(tokio::sync::Barrier::new(8));
    let attempts = (0..8u32).map(|n| {
        let barrier = barrier.clone();
        let body = json!({"shift_id": "malam", "from": format!("2026-12-{:02}", 10 + n),
            "to": "2026-12-20"});
        let admin = admin.clone();
        async move {
            barrier.wait().await;
            api.send(Some(&admin), "POST", "/v1/employees/amy/roster", Some(body))
                .await
        }
    });
    let answers = futures::future::join_all(attempts).await;
    let created = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{answers:?}");
    assert!(
        answers.iter().all(|(s, b)| *s == StatusCode::CREATED
            || (*s == StatusCode::BAD_REQUEST && b["code"] == "overlapping_assignment")),
        "{answers:?}"
    );
    let roster = api
        .admin_call("GET", "/v1/employees/amy/roster", None, StatusCode::OK)
        .await;
    let entry = roster["items"][0]["id"]
        .as_str()
        .expect("an entry")
        .to_owned();
    assert_eq!(roster["items"].as_array().map(Vec::len), Some(1));
    api.admin_call(
        "DELETE",
        &format!("/v1/employees/amy/roster/{entry}"),
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    let shifts = api
        .admin_call("GET", "/v1/shifts", None, StatusCode::OK)
        .await;
    assert_eq!(
        shifts["items"].as_array().map(Vec::len),
        Some(1),
        "{shifts}"
    );
    let rules = api
        .admin_call("GET", "/v1/attendance-rules", None, StatusCode::OK)
        .await;
    assert_eq!(rules["bucket_limits"], json!([30, 60, 90]));
}

/// The figures of the month, computed by hand (see the comments of [`AMY`] and the nights).
fn check_json(recap: &Value) {
    let employees = recap["employees"].as_array().expect("employees");
    let ids: Vec<&str> = employees
        .iter()
        .filter_map(|e| e["employee_id"].as_str())
        .collect();
    assert_eq!(
        ids,
        ["amy", "bernadette", "howard"],
        "the admin is not on the roll"
    );
    let amy = &employees[0];
    // 21 weekdays, the 20th a holiday; absent on the 9th.
    let expected_amy = json!({"working_days": 20, "present_days": 19, "late_days": [1, 1, 0, 1],
        "early_days": [1, 0, 0, 1], "late_minutes": 11 + 45 + 95, "early_minutes": 20,
        "absent_days": 1, "no_check_out_days": 1, "no_check_in_days": 0, "holidays": 1,
        "deduction": 0.5 + 1.0 + 1.5 + 1.5 + 0.5 + 3.0});
    for (key, value) in expected_amy.as_object().expect("an object") {
        assert_eq!(&amy[key], value, "amy {key}");
    }
    let days = amy["days"].as_array().expect("days");
    assert_eq!(days.len(), 30, "from the 1st, when amy was created");
    let on = |d: u32| &days[d as usize - 1];
    assert_eq!(on(1)["status"], "day_off");
    assert_eq!(on(3)["status"], "late");
    assert_eq!(on(3)["late_minutes"], 11);
    assert_eq!(on(5)["status"], "no_check_out");
    assert_eq!(on(5)["early_bucket"], 4);
    assert_eq!(on(6)["status"], "left_early");
    assert_eq!(on(6)["planned_end"], "2026-11-06T16:30:00");
    assert_eq!(
        (on(7)["status"].as_str(), on(7)["worked_minutes"].as_u64()),
        (Some("day_off"), Some(180))
    );
    assert_eq!(on(9)["status"], "absent");
    assert_eq!(
        on(10)["status"],
        "present",
        "07:40 with 10 minutes of grace"
    );
    assert_eq!(on(20)["status"], "holiday");
    assert_eq!(on(20)["holiday"], "Libur daerah");
    assert_eq!(
        on(23)["status"],
        "present",
        "the special week ends at 15:00"
    );
    assert_eq!(on(23)["planned_start"], "2026-11-23T08:00:00");
    assert_eq!(on(24)["late_bucket"], 4);

    let bernadette = &employees[1];
    // From the 16th: 16-19, 23-27 and 30 are working days, the 20th a holiday.
    let expected = json!({"working_days": 10, "present_days": 0, "absent_days": 10,
        "holidays": 1, "deduction": 30.0});
    for (key, value) in expected.as_object().expect("an object") {
        assert_eq!(&bernadette[key], value, "bernadette {key}");
    }
    assert_eq!(bernadette["days"].as_array().map(Vec::len), Some(15));

    let howard = &employees[2];
    let expected = json!({"working_days": 5, "present_days": 4, "late_days": [1, 0, 0, 0],
        "early_days": [1, 0, 0, 0], "late_minutes": 20, "early_minutes": 30, "absent_days": 1,
        "holidays": 0, "deduction": 4.0});
    for (key, value) in expected.as_object().expect("an object") {
        assert_eq!(&howard[key], value, "howard {key}");
    }
    let nights = howard["days"].as_array().expect("days");
    assert_eq!(
        nights[19]["status"], "day_off",
        "the roster's day off beats the holiday"
    );
    let last = &nights[29];
    assert_eq!(
        (
            last["status"].as_str(),
            last["check_in"].as_str(),
            last["check_out"].as_str(),
            last["shift"].as_str()
        ),
        (
            Some("present"),
            Some("2026-11-30T21:58:00"),
            Some("2026-12-01T07:05:00"),
            Some("malam")
        )
    );
    assert_eq!(nights[28]["status"], "absent");
    assert_eq!(nights[27]["early_minutes"], 30);
}

async fn check_csv(api: &Api) {
    let (kind, recap) = api
        .download("/v1/reports/attendance?month=2026-11&format=csv")
        .await;
    assert!(kind.starts_with("text/csv"), "{kind}");
    let recap = String::from_utf8(recap).expect("UTF-8");
    let lines: Vec<&str> = recap.lines().collect();
    assert_eq!(
        lines[0],
        "employee_id,name,staff_number,office_id,working_days,present_days,tl1,tl2,tl3,tl4,\
         psw1,psw2,psw3,psw4,late_minutes,early_minutes,absent_days,no_check_out_days,\
         no_check_in_days,leave_days,excused_days,sick_days,official_duty_days,holidays,\
         deduction_percent"
    );
    assert_eq!(
        lines[1],
        "\"amy\",\"AMY\",\"\",\"dinas\",20,19,1,1,0,1,1,0,0,1,151,20,1,1,0,0,0,0,0,1,8.00"
    );
    assert_eq!(
        lines[3],
        "\"howard\",\"HOWARD\",\"\",\"dinas\",5,4,1,0,0,0,1,0,0,0,20,30,1,0,0,0,0,0,0,0,4.00"
    );
    let (_, days) = api
        .download("/v1/reports/attendance?month=2026-11&format=csv&table=days")
        .await;
    let days = String::from_utf8(days).expect("UTF-8");
    let night = days
        .lines()
        .find(|l| l.starts_with("\"howard\",") && l.contains(",2026-11-30,"))
        .expect("howard's last night");
    assert_eq!(
        night,
        "\"howard\",\"HOWARD\",2026-11-30,present,malam,2026-11-30 22:00,2026-12-01 07:00,\
         2026-11-30 21:58,2026-12-01 07:05,0,0,547,,,0.00"
    );
}

async fn check_xlsx(api: &Api) {
    let (kind, bytes) = api
        .download("/v1/reports/attendance?month=2026-11&format=xlsx")
        .await;
    assert_eq!(
        kind,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).expect("an XLSX file");
    assert_eq!(workbook.sheet_names(), ["Recap 2026-11", "Days"]);
    let recap = workbook
        .worksheet_range("Recap 2026-11")
        .expect("the recap sheet");
    assert_eq!(recap.get((0, 0)), Some(&Data::String("employee_id".into())));
    assert_eq!(
        recap.get((0, 24)),
        Some(&Data::String("deduction_percent".into()))
    );
    assert_eq!(recap.get((1, 0)), Some(&Data::String("amy".into())));
    let numbers: Vec<f64> = (4..25)
        .map(|c| match recap.get((1, c)) {
            Some(Data::Float(v)) => *v,
            other => panic!("column {c} is not a number: {other:?}"),
        })
        .collect();
    assert_eq!(
        numbers,
        [
            20., 19., 1., 1., 0., 1., 1., 0., 0., 1., 151., 20., 1., 1., 0., 0., 0., 0., 0., 1., 8.
        ]
    );
    let days = workbook.worksheet_range("Days").expect("the days sheet");
    let row = (1..days.height() as u32)
        .find(|r| {
            days.get_value((*r, 0)) == Some(&Data::String("howard".into()))
                && matches!(days.get_value((*r, 2)), Some(Data::DateTime(d))
                    if d.as_datetime().map(|t| t.date()) == Some(day(30)))
        })
        .expect("howard's last night");
    match days.get_value((row, 8)) {
        Some(Data::DateTime(out)) => assert_eq!(
            out.as_datetime(),
            Some(local(
                NaiveDate::from_ymd_opt(2026, 12, 1).expect("a day"),
                7,
                5
            ))
        ),
        other => panic!("the check-out is not a date and time: {other:?}"),
    }
    assert_eq!(
        days.get_value((row, 3)),
        Some(&Data::String("present".into()))
    );
    assert_eq!(days.get_value((row, 11)), Some(&Data::Float(547.0)));
    // The header rows are frozen.
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    for sheet in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(sheet).expect("a sheet"), &mut xml)
            .expect("the sheet's XML");
        assert!(xml.contains("state=\"frozen\""), "{sheet} has frozen panes");
    }
}

/// The board of 30 November after the day: amy is gone, bernadette absent, howard gone
/// after his night.
async fn check_board(api: &Api) {
    let board = api
        .admin_call(
            "GET",
            "/v1/reports/board?office_id=dinas&day=2026-11-30",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(board_status(&board, "amy"), "gone", "{board}");
    assert_eq!(board_status(&board, "bernadette"), "absent", "{board}");
    assert_eq!(board_status(&board, "howard"), "gone", "{board}");
    for gone in ["amy", "howard"] {
        let entry = board_entry(&board, gone);
        let (check_in, check_out) = (&entry["check_in"], &entry["check_out"]);
        assert!(
            check_in.as_str() < check_out.as_str() && check_in.is_string(),
            "{gone} came and went: {entry}"
        );
    }
    assert!(board_entry(&board, "bernadette")["check_out"].is_null());
}

/// The board at 22:30 on 30 November, howard checked in for the night: he is on his night
/// shift, amy gone, bernadette absent since the day's window closed at 22:00.
async fn night_board(api: &Api) {
    api.at(local(day(30), 22, 30));
    let board = api
        .admin_call(
            "GET",
            "/v1/reports/board?office_id=dinas",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(board["day"], "2026-11-30");
    assert_eq!(board_status(&board, "howard"), "night_shift", "{board}");
    assert_eq!(board_status(&board, "amy"), "gone", "{board}");
    assert_eq!(board_status(&board, "bernadette"), "absent", "{board}");
}

fn board_entry<'a>(board: &'a Value, employee: &str) -> &'a Value {
    board["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["employee_id"] == employee)
        .unwrap_or(&Value::Null)
}

fn board_status(board: &Value, employee: &str) -> String {
    board_entry(board, employee)["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
