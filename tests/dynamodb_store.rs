//! The DynamoDB adapter against a real DynamoDB: DynamoDB Local, started by
//! `scripts/test-servers.sh run`. Each test gets a table of its own; the shared conformance
//! suite runs first, then what only DynamoDB can get wrong.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{Duration, NaiveDate, Utc};
use lintas_aws::dynamodb::DynamoStore;
use lintas_core::domain::{AttendanceRecord, AuditEvent, Employee, Id, RefreshToken, new_id};
use lintas_core::ports::conformance::{self, employee, punch, template};
use lintas_core::ports::{
    AttendanceStore, AuditLog, EmployeeStore, LoginFailureStore, PageRequest, RecordOutcome,
    StoreError, TemplateStore, TokenStore,
};

type Items = Vec<HashMap<String, AttributeValue>>;

/// A client for the DynamoDB named by `AWS_ENDPOINT_URL_DYNAMODB`; never a real AWS account.
async fn client() -> Client {
    if std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_none() {
        panic!(
            "AWS_ENDPOINT_URL_DYNAMODB is not set: these tests need DynamoDB Local; run them \
             through `scripts/test-servers.sh run cargo test -p lintas-tests --test dynamodb_store`"
        );
    }
    Client::new(&aws_config::load_defaults(BehaviorVersion::latest()).await)
}

/// A store over a new, uniquely named table, with the client and table name for raw access.
async fn fresh_store(test: &str) -> (DynamoStore, Client, String) {
    let client = client().await;
    let table = format!("lintas-{test}-{}", new_id());
    let store = DynamoStore::new(client.clone(), table.clone());
    store.create_table().await.expect("create the table");
    (store, client, table)
}

/// Every item of the table, read directly.
async fn raw_items(client: &Client, table: &str) -> Items {
    let output = client.scan().table_name(table).send().await.expect("scan");
    output.items.unwrap_or_default()
}

fn id(text: &str) -> Id {
    Id::parse(text).expect("valid id")
}

#[tokio::test]
async fn conformance_employees() {
    conformance::check_employees(&fresh_store("employees").await.0).await;
}

#[tokio::test]
async fn conformance_templates() {
    conformance::check_templates(&fresh_store("templates").await.0).await;
}

#[tokio::test]
async fn conformance_attendance() {
    conformance::check_attendance(&fresh_store("attendance").await.0).await;
}

#[tokio::test]
async fn conformance_offices() {
    conformance::check_offices(&fresh_store("offices").await.0).await;
}

#[tokio::test]
async fn conformance_enrollments() {
    conformance::check_enrollments(&fresh_store("enrollments").await.0).await;
}

#[tokio::test]
async fn conformance_tokens() {
    conformance::check_tokens(&fresh_store("tokens").await.0).await;
}

#[tokio::test]
async fn conformance_login_failures() {
    conformance::check_login_failures(&fresh_store("login-failures").await.0).await;
}

#[tokio::test]
async fn conformance_audit() {
    conformance::check_audit(&fresh_store("audit").await.0).await;
}

#[tokio::test]
async fn conformance_challenges() {
    conformance::check_challenges(&fresh_store("challenges").await.0).await;
}

#[tokio::test]
async fn conformance_refusals() {
    conformance::check_refusals(&fresh_store("refusals").await.0).await;
}

#[tokio::test]
async fn conformance_calendars() {
    conformance::check_calendars(&fresh_store("calendars").await.0).await;
}

#[tokio::test]
async fn conformance_rosters() {
    conformance::check_rosters(&fresh_store("rosters").await.0).await;
}

#[tokio::test]
async fn conformance_rules() {
    conformance::check_rules(&fresh_store("rules").await.0).await;
}

#[tokio::test]
async fn conformance_requests() {
    conformance::check_requests(&fresh_store("requests").await.0).await;
}

#[tokio::test]
async fn conformance_all_checks_share_one_table() {
    conformance::check_store(&fresh_store("all").await.0).await;
}

#[tokio::test]
async fn creating_an_existing_table_changes_nothing() {
    let (store, client, table) = fresh_store("idempotent").await;
    store
        .add_template(&template("t1", "ann", 1))
        .await
        .expect("add");
    store.create_table().await.expect("create again");
    let ttl = client
        .describe_time_to_live()
        .table_name(&table)
        .send()
        .await
        .expect("describe TTL");
    let ttl = ttl.time_to_live_description().expect("a TTL description");
    assert_eq!(ttl.attribute_name(), Some("expires_at"));
    assert_eq!(store.templates_of(&id("ann")).await.expect("read").len(), 1);
}

