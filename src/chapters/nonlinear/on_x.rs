//! §3.2.2 asked of the other training set: the fixed points and their stability for the
//! networks trained on X = {101, 110}, where the paper shows only X′. "Memory versus plane
//! attractor" is the paper's point, so the question is whether the nonlinear networks on X,
//! too, hold their items as attractors, and what becomes of the plane the linear network
//! attracts to.

use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::fixed_points::{FixedPointInfo, flow};
use super::grid::{Grid, PaperInit, Setup, TrainingSet};
use super::{ActivationKind, Params};
use crate::Result;
use crate::dynamics::Stability;
use crate::network::Network;
use crate::pattern::Pattern;

/// An attractor in [0,1]³: where it is, the binary pattern nearest to it, and its basin.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attractor {
    pub x: Vec<f64>,
    pub nearest: Pattern,
    pub distance: f64,
    pub basin: usize,
}

/// The fixed points of one network trained on X (SGD, full batch).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct XRow {
    pub activation: ActivationKind,
    pub init: PaperInit,
    /// Fixed points in [0,1]³, and among them the saddles.
    pub in_cube: usize,
    pub saddles: usize,
    pub attractors: Vec<Attractor>,
    /// Grid starts that reach no fixed point by the paper's n = 25.
    pub unassigned: usize,
    /// Grid starts.
    pub starts: usize,
    /// Every fixed point found, in the cube or not, with its type.
    pub fixed_points: Vec<FixedPointInfo>,
    /// For each training item, the fixed point nearest to it: does the network hold its items?
    pub items: Vec<ItemPoint>,
}

/// A training item and the fixed point nearest to it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemPoint {
    pub item: Pattern,
    pub x: Vec<f64>,
    pub distance: f64,
    pub stability: Stability,
}

/// Every SGD network on X, one per activation and initialisation, from a quarter of the
/// chapter's random Newton starts each (as the survey on X′).
pub(super) fn survey(
    p: &Params,
    grid: &Grid,
    data: &super::grid::TrainingData,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<XRow>> {
    let quiet = Params {
        random_starts: p.random_starts / 4,
        ..p.clone()
    };
    let mut rows = Vec::new();
    for (key, r) in grid
        .iter()
        .filter(|(k, _)| k.set == TrainingSet::X && k.setup == Setup::SgdFullBatch)
    {
        let net = Network::new(r.w.0.clone(), quiet.activation(key.activation))?;
        let f = flow(&quiet, key.activation, &net, "", rng)?;
        let cube = || f.fixed_points.iter().filter(|q| q.in_cube);
        let mut attractors = Vec::new();
        for q in cube().filter(|q| q.stability == Stability::Attractor) {
            let (nearest, distance) = Pattern::nearest(&q.x)?;
            attractors.push(Attractor {
                x: q.x.clone(),
                nearest,
                distance,
                basin: q.basin,
            });
        }
        rows.push(XRow {
            activation: key.activation,
            init: key.init,
            in_cube: cube().count(),
            saddles: cube().filter(|q| q.stability == Stability::Saddle).count(),
            attractors,
            unassigned: f.unassigned,
            starts: f.endpoints.len(),
            items: data
                .x
                .patterns()
                .iter()
                .filter_map(|item| {
                    let v = item.to_vector();
                    f.fixed_points
                        .iter()
                        .map(|q| {
                            let d =
                                q.x.iter()
                                    .zip(v.iter())
                                    .map(|(a, b)| (a - b).powi(2))
                                    .sum::<f64>()
                                    .sqrt();
                            (q, d)
                        })
                        .min_by(|a, b| a.1.total_cmp(&b.1))
                        .map(|(q, d)| ItemPoint {
                            item: item.clone(),
                            x: q.x.clone(),
                            distance: d,
                            stability: q.stability,
                        })
                })
                .collect(),
            fixed_points: f.fixed_points.clone(),
        });
    }
    Ok(rows)
}

/// The tanh network at the paper's printed eigenvalue: the Table 1 reproduction stopped at the
/// first traced step where its trained diagonal (the linearisation's pair at 0) prints as the
/// paper's 2.43, with its Table 1 column and its fixed points.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AtPrinted {
    pub step: usize,
    /// The trained diagonal W₂₂, W₃₃ there.
    pub diag: (f64, f64),
    /// Table 1 entries that still print as in the paper, of how many, and the largest
    /// difference.
    pub matching: usize,
    pub entries: usize,
    pub max_diff: f64,
    pub in_cube: usize,
    pub saddles: usize,
    pub attractors: Vec<Attractor>,
    pub unassigned: usize,
    pub starts: usize,
}

/// Train the tanh reproduction from its initial W to `step` and analyse it as the flow of
/// Fig. 1; `None` when no traced step prints the printed eigenvalue.
pub(super) fn tanh_at_printed(
    p: &Params,
    rt: &super::Reproduction,
    step: Option<usize>,
    data: &super::grid::TrainingData,
    rng: &mut ChaCha8Rng,
) -> Result<Option<AtPrinted>> {
    let Some(step) = step else {
        return Ok(None);
    };
    let act = p.activation(ActivationKind::Tanh);
    let tp = crate::train::TrainParams {
        max_steps: step,
        ..super::grid::train_params(
            p,
            act,
            Setup::SgdFullBatch,
            PaperInit::Uniform.init(),
            p.seed,
        )
    };
    let trained = crate::train::train_from(&data.xp.vectors(), rt.initial_w.0.clone(), &tp)?;
    let w = trained.weights();
    let net = Network::new(w.clone(), act)?;
    let table = super::grid::table_losses(&net, &data.patterns);
    let printed = super::printed_column(ActivationKind::Tanh);
    let (max_diff, matching) = super::reproduction::compare(&table, &printed);
    let quiet = Params {
        random_starts: p.random_starts / 4,
        ..p.clone()
    };
    let f = flow(&quiet, ActivationKind::Tanh, &net, "", rng)?;
    let cube = || f.fixed_points.iter().filter(|q| q.in_cube);
    let mut attractors = Vec::new();
    for q in cube().filter(|q| q.stability == Stability::Attractor) {
        let (nearest, distance) = Pattern::nearest(&q.x)?;
        attractors.push(Attractor {
            x: q.x.clone(),
            nearest,
            distance,
            basin: q.basin,
        });
    }
    Ok(Some(AtPrinted {
        step,
        diag: (w[(1, 1)], w[(2, 2)]),
        matching,
        entries: table.len(),
        max_diff,
        in_cube: cube().count(),
        saddles: cube().filter(|q| q.stability == Stability::Saddle).count(),
        attractors,
        unassigned: f.unassigned,
        starts: f.endpoints.len(),
    }))
}
