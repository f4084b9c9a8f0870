//! The verdicts on claims N1–N6 of §3.2, read off the chapter's `Output`: what we found, the
//! tolerance, the verdict and whether the evidence supports it.

use super::{ActivationKind, FixedPointInfo, LinearityPoint, Output, PaperInit, Run, TrainingSet};
use crate::claims::{Finding, Verdict};
use crate::dynamics::Stability;
use crate::fmt::{fixed, sci_e};
use crate::maths::solve::median;
use crate::paper;
use crate::train::Batching;

/// The six verdicts, in order.
pub(super) fn findings(out: &Output) -> Vec<Finding> {
    vec![
        n1_invariance_and_eq8(out),
        n2_generalisation(out),
        n3_table1(out),
        n4_sigmoid_attractors(out),
        n5_tanh_fixed_points(out),
        n6_linearity(out),
    ]
}

/// Where Table 1's pattern `bits` (e.g. `"011"`) sits in `out.patterns` (0 if nowhere).
fn pattern_index(out: &Output, bits: &str) -> usize {
    out.patterns
        .iter()
        .position(|q| q.to_string() == bits)
        .unwrap_or(0)
}

/// A point of ℝ³ with four decimals.
fn triple(v: [f64; 3]) -> String {
    format!(
        "({}, {}, {})",
        fixed(v[0], 4),
        fixed(v[1], 4),
        fixed(v[2], 4)
    )
}

/// N1: Σ-invariance needs symmetric starts, and eq. 8 is no solution.
fn n1_invariance_and_eq8(out: &Output) -> Finding {
    let e8 = &out.eq8;
    let rt = &out.reproductions.tanh;
    let symmetric = out
        .runs
        .iter()
        .filter(|(k, _)| {
            matches!(k.init, PaperInit::Zeros | PaperInit::Ones)
                && k.setup.batching() == Batching::Full
        })
        .map(|(_, r)| r.defect)
        .fold(0.0, f64::max);
    let random: Vec<&Run> = out
        .runs
        .iter()
        .filter(|(k, _)| matches!(k.init, PaperInit::Uniform | PaperInit::Normal))
        .map(|(_, r)| r)
        .collect();
    let random_min = random
        .iter()
        .map(|r| r.defect)
        .fold(f64::INFINITY, f64::min);
    let mut xp_u: Vec<f64> = out
        .runs
        .iter()
        .filter(|(k, _)| k.set == TrainingSet::XPrime && k.init == PaperInit::Uniform)
        .map(|(_, r)| r.first_column_defect / r.defect.max(1e-300))
        .collect();
    let share = median(&mut xp_u);
    let eq8_spread = e8.losses.iter().map(|l| l.max - l.min).fold(0.0, f64::max);
    let trained_max = e8.losses.iter().map(|l| l.trained).fold(0.0, f64::max);
    let corrected_res = e8.corrected.iter().map(|c| c.residual).fold(0.0, f64::max);
    let corrected_def = e8.corrected.iter().map(|c| c.defect).fold(0.0, f64::max);
    let fit_max = e8
        .fits
        .iter()
        .map(|q| q.residual / q.levels.1.abs().max(1.0))
        .fold(0.0, f64::max);
    let loss_text: Vec<String> = e8
        .losses
        .iter()
        .map(|l| format!("{} on {}: {:.4}", l.activation, l.set, l.min))
        .collect();
    Finding {
        id: "N1".into(),
        ours: format!(
            "printed W_c: tanh Σ-invariant (distance {}), sigmoid not (distance {:.3} at c = {}); W_ab + W_c is no solution — its training loss does not depend on (a, b) (spread {}) and is {} where the median training run reaches ≤ {}; trained W are Σ-invariant from the inits 0 and 1 with full batches (largest distance {}), not from random inits (≥ {:.3}; on X' the untrained first column carries a median {:.0}% of it); the paper's own tanh network has distance ≥ {:.3} (inferred first column)",
            sci_e(e8.defect_tanh, 1),
            e8.defect_sigmoid,
            e8.sigmoid_c,
            sci_e(eq8_spread, 1),
            loss_text.join(", "),
            sci_e(trained_max, 1),
            sci_e(symmetric, 1),
            random_min,
            100.0 * share,
            rt.first_column_defect
        ),
        tolerance: Some("invariance and solution residuals 1e-12".into()),
        verdict: Verdict::Differs,
        reason: Some(format!(
            "Σ-invariance of trained nonlinear networks needs symmetric starts and procedures, as for the linear one. Eq. 8 is no solution: since W_ab x = x on X, (W_ab + W_c) x = x + W_c x, and the printed W_c makes W x ≈ φ(x) (φ in place of φ⁻¹; the sigmoid's entry (2,2) repeats the tanh formula, the tanh diagonal has the wrong sign). φ(Wx) = x has no finite solution; with targets t inside the range of φ the solutions are W_ab + (g₁ − g₀ − 1) I + g₀ 𝟙uᵀ, g = φ⁻¹(t), which are Σ-invariant (residual {}) and the form our trained networks take (relative deviation ≤ {}).",
            sci_e(corrected_res, 1),
            sci_e(fit_max, 1)
        )),
        holds: e8.defect_tanh < 1e-12
            && e8.defect_sigmoid > 0.1
            && eq8_spread < 1e-12
            && e8.losses.iter().all(|l| l.min > 10.0 * l.trained)
            && symmetric < 1e-12
            && random_min > 1e-3
            && corrected_res < 1e-12
            && corrected_def < 1e-12
            && e8.pattern_error < 1e-12
            && e8.corrected_is_pattern < 1e-12
            && e8.mismatch_sigmoid == [(2, 2)]
            && e8.mismatch_tanh == [(2, 2), (3, 3)]
            && rt.first_column_defect > 0.1,
    }
}

