//! The verdicts on claims L1–L14, one function per claim. They only judge the chapter's
//! `Output`: every number they cite was computed, and every random draw made, in `compute`.

use super::Output;
use super::coordinates::SetId;
use super::flow::Table1Row;
use super::grid::{GD_LOSS_FLOOR, PaperInit, Run, SetupId};
use crate::claims::{Finding, Verdict};
use crate::paper;
use crate::train::Batching;

/// Largest training loss that still prints as 0.0000, as the paper's losses are printed.
fn printed_zero() -> f64 {
    paper::rounding_tolerance()
}

/// What "exactly" means for a gradient-descent run and for Σ-invariance (L5). Gradient descent
/// stops at loss [`GD_LOSS_FLOOR`] = 1e-30, which puts W within √(N m · 1e-30)/σ_min(X) =
/// 2.4e-15 of the solution set (N = 3, m = 2, σ_min = 1 on both sets); a Σ-symmetric run is
/// invariant in exact arithmetic, so its defect is rounding, at most about steps · u · ‖W‖_F ≈
/// 30 000 · 1.1e-16 · 3 ≈ 1e-11. 1e-9 is far above both, and far below the defect a random
/// init leaves: a continuous random variable of order 1 (|b − c| of the untrained column), so
/// the chance that one falls below 1e-9 is of order 1e-9.
const EXACT: f64 = 1e-9;

/// The verdicts, in claim order.
pub(super) fn findings(out: &Output) -> Vec<Finding> {
    vec![
        invariant_part(out),
        spectra(out),
        zero_loss(out),
        printed_matrices(out),
        family_membership(out),
        three_parameter_form(out),
        averages(out),
        never_identity(out),
        span_patterns(out),
        combinations(out),
        stability(out),
        trained_spectra(out),
        table1_column(out),
        flow(out),
    ]
}

/// L1: the solution set and its invariant part.
fn invariant_part(out: &Output) -> Finding {
    let m = &out.random_members;
    let dims = (
        out.x.solutions.dimension,
        out.x.solutions.invariant_dimension,
        out.x_prime.solutions.dimension,
        out.x_prime.solutions.invariant_dimension,
    );
    Finding {
        id: "L1".into(),
        ours: format!(
            "all solutions: W = I + w nᵀ, dimension {} on X and {} on X'; the Σ-invariant ones (b = c) have dimension {} and {}: exactly eq. 6",
            dims.0, dims.2, dims.1, dims.3
        ),
        tolerance: Some("members solve W x = x to 1e-12".into()),
        verdict: Verdict::Differs,
        reason: Some("Eq. 6 is the set of Σ-invariant solutions, not of all solutions: the full set has a third parameter (the form the paper finds for random inits, L6).".into()),
        holds: m.max_residual < 1e-12 && m.max_invariant_defect < 1e-12 && dims == (3, 2, 3, 2),
    }
}

/// L2: spectra.
fn spectra(out: &Output) -> Finding {
    let sx = &out.spectra.x;
    let sxp = &out.spectra.x_prime;
    Finding {
        id: "L2".into(),
        ours: format!(
            "{{1 − a + 2b, 1, 1}} for W_ab (max error {:.1e} over {} members; the printed 1 − a − 2b is off by up to {:.2}); {{a, 1, 1}} for W'_ab (max error {:.1e})",
            sx.corrected_error, sx.samples, sx.printed_error, sxp.corrected_error
        ),
        tolerance: Some("1e-9".into()),
        verdict: Verdict::PaperTypo,
        reason: Some("The third eigenvalue of W_ab is 1 − a + 2b (trace 3 − a + 2b minus the two unit eigenvalues), not 1 − a − 2b; W'_ab's spectrum is printed correctly.".into()),
        holds: sx.corrected_error < 1e-9 && sx.printed_error > 0.1 && sxp.corrected_error < 1e-9 && sx.unit_error < 1e-6,
    }
}

