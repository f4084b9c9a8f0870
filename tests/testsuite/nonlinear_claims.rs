//! Claims N1–N6 of the paper's §3.2 (the nonlinear auto-associator), one test each, named as
//! the claim, plus the checks behind them: Newton's fixed points against plain iteration, the
//! residual of every fixed point, the entries of Table 1 that theory fixes, the untouched first
//! column, determinism and the ledger. Expected values are derived in each doc comment and,
//! where possible, recomputed here independently of the chapter module (own loops for φ, own
//! iteration, the printed formulas typed from the paper).

use items_or_relations::chapters::nonlinear::{
    self, ActivationKind, PaperInit, Params, TrainingSet,
};
use items_or_relations::claims::{Verdict, scorecard};
use items_or_relations::dynamics::Stability;
use items_or_relations::nalgebra::{DMatrix, DVector};
use items_or_relations::paper;
use items_or_relations::train::Batching;

chapter_fixture!(nonlinear);

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// φ applied by hand, independent of `network::Activation`.
fn phi(kind: ActivationKind, c: f64, z: f64) -> f64 {
    match kind {
        ActivationKind::Tanh => (z - c).tanh(),
        ActivationKind::Sigmoid => sigmoid(c * z),
    }
}

/// The chapter's c: 0 for tanh, 1 for the sigmoid (checked in N1's test).
fn c_of(kind: ActivationKind) -> f64 {
    match kind {
        ActivationKind::Tanh => 0.0,
        ActivationKind::Sigmoid => 1.0,
    }
}

/// The loss (eq. 7) of pattern x under φ(Wx), by hand.
fn loss(kind: ActivationKind, c: f64, w: &DMatrix<f64>, x: &[f64]) -> f64 {
    let xv = DVector::from_column_slice(x);
    let z = w * &xv;
    (0..x.len())
        .map(|i| (phi(kind, c, z[i]) - x[i]).powi(2))
        .sum::<f64>()
        / x.len() as f64
}

fn bits(p: &str) -> Vec<f64> {
    p.chars()
        .map(|ch| if ch == '1' { 1.0 } else { 0.0 })
        .collect()
}

/// N1. Printed W_c at c = 0 (tanh) is diag(tanh 1 − 1, 1 − tanh 1, 1 − tanh 1): invariant. The
/// sigmoid W_c at c = 1 has W₂₂ = tanh 1 − tanh 2 + 1 and W₃₃ = ½·tanh(½) − 1 (since
/// (1 − e^{−c})/(1 + e^{−c}) = tanh(c/2)), all else symmetric, so ‖W − (23)·W‖_F =
/// √2 |W₂₂ − W₃₃|. Because every W_ab solves Wx = x on X, (W_ab + W_c)(101) = 101 + W_c 101 =
/// (tanh 1, 0, 2 − tanh 1) for tanh, and the training loss on X is
/// [(tanh(tanh 1) − 1)² + (tanh(2 − tanh 1) − 1)²]/3 for any (a, b); on X' it is
/// (tanh(2 − tanh 1) − 1)²/3. Rounding: 1e-12. Trained networks are exactly invariant only
/// from the invariant inits with full batches.
#[test]
fn n1_sigma_structure_needs_symmetric_starts_and_eq8_is_no_solution() {
    let out = chapter();
    let e8 = &out.eq8;
    assert_eq!(out.params.tanh_c, 0.0);
    assert_eq!(out.params.sigmoid_c, 1.0);
    let t1 = 1f64.tanh();
    let expected_tanh = DMatrix::from_row_slice(
        3,
        3,
        &[t1 - 1.0, 0.0, 0.0, 0.0, 1.0 - t1, 0.0, 0.0, 0.0, 1.0 - t1],
    );
    assert!((e8.wc_tanh.0.clone() - expected_tanh).amax() < 1e-15);
    assert!(e8.defect_tanh < 1e-12);
    let w22 = 1f64.tanh() - 2f64.tanh() + 1.0;
    let w33 = 0.5 * 0.5f64.tanh() - 1.0;
    assert!((e8.defect_sigmoid - 2f64.sqrt() * (w22 - w33).abs()).abs() < 1e-12);

    let on_x = ((t1.tanh() - 1.0).powi(2) + ((2.0 - t1).tanh() - 1.0).powi(2)) / 3.0;
    let on_xp = ((2.0 - t1).tanh() - 1.0).powi(2) / 3.0;
    for l in &e8.losses {
        assert!(l.max - l.min < 1e-12, "{l:?}: depends on (a, b)");
        if l.activation == ActivationKind::Tanh {
            let want = if l.set == TrainingSet::X { on_x } else { on_xp };
            assert!((l.min - want).abs() < 1e-12, "{l:?} vs {want}");
        }
        assert!(l.min > 10.0 * l.trained, "{l:?}: eq. 8 as good as training");
    }
    // Invariance of trained networks: exact from 0 and 1 with full batches, not from random.
    for (key, r) in out.runs.iter() {
        if matches!(key.init, PaperInit::Zeros | PaperInit::Ones)
            && key.setup.batching() == Batching::Full
        {
            assert!(r.defect < 1e-12, "{key:?}");
        }
        if matches!(key.init, PaperInit::Uniform | PaperInit::Normal) {
            assert!(r.defect > 1e-3, "{key:?}");
        }
    }
    // The paper's tanh network: its first column alone breaks invariance by √2 |w₂ − w₃|.
    let w = chapter().reproductions.tanh.first_column;
    assert!(2f64.sqrt() * (w[1] - w[2]).abs() > 0.3);
    // The corrected eq. 8 solves φ(Wx) = t(x) and is invariant.
    for c in &e8.corrected {
        assert!(c.residual < 1e-12 && c.defect < 1e-12, "{c:?}");
    }
    assert!(e8.pattern_error < 1e-12);
    assert_eq!(e8.mismatch_sigmoid, vec![(2, 2)]);
    assert_eq!(e8.mismatch_tanh, vec![(2, 2), (3, 3)]);
    assert_finding("N1", Verdict::Differs);
}

