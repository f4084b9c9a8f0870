//! The integration tests, one test binary (as mdBook's `tests/testsuite/`): each module was a
//! file of its own under `tests/`, and keeps its name, so a test's path is
//! `module::function` (e.g. `prelude_claims::p3_compatible_iff_invariant`), the name the claims
//! ledger stores. One binary links the crate once instead of once per file.
//!
//! Run one module with `cargo test --release --test testsuite prelude_claims::`.

// The platform's transcendental functions are independent references in these tests
// (clippy.toml refuses them in the crate's own code, for platform-independent output).
#![allow(clippy::disallowed_methods)]

#[macro_use]
mod common;

mod analyze_cli;
mod arc_claims;
mod atlas;
mod beyond_claims;
mod book_pipeline;
mod errata;
mod every_set;
mod fast_train;
mod figures;
mod linear_claims;
mod maths_group;
mod maths_network;
mod nonlinear_claims;
mod notebooks;
mod output_folder;
mod prelude_claims;
mod report;
mod tanh;
mod verdict_claims;
