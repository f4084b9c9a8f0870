//! Chapter "Linear auto-associator" (paper §3.1): the solution set and its Σ-invariant part
//! (eq. 6), spectra and stability of the plane attractor, training by every optimiser of the
//! paper from every initialisation, the implicit bias of gradient descent that predicts the
//! printed SGD matrices exactly, Adam's departure from it, averages over many seeds, the
//! generalisation table (Table 1, identity column) and the flow field (Fig. 1, left).
//! Claims L1–L14.
//!
//! Pure: `Params` in, `Output` out. One file per section of `templates/linear.md.tera`:
//! `coordinates` (the solution sets, L1), `stability` (L2, L11), `grid` (the training runs),
//! `printed` (L4), `averages` (L7), `flow` (Table 1 and Fig. 1, L10, L13, L14); `findings`
//! judges the claims. Runs are looked up by typed set, set-up and initialisation
//! ([`SetId`], [`SetupId`], [`PaperInit`]), never by the labels derived from them for display.

mod averages;
mod coordinates;
mod findings;
mod flow;
mod grid;
mod printed;
mod stability;

pub use averages::{Average, Averages};
pub use coordinates::{Described, MemberCheck, SetId, TrainingSet};
pub use flow::{Flow, Table1Row, flow_network};
pub use grid::{
    ByInit, GD_LOSS_FLOOR, Grid, GridView, InitCell, PaperInit, Run, Setup, SetupId, SetupRow,
    setups,
};
pub use printed::{Printed, PrintedComparison};
pub use stability::{Spectra, SpectrumCheck, StabilityMap};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::claims::Finding;
use crate::{Error, Result, seeds};

/// The settings of the chapter. The paper states none of the learning rates, step counts or
/// batch schemes; these are ours, and the chapter shows which of them matter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    pub seed: u64,
    /// Learning rate of plain SGD (every batch scheme).
    pub sgd_lr: f64,
    /// SGD with momentum.
    pub momentum_lr: f64,
    pub momentum: f64,
    /// Delta rule (Widrow–Hoff, online).
    pub delta_lr: f64,
    /// Adam (PyTorch defaults for the betas and eps).
    pub adam_lr: f64,
    /// Updates per run for the gradient-descent family and for Adam.
    pub gd_steps: usize,
    pub adam_steps: usize,
    /// Seeds per initial distribution for the averages (L7).
    pub average_seeds: usize,
    /// Adam learning rates and seeds tried when searching the unstated settings (L4).
    pub search_lrs: Vec<f64>,
    pub search_seeds: usize,
    /// Random members of the families checked for the spectrum formula (L2), and grid points
    /// per axis of the stability map (L11).
    pub spectrum_samples: usize,
    pub stability_grid: usize,
    /// Random linear combinations of the training items checked (L10).
    pub combinations: usize,
    /// Flow field (L14): grid points per axis, iterations drawn, iterations to the fixed point.
    pub flow_grid: usize,
    pub flow_steps: usize,
    pub flow_fixed_steps: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            seed: 2024,
            sgd_lr: 0.5,
            momentum_lr: 0.1,
            momentum: 0.9,
            delta_lr: 0.2,
            adam_lr: 1e-3,
            gd_steps: 3_000,
            adam_steps: 30_000,
            average_seeds: 2_000,
            search_lrs: vec![3e-4, 1e-3, 3e-3, 1e-2],
            search_seeds: 12,
            spectrum_samples: 500,
            stability_grid: 81,
            combinations: 1_000,
            flow_grid: 5,
            flow_steps: 6,
            flow_fixed_steps: 25,
        }
    }
}

impl Params {
    /// Fewer seeds and searches, same structure.
    pub fn quick() -> Self {
        Params {
            average_seeds: 100,
            search_lrs: vec![1e-3, 1e-2],
            search_seeds: 3,
            spectrum_samples: 50,
            stability_grid: 21,
            combinations: 50,
            ..Params::default()
        }
    }
}