/// N2. L_sigmoid(000) = Σ(½)²/3 = ¼ for every W; L_tanh(000) = tanh²c = 0 at c = 0. A trained
/// tanh network has W ≈ [[w₁,0,0],[w₂,d,0],[w₃,0,d]], so L(011) = 2(1 − tanh d)²/3 ≈ 2·L(010):
/// small (≪ 1e-3); the sigmoid's L(011) stays near 1/6 (both outputs 2 and 3 near σ(0) = ½)
/// under gradient descent, and Adam from a random start lowers it only to a few 1e-2. The
/// claim is the contrast: "reproduced" below 1e-3, "not" at least 10 times the largest tanh
/// loss (a fixed threshold like 0.05 is a statement about one draw: seed 31 gives 0.043).
#[test]
fn n2_tanh_reproduces_000_and_011_sigmoid_only_the_items() {
    let out = chapter();
    let (mut sigmoid_min, mut tanh_max) = (f64::INFINITY, 0.0_f64);
    for (key, r) in out
        .runs
        .iter()
        .filter(|(k, _)| k.set == TrainingSet::XPrime)
    {
        let w = r.w.0.clone();
        let kind = key.activation;
        let l000 = loss(kind, c_of(kind), &w, &bits("000"));
        let l011 = loss(kind, c_of(kind), &w, &bits("011"));
        match kind {
            ActivationKind::Sigmoid => {
                assert!((l000 - 0.25).abs() < 1e-15);
                sigmoid_min = sigmoid_min.min(l011);
            }
            ActivationKind::Tanh => {
                assert!(l000 < 1e-15);
                assert!(l011 < 1e-3, "{key:?}: {l011}");
                tanh_max = tanh_max.max(l011);
            }
        }
    }
    assert!(sigmoid_min > 10.0 * tanh_max, "{sigmoid_min} vs {tanh_max}");
    assert_finding("N2", Verdict::Reproduced);
}