#[tokio::test]
async fn embeddings_are_stored_as_little_endian_binary_with_their_model() {
    let (store, client, table) = fresh_store("embedding").await;
    let stored = template("t1", "ann", 7);
    store.add_template(&stored).await.expect("add");

    let items = raw_items(&client, &table).await;
    let item = items
        .iter()
        .find(|item| item.contains_key("embedding"))
        .expect("a template item");
    let Some(AttributeValue::B(bytes)) = item.get("embedding") else {
        panic!("the embedding is not binary: {:?}", item.get("embedding"));
    };
    assert_eq!(bytes.as_ref(), stored.embedding.to_le_bytes().as_slice());
    assert_eq!(bytes.as_ref().len(), 128 * 4);
    assert_eq!(
        item.get("model"),
        Some(&AttributeValue::S(stored.embedding.model().to_string()))
    );
    let back = store.templates_of(&id("ann")).await.expect("read");
    assert_eq!(back, [stored], "the vector comes back bit for bit");
}

#[tokio::test]
async fn pages_are_exact_and_cover_everything_once() {
    let (store, _, _) = fresh_store("paging").await;
    for n in 0..20 {
        let template = template(&format!("t{n:02}"), &format!("e{}", n % 4), n);
        store.add_template(&template).await.expect("add");
    }
    let mut seen = HashSet::new();
    for segment in 0..store.gallery_segments() {
        let mut sizes = Vec::new();
        let mut request = PageRequest::first(5);
        loop {
            let page = store
                .gallery_segment(segment, &request)
                .await
                .expect("page");
            sizes.push(page.items.len());
            for template in page.items {
                assert!(seen.insert(template.id), "a template came twice");
            }
            match page.next {
                Some(cursor) => request.cursor = Some(cursor),
                None => break,
            }
        }
        let (last, full) = sizes.split_last().expect("at least one page");
        assert!(
            full.iter().all(|size| *size == 5),
            "pages are full: {sizes:?}"
        );
        assert!(
            *last > 0 || sizes.len() == 1,
            "no empty page after an exact fit: {sizes:?}"
        );
    }
    assert_eq!(seen.len(), 20);

    for n in 0..7 {
        let owner = format!("e{n}");
        store
            .create_employee(&employee(&owner, None))
            .await
            .expect("owner");
        let record = punch(&format!("r{n}"), &owner, 0, "k");
        store.record_attendance(&record).await.expect("record");
    }
    let first = store
        .attendance_on(record_day(), &PageRequest::first(3))
        .await
        .expect("day page");
    let second = store
        .attendance_on(
            record_day(),
            &PageRequest {
                limit: 5,
                cursor: first.next.clone(),
            },
        )
        .await
        .expect("second day page");
    assert_eq!((first.items.len(), second.items.len()), (3, 4));
    assert_eq!(second.next, None);
}

fn record_day() -> NaiveDate {
    punch("x", "x", 0, "x").local_day
}

