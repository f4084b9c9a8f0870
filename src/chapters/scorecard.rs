//! Chapter "Replication scorecard": every claim of the paper with the paper's value, ours, the
//! tolerance and the verdict, merged from the findings of the chapters that ran.

use serde::Serialize;

use crate::claims::{
    ClaimRow, Finding, REVISIONS, Sweep, Tally, Verdict, is_headline, scorecard, tally,
};

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

/// A verdict this edition revised, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Revision {
    pub id: &'static str,
    pub before: Verdict,
    pub now: Verdict,
    pub why: &'static str,
}

/// The merged ledger and its counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub rows: Vec<ClaimRow>,
    /// Counts over the paper's claims (the headline H1 left out) and over all rows.
    pub tally: Tally,
    pub paper_claims: usize,
    pub revisions: Vec<Revision>,
    pub sweep: Option<Sweep>,
}

/// Merge the findings into the registry.
pub fn compute(params: &Params) -> Output {
    let computed: Vec<&str> = params.computed.iter().map(String::as_str).collect();
    let rows = scorecard(&params.findings, &computed);
    let paper: Vec<ClaimRow> = rows
        .iter()
        .filter(|r| !is_headline(&r.id))
        .cloned()
        .collect();
    Output {
        tally: tally(&paper),
        paper_claims: paper.len(),
        rows,
        revisions: REVISIONS
            .iter()
            .map(|&(id, before, now, why)| Revision {
                id,
                before,
                now,
                why,
            })
            .collect(),
        sweep: params.sweep.clone(),
    }
}