/// N3. With the inferred first column the eight entries must print as in the paper, i.e. lie
/// within half a unit of the fourth decimal (5e-5) for tanh; the sigmoid's trained columns keep
/// a trace of their draw at the 1e-4 level, so the shown draw is held to 3e-4 and at least one
/// draw must match all eight. Recomputed here by hand from the reproduced W. The inferred w,
/// a U(0,1) draw, must lie in [0, 1]³, and |w − e₁|²/3 must be the identity column's printed
/// value within the range the print's rounding allows.
#[test]
fn n3_table1_columns_with_the_inferred_first_column() {
    let out = chapter();
    let half = paper::rounding_tolerance();
    for (kind, rep) in out.reproductions.iter() {
        let w = rep.w.0.clone();
        let c = rep.c;
        for (i, &(pat, _, t, s)) in paper::TABLE1.iter().enumerate() {
            let ours = loss(kind, c, &w, &bits(pat));
            assert!((ours - rep.table[i]).abs() < 1e-15);
            let (printed, tol) = match kind {
                ActivationKind::Tanh => (t, half),
                ActivationKind::Sigmoid => (s, 3e-4),
            };
            assert!(
                (ours - printed).abs() < tol,
                "{kind} {pat}: {ours} vs {printed}"
            );
        }
        assert!(
            rep.first_column.iter().all(|v| (0.0..=1.0).contains(v)),
            "{:?}",
            rep.first_column
        );
        // The first column of the trained W is the initial one, bit for bit.
        let w0 = rep.initial_w.0.clone();
        assert_eq!(w.column(0), w0.column(0));
        assert_eq!(rep.column_independence, 0.0);
    }
    let rt = &out.reproductions.tanh;
    assert_eq!(rt.matching, 8);
    let printed_id = paper::TABLE1.iter().find(|r| r.0 == "100").unwrap().1;
    assert!(
        rt.identity_loss_range.0 - half <= printed_id
            && printed_id <= rt.identity_loss_range.1 + half,
        "{:?} vs {printed_id}",
        rt.identity_loss_range
    );
    assert!(out.reproductions.sigmoid.draws_all_matching >= 1);
    assert_finding("N3", Verdict::ReproducedAfterFitting);
}

/// N4. The sigmoid network has exactly two attractors in the cube, each within 0.05 of an item
/// of X' (the sigmoid only reaches 0 and 1 in the limit), and every grid start ends at one of
/// them (checked by our own iteration). The iterates reach the line through the attractors
/// before they reach an attractor: at some n the median line distance is below 0.2 × the median
/// attractor distance. The saddle's unstable direction lies along that line (within 10°).
#[test]
fn n4_sigmoid_items_attract_through_the_line_between_them() {
    let f = &chapter().flows.sigmoid;
    let attractors: Vec<&Vec<f64>> = f
        .fixed_points
        .iter()
        .filter(|p| p.in_cube && p.stability == Stability::Attractor)
        .map(|p| &p.x)
        .collect();
    assert_eq!(attractors.len(), 2);
    for item in ["010", "001"] {
        let b = bits(item);
        assert!(
            attractors
                .iter()
                .any(|a| a.iter().zip(&b).all(|(p, q)| (p - q).abs() < 0.05)),
            "no attractor near {item}"
        );
    }
    // Every grid start, iterated by our own loop, ends within 1e-8 of an attractor, or (if it
    // started exactly on the separatrix between the basins) of the saddle on the line between
    // them. A start near the separatrix is slow, so the loop runs until it is there (at most
    // 1000 × the figure's steps): how near the grid comes to that surface depends on the draw.
    let saddles: Vec<&Vec<f64>> = f
        .fixed_points
        .iter()
        .filter(|p| p.in_cube && p.stability == Stability::Saddle)
        .map(|p| &p.x)
        .collect();
    let w = f.w.0.clone();
    for start in &f.trajectories {
        let mut x = DVector::from_column_slice(&start[0]);
        let distance = |x: &DVector<f64>, to: &[&Vec<f64>]| {
            to.iter()
                .map(|a| (DVector::from_column_slice(a) - x).norm())
                .fold(f64::INFINITY, f64::min)
        };
        for _ in 0..1000 * chapter().params.flow_fixed_steps {
            if distance(&x, &attractors) < 1e-8 {
                break;
            }
            x = (&w * &x).map(sigmoid);
        }
        let near = distance(&x, &attractors).min(distance(&x, &saddles));
        assert!(
            near < 1e-8,
            "start {:?} ends {near} from an attractor or the saddle",
            start[0]
        );
    }
    let n = f.line_first.expect("the iterates reach the line first");
    assert!(f.line[n].line_median < 0.2 * f.line[n].attractor_median);
    assert!(f.saddle_angle_deg.is_some_and(|a| a < 10.0));
    assert_finding("N4", Verdict::Reproduced);
}