/// L3: every run reaches training loss 0 (as printed to four decimals).
fn zero_loss(out: &Output) -> Finding {
    let worst = |pred: &dyn Fn(&Run) -> bool| {
        out.runs
            .iter()
            .filter(|r| pred(r))
            .map(|r| r.final_loss)
            .fold(0.0, f64::max)
    };
    let sgd_worst = worst(&|r: &Run| r.gradient_family);
    let adam_worst = worst(&|r: &Run| !r.gradient_family);
    Finding {
        id: "L3".into(),
        ours: format!(
            "largest final training loss over {} runs: {:.1e} (gradient-descent family), {:.1e} (Adam)",
            out.runs.len(),
            sgd_worst,
            adam_worst
        ),
        tolerance: Some(format!(
            "below {:.0e}, which prints as 0.0000",
            printed_zero()
        )),
        verdict: Verdict::Reproduced,
        reason: None,
        holds: sgd_worst < printed_zero() && adam_worst < printed_zero(),
    }
}

/// L4: the printed matrices.
fn printed_matrices(out: &Output) -> Finding {
    let text: Vec<String> = out
        .printed
        .iter()
        .map(|c| format!("{}: {:.4} ({})", c.name, c.distance, c.setting))
        .collect();
    let sgd_ok = out.printed.sgd().iter().all(|c| c.distance < 1e-3);
    let adam_ok = out.printed.adam().iter().all(|c| c.distance < 0.02);
    Finding {
        id: "L4".into(),
        ours: format!("largest entry difference to the closest matrix we obtain — {}", text.join("; ")),
        tolerance: Some("SGD: 1e-3 (the printed 0.333 is rounded); Adam: 0.02 (depends on the random batches)".into()),
        verdict: Verdict::ReproducedAfterFitting,
        reason: Some("The SGD matrices are predicted exactly by the implicit bias of gradient descent, with nothing chosen; the Adam matrices only after fitting an unstated setting to them: mini-batches of two items drawn with replacement, with a learning rate and seed picked from a search.".into()),
        holds: sgd_ok && adam_ok,
    }
}

/// L5: members of the analytic family. A run is in the 2-parameter family when it solves the
/// task and is Σ-invariant. "Solves" is judged at the precision of each optimiser: exactly
/// ([`EXACT`]) for gradient descent, which converges to a solution; for Adam, which keeps
/// its step length and stops short, at the paper's precision, a training loss that prints as
/// 0.0000 (L3), i.e. within [`Output::printed_zero_distance`] of the solution set. Invariance
/// is exact or not ([`EXACT`]): the symmetric runs are invariant in exact arithmetic, the runs
/// from N(0,1) keep an asymmetry of order 1 from their init.
fn family_membership(out: &Output) -> Finding {
    let max_residual = out
        .runs
        .iter()
        .filter(|r| r.gradient_family)
        .map(|r| r.trained.residual)
        .fold(0.0, f64::max);
    let adam_residual = out
        .runs
        .iter()
        .filter(|r| !r.gradient_family)
        .map(|r| r.trained.residual)
        .fold(0.0, f64::max);
    // Σ-symmetric runs: an invariant init (0 or 1) and full batches, where every update is
    // itself invariant (one item at a time, or random batches, treat the items unequally).
    let det_invariant = out
        .runs
        .iter()
        .filter(|r| matches!(r.init, PaperInit::Zeros | PaperInit::Ones))
        .filter(|r| r.setup.batching == Batching::Full)
        .map(|r| r.trained.defect)
        .fold(0.0, f64::max);
    let random_defect = out
        .runs
        .iter()
        .filter(|r| r.init == PaperInit::Normal)
        .map(|r| r.trained.defect)
        .fold(f64::INFINITY, f64::min);
    Finding {
        id: "L5".into(),
        ours: format!(
            "every trained W solves the task (distance to the solution set ≤ {:.1e} for the gradient-descent family, ≤ {:.1e} for Adam); full-batch runs from the invariant inits 0 and 1 are in the 2-parameter family (distance from invariance ≤ {:.1e}); runs from N(0,1) are not (distance ≥ {:.2})",
            max_residual, adam_residual, det_invariant, random_defect
        ),
        tolerance: Some(format!(
            "{EXACT:.0e} for gradient descent (it stops at loss {GD_LOSS_FLOOR:.0e}) and for invariance (rounding); {:.1e} for Adam, which stops short of the exact solution: the largest distance at which a training loss still prints as 0.0000",
            out.printed_zero_distance
        )),
        verdict: Verdict::Differs,
        reason: Some("Numerical solutions lie in the 3-parameter solution set; they are members of the 2-parameter family W_ab only when the init and the training procedure respect Σ.".into()),
        holds: max_residual < EXACT
            && adam_residual <= out.printed_zero_distance
            && det_invariant < EXACT
            && random_defect > EXACT,
    }
}

