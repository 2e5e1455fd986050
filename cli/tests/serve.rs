//! `lintas serve` end to end over real HTTP, on real photos: enrollment, identification,
//! check-in and check-out, reports, roles, tokens, throttling, uploads, erasure, restarts.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

mod support;

use lintas_tests::first_punch_kinds;
use support::{ADMIN_PASSWORD, Server, answer, fixture, read};

#[tokio::test]
async fn enrolled_people_are_identified_punched_and_reported() {
    let server = Server::start("identify").await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    let people = ["amy", "bernadette", "howard", "leonard"];
    for person in people {
        server
            .create_employee(&admin, person, "employee", None)
            .await;
    }
    // Two by multipart, two as JSON base64.
    for person in &people[..2] {
        let body = server
            .enroll(&admin, person, &[&format!("faces/{person}/{person}1.png")])
            .await;
        assert_eq!(body["results"][0]["status"], "accepted", "{body}");
    }
    for person in &people[2..] {
        let photo = base64::engine::general_purpose::STANDARD
            .encode(read(&format!("faces/{person}/{person}1.png")));
        let path = format!("/v1/employees/{person}/faces");
        let (status, body) = server
            .send(
                Some(&admin),
                "POST",
                &path,
                Some(json!({"photos": [photo]})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["results"][0]["status"], "accepted", "{body}");
    }

    for person in people {
        let since = chrono::Utc::now();
        let (status, body) = server
            .punch(
                &admin,
                "/v1/predict",
                &format!("faces/{person}/{person}2.png"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{person}: {body}");
        assert_eq!(body["employee_id"], person, "{body}");
        let kind = body["kind"].as_str().unwrap_or_default();
        assert!(first_punch_kinds(since).contains(&kind), "{body}");
        assert_eq!(body["record"]["method"], "identify");
        assert!(body["score"].as_f64().unwrap() >= 0.5);
    }

    let (status, body) = server
        .punch(&admin, "/v1/predict", "faces/penny/penny1.png", None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("no_match")),
        "{body}"
    );

    let (status, out) = server
        .punch(
            &admin,
            "/v1/predict",
            "faces/amy/amy3.png",
            Some("amy-retry-0001"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(out["kind"], "check_out");
    let (_, retried) = server
        .punch(
            &admin,
            "/v1/predict",
            "faces/amy/amy4.png",
            Some("amy-retry-0001"),
        )
        .await;
    assert_eq!(retried["repeated"], true);
    assert_eq!(
        retried["record"]["id"], out["record"]["id"],
        "a retry returns the first record"
    );

    let (status, list) = server
        .send(Some(&admin), "GET", "/v1/attendance?employee_id=amy", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"].as_array().unwrap().len(), 2, "{list}");
    let day = list["items"][0]["local_day"].as_str().unwrap().to_owned();
    let (_, everyone) = server
        .send(
            Some(&admin),
            "GET",
            &format!("/v1/attendance?day={day}"),
            None,
        )
        .await;
    assert_eq!(
        everyone["items"].as_array().unwrap().len(),
        5,
        "the unknown face recorded nothing"
    );

    let month = &day[..7];
    let response = server
        .client
        .get(server.url(&format!(
            "/v1/reports/attendance?month={month}&format=csv&table=days"
        )))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = response.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "employee_id,name,date,status,shift,planned_start,planned_end,check_in,check_out,\
             late_minutes,early_minutes,worked_minutes,tl,psw,deduction_percent"
        )
    );
    let amy_today: Vec<&str> = csv
        .lines()
        .find(|l| l.starts_with("\"amy\",") && l.contains(&day))
        .expect("a row for amy today")
        .split(',')
        .collect();
    // Which period today's punches belong to depends on the hour the test runs at; the
    // rules themselves are tested at set times in tests/recap.rs.
    assert!(
        [
            "open",
            "present",
            "late",
            "left_early",
            "late_and_left_early",
            "no_check_out",
            "no_check_in",
            "absent",
            "holiday",
            "day_off"
        ]
        .contains(&amy_today[3]),
        "{amy_today:?}"
    );
    assert!(
        !csv.lines().any(|l| l.starts_with("\"admin\",")),
        "the bootstrap admin is not on the attendance roll, so never reported absent"
    );
    let (status, json_report) = server
        .send(
            Some(&admin),
            "GET",
            &format!("/v1/reports/attendance?month={month}&employee_id=howard"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        json_report["employees"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["employee_id"] == "howard"),
        "{json_report}"
    );
    assert_eq!(json_report["employees"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn roles_tokens_and_login_throttling_are_enforced() {
    let server = Server::start("roles").await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    server
        .create_employee(&admin, "penny", "employee", Some("cheesecake factory"))
        .await;
    server
        .create_employee(&admin, "kiosk1", "kiosk", Some("lobby device 01"))
        .await;
    server
        .create_employee(&admin, "amy", "employee", None)
        .await;
    server
        .enroll(&admin, "penny", &["faces/penny/penny1.png"])
        .await;
    server.enroll(&admin, "amy", &["faces/amy/amy1.png"]).await;

    let penny = server.token("penny", "cheesecake factory").await;
    let kiosk = server.token("kiosk1", "lobby device 01").await;
    for (token, method, path) in [
        (&penny, "GET", "/v1/employees"),
        (&kiosk, "GET", "/v1/reports/attendance?month=2026-11"),
        (&kiosk, "GET", "/v1/employees"),
        (&kiosk, "GET", "/v1/attendance?day=2026-11-28"),
        (&kiosk, "DELETE", "/v1/employees/amy"),
    ] {
        let (status, body) = server.send(Some(token), method, path, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {body}");
    }
    // An employee reads their own account and records only; a colleague's do not exist for them.
    let (status, me) = server.send(Some(&penny), "GET", "/v1/me", None).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(
        (me["id"].as_str(), me["role"].as_str()),
        (Some("penny"), Some("employee"))
    );
    assert!(me.get("password_hash").is_none(), "{me}");
    let (status, body) = server
        .send(Some(&penny), "GET", "/v1/attendance?employee_id=amy", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, own) = server
        .send(
            Some(&penny),
            "GET",
            "/v1/reports/attendance?month=2026-11",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{own}");
    assert_eq!(own["employees"].as_array().map(Vec::len), Some(1), "{own}");
    assert_eq!(own["employees"][0]["employee_id"], "penny");
    let (status, body) = server
        .send(
            Some(&penny),
            "GET",
            "/v1/reports/attendance?month=2026-11&employee_id=amy",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, _) = server
        .punch(&penny, "/v1/predict", "faces/amy/amy2.png", None)
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "employees cannot identify others"
    );
    let (status, _) = server
        .punch(&kiosk, "/v1/attendance", "faces/penny/penny2.png", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "kiosks only identify");

    // Employee mode: 1:1 against the caller's own face.
    let (status, body) = server
        .punch(&penny, "/v1/attendance", "faces/amy/amy2.png", None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("face_mismatch")),
        "{body}"
    );
    let (status, body) = server
        .punch(&penny, "/v1/attendance", "faces/penny/penny2.png", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (
            body["employee_id"].as_str(),
            body["record"]["method"].as_str()
        ),
        (Some("penny"), Some("verify"))
    );
    let (status, own) = server
        .send(Some(&penny), "GET", "/v1/attendance", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(own["items"].as_array().unwrap().len(), 1);

    // With a geofence on the office, employees must punch from inside it.
    let office = json!({
        "name": "Main office",
        "time_zone": "Asia/Jakarta",
        "schedule": {"start": "08:00:00", "end": "16:00:00", "weekdays": [1, 2, 3, 4, 5]},
        "geofence": {"center": {"latitude": -6.1754, "longitude": 106.8272}, "radius_m": 300.0}
    });
    let (status, body) = server
        .send(Some(&admin), "PUT", "/v1/offices/main", Some(office))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = server
        .punch(&penny, "/v1/attendance", "faces/penny/penny2.png", None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("location_required"))
    );
    for (latitude, longitude, expected) in [
        ("-6.1950", "106.8230", StatusCode::FORBIDDEN),
        ("-6.1755", "106.8273", StatusCode::OK),
    ] {
        let form = Form::new()
            .part(
                "photo",
                Part::bytes(read("faces/penny/penny2.png")).file_name("selfie"),
            )
            .text("latitude", latitude)
            .text("longitude", longitude);
        let response = server
            .client
            .post(server.url("/v1/attendance"))
            .bearer_auth(&penny)
            .multipart(form)
            .send()
            .await
            .unwrap();
        let (status, body) = answer(response).await;
        assert_eq!(status, expected, "{latitude},{longitude}: {body}");
    }
    let (status, body) = server
        .punch(&kiosk, "/v1/predict", "faces/amy/amy2.png", None)
        .await;
    assert_eq!(
        (status, body["employee_id"].as_str()),
        (StatusCode::OK, Some("amy"))
    );

    // Forged and damaged tokens.
    let mut parts: Vec<String> = penny.split('.').map(str::to_owned).collect();
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let claims = String::from_utf8(engine.decode(&parts[1]).unwrap()).unwrap();
    parts[1] = engine.encode(claims.replace("\"employee\"", "\"admin\""));
    let tampered = parts.join(".");
    let unsigned = format!(
        "{}.{}.",
        engine.encode(r#"{"alg":"none","typ":"JWT"}"#),
        parts[1]
    );
    for token in [tampered.as_str(), unsigned.as_str(), "garbage"] {
        let (status, body) = server.send(Some(token), "GET", "/v1/employees", None).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("invalid_token"))
        );
    }

    // Refresh rotation; reuse revokes the family.
    let (_, pair) = server.login("penny", "cheesecake factory").await;
    let first = pair["refresh_token"].as_str().unwrap().to_owned();
    let (status, rotated) = server
        .send(
            None,
            "POST",
            "/v1/auth/refresh",
            Some(json!({"refresh_token": first})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let second = rotated["refresh_token"].as_str().unwrap().to_owned();
    let (status, body) = server
        .send(
            None,
            "POST",
            "/v1/auth/refresh",
            Some(json!({"refresh_token": first})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("refresh_token_reused"))
    );
    let (status, _) = server
        .send(
            None,
            "POST",
            "/v1/auth/refresh",
            Some(json!({"refresh_token": second})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the whole family is revoked"
    );
    let (_, pair) = server.login("penny", "cheesecake factory").await;
    let token = pair["refresh_token"].clone();
    let (status, _) = server
        .send(
            None,
            "POST",
            "/v1/auth/logout",
            Some(json!({"refresh_token": token})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = server
        .send(
            None,
            "POST",
            "/v1/auth/refresh",
            Some(json!({"refresh_token": token})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Throttling, the same for a real and an unknown account.
    for account in ["penny", "nobody-here"] {
        for _ in 0..3 {
            let (status, body) = server.login(account, "wrong password!").await;
            assert_eq!(
                (status, body["code"].as_str()),
                (StatusCode::UNAUTHORIZED, Some("invalid_credentials"))
            );
        }
        let response = server
            .client
            .post(server.url("/v1/auth/login"))
            .json(&json!({"login": account, "password": "cheesecake factory"}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "{account}"
        );
        let wait: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(wait > 0 && wait <= 15 * 60);
    }
    // Past the per-source limit (8 here), every account is refused from that address.
    for _ in 0..2 {
        let (status, _) = server.login("admin", "wrong password!").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, body) = server.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_requests"))
    );
}

#[tokio::test]
async fn hostile_files_and_requests_get_clear_errors() {
    let server = Server::start("hostile").await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    server
        .create_employee(&admin, "kate", "employee", None)
        .await;
    server
        .enroll(&admin, "kate", &["faces/kate_siegel/1.jpg"])
        .await;
    for entry in std::fs::read_dir(fixture("bad")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let photo = format!("bad/{name}");
        let (status, body) = server.punch(&admin, "/v1/predict", &photo, None).await;
        if status == StatusCode::OK {
            assert_eq!(body["employee_id"], "kate", "{name}: a valid photo of kate");
        } else {
            assert!(status.is_client_error(), "{name}: {status}");
            assert!(body["code"].is_string(), "{name}: {body}");
        }
        let enrolled = server.enroll(&admin, "kate", &[&photo]).await;
        let outcome = &enrolled["results"][0];
        assert!(
            outcome["status"] == "accepted" || outcome["code"].is_string(),
            "{name}: {enrolled}"
        );
    }
    // A decoded 30000x30000 bomb alone would take 2.7 GB.
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap();
    let peak_kb: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    assert!(
        peak_kb < 1024 * 1024,
        "memory stays bounded: the server peaked at {peak_kb} kB"
    );
    let (status, body) = server
        .send(Some(&admin), "GET", "/v1/employees/..%2F..%2Fetc", None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_id"))
    );
    let response = server
        .client
        .post(server.url("/v1/employees"))
        .bearer_auth(&admin)
        .header("content-type", "text/plain")
        .body("id=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // A body announced larger than 6 MB is refused from its headers, before it is sent (a
    // client still writing it would see the connection close under it).
    let head = format!(
        "POST /v1/employees HTTP/1.1\r\nhost: lintas\r\nauthorization: Bearer {admin}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\n\r\n",
        7 * 1024 * 1024
    );
    let status_line = raw_status_line(&server.base, &head);
    assert!(status_line.starts_with("HTTP/1.1 413"), "{status_line}");
    let nested = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    for body in [
        nested.as_bytes(),
        b"{\"id\": \"\xff\"}".as_slice(),
        b"{not json",
    ] {
        let response = server
            .client
            .post(server.url("/v1/employees"))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        let (status, problem) = answer(response).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_json"))
        );
    }
    let (status, body) = server
        .send(
            Some(&admin),
            "POST",
            "/v1/employees/kate/faces",
            Some(json!({"photos": ["%%%"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["code"], "invalid_base64");
}

#[tokio::test]
async fn uploads_enroll_erasure_removes_everything_and_data_survives_restarts() {
    let server = Server::start("uploads").await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    for person in ["leonard", "raj"] {
        server
            .create_employee(&admin, person, "employee", None)
            .await;
    }
    // Pre-signed uploads, enrolled as the S3 trigger would.
    for (photo, content_type) in [
        ("faces/leonard/leonard1.png", "image/png"),
        ("faces/_no_face/faceapi_white.png", "image/png"),
    ] {
        let (status, upload) = server
            .send(
                Some(&admin),
                "POST",
                "/v1/employees/leonard/enrollment-uploads",
                Some(json!({"content_type": content_type})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{upload}");
        let response = server
            .client
            .put(upload["url"].as_str().unwrap())
            .header("content-type", content_type)
            .body(read(photo))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let forged = upload["url"]
            .as_str()
            .unwrap()
            .replace("signature=", "signature=00");
        let response = server
            .client
            .put(forged)
            .header("content-type", content_type)
            .body(read(photo))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let (accepted, failed) = loop {
        let (_, accepted) = server
            .send(Some(&admin), "GET", "/v1/enrollments?status=accepted", None)
            .await;
        let (_, failed) = server
            .send(Some(&admin), "GET", "/v1/enrollments?status=failed", None)
            .await;
        if !accepted["items"].as_array().unwrap().is_empty()
            && !failed["items"].as_array().unwrap().is_empty()
        {
            break (accepted, failed);
        }
        assert!(Instant::now() < deadline, "uploads were not processed");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(accepted["items"][0]["employee_id"], "leonard");
    assert_eq!(failed["items"][0]["reason"], "no_face");

    server.enroll(&admin, "raj", &["faces/raj/raj1.png"]).await;
    let (status, body) = server
        .punch(&admin, "/v1/predict", "faces/leonard/leonard2.png", None)
        .await;
    assert_eq!(
        (status, body["employee_id"].as_str()),
        (StatusCode::OK, Some("leonard")),
        "{body}"
    );

    // Erasure: every template, photo and record of the employee.
    let (status, _) = server
        .send(Some(&admin), "DELETE", "/v1/employees/leonard", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = server
        .send(Some(&admin), "GET", "/v1/employees/leonard", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let leftovers = files_mentioning(&server.data.join("photos"), "leonard");
    assert!(leftovers.is_empty(), "photos left behind: {leftovers:?}");
    let (status, body) = server
        .punch(&admin, "/v1/predict", "faces/leonard/leonard2.png", None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("no_match"))
    );

    // Everything else survives a restart.
    let data = server.stop();
    let server = Server::start_on(data).await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    let (status, body) = server
        .punch(&admin, "/v1/predict", "faces/raj/raj1.png", None)
        .await;
    assert_eq!(
        (status, body["employee_id"].as_str()),
        (StatusCode::OK, Some("raj")),
        "{body}"
    );
}

/// Sends `head` (request line and headers, no body) and returns the response's status line.
fn raw_status_line(base: &str, head: &str) -> String {
    use std::io::{BufRead, BufReader, Write};
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("connecting");
    stream.write_all(head.as_bytes()).expect("sending the head");
    let mut line = String::new();
    BufReader::new(stream)
        .read_line(&mut line)
        .expect("reading the status line");
    line
}

/// Files below `dir` whose path contains `needle`.
fn files_mentioning(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_mentioning(&path, needle));
        } else if path.to_string_lossy().contains(needle) {
            found.push(path);
        }
    }
    found
}
