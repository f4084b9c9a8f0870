//! Chapter "Introduction": what the book is, how to read, rebuild and verify it. Its only
//! computed content is the census of chapters and claims, so the text never goes stale.

use serde::Serialize;

use super::ChapterMeta;
use crate::claims::{REGISTRY, Verdict};

/// What the introduction counts: the book's chapters, in reading order (the compute stage
/// passes its registry).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Params {
    pub chapters: Vec<ChapterMeta>,
}

/// The census the introduction reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub chapters: Vec<ChapterMeta>,
    pub claims_total: usize,
    pub claims_reached: usize,
    pub crate_version: String,
}

/// Count chapters and claims.
pub fn compute(params: &Params) -> Output {
    Output {
        chapters: params.chapters.clone(),
        claims_total: REGISTRY.len(),
        claims_reached: REGISTRY
            .iter()
            .filter(|c| c.expected != Verdict::Pending)
            .count(),
        crate_version: env!("CARGO_PKG_VERSION").to_string(),
    }
}
