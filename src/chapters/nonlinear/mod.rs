//! Chapter "Nonlinear auto-associator" (paper §3.2): tanh(z − c) and sigmoid(cz) networks
//! trained on X and X' with the paper's optimisers and initialisations. Claims N1–N6.
//!
//! Pure: `Params` in, `Output` out. One module per section of the chapter's page:
//!
//! - `grid`: the training grid, indexed by typed keys ("Training");
//! - `table1`: Table 1 row by row, the entries theory fixes, and what changing c does;
//! - `reproduction`: Table 1 reproduced with the untrained first column inferred from the
//!   print;
//! - `eq8`: eq. 8 and what it should have said;
//! - `fixed_points`: fixed points, their stability and basins (Fig. 1);
//! - `linearity`: where each activation is linear (N6);
//! - `findings`: the verdicts N1–N6.

mod eq8;
mod findings;
mod fixed_points;
mod grid;
mod linearity;
mod on_x;
mod reproduction;
mod table1;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::claims::Finding;
use crate::network::{Activation, Network};
use crate::pattern::Pattern;
use crate::seeds;
use crate::{Error, Result};

pub use eq8::{Corrected, Eq8, Eq8Loss, FormFit};
pub use fixed_points::{FixedPointInfo, Flow, LineStat, LinearFlow, SurveyRow, TanhEigen};
pub use grid::{Grid, GridCell, GridRow, PaperInit, Run, RunKey, Setup, TrainingSet};
pub use linearity::{Curve, Linearity, LinearityPoint};
pub use on_x::{AtPrinted, Attractor, ItemPoint, XRow};
pub use reproduction::{Draw, Reproduction, TracePoint};
pub use table1::{Relation, SweepRow, Table1Row, Theory};

use grid::TrainingData;

/// The settings of the chapter. The paper states neither c nor any learning rate, step count or
/// batch scheme; these are ours, chosen where Table 1 pins them down, and the chapter shows
/// what changing them does.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    pub seed: u64,
    /// c of φ(z) = tanh(z − c). Table 1's 0.0000 at 000 forces |c| < 0.0071, and its caption
    /// writes tanh(Wx).
    pub tanh_c: f64,
    /// c of φ(z) = 1/(1 + e^{−cz}). Table 1's caption writes 1/(1 + exp(−Wx)).
    pub sigmoid_c: f64,
    /// Plain SGD for each activation: learning rate and steps.
    pub tanh_lr: f64,
    pub tanh_steps: usize,
    pub sigmoid_lr: f64,
    pub sigmoid_steps: usize,
    /// Adam (PyTorch's betas and eps).
    pub adam_lr: f64,
    pub adam_steps: usize,
    /// Draws of the initial W tried for the Table 1 reproduction.
    pub table_draws: usize,
    /// The training trace of the reproduction: a snapshot every `trace_every` steps, up to
    /// `trace_factor` × the run's steps.
    pub trace_every: usize,
    pub trace_factor: f64,
    /// Values of c whose Table 1 entries the chapter shows.
    pub tanh_c_sweep: Vec<f64>,
    pub sigmoid_c_sweep: Vec<f64>,
    /// Flow field (Fig. 1): grid points per axis, iterations drawn, iteration read as the
    /// fixed point (the paper's n = 25).
    pub flow_grid: usize,
    pub flow_steps: usize,
    pub flow_fixed_steps: usize,
    /// Random Newton starts in the range of φ, beside the grid.
    pub random_starts: usize,
    /// Random members (a, b) of eq. 6 at which eq. 8 is evaluated.
    pub eq8_samples: usize,
    /// A c ≠ 0 at which the printed tanh W_c is compared with tanh(z + c) and tanh(z − c).
    pub probe_c: f64,
    /// Target in the open range of φ for the corrected eq. 8: 1 ↦ t (and 0 ↦ 1 − t for the
    /// sigmoid).
    pub target_t: f64,
    /// Half-width of the window of pre-activations over which linearity is measured (N6).
    pub linearity_halfwidth: f64,
    /// Random moves of the printed entries within their rounding, to see how far that
    /// uncertainty carries into the inferred first column.
    pub rounding_samples: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            seed: 2024,
            tanh_c: 0.0,
            sigmoid_c: 1.0,
            tanh_lr: 0.1,
            tanh_steps: 11_800,
            sigmoid_lr: 0.3,
            sigmoid_steps: 19_900,
            adam_lr: 1e-3,
            adam_steps: 30_000,
            table_draws: 12,
            trace_every: 50,
            trace_factor: 1.6,
            tanh_c_sweep: vec![-0.5, -0.25, 0.0, 0.25, 0.5],
            sigmoid_c_sweep: vec![0.5, 1.0, 2.0, 4.0],
            flow_grid: 5,
            flow_steps: 6,
            flow_fixed_steps: 25,
            random_starts: 600,
            eq8_samples: 200,
            probe_c: 0.5,
            target_t: 0.99,
            linearity_halfwidth: 0.5,
            rounding_samples: 32,
        }
    }
}

