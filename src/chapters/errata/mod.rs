//! Chapter "Errata": the inconsistencies a line-by-line referee pass over the paper found,
//! each with its computed evidence (the registry is [`crate::errata`]), the editorial slips,
//! and the pass itself: every formula, printed matrix, parameter value, figure statement and
//! sentence-level claim with what checked it.
//!
//! A summary chapter: it reads the linear and nonlinear chapters' outputs (and the printed
//! numbers), computes one finding per erratum (ids `E1`, …), and merges them with the
//! registry as the scorecard merges the claims. In a build without those chapters the rows
//! that need them are "not computed in this build".

mod checks;
mod checks_nonlinear;
mod inits;

pub use inits::{ExampleFit, RandomExamples, random_examples};

use serde::Serialize;

use crate::chapters::{linear, nonlinear};
use crate::claims::{ClaimRow, Finding, merge};
use crate::errata::{Checked, EDITORIAL, ERRATA, Kind, PASS, Severity};

/// What the errata are checked against: the chapters' outputs, when the build computed them,
/// and the ids of every chapter the build computed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Params<'a> {
    pub linear: Option<&'a linear::Output>,
    pub nonlinear: Option<&'a nonlinear::Output>,
    pub computed: &'a [&'a str],
}

/// One row of the errata table: the registry's entry merged with its computed check.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ErratumRow {
    pub id: String,
    pub location: &'static str,
    pub kind: Kind,
    pub kind_label: &'static str,
    pub severity: Severity,
    /// What is printed (quoted).
    pub printed: &'static str,
    pub summary: &'static str,
    pub correct: &'static str,
    /// The check as the ledger merges it: verdict (`paper-typo`, `differs`, or `not-computed`
    /// / `failing`), evidence in `ours`, test.
    pub check: ClaimRow,
    /// Where the book shows it: chapter id and heading anchor.
    pub shown_in: ShownIn,
}

/// A place in the book.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShownIn {
    pub chapter: &'static str,
    pub anchor: &'static str,
}

/// One line of the referee's pass.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PassRow {
    pub location: &'static str,
    pub statement: &'static str,
    #[serde(flatten)]
    pub checked: Checked,
}

/// How many errata of one kind or severity, and which.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    pub label: &'static str,
    pub count: usize,
    pub ids: Vec<&'static str>,
}

fn group(label: &'static str, keep: impl Fn(&crate::errata::Erratum) -> bool) -> Group {
    let ids: Vec<&'static str> = ERRATA
        .iter()
        .filter(|e| keep(e))
        .map(|e| e.check.id)
        .collect();
    Group {
        label,
        count: ids.len(),
        ids,
    }
}

/// The chapter's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub rows: Vec<ErratumRow>,
    /// Errata per kind and per severity (kinds and severities without errata left out).
    pub by_kind: Vec<Group>,
    pub by_severity: Vec<Group>,
    /// Errata whose evidence this build computed (and that hold).
    pub confirmed: usize,
    /// (where, printed, should read).
    pub editorial: Vec<(&'static str, &'static str, &'static str)>,
    pub pass: Vec<PassRow>,
    /// Lines of the pass checked consistent, found inconsistent, editorial, not checkable.
    pub pass_consistent: usize,
    pub pass_errata: usize,
    pub pass_editorial: usize,
    pub pass_not_checkable: usize,
    /// E10's computation, when the linear chapter was computed.
    pub random_examples: Option<RandomExamples>,
    pub findings: Vec<Finding>,
}

/// The errata checks that can be computed from `p` (those whose chapters are there).
pub fn findings(p: &Params) -> (Vec<Finding>, Option<RandomExamples>) {
    let mut out = vec![checks::e2()];
    let mut examples = None;
    if let Some(lin) = p.linear {
        let ex = random_examples(
            &lin.x.normal,
            lin.averages.sgd_normal.max_entry_std,
            lin.averages.sgd_small_normal.max_entry_std,
            lin.printed_average_gap,
        );
        out.extend([
            checks::e1(lin),
            checks::e3(lin),
            checks::e4(lin),
            checks::e5(lin),
            checks::e6(lin),
            checks::e7(lin),
            checks::e8(lin),
            checks::e9(lin),
            checks::e10(&ex),
            checks::e11(lin),
            checks::e12(lin),
            checks_nonlinear::e20(lin),
        ]);
        examples = Some(ex);
    }
    if let Some(nl) = p.nonlinear {
        out.extend([
            checks_nonlinear::e13(nl),
            checks_nonlinear::e14(nl),
            checks_nonlinear::e15(nl),
            checks_nonlinear::e16(nl),
            checks_nonlinear::e17(nl),
            checks_nonlinear::e18(nl),
            checks_nonlinear::e19(nl),
            checks_nonlinear::e21(nl),
        ]);
    }
    // The registry's order.
    out.sort_by_key(|f| ERRATA.iter().position(|e| e.check.id == f.id));
    (out, examples)
}

/// The errata rows merged with the checks of `findings` (in registry order).
pub fn rows(findings: &[Finding], computed: &[&str]) -> Vec<ClaimRow> {
    // The errata chapter itself is always computed when its findings exist.
    let mut with_self: Vec<&str> = computed.to_vec();
    with_self.push("errata");
    merge(&crate::errata::checks(), findings, &with_self)
}

/// Run the chapter.
pub fn compute(p: &Params) -> Output {
    let (findings, random_examples) = findings(p);
    let merged = rows(&findings, p.computed);
    let rows: Vec<ErratumRow> = ERRATA
        .iter()
        .zip(merged)
        .map(|(e, check)| ErratumRow {
            id: e.check.id.to_string(),
            location: e.location,
            kind: e.kind,
            kind_label: e.kind.label(),
            severity: e.severity,
            printed: e.check.paper.unwrap_or(""),
            summary: e.check.statement,
            correct: e.correct,
            check,
            shown_in: ShownIn {
                chapter: e.shown_in.0,
                anchor: e.shown_in.1,
            },
        })
        .collect();
    let by_kind = Kind::ALL
        .iter()
        .map(|&k| group(k.label(), |e| e.kind == k))
        .filter(|g| g.count > 0)
        .collect();
    let by_severity = Severity::ALL
        .iter()
        .map(|&s| {
            let label = match s {
                Severity::Major => "major",
                Severity::Moderate => "moderate",
                Severity::Minor => "minor",
            };
            group(label, |e| e.severity == s)
        })
        .collect();
    let count = |f: fn(&Checked) -> bool| PASS.iter().filter(|(_, _, c)| f(c)).count();
    Output {
        confirmed: rows
            .iter()
            .filter(|r| r.check.ok && r.check.ours.is_some())
            .count(),
        rows,
        by_kind,
        by_severity,
        editorial: EDITORIAL.to_vec(),
        pass: PASS
            .iter()
            .map(|&(location, statement, checked)| PassRow {
                location,
                statement,
                checked,
            })
            .collect(),
        pass_consistent: count(|c| matches!(c, Checked::Claims(_))),
        pass_errata: count(|c| matches!(c, Checked::Errata(_))),
        pass_editorial: count(|c| matches!(c, Checked::Editorial)),
        pass_not_checkable: count(|c| matches!(c, Checked::NotCheckable(_))),
        random_examples,
        findings,
    }
}