/// L6: random inits give different solutions of the 3-parameter form.
fn three_parameter_form(out: &Output) -> Finding {
    let fmt3 = |v: [f64; 3]| format!("({:.4}, {:.4}, {:.4})", v[0], v[1], v[2]);
    let rnd: Vec<&Run> = out
        .runs
        .iter()
        .filter(|r| r.init == PaperInit::Normal && r.set == SetId::X && r.gradient_family)
        .collect();
    let spread = rnd
        .iter()
        .map(|r| (r.trained.abc[1] - r.trained.abc[2]).abs())
        .fold(0.0, f64::max);
    Finding {
        id: "L6".into(),
        ours: format!(
            "{} gradient-descent runs from N(0,1) on X: all of the form [[1−a,a,a],[−b,1+b,b],[−c,c,1+c]] (residual ≤ {:.1e}), with b ≠ c (|b − c| up to {:.2}); e.g. (a,b,c) = {}",
            rnd.len(),
            rnd.iter().map(|r| r.trained.residual).fold(0.0, f64::max),
            spread,
            rnd.first().map(|r| fmt3(r.trained.abc)).unwrap_or_default()
        ),
        tolerance: Some("residual 1e-6".into()),
        verdict: Verdict::Reproduced,
        reason: None,
        holds: rnd.iter().all(|r| r.trained.residual < 1e-6) && spread > 1e-3,
    }
}

/// L7: averages recover the symmetric solution.
fn averages(out: &Output) -> Finding {
    let n01 = &out.averages.sgd_normal;
    let avg_ok = out.averages.sgd().iter().all(|a| {
        a.distance_from_prediction
            .is_some_and(|d| d < 5.0 * a.max_standard_error + 1e-12)
    });
    let adam_online = out
        .runs
        .get(SetId::X, SetupId::AdamOnline, PaperInit::Zeros);
    let adam_full0 = out.runs.get(SetId::X, SetupId::AdamFull, PaperInit::Zeros);
    Finding {
        id: "L7".into(),
        ours: format!(
            "mean of {} SGD runs from N(0,1): max |E W − W0^SGD| = {:.4} (standard error {:.4}); the means from U(0,1) and N(0,0.05) match their predictions too; a procedure that is not Σ-symmetric breaks it: Adam online in a fixed order from W = 0 ends at distance {:.1e} from invariance (full batch: {:.1e})",
            n01.seeds,
            n01.distance_from_prediction.unwrap_or(f64::NAN),
            n01.max_standard_error,
            adam_online.trained.defect,
            adam_full0.trained.defect
        ),
        tolerance: Some("5 standard errors of the mean".into()),
        verdict: Verdict::Reproduced,
        reason: Some("Exact in expectation: E W = P + E[W₀](I − P), which equals W0^SGD for any zero-mean init and is Σ-invariant whenever E[W₀] is.".into()),
        holds: avg_ok && adam_online.trained.defect > 1e-5 && adam_full0.trained.defect < 1e-12,
    }
}

/// L8: W = I is never found.
fn never_identity(out: &Output) -> Finding {
    let min_to_i = out
        .runs
        .iter()
        .map(|r| r.trained.distance_from_identity)
        .fold(f64::INFINITY, f64::min);
    Finding {
        id: "L8".into(),
        ours: format!("smallest ‖W − I‖_F over all {} runs: {:.3}", out.runs.len(), min_to_i),
        tolerance: Some("> 1e-3".into()),
        verdict: Verdict::Reproduced,
        reason: Some("Gradient descent reaches I only from an init with W₀ n = n (e.g. W₀ = I); none of the paper's inits has it.".into()),
        holds: min_to_i > 1e-3,
    }
}