impl Params {
    /// Fewer draws and starts, same structure.
    pub fn quick() -> Self {
        Params {
            table_draws: 4,
            tanh_c_sweep: vec![0.0, 0.5],
            sigmoid_c_sweep: vec![1.0, 4.0],
            random_starts: 100,
            eq8_samples: 20,
            ..Params::default()
        }
    }

    /// φ of the tanh network.
    pub fn tanh(&self) -> Activation {
        Activation::Tanh { c: self.tanh_c }
    }

    /// φ of the sigmoid network.
    pub fn sigmoid(&self) -> Activation {
        Activation::Sigmoid { c: self.sigmoid_c }
    }

    /// φ of the `kind` network.
    pub fn activation(&self, kind: ActivationKind) -> Activation {
        match kind {
            ActivationKind::Tanh => self.tanh(),
            ActivationKind::Sigmoid => self.sigmoid(),
        }
    }

    /// Learning rate and steps of plain SGD for `act`.
    fn sgd(&self, act: Activation) -> (f64, usize) {
        match act {
            Activation::Sigmoid { .. } => (self.sigmoid_lr, self.sigmoid_steps),
            _ => (self.tanh_lr, self.tanh_steps),
        }
    }
}

/// Which of the chapter's two activations; its c is in [`Params`]. Serialised as its
/// [`name`](ActivationKind::name), the one `Activation::name` gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivationKind {
    Tanh,
    Sigmoid,
}

impl ActivationKind {
    /// Both, tanh first: the order of the grid and of the seeds.
    pub const ALL: [ActivationKind; 2] = [ActivationKind::Tanh, ActivationKind::Sigmoid];

    /// Position in [`ActivationKind::ALL`], the `act` of the chapter's seeds.
    pub fn index(self) -> usize {
        self as usize
    }

    /// `"tanh"` or `"sigmoid"`.
    pub fn name(self) -> &'static str {
        match self {
            ActivationKind::Tanh => "tanh",
            ActivationKind::Sigmoid => "sigmoid",
        }
    }
}

impl Serialize for ActivationKind {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl std::fmt::Display for ActivationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One result for each activation, by name (templates read `out.flows.sigmoid`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PerActivation<T> {
    pub tanh: T,
    pub sigmoid: T,
}

impl<T> PerActivation<T> {
    /// Both results of `f`, tanh first (which matters when `f` draws from a shared stream).
    pub fn try_new(f: impl FnMut(ActivationKind) -> Result<T>) -> Result<Self> {
        Self::try_in_order(ActivationKind::ALL, f)
    }

    /// Both results of `f`, computed in `order` (which matters when `f` draws from a shared
    /// stream).
    pub fn try_in_order(
        order: [ActivationKind; 2],
        mut f: impl FnMut(ActivationKind) -> Result<T>,
    ) -> Result<Self> {
        let (first, second) = (f(order[0])?, f(order[1])?);
        Ok(match order[0] {
            ActivationKind::Tanh => PerActivation {
                tanh: first,
                sigmoid: second,
            },
            ActivationKind::Sigmoid => PerActivation {
                tanh: second,
                sigmoid: first,
            },
        })
    }

    /// The result for `kind`.
    pub fn get(&self, kind: ActivationKind) -> &T {
        match kind {
            ActivationKind::Tanh => &self.tanh,
            ActivationKind::Sigmoid => &self.sigmoid,
        }
    }

    /// Both with their kind, tanh first.
    pub fn iter(&self) -> impl Iterator<Item = (ActivationKind, &T)> {
        ActivationKind::ALL
            .into_iter()
            .map(|kind| (kind, self.get(kind)))
    }
}

/// The chapter's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub params: Params,
    pub tanh: Activation,
    pub sigmoid: Activation,
    pub setups: Vec<Setup>,
    /// The grid's initialisations (serialised as their labels).
    #[serde(rename = "init_labels")]
    pub inits: Vec<PaperInit>,
    pub patterns: Vec<Pattern>,
    pub runs: Grid,
    /// The grid as its tables print it.
    pub grid_rows: Vec<GridRow>,
    pub theory: Theory,
    pub table1: Vec<Table1Row>,
    pub reproductions: PerActivation<Reproduction>,
    pub tanh_eigen: TanhEigen,
    pub sweep: PerActivation<Vec<SweepRow>>,
    pub eq8: Eq8,
    pub flows: PerActivation<Flow>,
    pub survey: Vec<SurveyRow>,
    /// The same analysis for the networks trained on X.
    pub survey_x: Vec<XRow>,
    /// The tanh reproduction stopped where its linearisation prints the paper's 2.43.
    pub tanh_at_printed: Option<AtPrinted>,
    pub linear_flow: LinearFlow,
    pub linearity: Linearity,
    pub findings: Vec<Finding>,
}

impl Output {
    /// c of the tanh network.
    pub fn tanh_c(&self) -> f64 {
        self.params.tanh_c
    }
}

/// Run the whole chapter.
pub fn compute(p: &Params) -> Result<Output> {
    validate(p)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seeds::chapter(p.seed));
    let data = TrainingData::paper()?;

