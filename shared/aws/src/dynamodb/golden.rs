//! The stored formats of the DynamoDB store against the golden items in
//! `tests/fixtures/stored/dynamodb.json` (DynamoDB's typed JSON): each record type's item,
//! keys and index attributes included, must decode to the golden record and be exactly what
//! the store writes for it, so renaming a domain field cannot silently turn stored data into
//! `Corrupt`. `LINTAS_BLESS=1` rewrites the file after a deliberate format change (which
//! needs a migration of stored data).

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use super::attendance::attendance_item;
use super::audit::audit_item;
use super::calendars::{assignment_item, holiday_item, period_item, rules_item, shift_item};
use super::challenges::{challenge_item, decode_challenge};
use super::codec::{Item, from_item};
use super::employees::employee_item;
use super::enrollments::job_item;
use super::offices::office_item;
use super::refusals::{decode_refusal, refusal_item};
use super::requests::request_item;
use super::templates::{decode_template, template_item};
use super::tokens::{decode_token, token_item};
use lintas_core::ports::conformance::golden_records;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/stored/dynamodb.json"
);

/// An attribute in DynamoDB's typed JSON.
fn typed(attribute: &AttributeValue) -> Value {
    match attribute {
        AttributeValue::S(text) => json!({ "S": text }),
        AttributeValue::N(number) => json!({ "N": number }),
        AttributeValue::B(blob) => json!({ "B": STANDARD.encode(blob.as_ref()) }),
        AttributeValue::Bool(flag) => json!({ "BOOL": flag }),
        AttributeValue::Null(_) => json!({ "NULL": true }),
        AttributeValue::L(list) => json!({ "L": list.iter().map(typed).collect::<Vec<_>>() }),
        AttributeValue::M(map) => json!({ "M": typed_item(map) }),
        other => panic!("no golden form for {other:?}"),
    }
}

fn typed_item(item: &std::collections::HashMap<String, AttributeValue>) -> Map<String, Value> {
    item.iter()
        .map(|(name, attribute)| (name.clone(), typed(attribute)))
        .collect()
}

/// The attribute of typed JSON.
fn attribute(value: &Value) -> AttributeValue {
    let (kind, inner) = value
        .as_object()
        .and_then(|object| object.iter().next())
        .unwrap_or_else(|| panic!("not typed JSON: {value}"));
    match (kind.as_str(), inner) {
        ("S", Value::String(text)) => AttributeValue::S(text.clone()),
        ("N", Value::String(number)) => AttributeValue::N(number.clone()),
        ("B", Value::String(text)) => AttributeValue::B(Blob::new(
            STANDARD.decode(text).unwrap_or_else(|e| panic!("{e}")),
        )),
        ("BOOL", Value::Bool(flag)) => AttributeValue::Bool(*flag),
        ("NULL", _) => AttributeValue::Null(true),
        ("L", Value::Array(list)) => AttributeValue::L(list.iter().map(attribute).collect()),
        ("M", Value::Object(map)) => AttributeValue::M(untyped_item(map)),
        _ => panic!("not typed JSON: {value}"),
    }
}

fn untyped_item(map: &Map<String, Value>) -> Item {
    map.iter()
        .map(|(name, value)| (name.clone(), attribute(value)))
        .collect()
}

/// The golden item `name` decodes (with `decode`) to `record`, which encodes to it.
fn check<T: PartialEq + std::fmt::Debug>(
    golden: &Map<String, Value>,
    name: &str,
    record: &T,
    written: Item,
    decode: fn(Item) -> Result<T, lintas_core::ports::StoreError>,
) {
    let stored = golden
        .get(name)
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("{name} has no golden item: run with LINTAS_BLESS=1"));
    let decoded = decode(untyped_item(stored)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        &decoded, record,
        "{name}: the stored item decodes to the record"
    );
    assert_eq!(
        &typed_item(&written),
        stored,
        "{name}: the record is stored as the item"
    );
}

#[test]
fn stored_items_of_every_record_type_keep_their_format() {
    let records = golden_records();
    let written = [
        ("employee", employee_item(&records.employee).unwrap()),
        ("template", template_item(&records.template).unwrap()),
        ("attendance", attendance_item(&records.punch).unwrap()),
        ("office", office_item(&records.office).unwrap()),
        ("enrollment", job_item(&records.job).unwrap()),
        ("audit", audit_item(&records.audit).unwrap()),
        ("refresh_token", token_item(&records.token).unwrap()),
        ("challenge", challenge_item(&records.challenge).unwrap()),
        ("refusal", refusal_item(&records.refusal).unwrap()),
        ("holiday", holiday_item(&records.holiday).unwrap()),
        ("special_period", period_item(&records.period).unwrap()),
        ("shift", shift_item(&records.shift).unwrap()),
        (
            "roster_entry",
            assignment_item(&records.assignment).unwrap(),
        ),
        ("attendance_rules", rules_item(&records.rules).unwrap()),
        ("request", request_item(&records.request).unwrap()),
        (
            "corrected_attendance",
            attendance_item(&records.corrected_punch).unwrap(),
        ),
    ];
    if std::env::var_os("LINTAS_BLESS").is_some() {
        let items: Map<String, Value> = written
            .iter()
            .map(|(name, item)| ((*name).to_owned(), Value::Object(typed_item(item))))
            .collect();
        let text = serde_json::to_string_pretty(&Value::Object(items)).unwrap();
        std::fs::write(FIXTURE, text + "\n").unwrap();
    }
    let text = std::fs::read_to_string(FIXTURE).unwrap_or_else(|e| panic!("{FIXTURE}: {e}"));
    let golden: Map<String, Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(golden.len(), written.len(), "every golden item is checked");
    let [
        employee,
        template,
        attendance,
        office,
        enrollment,
        audit,
        token,
        challenge,
        refusal,
        holiday,
        period,
        shift,
        assignment,
        rules,
        request,
        corrected,
    ] = written;
    check(
        &golden,
        employee.0,
        &records.employee,
        employee.1,
        from_item,
    );
    check(
        &golden,
        template.0,
        &records.template,
        template.1,
        decode_template,
    );
    check(
        &golden,
        attendance.0,
        &records.punch,
        attendance.1,
        from_item,
    );
    check(&golden, office.0, &records.office, office.1, from_item);
    check(&golden, enrollment.0, &records.job, enrollment.1, from_item);
    check(&golden, audit.0, &records.audit, audit.1, from_item);
    check(&golden, token.0, &records.token, token.1, decode_token);
    check(
        &golden,
        challenge.0,
        &records.challenge,
        challenge.1,
        decode_challenge,
    );
    check(
        &golden,
        refusal.0,
        &records.refusal,
        refusal.1,
        decode_refusal,
    );
    check(&golden, holiday.0, &records.holiday, holiday.1, from_item);
    check(&golden, period.0, &records.period, period.1, from_item);
    check(&golden, shift.0, &records.shift, shift.1, from_item);
    check(
        &golden,
        assignment.0,
        &records.assignment,
        assignment.1,
        from_item,
    );
    check(&golden, rules.0, &records.rules, rules.1, from_item);
    check(&golden, request.0, &records.request, request.1, from_item);
    check(
        &golden,
        corrected.0,
        &records.corrected_punch,
        corrected.1,
        from_item,
    );
}
