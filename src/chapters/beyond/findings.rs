//! "Beyond the paper", the verdicts on D1 and D2 from the computed [`Output`], and the
//! thresholds that give the claims their meaning.

use super::{BestGain, GroupStudy, Output, RegSweep};
use crate::claims::{Finding, Verdict};
use crate::maths::penalty::Penalty;

/// A penalty "improves generalisation" when it at least halves the mean span loss at some λ: a
/// change in kind, not in degree. The seed-to-seed spread of the span loss is nil (the
/// penalised optimum of the columns the items reach is unique; the seeds differ only in the
/// column no item reaches), so the factor is not a noise margin but the claim's meaning.
pub const IMPROVEMENT: f64 = 0.5;

/// The losses on 0…0 and Σx "do not improve" when they stay above this fraction of λ = 0's.
pub const BINARY_UNCHANGED: f64 = 0.9;

/// D1: the average of n gradient-descent solutions is P + W̄₀(I − P), an unbiased estimate of
/// the Σ-invariant P whose entries scatter with standard errors σ/√n. Five standard errors, as
/// for L7: the chance that one entry of the average strays further by chance is 6e-7, and
/// below 1e-4 for all entries of the four sets together; an average that did not tend to P
/// (a biased or non-invariant procedure) misses it by many standard errors.
pub const STANDARD_ERRORS: f64 = 5.0;

/// Rounding in the entries of an average of matrices of order 1.
const ROUNDING: f64 = 1e-12;

/// D1: two runs within r of the solution family (r the set's largest distance from it) are
/// distinct members only if they differ by more than 2r: below that they may be one member,
/// reached twice to within r.
fn resolution(g: &GroupStudy) -> f64 {
    2.0 * g.max_family_distance
}

pub(super) fn findings(out: &Output) -> Vec<Finding> {
    vec![d1_families(out), d2_regularisation(out)]
}

/// D1: solutions depend on the start and the algorithm and form a family; only the average
/// over starts is Σ-invariant.
fn d1_families(out: &Output) -> Finding {
    let gs = &out.groups;
    // Solving the task at the paper's precision: a training loss that prints as 0.0000.
    let solved = gs
        .iter()
        .all(|g| g.max_loss < crate::paper::rounding_tolerance());
    let infinite = gs.iter().all(|g| g.family_dimension > 0);
    let differ = gs.iter().all(|g| g.spread > resolution(g));
    let algorithm = gs.iter().any(|g| g.gd_vs_adam > resolution(g));
    let same_as_gd: Vec<&str> = gs
        .iter()
        .filter(|g| g.gd_vs_adam <= resolution(g))
        .map(|g| g.name.as_str())
        .collect();
    let averages = gs.iter().all(|g| {
        g.mean_distance_from_projector <= STANDARD_ERRORS * g.max_standard_error + ROUNDING
    });
    let standard_errors = |g: &GroupStudy| g.mean_distance_from_projector / g.max_standard_error;
    let kinds: Vec<String> = gs
        .iter()
        .map(|g| format!("{} (N = {}, {})", g.kind, g.n, g.name))
        .collect();
    Finding {
        id: "D1".into(),
        ours: format!(
            "on {} training sets ({}): every run solves the task (loss ≤ {:.0e}, ≤ {:.0e} from the family), runs differ by {:.2}–{:.2} (mean pair distance), gradient descent and Adam from the same start by {:.2}–{:.2} (Adam lands on gradient descent's solution for: {}); families of dimension {}; the average over {} seeds is {:.0}–{:.0}× closer to invariance than one run, and within {:.1} standard errors of the invariant projector P",
            gs.len(),
            kinds.join("; "),
            gs.iter().map(|g| g.max_loss).fold(0.0, f64::max).max(1e-300),
            gs.iter().map(|g| g.max_family_distance).fold(0.0, f64::max).max(1e-300),
            gs.iter().map(|g| g.spread).fold(f64::INFINITY, f64::min),
            gs.iter().map(|g| g.spread).fold(0.0, f64::max),
            gs.iter().map(|g| g.gd_vs_adam).fold(f64::INFINITY, f64::min),
            gs.iter().map(|g| g.gd_vs_adam).fold(0.0, f64::max),
            if same_as_gd.is_empty() { "none".to_string() } else { same_as_gd.join(", ") },
            gs.iter().map(|g| g.family_dimension.to_string()).collect::<Vec<_>>().join(", "),
            out.params.group_seeds,
            gs.iter().map(ratio_last).fold(f64::INFINITY, f64::min),
            gs.iter().map(ratio_last).fold(0.0, f64::max),
            gs.iter().map(standard_errors).fold(0.0, f64::max),
        ),
        tolerance: Some(format!(
            "solved: loss prints as 0.0000 (< {:.0e}); differ: by more than twice the largest distance from the family on the set (then the runs are different members); invariant on average: the mean within {STANDARD_ERRORS} standard errors of P",
            crate::paper::rounding_tolerance()
        )),
        verdict: Verdict::Reproduced,
        reason: Some("Holds for linear networks on every set with rank X < N: gradient descent lands on P + W₀(I − P), so the solution is chosen by the start, Adam picks another member (except where every coordinate of a row sees the same gradient, as for one item or disjoint items of equal weight), and only the average over starts is Σ-invariant. With rank X = N the family is the single point W = I.".into()),
        holds: solved && infinite && differ && algorithm && averages,
    }
}

