//! The computed evidence behind the errata of §3.2 and §4 (E13–E21) of
//! [`crate::errata::ERRATA`]: one function per erratum, as in [`super::checks`].

use crate::chapters::linear::{self, PaperInit, SetId, SetupId};
use crate::chapters::nonlinear::{self, ActivationKind};
use crate::claims::{Finding, Verdict};
use crate::dynamics::Stability;
use crate::fmt::{fixed, sci};
use crate::network::{Activation, Network};

use super::checks::{finding, patterns};

/// E13: eq. 8's loss against what training reaches.
pub(super) fn e13(nl: &nonlinear::Output) -> Finding {
    let l = &nl.eq8.losses;
    let worst_ratio = l
        .iter()
        .map(|x| x.min / x.trained.max(f64::MIN_POSITIVE))
        .fold(f64::INFINITY, f64::min);
    let spread = l.iter().map(|x| x.max - x.min).fold(0.0, f64::max);
    finding(
        "E13",
        Verdict::Differs,
        format!(
            "training loss of W_ab + W_c over random (a, b): {}; its spread over (a, b) at most {}; the trained networks reach at least {} times less",
            l.iter()
                .map(|x| format!(
                    "{} on {}: {} (trained {})",
                    x.activation,
                    x.set,
                    fixed(x.min, 4),
                    sci(x.trained, 1)
                ))
                .collect::<Vec<_>>()
                .join(", "),
            sci(spread, 1),
            fixed(worst_ratio, 0)
        ),
        "no solution: loss at least 10 times what training reaches, for every activation and set",
        !l.is_empty() && worst_ratio > 10.0 && spread < 1e-9,
    )
}