/// The chapter's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub params: Params,
    /// Training loss at which gradient-descent runs stop.
    pub gd_loss_floor: f64,
    pub x: TrainingSet,
    pub x_prime: TrainingSet,
    /// L1 on random members of both solution sets.
    pub random_members: MemberCheck,
    pub setups: Vec<Setup>,
    /// The paper's initialisations, serialised by their labels.
    #[serde(rename = "init_labels")]
    pub inits: [PaperInit; 5],
    pub runs: Grid,
    /// The grid on X as the tables and the prose read it.
    pub on_x: GridView,
    pub printed: Printed,
    /// The printed random-init examples and average, described in the paper's coordinates.
    pub printed_examples: Vec<(String, Described)>,
    /// max |printed E Wrnd − P|: how close the paper's average is to the symmetric solution.
    pub printed_average_gap: f64,
    pub averages: Averages,
    pub spectra: Spectra,
    pub stability: StabilityMap,
    pub table1: Vec<Table1Row>,
    /// max ‖W v − v‖ over random combinations v of training items and all trained W (L10)
    pub combination_error: f64,
    pub flow: Flow,
    /// The largest distance from the solution set at which a network's training loss still
    /// prints as 0.0000 (the larger of the two sets'): what "a numerical solution" can mean at
    /// the paper's precision (L5).
    pub printed_zero_distance: f64,
    pub findings: Vec<Finding>,
}

/// Run the whole chapter. The chapter's own random stream is drawn by the spectra, the
/// stability map and the combinations, in that order; every training run has its own seed.
pub fn compute(p: &Params) -> Result<Output> {
    validate(p)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seeds::chapter(p.seed));
    let x = TrainingSet::new(SetId::X)?;
    let x_prime = TrainingSet::new(SetId::XPrime)?;
    let random_members = coordinates::random_members(&x, &x_prime, p.seed);
    let runs = Grid::train(p, &x, &x_prime)?;
    let printed = printed::compare(p, &x, &runs)?;
    let printed_examples = printed::examples(&x);
    let printed_average_gap = averages::printed_average_gap(&x);
    let averages = averages::measure(p, &x, printed_average_gap)?;
    let spectra = stability::spectra(&x, &x_prime, p.spectrum_samples, &mut rng);
    let stability = stability::stability_map(&x, &x_prime, p, &mut rng);
    let combination_error = flow::combination_error(&x, &x_prime, &runs, p, &mut rng)?;
    // Fig. 1 (left): the paper's likely setting for X' (Adam on random pairs, U(0,1) init).
    let flow = flow::flow(&x_prime, p)?;
    let table1 = flow::table1(&x_prime, &runs, &flow)?;
    let printed_zero_distance = [&x, &x_prime]
        .iter()
        .map(|set| set.distance_bound(crate::paper::rounding_tolerance()))
        .fold(0.0, f64::max);
    let mut out = Output {
        params: p.clone(),
        gd_loss_floor: GD_LOSS_FLOOR,
        x,
        x_prime,
        random_members,
        setups: setups(p),
        inits: PaperInit::ALL,
        on_x: runs.view(SetId::X, p),
        runs,
        printed,
        printed_examples,
        printed_average_gap,
        averages,
        spectra,
        stability,
        table1,
        combination_error,
        flow,
        printed_zero_distance,
        findings: Vec::new(),
    };
    out.findings = findings::findings(&out);
    Ok(out)
}

fn validate(p: &Params) -> Result<()> {
    let bad = |name: &str, value: String, why: &str| Err(Error::invalid(name, value, why));
    if p.average_seeds < 2 {
        return bad(
            "average_seeds",
            p.average_seeds.to_string(),
            "an average needs at least two seeds",
        );
    }
    if p.search_lrs.is_empty() || p.search_seeds == 0 {
        return bad(
            "search_lrs",
            format!("{:?}", p.search_lrs),
            "the Adam search needs learning rates and seeds",
        );
    }
    if p.flow_fixed_steps < p.flow_steps {
        return bad(
            "flow_fixed_steps",
            p.flow_fixed_steps.to_string(),
            "must be at least flow_steps",
        );
    }
    Ok(())
}
