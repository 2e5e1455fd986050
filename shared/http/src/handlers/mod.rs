//! The HTTP handlers, grouped by resource; each one parses, calls one use case, answers.

pub(crate) mod attendance;
pub(crate) mod auth;
pub(crate) mod console;
pub(crate) mod employees;
pub(crate) mod faces;
pub(crate) mod meta;
pub(crate) mod reports;
pub(crate) mod requests;
pub(crate) mod rules;

use serde::Serialize;

use lintas_core::ports::Page;

/// A page of a list as the API returns it.
#[derive(Serialize)]
pub(crate) struct Listing<T> {
    /// The items.
    pub items: Vec<T>,
    /// Cursor of the next page; absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl<T> From<Page<T>> for Listing<T> {
    fn from(page: Page<T>) -> Self {
        Self {
            items: page.items,
            next: page.next,
        }
    }
}