/// The rows of Table 1 whose patterns lie in span X′ (loss 0 by theory), their names, and
/// their largest loss over our networks: L9 and L13.
fn in_span(out: &Output) -> (Vec<&Table1Row>, String, f64) {
    let rows: Vec<&Table1Row> = out.table1.iter().filter(|r| r.theory.is_some()).collect();
    let span_max = rows
        .iter()
        .flat_map(|r| r.ours.iter().copied())
        .fold(0.0, f64::max);
    let names: Vec<String> = rows.iter().map(|r| r.pattern.to_string()).collect();
    (rows, names.join(", "), span_max)
}

/// L9: the patterns in span X′ are reproduced.
fn span_patterns(out: &Output) -> Finding {
    let (_, span_names, span_max) = in_span(out);
    Finding {
        id: "L9".into(),
        ours: format!(
            "patterns reproduced by every linear solution on X': {} (largest loss over our runs {:.1e})",
            span_names, span_max
        ),
        tolerance: Some("1e-12".into()),
        verdict: Verdict::Reproduced,
        reason: None,
        holds: span_max < 1e-12
            && out
                .x_prime
                .solutions
                .generalizes_to
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                == ["000", "011"],
    }
}

/// L10: linear combinations of the items are reproduced.
fn combinations(out: &Output) -> Finding {
    Finding {
        id: "L10".into(),
        ours: format!(
            "‖W v − v‖ never exceeds r‖v‖ (r: the network's distance from the solution set, 0 up to rounding for gradient descent) by more than {:.1e}, over random combinations v of the items and every trained W",
            out.combination_error
        ),
        tolerance: Some("1e-9".into()),
        verdict: Verdict::Reproduced,
        reason: None,
        holds: out.combination_error < 1e-9,
    }
}

/// L11: stability.
fn stability(out: &Output) -> Finding {
    let st = &out.stability;
    Finding {
        id: "L11".into(),
        ours: format!(
            "on a {}×{} grid of (a, b): |1 − a + 2b| < 1 matches the iteration at {}/{} points, the printed |a − 2b| < 1 at {}/{}; |a| < 1 matches for X' at {}/{}",
            st.grid, st.grid, st.corrected_agrees, st.total, st.printed_agrees, st.total, st.x_prime_agrees, st.x_prime_total
        ),
        tolerance: None,
        verdict: Verdict::PaperTypo,
        reason: Some("With the corrected spectrum, the plane attractor of W_ab is stable iff |1 − a + 2b| < 1, i.e. 0 < a − 2b < 2; the printed |a − 2b| < 1 is the same band shifted by one. The condition |a| < 1 for W'_ab is right.".into()),
        holds: st.corrected_agrees == st.total && st.printed_agrees < st.total && st.x_prime_agrees == st.x_prime_total,
    }
}

/// L12: spectra of trained W.
fn trained_spectra(out: &Output) -> Finding {
    let unit_ok = out.runs.iter().filter(|r| r.gradient_family).all(|r| {
        let mut d: Vec<f64> = r
            .trained
            .eigenvalues
            .iter()
            .map(|e| libm::hypot(e.0 - 1.0, e.1))
            .collect();
        d.sort_by(f64::total_cmp);
        d.len() == 3 && d[1] < 1e-6
    });
    let by_init = |init: PaperInit| {
        out.runs
            .iter()
            .filter(|r| r.init == init && r.set == SetId::X && r.gradient_family)
            .map(|r| r.trained.lambda3.abs())
            .fold(0.0, f64::max)
    };
    let l3_small = by_init(PaperInit::Zeros);
    let l3_ones = by_init(PaperInit::Ones);
    let l3_rnd = by_init(PaperInit::Normal);
    let unstable = out.averages.sgd_normal.unstable_fraction;
    Finding {
        id: "L12".into(),
        ours: format!(
            "every trained W has the eigenvalue 1 twice with eigenspace span X; |λ₃| is {:.1e} from init 0, {:.3} from init 1, {:.2} in our N(0,1) run, and ≥ 1 in {:.0}% of the SGD runs from N(0,1) (on X)",
            l3_small, l3_ones, l3_rnd, 100.0 * unstable
        ),
        tolerance: Some("eigenvalue 1 to 1e-6".into()),
        verdict: Verdict::Qualified,
        reason: Some("Holds for small initialisations only. For gradient descent λ₃ = n̂ᵀW₀n̂ exactly: small only for small inits. From W₀ = 1 it is 1/3 and its eigenvector is not orthogonal to the plane; from N(0,1) it is itself N(0,1)-distributed and often exceeds 1 (no attractor).".into()),
        holds: unit_ok && l3_small < 1e-6 && l3_ones > 0.1 && unstable > 0.2,
    }
}

