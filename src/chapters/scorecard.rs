//! Chapter "Replication scorecard": every claim of the paper with the paper's value, ours, the
//! tolerance and the verdict, merged from the findings of the chapters that ran.

use serde::Serialize;

use crate::claims::{ClaimRow, Finding, Tally, scorecard, tally};

/// The scorecard is built from the other chapters' findings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    pub findings: Vec<Finding>,
}

/// The merged ledger and its counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub rows: Vec<ClaimRow>,
    pub tally: Tally,
}

/// Merge the findings into the registry.
pub fn compute(params: &Params) -> Output {
    let rows = scorecard(&params.findings);
    Output {
        tally: tally(&rows),
        rows,
    }
}
