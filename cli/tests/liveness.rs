//! Presentation-attack defences of a running `lintas serve` with the liveness checks on, over
//! real HTTP on real photos: the passive check at a kiosk and at enrollment, the head-pose
//! challenge (a real capture passes, a flat picture held at angles does not, answers sent at
//! once use it once), replayed selfies, the attempt lockout under a burst, and the trace of
//! refused attempts that erasure removes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use reqwest::StatusCode;
use serde_json::{Value, json};

mod support;

use lintas_engine::presentation::{Presentation, present};
use lintas_tests::first_punch_kinds;
use support::{ADMIN_PASSWORD, Server, assert_problem, at_once, photo_form, read};

const PASSWORD: &str = "cheesecake factory";

async fn live_server(name: &str, settings: &[(&str, &str)]) -> (Server, String) {
    let mut all = vec![("LINTAS_LIVENESS", "on")];
    all.extend_from_slice(settings);
    let server = Server::start_with(name, &all).await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    (server, admin)
}

/// Enrolls `photos` for a new employee `id` with the test password; `printed` vouches for
/// them as ID-style photos. Returns each photo's outcome.
async fn enroll(
    server: &Server,
    admin: &str,
    id: &str,
    photos: &[&str],
    printed: bool,
) -> Vec<Value> {
    server
        .create_employee(admin, id, "employee", Some(PASSWORD))
        .await;
    let bytes: Vec<Vec<u8>> = photos.iter().map(|p| read(p)).collect();
    let fields: &[(&str, &str)] = if printed {
        &[("accept_printed", "true")]
    } else {
        &[]
    };
    let path = format!("/v1/employees/{id}/faces");
    let (status, body, _) = server
        .post_form(admin, &path, photo_form(&bytes, fields))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["results"].as_array().unwrap().clone()
}

/// The frames of a pose set in the order of `poses` (names as the API sends them).
fn frames(set: &str, poses: &Value) -> Vec<Vec<u8>> {
    poses
        .as_array()
        .unwrap()
        .iter()
        .map(|pose| read(&format!("poses/{set}/{}.jpg", pose.as_str().unwrap())))
        .collect()
}

async fn challenge(server: &Server, token: &str) -> (String, Value) {
    let (status, body) = server
        .send(Some(token), "POST", "/v1/challenges", None)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (
        body["id"].as_str().unwrap().to_owned(),
        body["poses"].clone(),
    )
}

#[tokio::test]
async fn the_passive_check_refuses_screens_prints_and_grayscale_at_kiosks_and_enrollment() {
    let (server, admin) = live_server("passive", &[]).await;
    // A photo of a screen showing the face is refused at enrollment unless an admin vouches
    // for it as a printed ID photo.
    let refused = enroll(&server, &admin, "tari", &["liveness/image_F2.jpg"], false).await;
    assert_eq!(
        refused[0]["code"], "presentation_attack_suspected",
        "{refused:?}"
    );
    let path = "/v1/employees/tari/faces";
    let (status, body, _) = server
        .post_form(
            &admin,
            path,
            photo_form(&[read("liveness/image_T1.jpg")], &[]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["status"], "accepted", "{body}");

    // At a kiosk: the live photo punches, the print and the screen do not.
    server
        .create_employee(&admin, "lobby", "kiosk", Some(PASSWORD))
        .await;
    let kiosk = server.token("lobby", PASSWORD).await;
    let (status, body, _) = server
        .post_form(
            &kiosk,
            "/v1/predict",
            photo_form(&[read("liveness/image_T1.jpg")], &[]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["record"]["liveness"].as_f64().unwrap() > 0.9, "{body}");
    // The print is held at an angle, so the quality gates (which come first) already refuse
    // it; the screen is held straight, and the anti-spoofing models refuse it.
    let answer = server
        .post_photo(&kiosk, "/v1/predict", "liveness/image_F1.jpg", &[])
        .await;
    assert_problem(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "pose_not_frontal",
    );
    let (status, body, _) = server
        .post_form(
            &kiosk,
            "/v1/predict",
            photo_form(&[read("liveness/image_F2.jpg")], &[]),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("presentation_attack_suspected")
        ),
        "{body}"
    );
    // Grayscale cannot be judged.
    let (status, body, _) = server
        .post_form(
            &kiosk,
            "/v1/predict",
            photo_form(&[read("faces/amy/amy2.png")], &[]),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("liveness_unverifiable")
        ),
        "{body}"
    );
    // Each refusal is kept for review, with its photo.
    let (status, body) = server.send(Some(&admin), "GET", "/v1/refusals", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let codes: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["liveness_unverifiable", "presentation_attack_suspected"],
        "quality refusals are not face attempts: {body}"
    );
    assert!(
        body["items"][1]["liveness"].as_f64().unwrap() < 0.5,
        "{body}"
    );
    assert!(
        body["items"][1]["photo_key"]
            .as_str()
            .unwrap()
            .starts_with("refused/")
    );
    // The admin sees the refused photo through its link.
    let url = body["items"][1]["photo_url"].as_str().unwrap();
    let photo = server.client.get(url).send().await.unwrap();
    assert_eq!(photo.status(), StatusCode::OK);
    let bytes = photo.bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), read("liveness/image_F2.jpg").as_slice());
}

