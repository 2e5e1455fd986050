//! Face decisions of a running `lintas serve` over real HTTP on real photos: the kiosk modes
//! (one shot, confirmation, claimed identity), the operating points admins read, and the
//! duplicate flag an admin resolves once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use reqwest::StatusCode;
use serde_json::json;

mod support;

use support::{ADMIN_PASSWORD, Server, assert_problem, at_once, photo_form, read};

const PASSWORD: &str = "cheesecake factory";

/// A server in `mode` with four enrolled people and a kiosk account; the admin's and the
/// kiosk's tokens.
async fn office(name: &str, mode: &str) -> (Server, String, String) {
    let server = Server::start_with(name, &[("LINTAS_KIOSK_MODE", mode)]).await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    for person in ["amy", "bernadette", "howard", "leonard"] {
        server
            .create_employee(&admin, person, "employee", None)
            .await;
        server
            .enroll(&admin, person, &[&format!("faces/{person}/{person}1.png")])
            .await;
    }
    server
        .create_employee(&admin, "lobby", "kiosk", Some(PASSWORD))
        .await;
    let kiosk = server.token("lobby", PASSWORD).await;
    (server, admin, kiosk)
}

#[tokio::test]
async fn a_confirming_kiosk_records_a_punch_only_once_the_person_confirms() {
    let (server, _admin, kiosk) = office("confirm", "confirm").await;
    let photo = read("faces/howard/howard2.png");
    let (status, body, _) = server
        .post_form(
            &kiosk,
            "/v1/predict",
            photo_form(std::slice::from_ref(&photo), &[]),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["employee_id"], "howard");
    assert_eq!(body["employee_name"], "Employee howard");
    let confirmation = body["confirmation"].as_str().unwrap().to_owned();
    let (status, body) = server
        .send(Some(&kiosk), "GET", "/v1/attendance?day=2026-01-01", None)
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "kiosks read no attendance: {body}"
    );

    // Confirmed with the same photo, eight times at once: one punch.
    let answers = at_once(8, |_| {
        let form = photo_form(
            std::slice::from_ref(&photo),
            &[("confirmation", &confirmation)],
        );
        server.post_form(&kiosk, "/v1/predict/confirm", form)
    })
    .await;
    let records: std::collections::BTreeSet<String> = answers
        .iter()
        .map(|(status, body, _)| {
            assert_eq!(*status, StatusCode::OK, "{body}");
            assert_eq!(body["record"]["method"], "confirmed");
            body["record"]["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(records.len(), 1, "{answers:?}");

    // Another photo, or another kiosk, cannot use it.
    let other = photo_form(
        &[read("faces/howard/howard3.png")],
        &[("confirmation", &confirmation)],
    );
    let (status, body, _) = server.post_form(&kiosk, "/v1/predict/confirm", other).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("confirmation_photo_mismatch")),
        "{body}"
    );
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    let theirs = photo_form(
        std::slice::from_ref(&photo),
        &[("confirmation", &confirmation)],
    );
    let (status, body, _) = server
        .post_form(&admin, "/v1/predict/confirm", theirs)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_confirmation")),
        "{body}"
    );
    let forged = photo_form(&[photo], &[("confirmation", "eyJhbGciOiJub25lIn0.e30.")]);
    let (status, _, _) = server
        .post_form(&kiosk, "/v1/predict/confirm", forged)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_claimed_identity_is_verified_one_to_one() {
    let (server, _admin, kiosk) = office("claimed", "claimed").await;
    let answer = server
        .post_photo(&kiosk, "/v1/predict", "faces/amy/amy2.png", &[])
        .await;
    assert_problem(&answer, StatusCode::BAD_REQUEST, "claim_required");
    let claim = |photo: &str, who: &str| photo_form(&[read(photo)], &[("claim", who)]);
    let (status, body, _) = server
        .post_form(&kiosk, "/v1/predict", claim("faces/amy/amy2.png", "amy"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["record"]["method"], "claimed");
    assert_eq!(body["employee_id"], "amy");
    // Someone else's face, or an unknown id: one answer, so a kiosk cannot list staff.
    for (photo, who) in [
        ("faces/penny/penny1.png", "amy"),
        ("faces/amy/amy3.png", "nobody-here"),
    ] {
        let (status, body, _) = server
            .post_form(&kiosk, "/v1/predict", claim(photo, who))
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("face_mismatch")),
            "{photo} as {who}: {body}"
        );
    }
}

