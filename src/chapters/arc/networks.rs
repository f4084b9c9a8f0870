//! "The ARC example", what the networks do with the test triangle: linear, tanh and sigmoid
//! networks trained on X', their output for the test item, whether eq. 2 holds there, and the
//! rules that can be read off the trained W itself.

use serde::Serialize;

use super::Params;
use crate::Result;
use crate::analyze::weight_symmetries;
use crate::maths::matrix::Matrix;
use crate::network::{Activation, Network};
use crate::pattern::{Pattern, PatternSet};
use crate::perm::Permutation;
use crate::seeds;
use crate::train::{self, Batching, Init, Optimizer, TrainParams};

/// One network trained on X' and what it does with the test triangle.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetRow {
    pub label: String,
    pub activation: Activation,
    pub settings: String,
    pub steps: usize,
    pub final_loss: f64,
    pub w: Matrix,
    /// ‖W − s·W‖_F for the rule s = (23): 0 for a Σ-invariant W.
    pub defect: f64,
    /// φ_W(t), the pattern it rounds to, and its loss against t itself and against the rule's
    /// answer: (1/N)‖φ_W(t) − y‖².
    pub out_test: Vec<f64>,
    pub nearest: Pattern,
    pub loss_vs_test: f64,
    pub loss_vs_answer: f64,
    /// φ_W(s·t), s·φ_W(t) and the gap ‖φ_W(s·t) − s·φ_W(t)‖ (eq. 2 at the test item).
    pub out_answer: Vec<f64>,
    pub rule_of_out_test: Vec<f64>,
    pub equivariance_gap: f64,
    /// The symmetries of W itself, and the answers they give for t.
    pub weight_symmetries: Vec<Permutation>,
    pub weight_candidates: Vec<Pattern>,
    /// All patterns of length N whose output rounds to themselves.
    pub reproduces: Vec<Pattern>,
}

/// Largest ‖φ_W(s·t) − s·φ_W(t)‖ accepted as "equal" for a network trained from W = 0 by
/// full-batch gradient descent: the iterates stay Σ-invariant up to rounding, so the gap is
/// rounding of a 3×3 product and one activation (~1e-16); 1e-12 leaves room.
pub const EQUIVARIANCE_TOL: f64 = 1e-12;

fn vec_of(v: &nalgebra::DVector<f64>) -> Vec<f64> {
    v.iter().copied().collect()
}

/// Train one network on X' and confront it with the test triangle t and the rule s: its
/// output φ_W(t), how far that is from t and from the answer s·t, whether eq. 2 holds at t
/// (φ_W(s·t) = s·φ_W(t)), and which rules can be read off W itself.
fn network_on_test(
    label: &str,
    params: &TrainParams,
    set: &PatternSet,
    test: &Pattern,
    rule: &Permutation,
    tol: f64,
) -> Result<NetRow> {
    // ANCHOR: network_on_test
    let trained = train::train(&set.vectors(), params)?;
    let net: Network = trained.network(params.activation);
    let w = trained.weights();
    let (t, answer) = (test.to_vector(), rule.act_on_pattern(test).to_vector());
    let out_test = net.forward(&t);
    let out_answer = net.forward(&answer);
    let rule_of_out_test = rule.act_on_vector(&out_test);
    let n = set.n() as f64;
    let symmetries = weight_symmetries(&w, tol)?;
    let mut weight_candidates: Vec<Pattern> = symmetries
        .iter()
        .map(|s| s.act_on_pattern(test))
        .filter(|p| p != test)
        .collect();
    weight_candidates.sort();
    weight_candidates.dedup();
    // ANCHOR_END: network_on_test
    let mut reproduces = Vec::new();
    for p in Pattern::all(set.n())? {
        let x = p.to_vector();
        if net.reproduces(&x) {
            reproduces.push(p);
        }
    }
    Ok(NetRow {
        label: label.to_string(),
        activation: params.activation,
        settings: format!(
            "{}, {}, {} steps, init {}",
            params.optimizer.label(),
            params.batching.label(),
            trained.steps,
            params.init.label()
        ),
        steps: trained.steps,
        final_loss: trained.final_loss,
        defect: (&w - rule.act_on_matrix(&w)).norm(),
        w: Matrix::from(&w),
        nearest: Pattern::nearest(out_test.as_slice())?.0,
        loss_vs_test: (&out_test - &t).norm_squared() / n,
        loss_vs_answer: (&out_test - &answer).norm_squared() / n,
        equivariance_gap: (&out_answer - &rule_of_out_test).norm(),
        out_test: vec_of(&out_test),
        out_answer: vec_of(&out_answer),
        rule_of_out_test: vec_of(&rule_of_out_test),
        weight_symmetries: symmetries,
        weight_candidates,
        reproduces,
    })
}

/// The four networks of the chapter's table, trained on `set` and confronted with `test`
/// and `rule`.
pub(super) fn networks(
    p: &Params,
    set: &PatternSet,
    test: &Pattern,
    rule: &Permutation,
) -> Result<Vec<NetRow>> {
    let gd = |activation, lr, steps: usize, threshold| TrainParams {
        activation,
        init: Init::Zeros,
        optimizer: Optimizer::Sgd { lr },
        batching: Batching::Full,
        max_steps: steps,
        loss_threshold: threshold,
        seed: seeds::chapter(p.seed),
        record_every: steps.max(1),
    };
    let adam = TrainParams {
        activation: Activation::Identity,
        init: Init::Uniform {
            low: 0.0,
            high: 1.0,
        },
        optimizer: Optimizer::adam(p.adam_lr),
        batching: Batching::WithReplacement { batch_size: 2 },
        max_steps: p.adam_steps,
        loss_threshold: None,
        seed: seeds::chapter(p.seed),
        record_every: p.adam_steps.max(1),
    };
    let tanh = Activation::Tanh { c: p.tanh_c };
    let sigmoid = Activation::Sigmoid { c: p.sigmoid_c };
    [
        // Gradient descent converges linearly to an exact solution: stop at rounding level.
        (
            "linear, SGD from W = 0".to_string(),
            gd(Activation::Identity, p.sgd_lr, p.sgd_steps, Some(1e-30)),
        ),
        ("linear, Adam from U(0,1)".to_string(), adam),
        (
            format!("tanh (c = {}), SGD from W = 0", p.tanh_c),
            gd(tanh, p.tanh_lr, p.tanh_steps, None),
        ),
        (
            format!("sigmoid (c = {}), SGD from W = 0", p.sigmoid_c),
            gd(sigmoid, p.sigmoid_lr, p.sigmoid_steps, None),
        ),
    ]
    .iter()
    .map(|(label, tp)| network_on_test(label, tp, set, test, rule, p.weight_symmetry_tol))
    .collect()
}