/// N5. For tanh with c = 0 the x₁-equation is x₁ ← tanh(w₁ x₁) with |w₁| < 1, so x₁* = 0, and
/// each of x₂, x₃ solves x = tanh(d x) with d > 1: x ∈ {0, ±t}. In [0,1]³ that is four points,
/// of which only (0, t, t) is attracting (the others have the factor d > 1 in an unstable
/// direction). At the origin φ'(0) = 1, so J = W, lower triangular: eigenvalues W₁₁, W₂₂, W₃₃.
/// The printed 2.43 (±0.005, its rounding) must lie in the range of W₂₂, W₃₃ over the steps at
/// which all of Table 1 prints as in the paper.
#[test]
fn n5_tanh_four_fixed_points_one_attractor_eigenvalues_2_43() {
    let f = &chapter().flows.tanh;
    let cube: Vec<_> = f.fixed_points.iter().filter(|p| p.in_cube).collect();
    assert_eq!(cube.len(), 4);
    let attract: Vec<_> = cube
        .iter()
        .filter(|p| p.stability == Stability::Attractor)
        .collect();
    assert_eq!(attract.len(), 1);
    let a = &attract[0].x;
    assert!(a[0].abs() < 1e-9 && a[1] > 0.9 && a[2] > 0.9, "{a:?}");
    // t solves t = tanh(d t): check against W₂₂ by hand.
    let w = f.w.0.clone();
    assert!((a[1] - (w[(1, 1)] * a[1]).tanh()).abs() < 1e-10);
    let mut diag = vec![w[(0, 0)], w[(1, 1)], w[(2, 2)]];
    diag.sort_by(|p, q| q.total_cmp(p));
    let te = &chapter().tanh_eigen;
    for (e, d) in te.origin_eigenvalues.iter().zip(&diag) {
        assert!((e.0 - d).abs() < 1e-9 && e.1 == 0.0, "{e:?} vs {d}");
    }
    let (lo, hi) = chapter().reproductions.tanh.window_diag.expect("a window");
    for v in paper::N5_EIGENVALUES {
        assert!(
            v + 0.005 >= lo && v - 0.005 <= hi,
            "{v} outside [{lo}, {hi}]"
        );
    }
    assert!(te.table_matches_at_printed);
    assert_finding("N5", Verdict::Qualified);
}

/// N6. Over z ± 0.5 around where the network outputs 0: tanh at z = 0 has slope between
/// 1 − tanh²(0.5) = 0.786 and 1, a factor 1.27 (< 1.5, nearly linear); the sigmoid at its zero
/// target (z ≈ −4) changes slope by more than 2. Where they output 1 both change by more than 2.
#[test]
fn n6_sigmoid_nonlinear_at_0_and_1_tanh_linear_at_0() {
    let pts = &chapter().linearity.points;
    let t0 = &pts.tanh[0];
    assert_eq!((t0.activation, t0.target), (ActivationKind::Tanh, 0));
    assert!(t0.z.abs() < 1e-9);
    let by_hand = 1.0 / (1.0 - 0.5f64.tanh().powi(2));
    assert!(
        (t0.slope_ratio - by_hand).abs() < 1e-9,
        "{} vs {by_hand}",
        t0.slope_ratio
    );
    assert!(t0.slope_ratio < 1.5);
    assert!(pts.tanh[1].slope_ratio > 2.0);
    assert!(pts.sigmoid[0].slope_ratio > 2.0 && pts.sigmoid[1].slope_ratio > 2.0);
    assert_finding("N6", Verdict::Reproduced);
}

/// Newton's fixed points against plain iteration: every grid start, iterated 25 times by our
/// own loop, ends within 1e-8 of a fixed point Newton found (the slowest contraction, 0.28 per
/// step for tanh, gives 0.28²⁵ ≈ 1e-14), and the chapter's iterates agree with ours to 1e-12.
#[test]
fn newton_fixed_points_agree_with_iteration() {
    for (kind, f) in chapter().flows.iter() {
        let c = c_of(kind);
        let w = f.w.0.clone();
        assert_eq!(f.unassigned, 0);
        assert!(f.max_endpoint_gap < 1e-8, "{kind}: {}", f.max_endpoint_gap);
        for (traj, end) in f.trajectories.iter().zip(&f.endpoints) {
            let mut x = DVector::from_column_slice(&traj[0]);
            for _ in 0..chapter().params.flow_fixed_steps {
                let z = &w * &x;
                x = z.map(|v| phi(kind, c, v));
            }
            assert!((&x - DVector::from_column_slice(end)).amax() < 1e-12);
            let nearest = f
                .fixed_points
                .iter()
                .map(|p| (DVector::from_column_slice(&p.x) - &x).norm())
                .fold(f64::INFINITY, f64::min);
            assert!(nearest < 1e-8);
        }
        let basins: usize = f.fixed_points.iter().map(|p| p.basin).sum();
        assert_eq!(basins, f.endpoints.len());
    }
}