/// L13: Table 1 identity column.
fn table1_column(out: &Output) -> Finding {
    let (in_span, span_names, span_max) = in_span(out);
    let off: Vec<&Table1Row> = out.table1.iter().filter(|r| r.theory.is_none()).collect();
    // For each network (initialisation), the spread of its loss over the patterns off the span.
    let equal_within = if off.is_empty() {
        f64::NAN
    } else {
        PaperInit::ALL
            .iter()
            .map(|&init| {
                let losses = || off.iter().map(|r| r.ours[init]);
                losses().fold(f64::NEG_INFINITY, f64::max) - losses().fold(f64::INFINITY, f64::min)
            })
            .fold(0.0, f64::max)
    };
    let printed_equal = off.windows(2).all(|w| w[0].printed == w[1].printed);
    let printed_zero_ok = in_span.iter().all(|r| r.printed == 0.0);
    let ours = off.first().map_or_else(String::new, |r| {
        PaperInit::ALL
            .iter()
            .zip(r.ours.iter())
            .map(|(l, v)| format!("{v:.4} from {l}"))
            .collect::<Vec<_>>()
            .join(", ")
    });
    Finding {
        id: "L13".into(),
        ours: format!(
            "0 for {} exactly; the four patterns with x₁ = 1 share one loss |W₀e₁ − e₁|²/3 that depends only on the init's first column (spread within a network {:.1e}); ours: {}",
            span_names, equal_within, ours
        ),
        tolerance: Some("1e-12 for the theory-fixed entries".into()),
        verdict: Verdict::ReproducedAfterFitting,
        reason: Some(format!(
            "The printed {:.4} is one init's value (|W₀e₁ − e₁|² = {:.4}); the structure of the column is what theory fixes, and it matches. The value itself appears only with the first column fitted to the tanh column (N3).",
            off.first().map_or(f64::NAN, |r| r.printed),
            3.0 * off.first().map_or(f64::NAN, |r| r.printed)
        )),
        holds: equal_within < 1e-12 && printed_equal && printed_zero_ok && span_max < 1e-12,
    }
}

/// L14: flow field. The claim holds when the distance to the training plane shrinks by
/// |λ₃| < 1 per step and the iteration converges to the point the eigen-decomposition
/// predicts; both are checked against the allowances [`super::flow::flow`] derives from the
/// network's distance from the solution set and from rounding, not against a fixed number, and
/// the iteration runs until it has converged, not for a fixed number of steps.
fn flow(out: &Output) -> Finding {
    let fl = &out.flow;
    let converged = fl.converged_step.map_or_else(
        || format!("the iteration does not converge (|λ₃| = {:.3})", fl.lambda3.abs()),
        |k| {
            format!(
                "iterated until converged ({k} steps), the limits match the eigen-decomposition's projection onto the plane along the third eigenvector to {:.1e}",
                fl.limit_error
            )
        },
    );
    Finding {
        id: "L14".into(),
        ours: format!(
            "{} starts; the distance to the training plane shrinks by |λ₃| = {:.3} per step (to {:.1e}), so after {} iterations every trajectory is within {:.1e} of the plane; {}",
            fl.trajectories.len(),
            fl.lambda3.abs(),
            fl.rate_error,
            fl.fixed_step,
            fl.max_distance_at_fixed_step,
            converged
        ),
        tolerance: Some(format!(
            "per step {:.1e}, limits {:.1e}: what rounding and the network's distance {:.1e} from the solution set allow",
            fl.rate_allowance, fl.limit_bound, fl.residual
        )),
        verdict: Verdict::Reproduced,
        reason: None,
        holds: fl.lambda3.abs() < 1.0
            && fl.converged_step.is_some()
            && fl.rate_error <= fl.rate_allowance
            && fl.limit_error <= fl.limit_bound,
    }
}
