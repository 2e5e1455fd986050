//! Attacks on a running `lintas serve`, sent as an attacker would: many at once (a barrier,
//! then N parallel requests on loopback), bounded in count and time. Each test is one entry of
//! the "Attacks under concurrency" table in docs/SECURITY.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod support;

use support::{ADMIN_PASSWORD, Server, answer, at_once};

const PASSWORD: &str = "cheesecake factory";

/// Creates `id` with `role` and the test password, and logs it in.
async fn account(server: &Server, admin: &str, id: &str, role: &str) -> String {
    server
        .create_employee(admin, id, role, Some(PASSWORD))
        .await;
    server.token(id, PASSWORD).await
}

/// The active admins, by id.
async fn active_admins(server: &Server, token: &str) -> Vec<String> {
    let (status, body) = server
        .send(Some(token), "GET", "/v1/employees?limit=200", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["role"] == "admin" && e["status"] == "active")
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_burst_of_guesses_checks_no_more_passwords_than_the_limit() {
    let server = Server::start_with(
        "guesses",
        &[
            ("LINTAS_LOGIN_MAX_FAILURES", "5"),
            ("LINTAS_LOGIN_MAX_SOURCE_FAILURES", "10000"),
        ],
    )
    .await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    server
        .create_employee(&admin, "ann", "employee", Some(PASSWORD))
        .await;
    // 40 wrong passwords at once from one address: at most the limit are checked.
    let answers = at_once(40, |_| server.login("ann", "a wrong guess!")).await;
    let checked = answers
        .iter()
        .filter(|(status, _)| *status != StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        checked <= 5,
        "at most the limit of passwords are checked: {checked} of 40 were"
    );
    assert!(answers.iter().all(|(status, _)| {
        [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS].contains(status)
    }));
    // The right password from that address now waits out the window, like any guess.
    let (status, _) = server.login("ann", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // A colleague is not locked out by guesses from another address: the account-wide
    // limit is far higher than the per-address one.
    let (status, _) = server.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn tokens_die_with_the_account_and_admins_keep_one_of_them() {
    let server = Server::start("tokens").await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;

    // Suspension, then reactivation: the old token stays dead.
    let boss = account(&server, &admin, "boss", "admin").await;
    let suspend = json!({"status": "suspended"});
    let (status, body) = server
        .send(Some(&admin), "PATCH", "/v1/employees/boss", Some(suspend))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for (method, path, body) in [
        ("GET", "/v1/employees", None),
        (
            "PATCH",
            "/v1/employees/boss",
            Some(json!({"status": "active"})),
        ),
        (
            "POST",
            "/v1/employees",
            Some(json!({"id": "mole", "name": "Mole", "role": "admin"})),
        ),
    ] {
        let (status, answer) = server.send(Some(&boss), method, path, body).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("token_revoked")),
            "{method} {path} with a suspended admin's token"
        );
    }
    server
        .send(
            Some(&admin),
            "PATCH",
            "/v1/employees/boss",
            Some(json!({"status": "active"})),
        )
        .await;
    let (status, _) = server.send(Some(&boss), "GET", "/v1/employees", None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "reactivation revives no token"
    );

    // A demotion.
    let boss = server.token("boss", PASSWORD).await;
    server
        .send(
            Some(&admin),
            "PATCH",
            "/v1/employees/boss",
            Some(json!({"role": "employee"})),
        )
        .await;
    let (status, _) = server
        .send(
            Some(&boss),
            "PATCH",
            "/v1/employees/boss",
            Some(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a demoted admin's token is dead"
    );

    // An erased account whose id is taken again.
    let ex = account(&server, &admin, "ex", "employee").await;
    let (status, _) = server
        .send(Some(&admin), "DELETE", "/v1/employees/ex", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    account(&server, &admin, "ex", "employee").await;
    let (status, body) = server.send(Some(&ex), "GET", "/v1/attendance", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("token_revoked")),
        "a token of the erased account is not one of the new account"
    );

    // Logout ends the access token too.
    let (_, pair) = server.login("ex", PASSWORD).await;
    let access = pair["access_token"].as_str().unwrap().to_owned();
    let (status, _) = server
        .send(
            None,
            "POST",
            "/v1/auth/logout",
            Some(json!({"refresh_token": pair["refresh_token"]})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = server
        .send(Some(&access), "GET", "/v1/attendance", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "logged out");

    // An admin cannot change or erase their own access.
    for (method, body) in [
        ("PATCH", Some(json!({"role": "employee"}))),
        ("PATCH", Some(json!({"status": "suspended"}))),
        ("DELETE", None),
    ] {
        let (status, answer) = server
            .send(Some(&admin), method, "/v1/employees/admin", body)
            .await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("own_access")),
            "{method}"
        );
    }

    // Two admins removing each other at once leave one: the bootstrap admin is suspended,
    // then each round a survivor and a new admin suspend (or erase) each other together.
    let mut survivor = account(&server, &admin, "first", "admin").await;
    let (status, body) = server
        .send(
            Some(&survivor),
            "PATCH",
            "/v1/employees/admin",
            Some(json!({"status": "suspended"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut survivor_id = "first".to_owned();
    for round in 0..5 {
        let newcomer_id = format!("second{round}");
        let newcomer = account(&server, &survivor, &newcomer_id, "admin").await;
        let erase = round % 2 == 1;
        let answers = {
            let server = &server;
            let (survivor, newcomer) = (&survivor, &newcomer);
            let (survivor_id, newcomer_id) = (&survivor_id, &newcomer_id);
            at_once(2, |i| {
                let (token, target) = if i == 0 {
                    (survivor, newcomer_id)
                } else {
                    (newcomer, survivor_id)
                };
                let path = format!("/v1/employees/{target}");
                async move {
                    if erase {
                        server.send(Some(token), "DELETE", &path, None).await
                    } else {
                        let body = json!({"status": "suspended"});
                        server.send(Some(token), "PATCH", &path, Some(body)).await
                    }
                }
            })
            .await
        };
        for (status, body) in &answers {
            assert!(
                status.is_success()
                    || [StatusCode::CONFLICT, StatusCode::UNAUTHORIZED].contains(status),
                "round {round}: {status} {body}"
            );
        }
        let mut active = Vec::new();
        for (id, token) in [(&survivor_id, &survivor), (&newcomer_id, &newcomer)] {
            let (status, _) = server.send(Some(token), "GET", "/v1/employees", None).await;
            if status == StatusCode::OK {
                active.push((id.clone(), token.clone()));
            }
        }
        assert!(
            !active.is_empty(),
            "round {round}: neither {survivor_id} nor {newcomer_id} is an active admin: {answers:?}"
        );
        let (id, token) = active.swap_remove(0);
        let admins = active_admins(&server, &token).await;
        assert!(
            admins.contains(&id)
                && admins
                    .iter()
                    .all(|a| *a == survivor_id || *a == newcomer_id),
            "round {round}: {admins:?}"
        );
        // When both changes were refused, both are still admins: the next round starts
        // again from exactly one.
        for other in admins.iter().filter(|other| **other != id) {
            let path = format!("/v1/employees/{other}");
            let body = json!({"status": "suspended"});
            let (status, answer) = server.send(Some(&token), "PATCH", &path, Some(body)).await;
            assert_eq!(status, StatusCode::OK, "{answer}");
        }
        survivor_id = id;
        survivor = token;
    }
}

#[tokio::test]
async fn an_erasure_wins_over_punches_in_flight() {
    let server = Server::start("erasure-race").await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    for round in 0..4 {
        server
            .create_employee(&admin, "howard", "employee", None)
            .await;
        server
            .enroll(&admin, "howard", &["faces/howard/howard1.png"])
            .await;
        let server = &server;
        let answers = at_once(5, |i| {
            let admin = admin.clone();
            async move {
                if i == 4 {
                    // The erasure starts while the punches are being analysed.
                    tokio::time::sleep(Duration::from_millis(30 * round)).await;
                    server
                        .send(Some(&admin), "DELETE", "/v1/employees/howard", None)
                        .await
                } else {
                    let key = format!("race-{round}-{i}-punch");
                    server
                        .punch(
                            &admin,
                            "/v1/predict",
                            "faces/howard/howard2.png",
                            Some(&key),
                        )
                        .await
                }
            }
        })
        .await;
        assert_eq!(answers[4].0, StatusCode::NO_CONTENT, "{:?}", answers[4]);
        // A new account with the same id inherits nothing.
        server
            .create_employee(&admin, "howard", "employee", None)
            .await;
        let today = chrono::Utc::now().date_naive();
        let range = format!(
            "/v1/attendance?employee_id=howard&from={}&to={}",
            today - chrono::Days::new(2),
            today + chrono::Days::new(2)
        );
        let (status, body) = server.send(Some(&admin), "GET", &range, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body["items"].as_array().map(Vec::len),
            Some(0),
            "round {round}: no punch of the erased account survives: {body}"
        );
        let photos = walk(&server.data.join("photos"))
            .into_iter()
            .filter(|path| path.contains("/howard/"))
            .collect::<Vec<_>>();
        assert!(photos.is_empty(), "round {round}: photos left: {photos:?}");
        server
            .send(Some(&admin), "DELETE", "/v1/employees/howard", None)
            .await;
    }
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path.to_string_lossy().into_owned());
        }
    }
    files
}

/// The peak resident memory of process `pid` so far, in bytes.
fn peak_memory(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

/// A PNG that is a few kilobytes on the wire and `width` x `height` pixels when decoded.
fn bomb(width: u32, height: u32, sixteen_bit_rgba: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    let image = if sixteen_bit_rgba {
        image::DynamicImage::ImageRgba16(image::ImageBuffer::new(width, height))
    } else {
        image::DynamicImage::ImageRgb8(image::ImageBuffer::new(width, height))
    };
    image
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

#[tokio::test]
async fn hostile_images_sent_at_once_keep_memory_bounded() {
    let server = Server::start("bombs").await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    server
        .create_employee(&admin, "amy", "employee", None)
        .await;
    server.enroll(&admin, "amy", &["faces/amy/amy1.png"]).await;
    let (status, _) = server
        .punch(&admin, "/v1/predict", "faces/amy/amy2.png", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let reference = peak_memory(server.pid());

    let bombs = Arc::new([
        bomb(6400, 6250, true),  // 40 MP of 16-bit RGBA: 320 MB decoded
        bomb(7000, 5700, false), // 39.9 MP of 8-bit RGB: 120 MB decoded
        bomb(5000, 3200, false), // 16 MP, within the selfie budget
    ]);
    let sent = Instant::now();
    let answers = at_once(8, |i| {
        let bombs = Arc::clone(&bombs);
        let admin = admin.clone();
        let server = &server;
        async move {
            let photo = bombs[i % bombs.len()].clone();
            let form = Form::new().part("photo", Part::bytes(photo).file_name("bomb.png"));
            let path = if i % 2 == 0 {
                "/v1/predict".to_owned()
            } else {
                "/v1/employees/amy/faces".to_owned()
            };
            let response = server
                .client
                .post(server.url(&path))
                .bearer_auth(&admin)
                .multipart(form)
                .send()
                .await
                .unwrap();
            answer(response).await
        }
    })
    .await;
    let elapsed = sent.elapsed();
    for (status, body) in &answers {
        assert!(
            status.is_client_error() || status.is_success(),
            "{status} {body}"
        );
    }
    let peak = peak_memory(server.pid());
    eprintln!(
        "bombs: peak memory {} MiB after 8 hostile images at once, {} MiB after a normal punch ({} ms)",
        peak >> 20,
        reference >> 20,
        elapsed.as_millis()
    );
    assert!(
        peak < reference + (768 << 20),
        "8 hostile images at once took the server from {} MiB to {} MiB",
        reference >> 20,
        peak >> 20
    );
    let (status, _) = server
        .punch(&admin, "/v1/predict", "faces/amy/amy2.png", None)
        .await;
    assert_eq!(status, StatusCode::OK, "the server still serves");
}

/// Sends `prefix` on a new connection, then waits for the server to close it; the time it
/// took, or `None` when it was still open after `patience`.
async fn time_to_close(server: &Server, prefix: &[u8], patience: Duration) -> Option<Duration> {
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(prefix).await.unwrap();
    let started = Instant::now();
    let mut buffer = vec![0u8; 4096];
    loop {
        match tokio::time::timeout(
            patience.saturating_sub(started.elapsed()),
            stream.read(&mut buffer),
        )
        .await
        {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn slow_and_idle_clients_are_cut_off_and_others_still_served() {
    let server = Server::start_with(
        "slow",
        &[
            ("LINTAS_HEADER_TIMEOUT_SECONDS", "2"),
            ("LINTAS_BODY_TIMEOUT_SECONDS", "2"),
            ("LINTAS_MAX_CONNECTIONS", "16"),
        ],
    )
    .await;
    let patience = Duration::from_secs(10);
    // 40 connections that never finish their headers, more than the server accepts at once.
    let stalled = at_once(40, |_| {
        time_to_close(
            &server,
            b"GET /v1/health HTTP/1.1\r\nHost: lintas\r\n",
            patience,
        )
    });
    let served = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let started = Instant::now();
        let response = server
            .client
            .get(server.url("/v1/health"))
            .send()
            .await
            .unwrap();
        (response.status(), started.elapsed())
    };
    let (stalled, (status, waited)) = tokio::join!(stalled, served);
    assert!(
        stalled.iter().all(Option::is_some),
        "every stalled connection is closed: {stalled:?}"
    );
    assert_eq!(status, StatusCode::OK);
    assert!(waited < Duration::from_secs(8), "served after {waited:?}");

    // A body that never completes, and a connection that idles after its request.
    let slow_body = time_to_close(
        &server,
        b"POST /v1/auth/login HTTP/1.1\r\nHost: lintas\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"login\":",
        patience,
    )
    .await;
    assert!(slow_body.is_some(), "a stalled body is cut off");
    let idle = time_to_close(
        &server,
        b"GET /v1/health HTTP/1.1\r\nHost: lintas\r\n\r\n",
        patience,
    )
    .await;
    assert!(idle.is_some(), "an idle keep-alive connection is closed");
}

#[tokio::test]
async fn hostile_input_and_oracles_are_refused() {
    let server = Server::start("hostile-input").await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    let office = |schedule: Value, geofence: Value, name: &str| json!({"name": name, "time_zone": "Asia/Jakarta", "schedule": schedule, "geofence": geofence});
    let normal = json!({"start": "08:00:00", "end": "16:00:00", "weekdays": [1, 2, 3, 4, 5]});
    let huge = json!({"start": "08:00:00", "end": "16:00:00", "weekdays": vec![1; 30_000]});
    let fence =
        |radius: f64| json!({"center": {"latitude": -6.2, "longitude": 106.8}, "radius_m": radius});
    for (body, what, code) in [
        (
            office(huge, Value::Null, "HQ"),
            "30,000 weekdays",
            "invalid_schedule",
        ),
        (
            office(normal.clone(), fence(1e308), "HQ"),
            "a radius of 1e308",
            "invalid_office",
        ),
        (
            office(normal.clone(), Value::Null, "HQ\u{7}\u{1b}[2J"),
            "control characters",
            "invalid_office",
        ),
    ] {
        let (status, answer) = server
            .send(Some(&admin), "PUT", "/v1/offices/hq", Some(body))
            .await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some(code)),
            "{what}"
        );
    }

    // Weak and overlong passwords.
    for weak in ["password12", "qwertyuiop", "12345678901"] {
        let body = json!({"id": "weak", "name": "Weak", "role": "employee", "password": weak});
        let (status, answer) = server
            .send(Some(&admin), "POST", "/v1/employees", Some(body))
            .await;
        assert_eq!(answer["code"], "weak_password", "{weak}: {status}");
    }
    server
        .create_employee(&admin, "penny", "employee", Some(PASSWORD))
        .await;
    let overlong = format!("{PASSWORD}{}", "x".repeat(80));
    let (status, _) = server.login("penny", &overlong).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no bcrypt truncation");

    // A suspended account answers the same to the right and to a wrong password.
    server
        .send(
            Some(&admin),
            "PATCH",
            "/v1/employees/penny",
            Some(json!({"status": "suspended"})),
        )
        .await;
    let right = server.login("penny", PASSWORD).await;
    let wrong = server.login("penny", "not her password").await;
    assert_eq!(right.0, StatusCode::UNAUTHORIZED);
    assert_eq!((right.0, &right.1["code"]), (wrong.0, &wrong.1["code"]));

    // Failed logins are in the audit trail.
    let (status, audit) = server
        .send(Some(&admin), "GET", "/v1/audit?limit=50", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let failed = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "auth.login_failed" && e["subject"] == "penny")
        .count();
    assert!(failed >= 2, "{audit}");
}

#[tokio::test]
async fn recover_admin_gives_an_installation_its_admin_back() {
    let server = Server::start("recover").await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    let other = account(&server, &admin, "other", "admin").await;
    server
        .send(
            Some(&other),
            "PATCH",
            "/v1/employees/admin",
            Some(json!({"status": "suspended"})),
        )
        .await;
    let (status, _) = server.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the admin is locked out");
    let data = server.stop();
    let recovered = std::process::Command::new(env!("CARGO_BIN_EXE_lintas"))
        .args(["recover-admin", "--data"])
        .arg(&data)
        .env("LINTAS_ADMIN_PASSWORD", "a brand new passphrase")
        .output()
        .unwrap();
    assert!(
        recovered.status.success(),
        "{}",
        String::from_utf8_lossy(&recovered.stderr)
    );
    let server = Server::start_on(data).await;
    let admin = server.token("admin", "a brand new passphrase").await;
    let (status, _) = server
        .send(Some(&admin), "GET", "/v1/employees", None)
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_upload_url_is_used_once() {
    let server = Server::start("upload-once").await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    server
        .create_employee(&admin, "leonard", "employee", None)
        .await;
    let (status, upload) = server
        .send(
            Some(&admin),
            "POST",
            "/v1/employees/leonard/enrollment-uploads",
            Some(json!({"content_type": "image/png"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{upload}");
    let url = upload["url"].as_str().unwrap().to_owned();
    let put = |photo: &'static str| {
        let url = url.clone();
        let server = &server;
        async move {
            server
                .client
                .put(url)
                .header("content-type", "image/png")
                .body(support::read(photo))
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        put("faces/leonard/leonard1.png").await.status(),
        StatusCode::OK
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, accepted) = server
            .send(Some(&admin), "GET", "/v1/enrollments?status=accepted", None)
            .await;
        if !accepted["items"].as_array().unwrap().is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "the upload was not processed");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let again = put("faces/howard/howard1.png").await;
    let (status, body) = answer(again).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("upload_used")),
        "a second PUT cannot replace the enrolled photo with another face"
    );
    let (_, templates) = server
        .send(Some(&admin), "GET", "/v1/employees/leonard/faces", None)
        .await;
    let photo_key = templates["items"][0]["photo_key"]
        .as_str()
        .unwrap_or_default();
    assert!(
        photo_key.is_empty() || photo_key.starts_with("enrolled/leonard/"),
        "the accepted photo left the upload prefix: {templates}"
    );
}

#[tokio::test]
async fn two_refreshes_of_one_token_at_once_leave_no_live_successor() {
    let server = Server::start("refresh-race").await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    server
        .create_employee(&admin, "sheldon", "employee", Some(PASSWORD))
        .await;
    let refresh = |token: Value| {
        let server = &server;
        async move {
            server
                .send(
                    None,
                    "POST",
                    "/v1/auth/refresh",
                    Some(json!({ "refresh_token": token })),
                )
                .await
        }
    };
    for round in 0..10 {
        let (status, pair) = server.login("sheldon", PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{pair}");
        let token = pair["refresh_token"].clone();
        let answers = at_once(2, |_| refresh(token.clone())).await;
        let reused = answers
            .iter()
            .any(|(_, body)| body["code"] == "refresh_token_reused");
        assert!(
            reused,
            "round {round}: one of the two is the reuse: {answers:?}"
        );
        for (status, body) in &answers {
            if *status == StatusCode::OK {
                let (status, again) = refresh(body["refresh_token"].clone()).await;
                assert_eq!(
                    status,
                    StatusCode::UNAUTHORIZED,
                    "round {round}: the winner's successor died with its family: {again}"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_kiosk_unpaired_while_its_sessions_refresh_keeps_none_of_them() {
    let server = Server::start("unpair-race").await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    // A kiosk account needs no password: an admin issues its sessions.
    server.create_employee(&admin, "lobi", "kiosk", None).await;
    server
        .create_employee(&admin, "sheldon", "employee", Some(PASSWORD))
        .await;
    let pair_kiosk = |kiosk: &'static str| {
        let (server, admin) = (&server, &admin);
        async move {
            server
                .send(
                    Some(admin),
                    "POST",
                    "/v1/auth/kiosk-session",
                    Some(json!({ "kiosk_id": kiosk })),
                )
                .await
        }
    };
    let (status, body) = pair_kiosk("sheldon").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["code"], "not_a_kiosk");
    let (status, body) = pair_kiosk("nobody").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let sheldon = server.token("sheldon", PASSWORD).await;
    let (status, _) = server
        .send(
            Some(&sheldon),
            "POST",
            "/v1/auth/kiosk-session",
            Some(json!({ "kiosk_id": "lobi" })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "admins only");

    const TABLETS: usize = 8;
    for round in 0..5 {
        let mut sessions = Vec::new();
        for _ in 0..TABLETS {
            let (status, pair) = pair_kiosk("lobi").await;
            assert_eq!(status, StatusCode::OK, "{pair}");
            assert_eq!(pair["role"], "kiosk");
            sessions.push(pair);
        }
        // Every tablet refreshes while the admin unpairs the account.
        let answers = at_once(TABLETS + 1, |i| {
            let (server, admin) = (&server, &admin);
            let token = sessions.get(i).map(|pair| pair["refresh_token"].clone());
            async move {
                match token {
                    Some(token) => {
                        let body = json!({ "refresh_token": token });
                        server
                            .send(None, "POST", "/v1/auth/refresh", Some(body))
                            .await
                    }
                    None => {
                        let path = "/v1/employees/lobi/sessions";
                        server.send(Some(admin), "DELETE", path, None).await
                    }
                }
            }
        })
        .await;
        assert_eq!(answers[TABLETS].0, StatusCode::NO_CONTENT, "{answers:?}");
        for (status, pair) in &answers[..TABLETS] {
            if *status != StatusCode::OK {
                assert_eq!(*status, StatusCode::UNAUTHORIZED, "{pair}");
                continue;
            }
            let body = json!({ "refresh_token": pair["refresh_token"] });
            let (status, again) = server
                .send(None, "POST", "/v1/auth/refresh", Some(body))
                .await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "round {round}: a session refreshed during the unpairing survived it: {again}"
            );
            let access = pair["access_token"].as_str().unwrap_or_default();
            let (status, body) = server
                .send(Some(access), "POST", "/v1/challenges", Some(json!({})))
                .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "round {round}: {body}");
        }
        for pair in &sessions {
            let access = pair["access_token"].as_str().unwrap_or_default();
            let (status, _) = server
                .send(Some(access), "POST", "/v1/challenges", Some(json!({})))
                .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "round {round}");
        }
    }
}
