//! The face checks of punches and enrollment, as use cases over the SQLite store and the
//! photo folder with the real engine and a clock the tests set: the liveness challenge
//! (order, ownership, expiry, reuse, answers at once), planar attacks and real head turns,
//! replayed selfies, the attempt limiter under a burst, and duplicate flags.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use lintas_core::app::{
    App, AppConfig, AppError, EnrollmentOptions, EnrollmentOutcome, NewEmployee, Photo, Ports,
    Principal, PunchInput,
};
use lintas_core::domain::{DuplicateDecision, EnrollmentStatus, Id, Office, Role};
use lintas_core::ports::{Clock, PageRequest};
use lintas_engine::presentation::{Presentation, present};
use lintas_face::pose::Pose;
use lintas_face::rules::FaceRules;
use lintas_local::{FolderPhotoStore, SqliteStore};
use lintas_tests::fixture_bytes;

/// A clock the test moves.
struct SetClock(Mutex<DateTime<Utc>>);

impl Clock for SetClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

impl SetClock {
    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

/// An application over a fresh SQLite store and photo folder, liveness on, with the admin.
async fn app(name: &str) -> (Arc<App>, Arc<SetClock>) {
    let dir =
        std::env::temp_dir().join(format!("lintas-face-checks-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = Arc::new(SqliteStore::open(&dir.join("lintas.db")).unwrap());
    let folder = Arc::new(FolderPhotoStore::new(
        dir.join("photos"),
        "http://127.0.0.1",
        vec![7; 32],
        4 << 20,
    ));
    // A weekday morning in Jakarta.
    let clock = Arc::new(SetClock(Mutex::new(
        Utc.with_ymd_and_hms(2026, 12, 1, 0, 30, 0).unwrap(),
    )));
    let mut config = AppConfig::with_secret(vec![3; 32]).unwrap();
    config.login.bcrypt_cost = 4;
    config.attendance.repeat_window = std::time::Duration::ZERO;
    let ports = Ports {
        store,
        photos: folder.clone(),
        snapshots: folder,
        clock: clock.clone(),
    };
    let app = App::new(ports, config)
        .with_face_engine(Arc::new(lintas_tests_engine()), FaceRules::default())
        .await
        .unwrap();
    app.bootstrap("kopi tubruk 42").await.unwrap();
    (Arc::new(app), clock)
}

/// The engine, loaded by this test binary (each test builds its own app over it).
fn lintas_tests_engine() -> lintas_engine::FaceEngine {
    lintas_engine::FaceEngine::load(lintas_engine::EngineConfig::default()).unwrap()
}

fn admin() -> Id {
    Id::parse("admin").unwrap()
}

fn photo(relative: &str) -> Photo {
    Photo::new(fixture_bytes(relative), 4 << 20).unwrap()
}

/// Creates `id` with `role` and, for employees, enrolls `photos` (as ID-style photos an admin
/// vouches for); returns the principal its tokens name.
async fn account(app: &App, id: &str, role: Role, photos: &[&str]) -> Principal {
    let new = NewEmployee {
        id: id.into(),
        name: format!("Person {id}"),
        email: None,
        staff_number: None,
        role,
        office_id: None,
        on_roll: None,
        password: None,
        supervisor_id: None,
        admin_offices: None,
    };
    app.create_employee(&admin(), new).await.unwrap();
    if !photos.is_empty() {
        let options = EnrollmentOptions {
            accept_printed: true,
            look_alike_of: Vec::new(),
        };
        let outcomes = app
            .enroll_photos(
                &admin(),
                id,
                photos.iter().map(|p| Ok(photo(p))).collect(),
                options,
            )
            .await
            .unwrap();
        for outcome in outcomes {
            assert!(
                matches!(outcome, EnrollmentOutcome::Accepted { .. }),
                "{id}: {outcome:?}"
            );
        }
    }
    app.principal(id).await.unwrap()
}

/// Kate, enrolled with an ID-style crop, in an office whose phone punches need no
/// challenge (so one selfie is a punch).
async fn kate_punching_without_challenges(app: &App) -> Principal {
    let kate = account(
        app,
        "kate",
        Role::Employee,
        &["faces/kate_siegel/1_aligned160.png"],
    )
    .await;
    let mut office: Office = app.office("main").await.unwrap();
    office.challenge.phone = false;
    app.put_office(&admin(), office).await.unwrap();
    kate
}

/// Runs `n` futures made by `make`, released together by a barrier, on the runtime's workers.
async fn at_once<T, F>(n: usize, make: impl Fn(usize) -> F) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let barrier = Arc::new(tokio::sync::Barrier::new(n));
    let tasks = (0..n).map(|i| {
        let (barrier, work) = (barrier.clone(), make(i));
        tokio::spawn(async move {
            barrier.wait().await;
            work.await
        })
    });
    futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect()
}

fn input(photos: Vec<Photo>, challenge: Option<&Id>) -> PunchInput {
    PunchInput {
        photos,
        challenge_id: challenge.map(Id::to_string),
        claim: None,
        device: Some("phone".into()),
        location: None,
        idempotency_key: None,
    }
}

/// The frames of a pose set in the order `poses` asks for.
fn frames(set: &str, poses: &[Pose]) -> Vec<Photo> {
    poses
        .iter()
        .map(|pose| {
            let name = match pose {
                Pose::Frontal => "frontal",
                Pose::Left => "left",
                Pose::Right => "right",
            };
            photo(&format!("poses/{set}/{name}.jpg"))
        })
        .collect()
}

fn code<T: std::fmt::Debug>(result: Result<T, AppError>) -> &'static str {
    match result {
        Ok(value) => panic!("accepted: {value:?}"),
        Err(error) => error.code(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_challenge_is_answered_once_by_its_owner_in_order_and_in_time() {
    let (app, clock) = app("challenge").await;
    let ann = account(
        &app,
        "ann",
        Role::Employee,
        &["poses/man_glasses/frontal2.jpg"],
    )
    .await;
    let ben = account(
        &app,
        "ben",
        Role::Employee,
        &["faces/kate_siegel/1_aligned160.png"],
    )
    .await;

    // Answered in order by its owner: punched, marked as challenged.
    let challenge = app.issue_challenge(&ann).await.unwrap();
    assert_eq!(challenge.poses.len(), 3);
    assert!(challenge.poses.contains(&Pose::Frontal));
    let punch = app
        .verify_and_punch(
            &ann,
            input(frames("man_glasses", &challenge.poses), Some(&challenge.id)),
        )
        .await
        .unwrap();
    assert!(punch.record.challenged);
    assert!(punch.record.liveness.unwrap() > 0.9, "{punch:?}");

    // Used: once only.
    let answer = |poses: &[Pose], id: &Id| {
        app.verify_and_punch(&ann, input(frames("man_glasses", poses), Some(id)))
    };
    clock.advance(Duration::minutes(10));
    let again = answer(&challenge.poses, &challenge.id).await;
    assert_eq!(code(again), "challenge_used");

    // Another account's challenge is unknown to the caller.
    let bens = app.issue_challenge(&ben).await.unwrap();
    assert_eq!(
        code(answer(&bens.poses, &bens.id).await),
        "challenge_not_found"
    );

    // Expired.
    let late = app.issue_challenge(&ann).await.unwrap();
    clock.advance(Duration::seconds(61));
    assert_eq!(
        code(answer(&late.poses, &late.id).await),
        "challenge_expired"
    );

    // Poses out of order: the frames of the reversed order.
    let challenge = app.issue_challenge(&ann).await.unwrap();
    let mut reversed = challenge.poses.clone();
    reversed.reverse();
    assert_eq!(
        code(answer(&reversed, &challenge.id).await),
        "challenge_pose_mismatch"
    );

    // One capture sent twice.
    let challenge = app.issue_challenge(&ann).await.unwrap();
    let mut repeated = frames("man_glasses", &challenge.poses);
    repeated[1] = repeated[0].clone();
    let twice = app.verify_and_punch(&ann, input(repeated, Some(&challenge.id)));
    assert_eq!(code(twice.await), "challenge_frames_repeated");

    // Without a challenge, a phone punch is refused (the default office asks for one).
    let single = input(vec![photo("poses/man_glasses/frontal.jpg")], None);
    assert_eq!(
        code(app.verify_and_punch(&ann, single).await),
        "challenge_required"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_sent_at_once_use_a_challenge_once() {
    let (app, clock) = app("challenge-race").await;
    let ann = account(
        &app,
        "ann",
        Role::Employee,
        &["poses/man_glasses/frontal2.jpg"],
    )
    .await;
    clock.advance(Duration::hours(1));
    let challenge = app.issue_challenge(&ann).await.unwrap();
    let results = at_once(8, |i| {
        let (app, ann) = (app.clone(), ann.clone());
        let mut answer = input(frames("man_glasses", &challenge.poses), Some(&challenge.id));
        answer.idempotency_key = Some(format!("answer-number-{i}"));
        async move { app.verify_and_punch(&ann, answer).await }
    })
    .await;
    let codes: Vec<&str> = results
        .into_iter()
        .map(|r| match r {
            Ok(_) => "punched",
            Err(e) => e.code(),
        })
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "punched").count(),
        1,
        "{codes:?}"
    );
    // The others find it used, or are over the attempts one account may make at once.
    assert!(
        codes
            .iter()
            .all(|c| matches!(*c, "punched" | "challenge_used" | "too_many_requests")),
        "{codes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_head_turns_pass_and_flat_pictures_held_at_angles_never_do() {
    let (app, clock) = app("planar").await;
    let people = [
        ("ann", "man_glasses", "poses/man_glasses/frontal2.jpg"),
        ("bob", "obama", "poses/obama/left_moderate.jpg"),
    ];
    for (id, set, enrolled) in people {
        let who = account(&app, id, Role::Employee, &[enrolled]).await;
        clock.advance(Duration::hours(1));
        let challenge = app.issue_challenge(&who).await.unwrap();
        let real = app
            .verify_and_punch(
                &who,
                input(frames(set, &challenge.poses), Some(&challenge.id)),
            )
            .await;
        assert!(real.is_ok(), "{set}: real head turns pass: {real:?}");

        // The frontal photo as a print or a screen, turned about either axis by up to 40
        // degrees for each pose asked.
        let frontal = fixture_bytes(&format!("poses/{set}/frontal.jpg"));
        let mut refusals = Vec::new();
        for screen in [false, true] {
            for (turn, tilt) in [(35.0, 0.0), (40.0, 10.0), (25.0, -15.0), (0.0, 30.0)] {
                clock.advance(Duration::hours(1));
                let challenge = app.issue_challenge(&who).await.unwrap();
                let shown: Vec<Photo> = challenge
                    .poses
                    .iter()
                    .map(|pose| {
                        let yaw = match pose {
                            Pose::Frontal => 0.0,
                            Pose::Left => turn,
                            Pose::Right => -turn,
                        };
                        let how = Presentation {
                            yaw,
                            pitch: tilt,
                            screen,
                        };
                        Photo::new(present(&frontal, how).unwrap(), 4 << 20).unwrap()
                    })
                    .collect();
                let answer = app
                    .verify_and_punch(&who, input(shown, Some(&challenge.id)))
                    .await;
                let refused = code(answer);
                assert!(
                    !matches!(refused, "internal_error" | "service_unavailable"),
                    "{set} shown as screen={screen} turned {turn}/{tilt}: {refused}"
                );
                refusals.push(refused);
            }
        }
        eprintln!("{set}: planar sequences refused with {refusals:?}");
        // Lockouts are not what this test is about.
        clock.advance(Duration::hours(1));
    }
}

#[test]
fn no_flat_picture_turns_both_ways_as_far_as_a_real_head() {
    let engine = lintas_tests::engine();
    let rule = FaceRules::default().pose;
    let measure = |bytes: &[u8]| {
        let analysis = engine
            .analyze(
                bytes,
                lintas_face::FacePolicy::Largest,
                lintas_face::Liveness::Skip,
            )
            .unwrap();
        lintas_face::pose::PoseMeasure::of(&analysis.detection.landmarks).unwrap()
    };
    let mut real_min = f32::MAX;
    for set in ["man_glasses", "obama"] {
        let frontal_bytes = fixture_bytes(&format!("poses/{set}/frontal.jpg"));
        let frontal = measure(&frontal_bytes);
        for side in ["left", "right"] {
            let turned = measure(&fixture_bytes(&format!("poses/{set}/{side}.jpg")));
            real_min = real_min.min((turned.turn - frontal.turn).abs());
        }
        // A print or a screen of the frontal photo, turned up to 40 degrees either way and
        // tilted: the signed move of the pose measure from the frontal frame.
        let mut moves = Vec::new();
        for yaw in [-40.0, -30.0, -20.0, -10.0, 10.0, 20.0, 30.0, 40.0] {
            for pitch in [-20.0, 0.0, 20.0] {
                for screen in [false, true] {
                    let shown =
                        present(&frontal_bytes, Presentation { yaw, pitch, screen }).unwrap();
                    moves.push(measure(&shown).turn - frontal.turn);
                }
            }
        }
        let (most, least) = moves
            .iter()
            .fold((f32::MIN, f32::MAX), |(hi, lo), m| (hi.max(*m), lo.min(*m)));
        eprintln!("{set}: a flat picture moved the measure from {least:.3} to {most:.3}");
        // A challenge asks for both turns: no angle of the picture gives one, let alone both.
        assert!(
            most < rule.min_turn_change && least > -rule.min_turn_change,
            "{set}: {least} .. {most}"
        );
    }
    eprintln!("smallest real turn {real_min:.3}");
    assert!(real_min >= rule.min_turn_change, "{real_min}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_selfie_sent_again_or_re_encoded_is_a_replay() {
    let (app, clock) = app("replay").await;
    let kate = kate_punching_without_challenges(&app).await;

    let selfie = fixture_bytes("faces/kate_siegel/1.jpg");
    let first = app
        .verify_and_punch(
            &kate,
            input(vec![Photo::new(selfie.clone(), 4 << 20).unwrap()], None),
        )
        .await
        .unwrap();
    assert!(first.record.liveness.unwrap() > 0.9);
    clock.advance(Duration::hours(3));
    let same_bytes = app
        .verify_and_punch(
            &kate,
            input(vec![Photo::new(selfie.clone(), 4 << 20).unwrap()], None),
        )
        .await;
    assert_eq!(code(same_bytes), "replayed_photo");
    // Re-encoded at another quality and a little smaller: other bytes, the same capture.
    let decoded = image::load_from_memory(&selfie).unwrap();
    let smaller = decoded.resize(1000, 1400, image::imageops::FilterType::Triangle);
    let mut reencoded = std::io::Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut reencoded, 80)
        .encode_image(&smaller)
        .unwrap();
    let copy = app
        .verify_and_punch(
            &kate,
            input(
                vec![Photo::new(reencoded.into_inner(), 4 << 20).unwrap()],
                None,
            ),
        )
        .await;
    assert_eq!(code(copy), "replayed_photo");
    // Both replays were kept for review.
    let refusals = app
        .refusals(Some("kate"), &PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(refusals.items.len(), 2);
    assert!(
        refusals
            .items
            .iter()
            .all(|r| r.refusal.code == "replayed_photo" && r.photo_url.is_some())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_refused_attempts_checks_at_most_the_limit_then_locks_out() {
    let (app, clock) = app("limiter").await;
    let kate = kate_punching_without_challenges(&app).await;

    // Twenty selfies of someone else at once (each a distinct file).
    let stranger = fixture_bytes("faces/shea_whigham/1.jpg");
    let codes: Vec<&str> = at_once(20, |i| {
        let (app, kate) = (app.clone(), kate.clone());
        let mut bytes = stranger.clone();
        bytes.extend_from_slice(format!("attempt {i}").as_bytes());
        let attempt = input(vec![Photo::new(bytes, 4 << 20).unwrap()], None);
        async move { app.verify_and_punch(&kate, attempt).await }
    })
    .await
    .into_iter()
    .map(code)
    .collect();
    let checked = codes.iter().filter(|c| **c == "face_mismatch").count();
    assert!(checked <= 5, "at most the limit is checked: {codes:?}");
    assert!(checked >= 1, "{codes:?}");
    assert_eq!(
        checked + codes.iter().filter(|c| **c == "too_many_requests").count(),
        20,
        "{codes:?}"
    );
    let kept = app
        .refusals(Some("kate"), &PageRequest::first(50))
        .await
        .unwrap();
    assert_eq!(kept.items.len(), checked, "each checked refusal is kept");

    // Five refusals lock her out: even her own face waits.
    assert_eq!(checked, 5, "{codes:?}");
    let own = input(vec![photo("faces/kate_siegel/1.jpg")], None);
    match app.verify_and_punch(&kate, own.clone()).await {
        Err(AppError::Throttled { retry_after }) => {
            assert!(retry_after.as_secs() > 60, "{retry_after:?}")
        }
        other => panic!("not locked out: {other:?}"),
    }
    clock.advance(Duration::minutes(16));
    app.verify_and_punch(&kate, own).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn good_punches_sent_at_once_never_lock_anyone_out() {
    let (app, clock) = app("burst").await;
    let kate = kate_punching_without_challenges(&app).await;
    let selfie = fixture_bytes("faces/kate_siegel/1.jpg");
    let results = at_once(10, |_| {
        let (app, kate) = (app.clone(), kate.clone());
        let mut punch = input(vec![Photo::new(selfie.clone(), 4 << 20).unwrap()], None);
        punch.idempotency_key = Some("one-tap-of-the-button".into());
        async move { app.verify_and_punch(&kate, punch).await }
    })
    .await;
    let records: std::collections::BTreeSet<String> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|p| p.record.id.to_string())
        .collect();
    assert_eq!(records.len(), 1, "one record: {results:?}");
    assert!(
        results.iter().all(|r| r
            .as_ref()
            .map_or_else(|e| e.code() == "too_many_requests", |_| true)),
        "{results:?}"
    );
    // A minute later (the window is three) nothing is locked.
    clock.advance(Duration::minutes(4));
    let later = input(vec![photo("faces/kate_siegel/1_aligned160.png")], None);
    let answer = app.verify_and_punch(&kate, later).await;
    assert!(
        !matches!(answer, Err(AppError::Throttled { .. })),
        "{answer:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_borderline_duplicate_is_flagged_and_decided_once() {
    let (app, _clock) = app("duplicates").await;
    account(&app, "amy", Role::Employee, &["faces/amy/amy1.png"]).await;
    account(&app, "amy-again", Role::Employee, &[]).await;
    let options = EnrollmentOptions {
        accept_printed: true,
        look_alike_of: Vec::new(),
    };
    // Other photos of the same person under another id: one so close that it is certainly
    // her (0.89, refused), one only close (0.63, flagged for an admin).
    let outcomes = app
        .enroll_photos(
            &admin(),
            "amy-again",
            vec![
                Ok(photo("faces/amy/amy3.png")),
                Ok(photo("faces/amy/amy4.png")),
            ],
            options.clone(),
        )
        .await
        .unwrap();
    assert!(
        matches!(&outcomes[0], EnrollmentOutcome::Rejected { code, .. } if *code == "face_already_enrolled"),
        "{outcomes:?}"
    );
    let review_key = match &outcomes[1] {
        EnrollmentOutcome::Flagged {
            review_key,
            other_employee,
            ..
        } => {
            assert_eq!(other_employee.as_str(), "amy");
            review_key.clone()
        }
        other => panic!("the duplicate was not flagged: {other:?}"),
    };
    let flagged = app
        .enrollments(EnrollmentStatus::Flagged, &PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(flagged.items.len(), 1);

    // Two admins decide at once: exactly one decision is taken.
    let decisions = [
        DuplicateDecision::SamePerson,
        DuplicateDecision::DifferentPeople,
    ]
    .map(|decision| {
        let (app, key) = (app.clone(), review_key.clone());
        tokio::spawn(async move { app.resolve_duplicate(&admin(), &key, decision).await })
    });
    let taken: Vec<_> = futures::future::join_all(decisions)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(taken.iter().filter(|r| r.is_ok()).count(), 1, "{taken:?}");
    assert!(
        taken
            .iter()
            .any(|r| matches!(r, Err(e) if e.code() == "already_resolved"))
    );
    let job = app.store().enrollment(&review_key).await.unwrap().unwrap();
    let templates = app.templates("amy-again").await.unwrap();
    match job.status {
        EnrollmentStatus::Accepted => {
            assert_eq!(templates.len(), 1);
            let amy = app.employee("amy").await.unwrap();
            assert_eq!(amy.look_alikes, vec![Id::parse("amy-again").unwrap()]);
        }
        EnrollmentStatus::Rejected => assert!(templates.is_empty()),
        other => panic!("undecided: {other:?}"),
    }
    // Decided: a third decision changes nothing.
    let third = app
        .resolve_duplicate(&admin(), &review_key, DuplicateDecision::DifferentPeople)
        .await;
    assert_eq!(code(third), "already_resolved");
}
