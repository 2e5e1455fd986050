//! Enrolled face templates.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Id;
use lintas_face::embedding::Embedding;
use lintas_face::quality::QualityReport;

/// One enrolled face of an employee.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaceTemplate {
    /// Template id.
    pub id: Id,
    /// Whose face it is.
    pub employee_id: Id,
    /// The embedding, with its model id.
    pub embedding: Embedding,
    /// Quality of the enrolled photo.
    pub quality: QualityReport,
    /// Photo store key of the enrolled photo.
    pub photo_key: String,
    /// When it was enrolled.
    pub created_at: DateTime<Utc>,
}
