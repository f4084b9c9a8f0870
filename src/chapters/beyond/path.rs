//! "Beyond the paper", from the linear to the tanh network: networks with the activations of
//! two one-parameter paths from the identity to tanh, trained on X' and compared with the
//! closed-form limit of their span loss ([`crate::maths::penalty::span_loss_limit`]).

use nalgebra::DMatrix;
use serde::Serialize;

use super::Params;
use super::regularisation::{Generalisation, Probes, generalisation, mean_of};
use crate::maths::penalty::{ActivationFamily, Penalty, span_loss_limit, train_penalised};

/// One activation on the path from the identity to tanh.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathPoint {
    pub phi: ActivationFamily,
    /// k or g.
    pub t: f64,
    /// Mean over seeds after training.
    pub trained: Generalisation,
    /// w* with φ(w*) = 1 (None for tanh: the weights grow without bound).
    pub w_star: Option<f64>,
    /// The span loss of the limit solution diag(·, w*, w*) (closed form).
    pub span_limit: f64,
}

fn path(p: &Params, pr: &Probes, w0s: &[DMatrix<f64>]) -> Vec<PathPoint> {
    let phis = p
        .mix_ks
        .iter()
        .map(|&k| (ActivationFamily::Mix { k }, k))
        .chain(p.gains.iter().map(|&g| (ActivationFamily::Gain { g }, g)));
    phis.map(|(phi, t)| {
        let gs: Vec<Generalisation> = w0s
            .iter()
            .map(|w0| {
                let w = train_penalised(
                    w0.clone(),
                    &pr.items,
                    phi,
                    Penalty::None,
                    0.0,
                    p.mix_lr,
                    p.mix_steps,
                );
                generalisation(&w, phi, pr)
            })
            .collect();
        PathPoint {
            phi,
            t,
            trained: mean_of(&gs),
            w_star: phi.unit_preimage(),
            span_limit: span_loss_limit(phi, &pr.span),
        }
    })
    .collect()
}

/// The points of both paths, trained from the initial matrices `w0s`: (φ_k over `mix_ks`,
/// φ_g over `gains`).
pub(super) fn paths(
    p: &Params,
    pr: &Probes,
    w0s: &[DMatrix<f64>],
) -> (Vec<PathPoint>, Vec<PathPoint>) {
    path(p, pr, w0s)
        .into_iter()
        .partition(|q| matches!(q.phi, ActivationFamily::Mix { .. }))
}

/// Largest |trained − limit| span loss over the points with a finite w*, where training can
/// reach the limit.
pub(super) fn limit_gap(mix: &[PathPoint], gain: &[PathPoint]) -> f64 {
    mix.iter()
        .chain(gain)
        .filter(|q| q.w_star.is_some())
        .map(|q| (q.trained.span - q.span_limit).abs())
        .fold(0.0, f64::max)
}