/// N2: tanh reproduces 000 and 011, the sigmoid only the items.
fn n2_generalisation(out: &Output) -> Finding {
    let xp_runs = |kind: ActivationKind| {
        out.runs
            .iter()
            .filter(move |(k, _)| k.set == TrainingSet::XPrime && k.activation == kind)
            .map(|(_, r)| r)
    };
    let (i000, i011) = (pattern_index(out, "000"), pattern_index(out, "011"));
    let sig_000 = xp_runs(ActivationKind::Sigmoid)
        .map(|r| (r.table[i000] - 0.25).abs())
        .fold(0.0, f64::max);
    let sig_011 = xp_runs(ActivationKind::Sigmoid)
        .map(|r| r.table[i011])
        .fold(f64::INFINITY, f64::min);
    let tanh_000 = xp_runs(ActivationKind::Tanh)
        .map(|r| r.table[i000])
        .fold(0.0, f64::max);
    let tanh_011 = xp_runs(ActivationKind::Tanh)
        .map(|r| r.table[i011])
        .fold(0.0, f64::max);
    let tanh_011_min = xp_runs(ActivationKind::Tanh)
        .map(|r| r.table[i011])
        .fold(f64::INFINITY, f64::min);
    let n_runs = xp_runs(ActivationKind::Tanh).count() + xp_runs(ActivationKind::Sigmoid).count();
    Finding {
        id: "N2".into(),
        ours: format!(
            "over our {} networks on X': sigmoid L(000) = ¼ for every W (largest deviation {}) and L(011) ≥ {:.3}; tanh (c = {}) largest L(000) {} and L(011) between {} and {}, where the linear network has 0",
            n_runs,
            sci_e(sig_000, 1),
            sig_011,
            out.tanh_c(),
            sci_e(tanh_000, 1),
            sci_e(tanh_011_min, 1),
            sci_e(tanh_011, 1)
        ),
        tolerance: Some(
            "reproduced: loss below 1e-3; not reproduced: the sigmoid's smallest loss at least 10 times the tanh's largest"
                .into(),
        ),
        verdict: Verdict::Reproduced,
        reason: Some(format!(
            "The sigmoid outputs ½ at 000 whatever W is, and must saturate for every target; tanh(z − c) with c = 0 outputs 0 at 000 exactly. With c ≠ 0 tanh misses 000 by tanh²c; the printed 0.0000 requires |c| < {:.4}.",
            out.theory.c_bound
        )),
        holds: sig_000 < 1e-12
            && sig_011 > 10.0 * tanh_011
            && tanh_000 < 1e-12
            && tanh_011 < 1e-3
            && tanh_011_min > 0.0,
    }
}