/// E14: the printed sigmoid W_c.
pub(super) fn e14(nl: &nonlinear::Output) -> Finding {
    let e = &nl.eq8;
    let at = |v: &[(usize, usize)]| {
        v.iter()
            .map(|(i, j)| format!("({i},{j})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    finding(
        "E14",
        Verdict::PaperTypo,
        format!(
            "at c = {} the printed sigmoid W_c is {} from Σ-invariance; it differs from the pattern φ(1) − φ(0) − 1 on the diagonal only in {}",
            fixed(e.sigmoid_c, 2),
            fixed(e.defect_sigmoid, 3),
            at(&e.mismatch_sigmoid)
        ),
        "invariant: distance below 10⁻¹²",
        e.defect_sigmoid > 0.1 && e.mismatch_sigmoid == [(2, 2)],
    )
}

/// E15: the printed tanh W_c.
pub(super) fn e15(nl: &nonlinear::Output) -> Finding {
    let e = &nl.eq8;
    let at = |v: &[(usize, usize)]| {
        v.iter()
            .map(|(i, j)| format!("({i},{j})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let first_col = |v: &[(usize, usize)]| v.iter().any(|&(_, j)| j == 1);
    finding(
        "E15",
        Verdict::PaperTypo,
        format!(
            "against the pattern of φ(k) the printed tanh W_c differs in {}; at c = {} it differs from the pattern of tanh(z + c) in {} and from that of tanh(z − c) in {}",
            at(&e.mismatch_tanh),
            fixed(e.probe_c, 2),
            at(&e.probe_mismatch_plus),
            at(&e.probe_mismatch_minus)
        ),
        "entries equal to 10⁻⁹",
        !e.mismatch_tanh.is_empty()
            && e.mismatch_tanh.iter().all(|&(i, j)| i == j)
            && !first_col(&e.probe_mismatch_plus)
            && first_col(&e.probe_mismatch_minus),
    )
}

/// E16: Table 1's tanh column is not that of an invariant network.
pub(super) fn e16(nl: &nonlinear::Output) -> Finding {
    let t = &nl.theory;
    let rt = &nl.reproductions.tanh;
    finding(
        "E16",
        Verdict::Differs,
        format!(
            "printed tanh L(110) − L(101) = {}, where two rounded values can differ by {} at most; the network that reproduces the column (its first column inferred from the table) is {} from Σ-invariance",
            fixed(t.printed_swap_gap_tanh, 4),
            fixed(t.rounding_gap, 4),
            fixed(rt.defect, 3)
        ),
        "a gap more than 10 × the rounding",
        t.printed_swap_gap_tanh.abs() > 10.0 * t.rounding_gap && rt.defect > 0.1,
    )
}

fn tanh_points(nl: &nonlinear::Output) -> (Vec<&nonlinear::FixedPointInfo>, usize) {
    let tf = &nl.flows.tanh;
    (
        tf.fixed_points.iter().filter(|q| q.in_cube).collect(),
        tf.endpoints.len(),
    )
}

fn near(x: &[f64], target: [f64; 3], tol: f64) -> bool {
    x.iter().zip(target).all(|(a, b)| (a - b).abs() < tol)
}

/// E17: not every grid start reaches the tanh attractor.
pub(super) fn e17(nl: &nonlinear::Output) -> Finding {
    let (cube, starts) = tanh_points(nl);
    let attractor = cube
        .iter()
        .find(|q| q.stability == Stability::Attractor && near(&q.x, [0.0, 1.0, 1.0], 0.1));
    let basin = attractor.map_or(0, |q| q.basin);
    let others: Vec<String> = cube
        .iter()
        .filter(|q| q.basin > 0 && q.stability != Stability::Attractor)
        .map(|q| {
            format!(
                "({}, {}, {}) {:?}: {}",
                fixed(q.x[0], 2),
                fixed(q.x[1], 2),
                fixed(q.x[2], 2),
                q.stability,
                q.basin
            )
            .to_lowercase()
        })
        .collect();
    finding(
        "E17",
        Verdict::Differs,
        format!(
            "{basin} of {starts} grid starts reach the attractor near (0,1,1); the others end at {}",
            others.join(", ")
        ),
        "a start belongs to a fixed point when its iterate at n = 25 is within 10⁻⁶ of it",
        attractor.is_some() && basin < starts && !others.is_empty(),
    )
}

/// E18: tanh reproduces 000 and 011 in the paper's table and in ours.
pub(super) fn e18(nl: &nonlinear::Output) -> Finding {
    let row = |p: &str| nl.table1.iter().find(|r| r.pattern.to_string() == p);
    let (r000, r011) = (row("000"), row("011"));
    let ours_max = |r: Option<&nonlinear::Table1Row>| {
        r.map_or(f64::NAN, |r| {
            r.tanh_ours
                .iter()
                .copied()
                .chain([r.tanh_adam, r.tanh_repro])
                .fold(0.0, f64::max)
        })
    };
    let printed = |r: Option<&nonlinear::Table1Row>| r.map_or(f64::NAN, |r| r.printed_tanh);
    let (p000, p011, o000, o011) = (printed(r000), printed(r011), ours_max(r000), ours_max(r011));
    finding(
        "E18",
        Verdict::Differs,
        format!(
            "the paper prints tanh L(000) = {} and L(011) = {}; over our tanh networks on X′ the largest are {} and {} (the linear network: 0 and 0)",
            fixed(p000, 4),
            fixed(p011, 4),
            sci(o000, 1),
            sci(o011, 1)
        ),
        "reproduced: loss below 10⁻³",
        p000 < 1e-3 && p011 < 1e-3 && o000 < 1e-3 && o011 < 1e-3,
    )
}

/// E19: the tanh network's fixed points at its training items are saddles.
pub(super) fn e19(nl: &nonlinear::Output) -> Finding {
    let (cube, _) = tanh_points(nl);
    let at_items: Vec<&&nonlinear::FixedPointInfo> = cube
        .iter()
        .filter(|q| near(&q.x, [0.0, 1.0, 0.0], 0.1) || near(&q.x, [0.0, 0.0, 1.0], 0.1))
        .collect();
    let attractors: Vec<&&nonlinear::FixedPointInfo> = cube
        .iter()
        .filter(|q| q.stability == Stability::Attractor)
        .collect();
    let sigmoid_items_attract = nl
        .flows
        .sigmoid
        .fixed_points
        .iter()
        .filter(|q| q.stability == Stability::Attractor)
        .count()
        == 2;
    let show = |q: &nonlinear::FixedPointInfo| {
        format!(
            "({}, {}, {}) {:?}",
            fixed(q.x[0], 2),
            fixed(q.x[1], 2),
            fixed(q.x[2], 2),
            q.stability
        )
        .to_lowercase()
    };
    finding(
        "E19",
        Verdict::Differs,
        format!(
            "tanh network: fixed points at the training items {}; its attractors in the cube {}; the sigmoid network's two attractors are its items",
            at_items
                .iter()
                .map(|q| show(q))
                .collect::<Vec<_>>()
                .join(", "),
            attractors
                .iter()
                .map(|q| show(q))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "type from the Jacobian's eigenvalues (attractor: all moduli below 1)",
        at_items.len() == 2
            && at_items.iter().all(|q| q.stability == Stability::Saddle)
            && attractors.len() == 1
            && attractors.iter().all(|q| near(&q.x, [0.0, 1.0, 1.0], 0.1))
            && sigmoid_items_attract,
    )
}

/// E20: non-invariant linear networks generalise as well as invariant ones.
pub(super) fn e20(lin: &linear::Output) -> Finding {
    let span = &lin.x_prime.solutions.generalizes_to;
    let loss = |r: &linear::Run| -> f64 {
        Network::new(r.trained.w.0.clone(), Activation::Identity)
            .ok()
            .map_or(f64::NAN, |net| {
                span.iter()
                    .map(|p| net.pattern_loss(&p.to_vector()))
                    .fold(0.0, f64::max)
            })
    };
    let gd = || {
        lin.runs
            .iter()
            .filter(|r| r.set == SetId::XPrime && r.gradient_family)
    };
    let most_broken = gd().max_by(|a, b| a.trained.defect.total_cmp(&b.trained.defect));
    let invariant = lin
        .runs
        .get(SetId::XPrime, SetupId::SgdFull, PaperInit::Zeros);
    let (defect, label, broken_loss) =
        most_broken.map_or((f64::NAN, String::new(), f64::NAN), |r| {
            (
                r.trained.defect,
                format!("{} from {}", r.setup.label(), r.init),
                loss(r),
            )
        });
    let worst = gd().map(loss).fold(0.0, f64::max);
    finding(
        "E20",
        Verdict::Differs,
        format!(
            "on X′ the run {label} is {} from Σ-invariance and reproduces {} with loss at most {}; the invariant run from W = 0 (distance {}) does so with {}; over every gradient-descent run the largest such loss is {}",
            fixed(defect, 3),
            patterns(span),
            sci(broken_loss, 1),
            sci(invariant.trained.defect, 1),
            sci(loss(invariant), 1),
            sci(worst, 1)
        ),
        "reproduced: loss below 10⁻¹²; not invariant: distance above 0.1",
        defect > 0.1 && broken_loss < 1e-12 && worst < 1e-12,
    )
}

/// E21: no nonlinear network reaches zero training loss.
pub(super) fn e21(nl: &nonlinear::Output) -> Finding {
    let losses = |kind: ActivationKind| -> (f64, f64) {
        let v: Vec<f64> = nl
            .runs
            .iter()
            .filter(|(k, _)| k.activation == kind)
            .map(|(_, r)| r.final_loss)
            .collect();
        (
            v.iter().copied().fold(f64::INFINITY, f64::min),
            v.iter().copied().fold(0.0, f64::max),
        )
    };
    let (t_min, t_max) = losses(ActivationKind::Tanh);
    let (s_min, s_max) = losses(ActivationKind::Sigmoid);
    let row = nl.table1.first();
    let (pt, ps) = row.map_or((f64::NAN, f64::NAN), |r| {
        (r.printed_tanh, r.printed_sigmoid)
    });
    finding(
        "E21",
        Verdict::Differs,
        format!(
            "final training losses of our tanh networks {} to {}, sigmoid {} to {}; the paper's Table 1 prints {} (tanh) and {} (sigmoid) at its training items",
            sci(t_min, 1),
            sci(t_max, 1),
            sci(s_min, 1),
            sci(s_max, 1),
            fixed(pt, 4),
            fixed(ps, 4)
        ),
        "not solved: every final loss above 0",
        t_min > 0.0 && s_min > 0.0 && pt > 0.0 && ps > 0.0,
    )
}