#[tokio::test]
async fn a_phone_punch_answers_a_head_pose_challenge_that_no_flat_picture_can() {
    let (server, admin) = live_server("challenge", &[]).await;
    let outcome = enroll(
        &server,
        &admin,
        "ann",
        &["poses/man_glasses/frontal2.jpg"],
        false,
    )
    .await;
    assert_eq!(outcome[0]["status"], "accepted", "{outcome:?}");
    let ann = server.token("ann", PASSWORD).await;

    // Without a challenge the office refuses a phone punch.
    let selfie = photo_form(&[read("poses/man_glasses/frontal.jpg")], &[]);
    let (status, body, _) = server.post_form(&ann, "/v1/attendance", selfie).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (
            StatusCode::PRECONDITION_REQUIRED,
            Some("challenge_required")
        ),
        "{body}"
    );

    // Real head turns, in the order asked.
    let (id, poses) = challenge(&server, &ann).await;
    let answer = photo_form(&frames("man_glasses", &poses), &[("challenge_id", &id)]);
    let since = chrono::Utc::now();
    let (status, body, _) = server.post_form(&ann, "/v1/attendance", answer).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["record"]["challenged"], true);
    let kind = body["kind"].as_str().unwrap_or_default();
    assert!(first_punch_kinds(since).contains(&kind), "{body}");

    // The same challenge again.
    let answer = photo_form(&frames("man_glasses", &poses), &[("challenge_id", &id)]);
    let (status, body, _) = server.post_form(&ann, "/v1/attendance", answer).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("challenge_used")),
        "{body}"
    );

    // A print of her frontal photo, turned one way and the other as the poses ask.
    let frontal = read("poses/man_glasses/frontal.jpg");
    let (id, poses) = challenge(&server, &ann).await;
    let shown: Vec<Vec<u8>> = poses
        .as_array()
        .unwrap()
        .iter()
        .map(|pose| {
            let yaw = match pose.as_str().unwrap() {
                "left" => 35.0,
                "right" => -35.0,
                _ => 0.0,
            };
            present(
                &frontal,
                Presentation {
                    yaw,
                    pitch: 5.0,
                    screen: false,
                },
            )
            .unwrap()
        })
        .collect();
    let (status, body, _) = server
        .post_form(
            &ann,
            "/v1/attendance",
            photo_form(&shown, &[("challenge_id", &id)]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        matches!(
            body["code"].as_str(),
            Some("challenge_pose_mismatch" | "challenge_frames_repeated")
        ),
        "{body}"
    );

    // Eight answers to one challenge at once: one is taken. (Another person: Ann's frames were
    // used already, and a photo used once is a replay.)
    let outcome = enroll(
        &server,
        &admin,
        "bob",
        &["poses/obama/left_moderate.jpg"],
        false,
    )
    .await;
    assert_eq!(outcome[0]["status"], "accepted", "{outcome:?}");
    let bob = server.token("bob", PASSWORD).await;
    let (id, poses) = challenge(&server, &bob).await;
    let answers = at_once(8, |_| {
        let form = photo_form(&frames("obama", &poses), &[("challenge_id", &id)]);
        server.post_form(&bob, "/v1/attendance", form)
    })
    .await;
    let taken = answers
        .iter()
        .filter(|(status, _, _)| *status == StatusCode::OK)
        .count();
    assert_eq!(taken, 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|(status, body, _)| *status == StatusCode::OK
                || body["code"] == "challenge_used"
                || body["code"] == "too_many_requests")
    );
}