/// N3: Table 1's tanh and sigmoid columns, with the inferred first column.
fn n3_table1(out: &Output) -> Finding {
    let (rt, rs) = (&out.reproductions.tanh, &out.reproductions.sigmoid);
    let i011 = pattern_index(out, "011");
    let best_s = &rs.draws[rs.best];
    let half = paper::rounding_tolerance();
    let printed_id = out
        .table1
        .iter()
        .find(|r| r.pattern.bits().first() == Some(&1))
        .map_or(f64::NAN, |r| r.printed_id);
    Finding {
        id: "N3".into(),
        ours: format!(
            "tanh: {}/{} entries print as in the paper (largest difference {}) with the first column inferred from the x₁ = 1 entries, w = {} (fit residual {}); |w − e₁|²/3 = {:.4} (from {:.5} to {:.5} within the print's rounding) against the identity column's {:.4}: the same initial column; sigmoid: {}/{} (largest difference {}) with w = {} (best of {} draws; {} of them reproduce all entries); theory-fixed: sigmoid L(000) = ¼ and tanh L(000) = tanh²c = {} exactly",
            rt.matching,
            rt.table.len(),
            sci_e(rt.max_diff, 1),
            triple(rt.first_column),
            sci_e(rt.draws[rt.best].fit_residual, 1),
            rt.identity_loss,
            rt.identity_loss_range.0,
            rt.identity_loss_range.1,
            printed_id,
            rs.matching,
            rs.table.len(),
            sci_e(rs.max_diff, 1),
            triple(rs.first_column),
            rs.draws.len(),
            rs.draws_all_matching,
            out.theory.tanh_000_value,
        ),
        tolerance: Some(format!(
            "half a unit in the fourth decimal ({:.0e}) per entry; sigmoid draws that miss by at most 3e-4",
            paper::rounding_tolerance()
        )),
        verdict: Verdict::ReproducedAfterFitting,
        reason: Some(format!(
            "No item of X' has x₁ = 1, so no optimiser ever changes W's first column: the four x₁ = 1 entries record the paper's random initial draw and cannot be recomputed, only inferred (three unknowns from four printed values). With it, SGD at learning rate × steps ≈ {:.0} (tanh) and {:.0} (sigmoid) reproduces the other entries; Adam does not reproduce the sigmoid column (L(011) = {:.4} against {:.4}).",
            rt.lr * rt.steps as f64,
            rs.lr * rs.steps as f64,
            out.table1.get(i011).map_or(f64::NAN, |r| r.sigmoid_adam),
            out.table1.get(i011).map_or(f64::NAN, |r| r.printed_sigmoid),
        )),
        holds: rt.matching == rt.table.len()
            && rt.max_diff < paper::rounding_tolerance()
            && rs.max_diff < 3e-4
            && best_s.fit_residual < 1e-4
            && rt.column_independence == 0.0
            && out.theory.sigmoid_000_error < 1e-12
            && out.theory.tanh_000_error < 1e-12
            && (rt.identity_loss_range.0 - half..=rt.identity_loss_range.1 + half)
                .contains(&printed_id),
    }
}

