//! LINTAS core: the domain rules, the ports they need (stores, photos, clock) and the use
//! cases over them. Nothing here knows about HTTP, Lambda, SQL, AWS or the inference runtime;
//! the face engine is seen through [`lintas_face::FaceAnalyzer`].

pub mod app;
pub mod domain;
pub mod ports;