#[tokio::test]
async fn malformed_or_foreign_cursors_are_invalid() {
    let (store, _, _) = fresh_store("cursors").await;
    for n in 0..3 {
        store
            .create_employee(&employee(&format!("e{n}"), None))
            .await
            .expect("create");
        store
            .add_template(&template(&format!("t{n}"), "ann", n))
            .await
            .expect("add");
    }
    let employees_cursor = store
        .list_employees(&PageRequest::first(1))
        .await
        .expect("page")
        .next
        .expect("a next page");
    for cursor in ["", "zz", "not a cursor", "7b7d", "%%%%"] {
        let request = PageRequest {
            limit: 1,
            cursor: Some(cursor.into()),
        };
        assert!(
            matches!(
                store.gallery_segment(0, &request).await,
                Err(StoreError::Invalid(_))
            ),
            "{cursor:?}"
        );
    }
    let foreign = PageRequest {
        limit: 1,
        cursor: Some(employees_cursor),
    };
    assert!(matches!(
        store.audit_events(&foreign).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.gallery_segment(0, &foreign).await,
        Err(StoreError::Invalid(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_updates_from_the_same_version_exactly_one_wins() {
    let (store, _, _) = fresh_store("optimistic").await;
    let mut current = employee("ann", Some("ann@example.go.id"));
    store.create_employee(&current).await.expect("create");
    for round in 0..5 {
        let left = Employee {
            name: format!("left {round}"),
            version: current.version + 1,
            ..current.clone()
        };
        let right = Employee {
            name: format!("right {round}"),
            email: Some(format!("ann.{round}@example.go.id")),
            version: current.version + 1,
            ..current.clone()
        };
        let (left_result, right_result) =
            tokio::join!(store.update_employee(&left), store.update_employee(&right));
        let winner = match (left_result, right_result) {
            (Ok(()), Err(StoreError::Conflict(_))) => left,
            (Err(StoreError::Conflict(_)), Ok(())) => right,
            other => panic!("round {round}: expected one winner and one conflict, got {other:?}"),
        };
        let stored = store.employee(&winner.id).await.expect("read");
        assert_eq!(stored.as_ref(), Some(&winner), "round {round}");
        let email = winner.email.as_deref().expect("an e-mail");
        let by_email = store.employee_by_email(email).await.expect("by e-mail");
        assert_eq!(by_email, Some(winner.clone()), "round {round}");
        current = winner;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_retries_of_one_punch_store_it_once() {
    let store = Arc::new(fresh_store("idempotency").await.0);
    store
        .create_employee(&employee("ann", None))
        .await
        .expect("owner");
    let attempts: Vec<AttendanceRecord> = (0..8)
        .map(|n| punch(&format!("attempt{n}"), "ann", 0, "same-key"))
        .collect();
    let outcomes = in_parallel(&store, attempts.clone(), |store, record| async move {
        store.record_attendance(&record).await
    })
    .await;
    let mut created = Vec::new();
    let mut existing = Vec::new();
    for (attempt, outcome) in attempts.iter().zip(outcomes) {
        match outcome.expect("record") {
            RecordOutcome::Created => created.push(attempt.clone()),
            RecordOutcome::Existing(record) => existing.push(record),
        }
    }
    assert_eq!(created.len(), 1, "exactly one attempt stores the punch");
    assert!(existing.iter().all(|record| record == &created[0]));
    let day = created[0].local_day;
    let stored = store
        .attendance_of(&id("ann"), day, day, &PageRequest::first(10))
        .await
        .expect("read");
    assert_eq!(stored.items, created);
    let on_day = store
        .attendance_on(day, &PageRequest::first(10))
        .await
        .expect("read day");
    assert_eq!(on_day.items, created);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_template_changes_each_bump_the_gallery_version() {
    let store = Arc::new(fresh_store("gallery-version").await.0);
    let before = store.gallery_version().await.expect("version");
    let templates: Vec<_> = (0..10)
        .map(|n| template(&format!("t{n}"), &format!("e{n}"), n))
        .collect();
    let additions = in_parallel(&store, templates.clone(), |store, template| async move {
        store.add_template(&template).await
    })
    .await;
    for result in additions {
        result.expect("add despite concurrent transactions");
    }
    assert_eq!(store.gallery_version().await.expect("version"), before + 10);
    let deletions = in_parallel(&store, templates, |store, template| async move {
        store
            .delete_template(&template.employee_id, &template.id)
            .await
    })
    .await;
    assert!(
        deletions
            .into_iter()
            .all(|deleted| deleted.expect("delete"))
    );
    assert_eq!(store.gallery_version().await.expect("version"), before + 20);
}

#[tokio::test]
async fn bulk_deletes_span_several_batches_and_transactions() {
    let (store, client, table) = fresh_store("bulk").await;
    for n in 0..120 {
        store
            .add_template(&template(&format!("t{n:03}"), "ann", n))
            .await
            .expect("add");
    }
    let version = store.gallery_version().await.expect("version");
    assert_eq!(
        store.delete_templates_of(&id("ann")).await.expect("delete"),
        120
    );
    assert!(store.gallery_version().await.expect("version") > version);
    assert!(
        store
            .templates_of(&id("ann"))
            .await
            .expect("read")
            .is_empty()
    );

    store
        .create_employee(&employee("ann", None))
        .await
        .expect("the punches' owner");
    for n in 0..60 {
        let record = punch(&format!("r{n}"), "ann", n % 3, &format!("key-{n}"));
        store.record_attendance(&record).await.expect("record");
    }
    for n in 0..30 {
        store
            .put_refresh_token(&token(&format!("h{n}"), 10))
            .await
            .expect("put token");
    }
    let photos = store
        .delete_attendance_of(&id("ann"))
        .await
        .expect("delete punches");
    assert_eq!(photos.len(), 60);
    store
        .delete_tokens_of(&id("ann"))
        .await
        .expect("delete tokens");
    store
        .delete_employee(&id("ann"))
        .await
        .expect("delete the owner");
    let left: Vec<_> = raw_items(&client, &table)
        .await
        .into_iter()
        .filter_map(|item| match item.get("SK") {
            Some(AttributeValue::S(sort)) if sort != "VERSION" => Some(sort.clone()),
            _ => None,
        })
        .collect();
    assert!(left.is_empty(), "items left behind: {left:?}");
}

fn token(hash: &str, hours: i64) -> RefreshToken {
    RefreshToken {
        id: hash.into(),
        family: id("family"),
        employee_id: id("ann"),
        expires_at: Utc::now() + Duration::hours(hours),
        revoked: false,
    }
}

#[tokio::test]
async fn expired_records_are_hidden_before_ttl_deletes_them() {
    let (store, client, table) = fresh_store("ttl").await;
    let expired = token("old", -1);
    store.put_refresh_token(&expired).await.expect("put");
    let now = Utc::now();
    let window_end = now + Duration::minutes(15);
    store
        .record_login_failure("account:ann", now, window_end)
        .await
        .expect("count");

    let items = raw_items(&client, &table).await;
    // DynamoDB Local's TTL sweeper may already have removed the expired token.
    assert!(
        (1..=2).contains(&items.len()),
        "the records are stored: {items:?}"
    );
    for item in &items {
        let Some(AttributeValue::N(seconds)) = item.get("expires_at") else {
            panic!("no numeric TTL attribute in {item:?}");
        };
        let seconds: i64 = seconds.parse().expect("epoch seconds");
        assert!((seconds - now.timestamp()).abs() < 3 * 3600);
    }
    assert_eq!(store.refresh_token("old", now).await.expect("read"), None);
    let after_window = window_end + Duration::seconds(1);
    let counter = store
        .login_failures("account:ann", after_window)
        .await
        .expect("read");
    assert_eq!(counter, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_login_failures_are_all_counted() {
    let store = Arc::new(fresh_store("login-counter").await.0);
    let now = Utc::now();
    let window_end = now + Duration::minutes(15);
    let counts = in_parallel(&store, 0..10, |store, _| async move {
        store
            .record_login_failure("source:x", now, window_end)
            .await
    })
    .await
    .into_iter()
    .map(|counter| counter.expect("count").count)
    .collect::<HashSet<_>>();
    assert_eq!(counts, (1..=10).collect::<HashSet<_>>());
    let live = store.login_failures("source:x", now).await.expect("read");
    assert_eq!(live.map(|counter| counter.count), Some(10));
}

#[tokio::test]
async fn failures_map_to_store_errors() {
    let (store, client, table) = fresh_store("errors").await;
    let too_long_key = punch("r1", "ann", 0, &"k".repeat(2000));
    assert!(matches!(
        store.record_attendance(&too_long_key).await,
        Err(StoreError::Invalid(_))
    ));

    client
        .put_item()
        .table_name(&table)
        .item("PK", AttributeValue::S("EMP#broken".into()))
        .item("SK", AttributeValue::S("PROFILE".into()))
        .item("name", AttributeValue::N("42".into()))
        .send()
        .await
        .expect("raw put");
    assert!(matches!(
        store.employee(&id("broken")).await,
        Err(StoreError::Corrupt(_))
    ));

    let missing_table = DynamoStore::new(client, format!("lintas-missing-{}", new_id()));
    let event = AuditEvent {
        id: id("ev"),
        at: Utc::now(),
        actor: id("admin"),
        action: "employee.create".into(),
        subject: "employee:ann".into(),
        detail: None,
    };
    let error = missing_table
        .append_audit(&event)
        .await
        .expect_err("no table");
    assert!(
        matches!(error, StoreError::Misconfigured(_)),
        "a missing table is for an operator to fix, not to retry: {error}"
    );
}

/// Runs `call` on every input in its own task, all at once; returns the outputs in order.
async fn in_parallel<Input, Call, Running>(
    store: &Arc<DynamoStore>,
    inputs: impl IntoIterator<Item = Input>,
    call: Call,
) -> Vec<Running::Output>
where
    Call: Fn(Arc<DynamoStore>, Input) -> Running,
    Running: Future + Send + 'static,
    Running::Output: Send + 'static,
{
    let tasks: Vec<_> = inputs
        .into_iter()
        .map(|input| tokio::spawn(call(Arc::clone(store), input)))
        .collect();
    let mut outputs = Vec::with_capacity(tasks.len());
    for task in tasks {
        outputs.push(task.await.expect("the task ran to its end"));
    }
    outputs
}