/// N4: the sigmoid network's attractors are the items, reached through the line between them.
fn n4_sigmoid_attractors(out: &Output) -> Finding {
    let sf = &out.flows.sigmoid;
    let attr: Vec<&FixedPointInfo> = sf
        .fixed_points
        .iter()
        .filter(|q| q.in_cube && q.stability == Stability::Attractor)
        .collect();
    let near_items = attr.iter().all(|q| {
        let x = &q.x;
        (x[0] < 0.05 && x[1] > 0.95 && x[2] < 0.05) || (x[0] < 0.05 && x[1] < 0.05 && x[2] > 0.95)
    });
    let basins: usize = attr.iter().map(|q| q.basin).sum();
    // A start exactly on the separatrix between the two basins ends at the saddle on it.
    let on_separatrix: usize = sf
        .fixed_points
        .iter()
        .filter(|q| q.in_cube && q.stability == Stability::Saddle)
        .map(|q| q.basin)
        .sum();
    let first_line = sf.line_first.and_then(|n| sf.line.get(n));
    let saddle = sf
        .fixed_points
        .iter()
        .find(|q| q.in_cube && q.stability == Stability::Saddle);
    Finding {
        id: "N4".into(),
        ours: format!(
            "{} attractors, at {} (the items up to the sigmoid's saturation), basins {} of {} grid starts; at n = {} the median distance to the line through them is {:.3} while that to the nearest attractor is still {:.3}; a saddle on that line at {} with unstable eigenvalue {:.2}, {:.1}° from the line",
            attr.len(),
            attr.iter()
                .map(|q| triple([q.x[0], q.x[1], q.x[2]]))
                .collect::<Vec<_>>()
                .join(" and "),
            attr.iter()
                .map(|q| q.basin.to_string())
                .collect::<Vec<_>>()
                .join(" + "),
            sf.endpoints.len(),
            first_line.map_or(0, |l| l.n),
            first_line.map_or(f64::NAN, |l| l.line_median),
            first_line.map_or(f64::NAN, |l| l.attractor_median),
            saddle.map_or_else(String::new, |q| triple([q.x[0], q.x[1], q.x[2]])),
            saddle
                .and_then(|q| q.eigenvalues.first())
                .map_or(f64::NAN, |e| e.0),
            sf.saddle_angle_deg.unwrap_or(f64::NAN),
        ),
        tolerance: Some(format!(
            "attractors within 0.05 of the items; line distance below {} × attractor distance",
            sf.line_ratio
        )),
        verdict: Verdict::Reproduced,
        reason: Some(
            "The basins are unequal because the untrained first column is not Σ-invariant.".into(),
        ),
        holds: attr.len() == 2
            && near_items
            && basins + on_separatrix == sf.endpoints.len()
            && first_line.is_some()
            && sf.saddle_angle_deg.is_some_and(|a| a < 10.0),
    }
}

