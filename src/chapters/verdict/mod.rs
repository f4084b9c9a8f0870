//! Chapter "Items or relations? The verdict" (the paper's §4, answered): the paper's headline
//! conclusion as a claim of the ledger (H1), judged by the numbers the earlier chapters
//! computed, every qualification quantified; and the same numbers for the introduction's
//! "What this edition found".
//!
//! A summary chapter: it reads the typed outputs of the linear, nonlinear, ARC and (when
//! built) beyond chapters, and the findings of every chapter. It computes nothing new about
//! networks: each number here is one the chapters computed, gathered and compared.

use serde::Serialize;

use crate::chapters::linear::{self};
use crate::chapters::nonlinear::{self};
use crate::chapters::{arc, beyond};
use crate::claims::{ClaimRow, Finding, Tally, Verdict, is_headline, scorecard, tally};
use crate::pattern::Pattern;

mod evidence;
pub use evidence::evidence;
use evidence::near;

/// What the verdict is drawn from.
#[derive(Clone, Copy, Debug, Default)]
pub struct Params<'a> {
    pub linear: Option<&'a linear::Output>,
    pub nonlinear: Option<&'a nonlinear::Output>,
    pub arc: Option<&'a arc::Output>,
    pub beyond: Option<&'a beyond::Output>,
    /// The findings of every chapter computed before (the paper's claims).
    pub findings: &'a [Finding],
    /// The ids of the chapters this build computed.
    pub computed: &'a [&'a str],
}

/// The numbers behind each sentence of the verdict, gathered from the chapters.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    // --- Linear networks (linear chapter).
    /// The patterns outside X′ in span X′: what every linear solution reproduces.
    pub span_xp: Vec<Pattern>,
    /// Largest loss at those patterns over every gradient-descent network trained on X′.
    pub span_loss_max: f64,
    /// How many networks that is.
    pub span_networks: usize,
    /// Patterns the paper's symmetry criterion admits beyond the span of X′, with the printed
    /// loss there and ours (smallest, largest over the initialisations).
    pub criterion_extra_xp: Vec<Pattern>,
    pub criterion_printed: f64,
    pub criterion_ours: (f64, f64),
    /// Distance from Σ-invariance of gradient-descent networks on X: largest from the
    /// invariant starts 0 and 1, largest from the random ones.
    pub linear_symmetric_defect: f64,
    pub linear_random_defect: f64,
    /// The most symmetry-broken gradient-descent network on X′: its distance from invariance
    /// and its largest loss on the span patterns.
    pub broken_defect: f64,
    pub broken_span_loss: f64,
    /// Fraction of SGD runs from N(0,1) (on X) whose plane is no attractor (|λ₃| ≥ 1).
    pub unstable_fraction: f64,
    /// Largest final training loss of the linear gradient-descent runs and of the Adam runs,
    /// and how many linear runs there are.
    pub linear_gd_loss_max: f64,
    pub linear_adam_loss_max: f64,
    pub linear_runs: usize,
    /// Smallest final training loss of any nonlinear network: never zero.
    pub nonlinear_loss_min: f64,
    // --- Nonlinear networks (nonlinear chapter).
    /// Distance from invariance: largest from 0 and 1 with full batches, largest from random
    /// starts.
    pub nonlinear_symmetric_defect: f64,
    pub nonlinear_random_defect: f64,
    /// The paper's own tanh network: L(110) − L(101) in Table 1, and what rounding allows.
    pub tanh_swap_gap: f64,
    pub rounding_gap: f64,
    /// Sigmoid networks on X′: L(000) (largest deviation from ¼) and the smallest L(011).
    pub sigmoid_000_deviation: f64,
    pub sigmoid_011_min: f64,
    /// Tanh networks on X′: largest L(000) and L(011).
    pub tanh_000_max: f64,
    pub tanh_011_max: f64,
    /// The sigmoid network of Table 1: its attractors and their basins.
    pub sigmoid_attractors: Vec<Vec<f64>>,
    pub sigmoid_basins: Vec<usize>,
    /// The tanh network of Table 1: its attractor, its basin, the grid starts, and how many of
    /// its fixed points at the training items are saddles.
    pub tanh_attractor: Vec<f64>,
    pub tanh_basin: usize,
    pub starts: usize,
    pub tanh_item_saddles: usize,
    /// The same on X (the nonlinear chapter's survey there): networks per activation, sigmoid
    /// networks whose two items are attractors, tanh networks whose fixed points next to both
    /// items are saddles, and the patterns nearest to the tanh attractors that collect starts.
    pub x_networks: usize,
    pub x_sigmoid_memories: usize,
    pub x_tanh_item_saddles: usize,
    pub x_tanh_attractors: Vec<Pattern>,
    // --- ARC (arc chapter).
    pub arc_test: Pattern,
    pub arc_answer: Pattern,
    /// What the networks' outputs at the test item round to, and their smallest loss against
    /// the rule's answer.
    pub arc_nearest: Vec<Pattern>,
    pub arc_answer_loss_min: f64,
    /// The smallest gap |φ_W(s·t) − s·φ_W(t)| among the invariant networks: the rule held as
    /// equivariance.
    pub arc_invariant_gap: f64,
    // --- Regularisation (beyond chapter, when built).
    pub regularisation: Option<Regularisation>,
}

