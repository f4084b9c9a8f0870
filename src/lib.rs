//! # Items or Relations, an executable edition
//!
//! Krause & Reimann (2024) train tiny auto-associative networks `y = φ(Wx)` on binary patterns
//! and ask whether they learn the items or the relations between them (the symmetry group of
//! the training set). This crate is the whole argument as code:
//!
//! - the maths core in [`maths`], general in the pattern length N and the training set
//!   ([`pattern`], [`perm`], [`group`], [`network`], [`train`], [`dynamics`], …);
//! - one module per chapter of the book in [`chapters`], each `Params` → `compute` → `Output`;
//! - the claims ledger in [`claims`];
//! - behind the `book` feature, the rendering stage that turns outputs into an mdBook.

pub mod analyze;
pub mod errata;
pub mod error;
pub mod fmt;
pub mod maths;
pub mod paper;
pub mod report;
pub mod seeds;

// The maths modules at their old paths, so notebooks, tests and `crate::group::…` keep working.
pub use maths::{dynamics, fast, group, inference, linear, network, pattern, perm, tanh, train};

pub use error::{Error, Result};
pub use nalgebra;
pub use serde_json;
pub mod chapters;
pub mod claims;
pub mod compute;
pub mod display;
pub mod plots;
#[cfg(feature = "book")]
pub mod render;