#[tokio::test]
async fn admins_read_the_operating_points_of_the_gallery_they_have() {
    let (server, admin, kiosk) = office("metrics", "auto").await;
    let (status, body) = server
        .send(Some(&admin), "GET", "/v1/face-metrics", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["kiosk_mode"], "auto");
    let points = &body["operating_points"];
    assert_eq!(points["people"], 4);
    let identify = points["identify_threshold"].as_f64().unwrap();
    let verify = points["verify_threshold"].as_f64().unwrap();
    assert!(identify >= verify, "{points}");
    assert!(
        points["identify_fpir"].as_f64().unwrap() <= 0.0101,
        "{points}"
    );
    assert!(
        points["duplicate_flag_threshold"].as_f64().unwrap()
            < points["duplicate_refuse_threshold"].as_f64().unwrap()
    );
    let (status, _) = server
        .send(Some(&kiosk), "GET", "/v1/face-metrics", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A small office identifies its staff in one shot.
    let (status, body, _) = server
        .post_form(
            &kiosk,
            "/v1/predict",
            photo_form(&[read("faces/leonard/leonard4.png")], &[]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["record"]["method"], "identify");
}

#[tokio::test]
async fn a_borderline_duplicate_waits_for_one_admin_decision() {
    let server = Server::start("duplicate").await;
    let admin = server.token("admin", ADMIN_PASSWORD).await;
    server
        .create_employee(&admin, "amy", "employee", None)
        .await;
    server.enroll(&admin, "amy", &["faces/amy/amy1.png"]).await;
    server
        .create_employee(&admin, "amy-two", "employee", None)
        .await;
    let body = server
        .enroll(&admin, "amy-two", &["faces/amy/amy4.png"])
        .await;
    let outcome = &body["results"][0];
    assert_eq!(outcome["status"], "flagged", "{body}");
    assert_eq!(outcome["other_employee"], "amy");
    let key = outcome["review_key"].as_str().unwrap().to_owned();
    let (_, listed) = server
        .send(Some(&admin), "GET", "/v1/enrollments?status=flagged", None)
        .await;
    assert_eq!(listed["items"][0]["photo_key"], key.as_str(), "{listed}");
    assert_eq!(listed["items"][0]["review"]["other_employee"], "amy");

    let decide = |decision: &'static str| {
        server.send(
            Some(&admin),
            "POST",
            "/v1/enrollments/resolve",
            Some(json!({"review_key": key, "decision": decision})),
        )
    };
    let answers = at_once(2, |i| decide(["different_people", "same_person"][i])).await;
    let taken: Vec<_> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::OK)
        .collect();
    assert_eq!(taken.len(), 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .any(|(s, b)| *s == StatusCode::CONFLICT && b["code"] == "already_resolved"),
        "{answers:?}"
    );
    let (_, faces) = server
        .send(Some(&admin), "GET", "/v1/employees/amy-two/faces", None)
        .await;
    let (_, amy) = server
        .send(Some(&admin), "GET", "/v1/employees/amy", None)
        .await;
    if taken[0].1["status"] == "accepted" {
        assert_eq!(faces["items"].as_array().unwrap().len(), 1, "{faces}");
        assert_eq!(amy["look_alikes"], json!(["amy-two"]));
    } else {
        assert_eq!(faces["items"], json!([]));
        assert_eq!(amy["look_alikes"], json!([]));
    }
}

#[tokio::test]
async fn a_plain_kiosk_records_safe_matches_and_nothing_else() {
    let (server, _admin, kiosk) = office("plain", "plain").await;
    let (status, body, _) = server
        .post_form(
            &kiosk,
            "/v1/predict",
            photo_form(&[read("faces/bernadette/bernadette2.png")], &[]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["employee_id"], "bernadette");
    // Someone never enrolled is not recorded, and never asked to confirm anyone.
    for stranger in ["faces/penny/penny1.png", "faces/raj/raj1.png"] {
        let (status, body, _) = server
            .post_form(&kiosk, "/v1/predict", photo_form(&[read(stranger)], &[]))
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("no_match")),
            "{stranger}: {body}"
        );
    }
}
