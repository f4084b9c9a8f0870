//! Chapter "Replication scorecard": every claim of the paper with the paper's value, ours, the
//! tolerance and the verdict, merged from the findings of the chapters that ran.

use serde::Serialize;

use crate::claims::{ClaimRow, Finding, Sweep, Tally, scorecard, tally};

/// The scorecard is built from the other chapters' findings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    pub findings: Vec<Finding>,
    /// The ids of the chapters computed in this build: a claim of any other chapter is "not
    /// computed in this build", not failing.
    pub computed: Vec<String>,
    /// The seed sweep the build ran: how many seeds each claim held for.
    pub sweep: Option<Sweep>,
}

/// The merged ledger and its counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub rows: Vec<ClaimRow>,
    pub tally: Tally,
    pub sweep: Option<Sweep>,
}

/// Merge the findings into the registry.
pub fn compute(params: &Params) -> Output {
    let computed: Vec<&str> = params.computed.iter().map(String::as_str).collect();
    let rows = scorecard(&params.findings, &computed);
    Output {
        tally: tally(&rows),
        rows,
        sweep: params.sweep.clone(),
    }
}
