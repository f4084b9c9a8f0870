//! Chapter "Reproducibility appendix": how this build was made — crate and compiler versions,
//! the git revision and whether the tree had uncommitted changes, every chapter's seed, and how
//! the crate's own tanh compares with this platform's. The facts are gathered by the compute
//! stage (they are about the build, not about the paper); this module only shapes them.
//!
//! Timings are deliberately not here: they differ between two builds, and the book must be
//! byte-identical for one seed and one source tree. The build prints them and writes them to
//! `.items-or-relations/timings.json` beside the book.

use serde::Serialize;

use crate::tanh::{Accuracy, PlatformDistance, accuracy, distance_to_platform};

/// One chapter's seed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChapterRecord {
    pub chapter: String,
    pub title: String,
    pub seed: Option<u64>,
}

/// What the build knows about itself.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    pub crate_version: String,
    pub rustc: String,
    pub git_revision: Option<String>,
    pub git_dirty: Option<bool>,
    pub quick: bool,
    pub seed_override: Option<u64>,
    pub chapters: Vec<ChapterRecord>,
}

/// The appendix's content.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    #[serde(flatten)]
    pub build: Params,
    pub platform: String,
    pub threads: usize,
    /// The crate's tanh against this platform's `f64::tanh`, and both against correctly
    /// rounded reference values.
    pub tanh_vs_platform: PlatformDistance,
    pub tanh_accuracy: Accuracy,
    pub platform_tanh_accuracy: Accuracy,
}

/// Shape the build facts for the page.
pub fn compute(params: &Params) -> Output {
    // The platform's tanh on purpose: the appendix reports how accurate this machine's is.
    #[allow(clippy::disallowed_methods)]
    Output {
        platform: format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS),
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        tanh_vs_platform: distance_to_platform(),
        tanh_accuracy: accuracy(crate::tanh::tanh),
        platform_tanh_accuracy: accuracy(f64::tanh),
        build: params.clone(),
    }
}