/// D2 in two numbers per activation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Regularisation {
    /// Best span-loss ratio (penalised / unpenalised) over the paper's penalties.
    pub tanh_best_ratio: f64,
    pub sigmoid_best_ratio: f64,
    /// The ½-centred activity penalty the paper proposes for the sigmoid, at its best λ.
    pub sigmoid_half_ratio: Option<f64>,
    /// The paper's statement ("regularisation improves generalisation if the activation admits
    /// a linear regime"), judged as D2 judges it: supported when some paper penalty cuts the
    /// tanh span loss by more than [`beyond::IMPROVEMENT`] and none does so for the sigmoid.
    pub verdict: Verdict,
}

/// The parts of H1 and how each fared.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Part {
    pub id: &'static str,
    pub verdict: Verdict,
}

/// The chapter's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    /// Chapters the verdict needs that this build left out (then there is no evidence).
    pub missing: Vec<&'static str>,
    pub evidence: Option<Evidence>,
    /// H1's parts: relations in the weights, linear generalisation, nonlinear items.
    pub parts: Vec<Part>,
    /// The H1 row of the ledger (verdict `not computed in this build` without evidence).
    pub h1: ClaimRow,
    /// The paper's claims (H1 left out): how many, and per verdict.
    pub paper_claims: usize,
    pub tally: Tally,
    /// The errata: how many, how many major, per kind.
    pub errata: usize,
    pub errata_major: usize,
    pub errata_by_kind: Vec<(&'static str, usize)>,
    pub editorial: usize,
    pub findings: Vec<Finding>,
}

/// The chapters H1 needs.
pub const NEEDS: [&str; 3] = ["linear", "nonlinear", "arc"];

/// The three parts of H1, judged: is each supported as stated, only with a restriction, or
/// not at all?
pub fn parts(e: &Evidence) -> Vec<Part> {
    // Relations in the weights: supported if training makes W invariant from every start.
    let relations = if e.linear_random_defect < 1e-6 && e.nonlinear_random_defect < 1e-6 {
        Verdict::Supported
    } else if e.linear_symmetric_defect < 1e-9 && e.nonlinear_symmetric_defect < 1e-9 {
        Verdict::Qualified
    } else {
        Verdict::NotSupported
    };
    // Linear generalisation to the symmetry-consistent items: supported if the span and the
    // criterion agree; qualified if the network reproduces the span but the criterion admits
    // more; not supported if it does not reproduce even the span.
    let linear = if e.span_loss_max > 1e-9 || e.span_xp.is_empty() {
        Verdict::NotSupported
    } else if e.criterion_extra_xp.is_empty() {
        Verdict::Supported
    } else {
        Verdict::Qualified
    };
    // Nonlinear networks learn items: the sigmoid holds its items as attractors and fails
    // the span; tanh reproduces the span, and its only attractor is no item.
    let sigmoid_items = e.sigmoid_attractors.len() == 2
        && e.sigmoid_000_deviation < 1e-9
        && e.sigmoid_011_min > 0.05;
    let tanh_items = e.tanh_item_saddles == 0;
    let nonlinear = match (sigmoid_items, tanh_items) {
        (true, true) => Verdict::Supported,
        (false, false) => Verdict::NotSupported,
        _ => Verdict::Qualified,
    };
    vec![
        Part {
            id: "relations in the weights",
            verdict: relations,
        },
        Part {
            id: "linear networks generalise to the symmetry",
            verdict: linear,
        },
        Part {
            id: "nonlinear networks learn items",
            verdict: nonlinear,
        },
    ]
}

