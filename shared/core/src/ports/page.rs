//! Pagination: every list is read in pages with an opaque cursor.

/// Which page to read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageRequest {
    /// Most items wanted (adapters cap it at [`PageRequest::MAX_LIMIT`]; 0 means the default).
    pub limit: u32,
    /// Cursor from the previous page's `next`, or `None` for the first page.
    pub cursor: Option<String>,
}

impl PageRequest {
    /// Largest page any adapter returns.
    pub const MAX_LIMIT: u32 = 1000;
    /// Page size when none is asked for.
    pub const DEFAULT_LIMIT: u32 = 100;

    /// The first page of at most `limit` items.
    pub fn first(limit: u32) -> Self {
        Self {
            limit,
            cursor: None,
        }
    }

    /// The limit in force.
    pub fn effective_limit(&self) -> u32 {
        match self.limit {
            0 => Self::DEFAULT_LIMIT,
            limit => limit.min(Self::MAX_LIMIT),
        }
    }
}

/// One page of results.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Cursor of the next page, `None` on the last one.
    pub next: Option<String>,
}