#[tokio::test]
async fn replays_and_bursts_of_refused_faces_are_stopped_and_traced_until_erasure() {
    let (server, admin) = live_server(
        "lockout",
        &[
            ("LINTAS_FACE_MAX_FAILURES", "3"),
            ("LINTAS_FACE_LOCKOUT_MINUTES", "15"),
        ],
    )
    .await;
    // Phone punches of this office need no challenge.
    let office = json!({
        "name": "Main office", "time_zone": "Asia/Jakarta",
        "schedule": {"start": "08:00:00", "end": "16:00:00", "weekdays": [1, 2, 3, 4, 5]},
        "challenge": {"phone": false, "kiosk": false},
    });
    let (status, body) = server
        .send(Some(&admin), "PUT", "/v1/offices/main", Some(office))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    enroll(
        &server,
        &admin,
        "kate",
        &["faces/kate_siegel/1_aligned160.png"],
        true,
    )
    .await;
    let kate = server.token("kate", PASSWORD).await;

    let selfie = || photo_form(&[read("faces/kate_siegel/1.jpg")], &[]);
    let (status, body, _) = server.post_form(&kate, "/v1/attendance", selfie()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body, _) = server.post_form(&kate, "/v1/attendance", selfie()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("replayed_photo")),
        "the same selfie again: {body}"
    );

    // Twelve photos of someone else at once: at most the two attempts left are looked at,
    // the rest wait, and then she is locked out.
    let stranger = read("faces/shea_whigham/1.jpg");
    let answers = at_once(12, |i| {
        let mut bytes = stranger.clone();
        bytes.extend_from_slice(format!("copy {i}").as_bytes());
        server.post_form(&kate, "/v1/attendance", photo_form(&[bytes], &[]))
    })
    .await;
    let looked_at = answers
        .iter()
        .filter(|(_, body, _)| body["code"] == "face_mismatch")
        .count();
    assert!((1..=2).contains(&looked_at), "{answers:?}");
    for (status, body, headers) in &answers {
        if *status == StatusCode::TOO_MANY_REQUESTS {
            let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
            assert!(wait >= 1, "{body}");
        }
    }
    let (status, _, headers) = server
        .post_form(
            &kate,
            "/v1/attendance",
            photo_form(&[read("faces/kate_siegel/1_aligned160.png")], &[]),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "locked out");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait > 14 * 60, "{wait}");

    // The refusals are kept with their photos, for review.
    let (_, body) = server
        .send(Some(&admin), "GET", "/v1/refusals?employee_id=kate", None)
        .await;
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1 + looked_at, "{body}");
    let photos: Vec<String> = items
        .iter()
        .map(|r| r["photo_key"].as_str().unwrap().to_owned())
        .collect();
    for key in &photos {
        assert!(server.data.join("photos").join(key).is_file(), "{key}");
    }

    // Erasure takes them with the employee.
    let (status, _) = server
        .send(Some(&admin), "DELETE", "/v1/employees/kate", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, body) = server
        .send(Some(&admin), "GET", "/v1/refusals?employee_id=kate", None)
        .await;
    assert_eq!(body["items"], json!([]));
    for key in &photos {
        assert!(
            !server.data.join("photos").join(key).exists(),
            "{key} survived erasure"
        );
    }
}