/// N5: the tanh network's four fixed points, one attractor, and the printed eigenvalues.
fn n5_tanh_fixed_points(out: &Output) -> Finding {
    let rt = &out.reproductions.tanh;
    let tf = &out.flows.tanh;
    let cube: Vec<&FixedPointInfo> = tf.fixed_points.iter().filter(|q| q.in_cube).collect();
    let tattr: Vec<&FixedPointInfo> = cube
        .iter()
        .copied()
        .filter(|q| q.stability == Stability::Attractor)
        .collect();
    let te = &out.tanh_eigen;
    let window = rt.window_diag;
    // The eigenvalues are printed with two decimals.
    let half = 0.5e-2;
    let printed_in =
        window.is_some_and(|(lo, hi)| te.printed.iter().all(|&v| v + half >= lo && v - half <= hi));
    let eig: Vec<String> = te
        .origin_eigenvalues
        .iter()
        .map(|e| format!("{:.3}", e.0))
        .collect();
    Finding {
        id: "N5".into(),
        ours: format!(
            "{} fixed points in [0,1]³ ({} in all): {}; the only attractor is {} with {} of {} grid starts; Jacobian at 0 = W (c = {}) with eigenvalues {} — the pair on e₂, e₃, which span the training plane (residual {}); the table allows the pair anywhere in [{:.3}, {:.3}] and our run passes {:.2} at step {} with all entries still matching",
            cube.len(),
            tf.fixed_points.len(),
            cube.iter()
                .map(|q| format!(
                    "{} {}",
                    triple([q.x[0], q.x[1], q.x[2]]),
                    stab_name(q.stability)
                ))
                .collect::<Vec<_>>()
                .join(", "),
            tattr
                .first()
                .map_or_else(String::new, |q| triple([q.x[0], q.x[1], q.x[2]])),
            tattr.first().map_or(0, |q| q.basin),
            tf.endpoints.len(),
            out.tanh_c(),
            eig.join(", "),
            sci_e(te.eigenvector_residual, 1),
            window.map_or(f64::NAN, |w| w.0),
            window.map_or(f64::NAN, |w| w.1),
            te.printed[0],
            te.step_at_printed
                .map_or_else(|| "—".into(), |s| s.to_string()),
        ),
        tolerance: Some(format!(
            "the printed value ± {half} (its rounding) must lie in the range of the pair the table allows"
        )),
        verdict: Verdict::Qualified,
        reason: Some(format!(
            "Holds with restrictions. Not all probed inputs reach (0,1,1): the {} grid starts that miss the attractor start with x₁ = 0 and x₂ = 0 or x₃ = 0, lines the map leaves invariant. A single attractor needs |W₁₁| < 1 in the untrained first column, which {} of the {} tanh networks of the survey have. The value of the pair is a matter of training length (Adam on random pairs ends at {:.2}, {:.2}): the printed value lies at the upper end of what Table 1 allows, reached only at a stop chosen for it.",
            tf.endpoints.len() - tattr.first().map_or(0, |q| q.basin),
            out.survey
                .iter()
                .filter(|r| r.activation == super::ActivationKind::Tanh && r.w11.abs() < 1.0)
                .count(),
            out.survey
                .iter()
                .filter(|r| r.activation == super::ActivationKind::Tanh)
                .count(),
            te.adam_diag.0,
            te.adam_diag.1,
        )),
        holds: cube.len() == 4
            && tattr.len() == 1
            && tattr
                .first()
                .is_some_and(|q| q.x[0].abs() < 1e-6 && q.x[1] > 0.9 && q.x[2] > 0.9)
            && te.eigenvector_residual < 1e-9
            && printed_in
            && te.table_matches_at_printed,
    }
}

/// N6: where each activation is linear.
fn n6_linearity(out: &Output) -> Finding {
    let lp = &out.linearity.points;
    let (tanh, sigmoid) = (&lp.tanh, &lp.sigmoid);
    let r = |points: &[LinearityPoint; 2], t: usize| points[t].slope_ratio;
    let e = |points: &[LinearityPoint; 2], t: usize| points[t].linearisation_error;
    Finding {
        id: "N6".into(),
        ours: format!(
            "over a window ±{} around the pre-activation where the network outputs 0 / 1, the slope φ' varies by a factor {:.2} / {:.2} for tanh and {:.2} / {:.2} for the sigmoid (1 = linear); the tangent misses by {:.0}% / {:.0}% (tanh) and {:.0}% / {:.0}% (sigmoid) of the output's change",
            out.linearity.halfwidth,
            r(tanh, 0), r(tanh, 1), r(sigmoid, 0), r(sigmoid, 1),
            100.0 * e(tanh, 0), 100.0 * e(tanh, 1), 100.0 * e(sigmoid, 0), 100.0 * e(sigmoid, 1)
        ),
        tolerance: Some("nearly linear: slope factor < 1.5; strongly nonlinear: > 2".into()),
        verdict: Verdict::Reproduced,
        reason: Some("The sigmoid is as linear as tanh around its centre z = 0, but there it outputs ½, which is no pattern value: both of its targets lie in the saturated tails.".into()),
        holds: r(tanh, 0) < 1.5 && r(tanh, 1) > 2.0 && r(sigmoid, 0) > 2.0 && r(sigmoid, 1) > 2.0,
    }
}

fn stab_name(s: Stability) -> &'static str {
    match s {
        Stability::Attractor => "attractor",
        Stability::Saddle => "saddle",
        Stability::Repeller => "repeller",
        Stability::Marginal => "marginal",
    }
}