/// H1: the headline, judged from the evidence. Its verdict is `supported` when every part is,
/// `not supported` when none is, `qualified` otherwise; `holds` when every number behind the
/// verdict's sentences was computed and is what the sentences say.
pub fn h1(e: &Evidence) -> Finding {
    let ps = parts(e);
    let verdict = if ps.iter().all(|p| p.verdict == Verdict::Supported) {
        Verdict::Supported
    } else if ps.iter().all(|p| p.verdict == Verdict::NotSupported) {
        Verdict::NotSupported
    } else {
        Verdict::Qualified
    };
    let fx = |x: f64, d: usize| crate::fmt::fixed(x, d);
    let sc = |x: f64| crate::fmt::sci(x, 1);
    let pats = |v: &[Pattern]| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ours = format!(
        "relations in the weights: {} (distance from Σ-invariance {} from the starts 0 and 1, up to {} from random starts; the paper's own tanh network has L(110) − L(101) = {}); linear generalisation: {} (every linear network reproduces span X′ ∖ X′ = {} with loss ≤ {} over {} networks, but the paper's criterion also admits {}, loss {} in the paper and {}–{} in ours; a network {} from invariance reproduces the span with loss {}); nonlinear items: {} (sigmoid: {} attractors at its items, L(000) = ¼, L(011) ≥ {}; tanh: L(000) {}, L(011) ≤ {}, its {} fixed points at the items are saddles and its attractor ({}) collects {} of {} starts; trained on X, the sigmoid's items are attractors in {} of {} networks, tanh's are saddles in {} of {}, its attractors near {}); ARC: no network answers (loss against {} ≥ {})",
        ps[0].verdict.as_str(),
        sc(e.linear_symmetric_defect.max(e.nonlinear_symmetric_defect)),
        fx(e.linear_random_defect, 2),
        fx(e.tanh_swap_gap, 4),
        ps[1].verdict.as_str(),
        pats(&e.span_xp),
        sc(e.span_loss_max),
        e.span_networks,
        pats(&e.criterion_extra_xp),
        fx(e.criterion_printed, 4),
        fx(e.criterion_ours.0, 4),
        fx(e.criterion_ours.1, 4),
        fx(e.broken_defect, 2),
        sc(e.broken_span_loss),
        ps[2].verdict.as_str(),
        e.sigmoid_attractors.len(),
        fx(e.sigmoid_011_min, 3),
        if e.tanh_000_max == 0.0 {
            "= 0".to_string()
        } else {
            format!("≤ {}", sc(e.tanh_000_max))
        },
        sc(e.tanh_011_max),
        e.tanh_item_saddles,
        e.tanh_attractor
            .iter()
            .map(|v| fx(*v, 2))
            .collect::<Vec<_>>()
            .join(", "),
        e.tanh_basin,
        e.starts,
        e.x_sigmoid_memories,
        e.x_networks,
        e.x_tanh_item_saddles,
        e.x_networks,
        pats(&e.x_tanh_attractors),
        e.arc_answer,
        fx(e.arc_answer_loss_min, 3),
    );
    let holds = e.span_loss_max < 1e-12
        && !e.criterion_extra_xp.is_empty()
        && e.criterion_ours.0 > 0.01
        && e.criterion_printed > 0.01
        && e.linear_symmetric_defect < 1e-9
        && e.linear_random_defect > 0.1
        && e.broken_defect > 0.1
        && e.broken_span_loss < 1e-12
        && e.nonlinear_symmetric_defect < 1e-9
        && e.nonlinear_random_defect > 0.01
        && e.tanh_swap_gap.abs() > 10.0 * e.rounding_gap
        && e.sigmoid_000_deviation < 1e-9
        && e.sigmoid_011_min > 0.05
        && e.sigmoid_attractors.len() == 2
        && e.tanh_000_max < 1e-3
        && e.tanh_011_max < 1e-3
        && near(&e.tanh_attractor, [0.0, 1.0, 1.0], 0.1)
        && e.tanh_item_saddles == 2
        && e.x_networks > 0
        && e.x_sigmoid_memories == e.x_networks
        && 2 * e.x_tanh_item_saddles > e.x_networks
        && e.x_tanh_attractors.iter().any(|p| p.bits() == [1, 1, 1])
        && e.arc_answer_loss_min > 0.1;
    Finding {
        id: "H1".into(),
        ours,
        tolerance: Some("solved / reproduced: loss below 10⁻¹²; fails: loss above 0.01; invariant: distance below 10⁻⁹; broken: above 0.1".into()),
        verdict,
        reason: Some("The weights carry Σ only when the start and the procedure do; what a linear network generalises to is the span of its items, a linear relation that contains the symmetry's consequences but is not them; the sigmoid learns items, but tanh, which reproduces the span, holds as its only attractor a pattern it never saw.".into()),
        holds,
    }
}