    // The training grid: both activations, both sets, every set-up and initialisation.
    let runs = Grid::train(p, &data)?;

    // Table 1: what theory fixes, and the reproduction of the printed columns via the
    // inferred first column.
    let reproductions = PerActivation::try_new(|kind| reproduction::reproduce(p, kind, &data))?;
    let table1 = table1::rows(p, &data.patterns, &runs, &reproductions);
    let theory = table1::theory(p, &data.patterns, &runs, &reproductions);

    // The reproduction networks: N5's linearisation, Fig. 1 (middle, right) and N6.
    let nets = PerActivation::try_new(|kind| {
        let w = reproductions.get(kind).w.0.clone();
        Network::new(w, p.activation(kind))
    })?;
    let tanh_eigen = fixed_points::tanh_eigen(&nets.tanh, &reproductions.tanh, &runs, &data)?;

    // What changing c does.
    let sweep = table1::sweep(p, &data)?;

    // The shared stream: eq. 8's random linear solutions, then the random Newton starts.
    let eq8 = eq8::eq8(p, &data, &runs, &mut rng)?;
    let flows = fixed_points::flows(p, &nets, &reproductions, &mut rng)?;
    let survey = fixed_points::survey(p, &runs, &mut rng)?;
    let survey_x = on_x::survey(p, &runs, &data, &mut rng)?;
    let tanh_at_printed = on_x::tanh_at_printed(
        p,
        &reproductions.tanh,
        tanh_eigen.step_at_printed,
        &data,
        &mut rng,
    )?;

    let linear_flow = fixed_points::linear_chapter_flow_network(p, &reproductions.tanh)?;
    let linearity = linearity::linearity(p, &nets, &data);

    let mut out = Output {
        params: p.clone(),
        tanh: p.tanh(),
        sigmoid: p.sigmoid(),
        setups: Setup::ALL.to_vec(),
        inits: PaperInit::ALL.to_vec(),
        patterns: data.patterns,
        grid_rows: runs.rows(),
        runs,
        theory,
        table1,
        reproductions,
        tanh_eigen,
        sweep,
        eq8,
        flows,
        survey,
        survey_x,
        tanh_at_printed,
        linear_flow,
        linearity,
        findings: Vec::new(),
    };
    out.findings = findings::findings(&out);
    Ok(out)
}

/// Refuse settings the chapter cannot run with, before anything is computed.
fn validate(p: &Params) -> Result<()> {
    let bad = |name: &str, value: String, why: &str| Err(Error::invalid(name, value, why));
    if p.table_draws == 0 {
        return bad(
            "table_draws",
            "0".into(),
            "the reproduction needs at least one draw",
        );
    }
    if p.flow_fixed_steps < p.flow_steps {
        return bad(
            "flow_fixed_steps",
            p.flow_fixed_steps.to_string(),
            "must be at least flow_steps",
        );
    }
    if !(p.target_t > 0.5 && p.target_t < 1.0) {
        return bad("target_t", p.target_t.to_string(), "must lie in (0.5, 1)");
    }
    let positive = |c: f64| c.is_finite() && c > 0.0;
    if !positive(p.sigmoid_c) || !p.sigmoid_c_sweep.iter().all(|&c| positive(c)) {
        return bad(
            "sigmoid_c",
            p.sigmoid_c.to_string(),
            "the sigmoid's gain must be positive",
        );
    }
    if p.flow_grid < 2 {
        return bad(
            "flow_grid",
            p.flow_grid.to_string(),
            "needs at least 2 points per axis",
        );
    }
    Ok(())
}

/// The printed column of `kind` in Table 1's order.
fn printed_column(kind: ActivationKind) -> Vec<f64> {
    crate::paper::TABLE1
        .iter()
        .map(|&(_, _, t, s)| match kind {
            ActivationKind::Tanh => t,
            ActivationKind::Sigmoid => s,
        })
        .collect()
}
