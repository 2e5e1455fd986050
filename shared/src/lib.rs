//! LINTAS core: the face engine and the rules shared by every LINTAS function.
//!
//! Nothing here knows about Lambda or AWS: adapters live at the edges and are wired in
//! each binary's `main`.

pub mod adapters;
pub mod api;
pub mod app;
pub mod domain;
pub mod face;
pub mod ports;
pub mod settings;