/// D2: regularisation lowers the span loss for tanh, not for the sigmoid.
fn d2_regularisation(out: &Output) -> Finding {
    // D2: the claim is about the paper's three penalties; the ½-centred one is reported apart.
    let paper =
        |s: &RegSweep| -> Vec<BestGain> { s.best.iter().filter(|b| b.paper).cloned().collect() };
    let (tanh_best, sigmoid_best) = (paper(&out.tanh), paper(&out.sigmoid));
    let helps = |s: &[BestGain]| s.iter().all(|b| b.span_ratio < 1.0 - IMPROVEMENT);
    let helps_any = |s: &[BestGain]| {
        s.iter().any(|b| b.span_ratio < 1.0 - IMPROVEMENT)
            || s.iter().any(|b| b.binary_ratio < BINARY_UNCHANGED)
    };
    let describe = |s: &[BestGain]| {
        s.iter()
            .map(|b| {
                format!(
                    "{} {:.0}% at λ = {:.0e} (train loss {:.1e})",
                    b.penalty.label(),
                    (100.0 * (1.0 - b.span_ratio)).max(0.0),
                    b.lambda,
                    b.train
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let binary = |s: &[BestGain]| {
        s.iter()
            .map(|b| b.binary_ratio)
            .fold(f64::INFINITY, f64::min)
    };
    let tanh_helps = helps(&tanh_best);
    let sigmoid_helps = helps_any(&sigmoid_best);
    let half = out
        .sigmoid
        .best
        .iter()
        .find(|b| b.penalty == Penalty::HalfRate)
        .map_or(String::new(), |b| {
            format!(
                "; the ½-centred activity penalty the paper proposes for the sigmoid: span loss {:+.0}% at λ = {:.0e}, 000/011 loss ×{:.2}",
                -100.0 * (1.0 - b.span_ratio),
                b.lambda,
                b.binary_ratio
            )
        });
    let verdict = if tanh_helps && !sigmoid_helps {
        Verdict::Reproduced
    } else {
        Verdict::Differs
    };
    Finding {
        id: "D2".into(),
        ours: format!(
            "span-point loss reduction at the best λ, tanh: {}; sigmoid: {}; loss on 000 and 011 at best ×{:.2} (tanh), ×{:.2} (sigmoid; σ(0) = 1/2 fixes the 000 loss at {:.2} for every W){}",
            describe(&tanh_best),
            describe(&sigmoid_best),
            binary(&tanh_best),
            binary(&sigmoid_best),
            out.sigmoid_zero_loss,
            half,
        ),
        tolerance: Some(format!(
            "improves: mean span loss over {} seeds falls by more than {:.0}% at some λ (every penalty, tanh); not: no penalty does so and the 000/011 loss stays above {:.0}% of λ = 0's (sigmoid)",
            out.params.seeds,
            100.0 * IMPROVEMENT,
            100.0 * BINARY_UNCHANGED
        )),
        verdict,
        reason: Some(if verdict == Verdict::Reproduced {
            "Penalties keep tanh weights finite, so span points are no longer pushed to saturation: the network is pulled toward its linear regime, at the price of a larger training loss. For the sigmoid, L1/L2 trim the span loss only modestly and the firing-rate penalty not at all, and nothing touches what it gets wrong: σ(0) = 1/2 fixes the 000 loss, 011 stays. 000 and 011 are not tanh's gain: it reproduces them without penalty, and penalties make 011 slightly worse.".into()
        } else {
            "The sign of the effect is not what the paper argues for every penalty; see the sweep."
                .into()
        }),
        holds: verdict == Verdict::Reproduced,
    }
}

fn ratio_last(g: &GroupStudy) -> f64 {
    g.defect_of_mean
        .last()
        .map_or(0.0, |(_, d)| g.defect_per_seed / d.max(1e-300))
}
