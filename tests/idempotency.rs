//! Punches that must make one record: a retry with the same `Idempotency-Key` after the
//! office's local midnight, and punches without a key sent at once (on DynamoDB Local and the
//! S3 server, at set times).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use lintas_core::app::{Photo, PunchInput};
use lintas_core::domain::AttendanceKind;
use lintas_core::ports::Clock;
use lintas_tests::cloud::{Cloud, add_employee, add_kiosk, kiosk_punch};
use lintas_tests::fixture_bytes;

/// The default repeat window of the service.
const REPEAT_WINDOW: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// A clock the test moves.
struct SetClock(Mutex<DateTime<Utc>>);

impl Clock for SetClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("the clock")
    }
}

fn selfie() -> PunchInput {
    PunchInput {
        idempotency_key: Some("retry-after-midnight-1".into()),
        ..unkeyed_selfie()
    }
}

fn unkeyed_selfie() -> PunchInput {
    PunchInput {
        photos: vec![
            Photo::new(fixture_bytes("faces/howard/howard2.png"), 4 << 20).expect("a photo"),
        ],
        challenge_id: None,
        claim: None,
        device: Some("kiosk-lobby".into()),
        location: None,
        idempotency_key: None,
    }
}

#[tokio::test]
async fn a_retry_after_local_midnight_returns_the_first_check_in() {
    let cloud = Cloud::new("idempotency").await;
    // 23:58 in Jakarta (UTC+7), the default office zone, on a Saturday: no working period,
    // so a first punch is a check-in whatever the hour (on a working day, a first punch after
    // the middle of the day is the check-out of someone who did not check in).
    let before_midnight = Utc.with_ymd_and_hms(2026, 11, 28, 16, 58, 0).unwrap();
    let clock = Arc::new(SetClock(Mutex::new(before_midnight)));
    let app = cloud.app_at(clock.clone(), REPEAT_WINDOW).await;
    add_employee(&app, "howard", None, &["faces/howard/howard1.png"]).await;
    let kiosk = add_kiosk(&app, "lobby").await;

    let first = kiosk_punch(&app, &kiosk, selfie()).await.expect("a punch");
    assert_eq!(first.kind, AttendanceKind::CheckIn);
    assert!(!first.repeated);

    *clock.0.lock().unwrap() = before_midnight + Duration::minutes(5);
    let retried = kiosk_punch(&app, &kiosk, selfie()).await.expect("a retry");
    assert!(
        retried.repeated,
        "the retry after midnight is recognised: {retried:?}"
    );
    assert_eq!(retried.record.id, first.record.id);

    *clock.0.lock().unwrap() = before_midnight + Duration::days(7);
    let late = kiosk_punch(&app, &kiosk, selfie())
        .await
        .expect("a new punch");
    assert!(
        !late.repeated && late.kind == AttendanceKind::CheckIn,
        "past the documented window the same key is a new punch: {late:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn punches_without_a_key_sent_at_once_make_one_check_out() {
    let cloud = Cloud::new("repeat-window").await;
    let morning = Utc.with_ymd_and_hms(2026, 11, 30, 1, 0, 0).unwrap();
    let clock = Arc::new(SetClock(Mutex::new(morning)));
    let app = Arc::new(cloud.app_at(clock.clone(), REPEAT_WINDOW).await);
    add_employee(&app, "howard", None, &["faces/howard/howard1.png"]).await;
    let kiosk = Arc::new(add_kiosk(&app, "lobby").await);
    let check_in = kiosk_punch(&app, &kiosk, unkeyed_selfie())
        .await
        .expect("a punch");
    assert_eq!(check_in.kind, AttendanceKind::CheckIn);

    // Past the repeat window, 8 punches at once: each is the check-out that follows the
    // check-in, so they are one record.
    *clock.0.lock().unwrap() = morning + Duration::hours(8);
    let punches = (0..8).map(|_| {
        let (app, kiosk) = (Arc::clone(&app), Arc::clone(&kiosk));
        tokio::spawn(async move { kiosk_punch(&app, &kiosk, unkeyed_selfie()).await })
    });
    let mut records = std::collections::BTreeSet::new();
    for punch in futures::future::join_all(punches).await {
        let punch = punch.expect("a task").expect("a punch");
        assert_eq!(punch.kind, AttendanceKind::CheckOut);
        records.insert(punch.record.id.to_string());
    }
    assert_eq!(records.len(), 1, "one check-out: {records:?}");
}
