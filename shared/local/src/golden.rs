//! The stored formats of the SQLite store against the golden rows in
//! `tests/fixtures/stored/sqlite.json`: each record type's `data` column must decode to the
//! golden record and encode back to exactly the stored JSON, so renaming a domain field
//! cannot silently turn stored data into `Corrupt`. `LINTAS_BLESS=1` rewrites the file after
//! a deliberate format change (which needs a migration of stored data).

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::sqlite::{from_json, to_json};
use lintas_core::ports::conformance::golden_records;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/stored/sqlite.json"
);

/// The `data` column the store writes for `record`.
fn row<T: Serialize>(record: &T) -> Value {
    serde_json::from_str(&to_json(record).unwrap()).unwrap()
}

/// The golden row `name` decodes to `record`, and `record` encodes to it.
fn check<T>(golden: &Map<String, Value>, name: &str, record: &T)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let stored = golden
        .get(name)
        .unwrap_or_else(|| panic!("{name} has no golden row: run with LINTAS_BLESS=1"));
    let decoded: T = from_json(&stored.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        &decoded, record,
        "{name}: the stored row decodes to the record"
    );
    assert_eq!(
        &row(record),
        stored,
        "{name}: the record encodes to the stored row"
    );
}

#[test]
fn stored_rows_of_every_record_type_keep_their_format() {
    let records = golden_records();
    if std::env::var_os("LINTAS_BLESS").is_some() {
        let rows: Map<String, Value> = [
            ("employee", row(&records.employee)),
            ("template", row(&records.template)),
            ("attendance", row(&records.punch)),
            ("office", row(&records.office)),
            ("enrollment", row(&records.job)),
            ("audit", row(&records.audit)),
            ("challenge", row(&records.challenge)),
            ("refusal", row(&records.refusal)),
            ("holiday", row(&records.holiday)),
            ("special_period", row(&records.period)),
            ("shift", row(&records.shift)),
            ("roster_entry", row(&records.assignment)),
            ("attendance_rules", row(&records.rules)),
            ("request", row(&records.request)),
            ("corrected_attendance", row(&records.corrected_punch)),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
        let text = serde_json::to_string_pretty(&Value::Object(rows)).unwrap();
        std::fs::write(FIXTURE, text + "\n").unwrap();
    }
    let text = std::fs::read_to_string(FIXTURE).unwrap_or_else(|e| panic!("{FIXTURE}: {e}"));
    let golden: Map<String, Value> = serde_json::from_str(&text).unwrap();
    check(&golden, "employee", &records.employee);
    check(&golden, "template", &records.template);
    check(&golden, "attendance", &records.punch);
    check(&golden, "office", &records.office);
    check(&golden, "enrollment", &records.job);
    check(&golden, "audit", &records.audit);
    check(&golden, "challenge", &records.challenge);
    check(&golden, "refusal", &records.refusal);
    check(&golden, "holiday", &records.holiday);
    check(&golden, "special_period", &records.period);
    check(&golden, "shift", &records.shift);
    check(&golden, "roster_entry", &records.assignment);
    check(&golden, "attendance_rules", &records.rules);
    check(&golden, "request", &records.request);
    check(&golden, "corrected_attendance", &records.corrected_punch);
    assert_eq!(golden.len(), 15, "every golden row is checked");
}