/// Run the chapter.
pub fn compute(p: &Params) -> Output {
    let missing: Vec<&'static str> = NEEDS
        .iter()
        .copied()
        .filter(|c| !p.computed.contains(c))
        .collect();
    let evidence = match (p.linear, p.nonlinear, p.arc) {
        (Some(l), Some(n), Some(a)) => Some(evidence(l, n, a, p.beyond)),
        _ => None,
    };
    let findings: Vec<Finding> = evidence.iter().map(h1).collect();
    let parts = evidence.as_ref().map(parts).unwrap_or_default();
    let mut all: Vec<Finding> = p.findings.to_vec();
    all.extend(findings.iter().cloned());
    let mut computed: Vec<&str> = p.computed.to_vec();
    computed.push("verdict");
    let rows = scorecard(&all, &computed);
    let paper_rows: Vec<ClaimRow> = rows
        .iter()
        .filter(|r| !is_headline(&r.id))
        .cloned()
        .collect();
    let h1 = rows
        .iter()
        .find(|r| r.id == "H1")
        .cloned()
        .unwrap_or_else(unreachable_h1);
    let errata = crate::errata::ERRATA;
    let by_kind = crate::errata::Kind::ALL
        .iter()
        .map(|k| (k.label(), errata.iter().filter(|e| e.kind == *k).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    Output {
        missing,
        evidence,
        parts,
        h1,
        paper_claims: paper_rows.len(),
        tally: tally(&paper_rows),
        errata: errata.len(),
        errata_major: errata
            .iter()
            .filter(|e| e.severity == crate::errata::Severity::Major)
            .count(),
        errata_by_kind: by_kind,
        editorial: crate::errata::EDITORIAL.len(),
        findings,
    }
}

/// The H1 row when the registry lost it: never in a build (a test checks the registry).
fn unreachable_h1() -> ClaimRow {
    ClaimRow {
        id: "H1".into(),
        chapter: "verdict".into(),
        statement: String::new(),
        verdict: Verdict::Failing,
        paper: None,
        ours: None,
        tolerance: None,
        reason: Some("H1 is missing from the claims registry.".into()),
        test: None,
        found: None,
        ok: false,
        fit: None,
    }
}
