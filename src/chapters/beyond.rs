//! Chapter "Beyond the paper": experiments the paper did not run. Claims D1, D2. (Being written.)

use serde::Serialize;

use crate::Result;
use crate::claims::Finding;

/// The settings of the chapter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    pub seed: u64,
}

impl Default for Params {
    fn default() -> Self {
        Params { seed: 2024 }
    }
}

impl Params {
    /// Fewer draws, same structure.
    pub fn quick() -> Self {
        Params::default()
    }
}

/// The chapter's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub params: Params,
    pub findings: Vec<Finding>,
}

/// Run the whole chapter.
pub fn compute(p: &Params) -> Result<Output> {
    Ok(Output { params: p.clone(), findings: Vec::new() })
}