/// Every classified fixed point satisfies ‖φ(Wx*) − x*‖ < 1e-10, recomputed here by hand.
#[test]
fn every_fixed_point_has_residual_below_1e_10() {
    for (kind, f) in chapter().flows.iter() {
        let c = c_of(kind);
        let w = f.w.0.clone();
        assert!(!f.fixed_points.is_empty());
        for p in &f.fixed_points {
            let x = DVector::from_column_slice(&p.x);
            let y = (&w * &x).map(|v| phi(kind, c, v));
            assert!((y - &x).norm() < 1e-10, "{kind}: {:?}", p.x);
            assert!(p.residual < 1e-10);
        }
    }
}

/// Theory fixes L(000): ¼ for every sigmoid network (φ(0) = ½ whatever c), tanh²c for every
/// tanh network, including the c sweep. To 1e-9.
#[test]
fn theory_fixed_table1_entries_hold_to_1e_9() {
    let out = chapter();
    let k = out
        .patterns
        .iter()
        .position(|p| p.to_string() == "000")
        .unwrap();
    for (key, r) in out.runs.iter() {
        let want = match key.activation {
            ActivationKind::Sigmoid => 0.25,
            ActivationKind::Tanh => 0.0,
        };
        assert!((r.table[k] - want).abs() < 1e-9);
    }
    for (kind, rows) in out.sweep.iter() {
        for s in rows {
            let want = match kind {
                ActivationKind::Sigmoid => 0.25,
                ActivationKind::Tanh => s.c.tanh().powi(2),
            };
            assert!((s.table[k] - want).abs() < 1e-9, "{kind} c = {}", s.c);
        }
    }
    for row in &out.table1 {
        if let Some(v) = row.theory_sigmoid {
            assert!(
                (row.sigmoid_repro - v).abs() < 1e-9
                    && row.sigmoid_ours.iter().all(|x| (x - v).abs() < 1e-9)
            );
        }
        if let Some(v) = row.theory_tanh {
            assert!(
                (row.tanh_repro - v).abs() < 1e-9
                    && row.tanh_ours.iter().all(|x| (x - v).abs() < 1e-9)
            );
        }
    }
    assert!(out.theory.sigmoid_000_error < 1e-9 && out.theory.tanh_000_error < 1e-9);
}

/// No item of X' has x₁ = 1, so ∂L/∂W = (2/(Nm)) Σ δ xᵀ has a zero first column: every
/// optimiser leaves the first column of W exactly as initialised.
#[test]
fn first_column_is_never_trained_on_x_prime() {
    for (key, r) in chapter()
        .runs
        .iter()
        .filter(|(k, _)| k.set == TrainingSet::XPrime)
    {
        let (w, w0) = (r.w.0.clone(), r.initial_w.0.clone());
        assert_eq!(w.column(0), w0.column(0), "{key:?}");
    }
}

#[test]
fn nonlinear_ledger_has_no_regression() {
    for r in scorecard(&chapter().findings, &["nonlinear"])
        .iter()
        .filter(|r| r.chapter == "nonlinear")
    {
        assert!(r.ok, "{}: {:?}", r.id, r);
    }
}

#[test]
fn nonlinear_quick_build_holds_every_claim() {
    let out = nonlinear::compute(&Params::quick()).unwrap();
    for f in &out.findings {
        assert!(f.holds, "{} (quick): {}", f.id, f.ours);
    }
}

/// The linear panel of Fig. 1 is the network the book infers the paper used: trained from the
/// tanh reproduction's initial W, so its untrained first column is the one inferred from
/// Table 1, and its loss at every x₁ = 1 pattern, ‖w − e₁‖²/3, is the identity column's value
/// (the reproduction's `identity_loss`, within the printed rounding of 0.4251). Gradient
/// descent keeps the column to rounding error; the rest solves the task.
#[test]
fn fig1_linear_panel_has_the_first_column_inferred_from_table1() {
    let out = chapter();
    let lf = &out.linear_flow;
    let rt = &out.reproductions.tanh;
    for i in 0..3 {
        assert!((lf.w[(i, 0)] - rt.first_column[i]).abs() < 1e-12, "row {i}");
    }
    assert!((lf.lambda3 - rt.first_column[0]).abs() < 1e-12);
    assert!((lf.identity_loss - rt.identity_loss).abs() < 1e-12);
    let (lo, hi) = rt.identity_loss_range;
    assert!(lo <= lf.identity_loss && lf.identity_loss <= hi);
    assert!(lf.final_loss < 1e-20);
}
