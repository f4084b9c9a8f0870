//! §3.1, "Training: every optimiser from every initialisation" and "Why these solutions": the
//! optimiser set-ups, the paper's initialisations, and the grid of trained networks on both
//! sets, looked up by set, set-up and initialisation (the runs behind L3, L5, L6, L8, L12).

use std::fmt;
use std::ops::Index;

use nalgebra::DMatrix;
use serde::{Serialize, Serializer};

use super::Params;
use super::coordinates::{Described, SetId, TrainingSet, set_label};
pub use crate::chapters::paper_init::PaperInit;
pub use crate::maths::matrix::Matrix;
use crate::network::Activation;
use crate::train::{self, Batching, Optimizer, TrainParams};
use crate::{Result, seeds};

/// Loss at which a gradient-descent run counts as converged: W is then within ~1e-15 of its
/// limit, far below the 1e-9 at which the implicit-bias prediction is checked.
pub const GD_LOSS_FLOOR: f64 = 1e-30;

/// One optimiser set-up: update rule, batch scheme and step budget. Serialised with its
/// [`label`](Setup::label) as `{label, optimizer, batching, steps, gradient_family}`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Setup {
    pub optimizer: Optimizer,
    pub batching: Batching,
    pub steps: usize,
    /// Does the implicit-bias argument apply (every update a sum of (x − Wx) xᵀ)? For every
    /// rule but Adam.
    pub gradient_family: bool,
}

impl Setup {
    pub fn new(optimizer: Optimizer, batching: Batching, steps: usize) -> Setup {
        Setup {
            optimizer,
            batching,
            steps,
            gradient_family: !matches!(optimizer, Optimizer::Adam { .. }),
        }
    }

    /// The name the tables print, e.g. `"SGD + momentum, full batch"`: the rule without its
    /// learning rate (the table's next column gives it), then [`Batching::label`].
    pub fn label(&self) -> String {
        let rule = match self.optimizer {
            Optimizer::DeltaRule { .. } => "delta rule",
            Optimizer::Sgd { .. } => "SGD",
            Optimizer::Momentum { .. } => "SGD + momentum",
            Optimizer::Adam { .. } => "Adam",
        };
        match (self.optimizer, self.batching) {
            // Widrow–Hoff's rule is online in the items' order by definition: "online" says it.
            (Optimizer::DeltaRule { .. }, Batching::Online { shuffle: false }) => {
                format!("{rule}, online")
            }
            _ => format!("{rule}, {}", self.batching.label()),
        }
    }
}

impl Serialize for Setup {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            label: String,
            optimizer: &'a Optimizer,
            batching: &'a Batching,
            steps: usize,
            gradient_family: bool,
        }
        Shown {
            label: self.label(),
            optimizer: &self.optimizer,
            batching: &self.batching,
            steps: self.steps,
            gradient_family: self.gradient_family,
        }
        .serialize(s)
    }
}

impl fmt::Display for Setup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// Serialises a set-up by its label alone, for fields that name a run's set-up.
pub(super) fn setup_label<S: Serializer>(
    setup: &Setup,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&setup.label())
}

/// The set-ups of the training grid, in the order of the chapter's tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupId {
    DeltaOnline,
    SgdFull,
    SgdOnline,
    SgdShuffled,
    SgdPairs,
    MomentumFull,
    AdamFull,
    AdamOnline,
    AdamPairs,
}

impl SetupId {
    pub const ALL: [SetupId; 9] = [
        SetupId::DeltaOnline,
        SetupId::SgdFull,
        SetupId::SgdOnline,
        SetupId::SgdShuffled,
        SetupId::SgdPairs,
        SetupId::MomentumFull,
        SetupId::AdamFull,
        SetupId::AdamOnline,
        SetupId::AdamPairs,
    ];

    /// Position in [`SetupId::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The set-up with the chapter's learning rates and step counts. "Pairs" are mini-batches
    /// of two items drawn with replacement.
    pub fn setup(self, p: &Params) -> Setup {
        let sgd = Optimizer::Sgd { lr: p.sgd_lr };
        let momentum = Optimizer::Momentum {
            lr: p.momentum_lr,
            momentum: p.momentum,
        };
        let adam = Optimizer::adam(p.adam_lr);
        let full = Batching::Full;
        let in_order = Batching::Online { shuffle: false };
        let pairs = Batching::WithReplacement { batch_size: 2 };
        let (optimizer, batching) = match self {
            SetupId::DeltaOnline => (Optimizer::DeltaRule { lr: p.delta_lr }, in_order),
            SetupId::SgdFull => (sgd, full),
            SetupId::SgdOnline => (sgd, in_order),
            SetupId::SgdShuffled => (sgd, Batching::Online { shuffle: true }),
            SetupId::SgdPairs => (sgd, pairs),
            SetupId::MomentumFull => (momentum, full),
            SetupId::AdamFull => (adam, full),
            SetupId::AdamOnline => (adam, in_order),
            SetupId::AdamPairs => (adam, pairs),
        };
        let steps = match optimizer {
            Optimizer::Adam { .. } => p.adam_steps,
            _ => p.gd_steps,
        };
        Setup::new(optimizer, batching, steps)
    }
}

/// The optimiser set-ups of the training grid, in [`SetupId::ALL`] order.
pub fn setups(p: &Params) -> Vec<Setup> {
    SetupId::ALL.iter().map(|id| id.setup(p)).collect()
}

/// One value per initialisation, indexed by [`PaperInit`]; serialised as a list in
/// [`PaperInit::ALL`] order, the order of the tables' columns.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ByInit<T>(pub [T; 5]);

impl<T> ByInit<T> {
    pub fn from_fn(f: impl FnMut(PaperInit) -> T) -> Self {
        ByInit(PaperInit::ALL.map(f))
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

impl<T> Index<PaperInit> for ByInit<T> {
    type Output = T;
    fn index(&self, init: PaperInit) -> &T {
        &self.0[init.index()]
    }
}

/// One trained network of the grid. Its set, set-up and initialisation are serialised by
/// their labels.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Run {
    #[serde(serialize_with = "set_label")]
    pub set: SetId,
    #[serde(serialize_with = "setup_label")]
    pub setup: Setup,
    pub init: PaperInit,
    pub seed: u64,
    pub initial_w: Matrix,
    pub steps: usize,
    pub final_loss: f64,
    pub trained: Described,
    /// max |W − (P + W₀(I − P))| (entries): the implicit-bias prediction's error.
    pub prediction_error: f64,
    pub gradient_family: bool,
    /// ‖(W − W₀)(I − P)‖_F: how far training moved W off the row space of X.
    pub off_row_space: f64,
    /// Loss curve, thinned for the figure.
    pub loss_curve: Vec<(usize, f64)>,
}

/// The grid on one training set as the templates read it: fields, never a join on labels.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GridView {
    /// One row per set-up of [`SetupId::ALL`], one cell per initialisation of
    /// [`PaperInit::ALL`].
    pub rows: Vec<SetupRow>,
    /// The SGD, full-batch row (the stability table).
    pub sgd_full: SetupRow,
    /// The runs the prose names: Adam from W = 0, with full batches and with single items in
    /// order.
    pub adam_full_from_zero: Described,
    pub adam_online_from_zero: Described,
}

/// One set-up's runs from every initialisation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SetupRow {
    pub setup: String,
    pub cells: Vec<InitCell>,
}

/// One run of a [`SetupRow`]: its initialisation and what it trained to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InitCell {
    pub init: PaperInit,
    pub trained: Described,
}

/// Every set-up of [`SetupId::ALL`] from every initialisation of [`PaperInit::ALL`] on both
/// sets. Serialised as one list: by set, then set-up, then initialisation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Grid {
    runs: Vec<Run>,
}

impl Grid {
    const SIZE: usize = SetId::ALL.len() * SetupId::ALL.len() * PaperInit::ALL.len();

    /// Train the grid; each run's seed comes from its set and initialisation.
    pub(super) fn train(p: &Params, x: &TrainingSet, xp: &TrainingSet) -> Result<Grid> {
        let mut runs = Vec::with_capacity(Self::SIZE);
        for set in [x, xp] {
            for id in SetupId::ALL {
                let setup = id.setup(p);
                for init in PaperInit::ALL {
                    runs.push(train_one(set, &setup, init, run_seed(p, set.id, init))?);
                }
            }
        }
        Ok(Grid { runs })
    }

    /// The grid on `set` as the chapter's tables and prose read it (see [`GridView`]).
    pub fn view(&self, set: SetId, p: &Params) -> GridView {
        let row = |id: SetupId| SetupRow {
            setup: id.setup(p).label(),
            cells: PaperInit::ALL
                .into_iter()
                .map(|init| InitCell {
                    init,
                    trained: self.get(set, id, init).trained.clone(),
                })
                .collect(),
        };
        GridView {
            rows: SetupId::ALL.into_iter().map(row).collect(),
            sgd_full: row(SetupId::SgdFull),
            adam_full_from_zero: self
                .get(set, SetupId::AdamFull, PaperInit::Zeros)
                .trained
                .clone(),
            adam_online_from_zero: self
                .get(set, SetupId::AdamOnline, PaperInit::Zeros)
                .trained
                .clone(),
        }
    }

    /// The run of `setup` from `init` on `set`.
    pub fn get(&self, set: SetId, setup: SetupId, init: PaperInit) -> &Run {
        let cell = (set.index() * SetupId::ALL.len() + setup.index()) * PaperInit::ALL.len();
        &self.runs[cell + init.index()]
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Run> {
        self.runs.iter()
    }

    pub fn len(&self) -> usize {
        self.runs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
}

impl<'a> IntoIterator for &'a Grid {
    type Item = &'a Run;
    type IntoIter = std::slice::Iter<'a, Run>;
    fn into_iter(self) -> Self::IntoIter {
        self.runs.iter()
    }
}

/// The seed of the grid's runs on `set` from `init` (the same for every set-up).
pub(super) fn run_seed(p: &Params, set: SetId, init: PaperInit) -> u64 {
    seeds::linear_run(p.seed, set.index(), init.index())
}

fn thin(curve: &[(usize, f64)], keep: usize) -> Vec<(usize, f64)> {
    if curve.len() <= keep {
        return curve.to_vec();
    }
    let step = curve.len().div_ceil(keep);
    let mut out: Vec<(usize, f64)> = curve.iter().step_by(step).copied().collect();
    if let Some(last) = curve.last()
        && out.last() != Some(last)
    {
        out.push(*last);
    }
    out
}

/// The training settings of `setup` from `init` with `seed`.
pub(super) fn train_params(setup: &Setup, init: PaperInit, seed: u64) -> TrainParams {
    TrainParams {
        activation: Activation::Identity,
        init: init.init(),
        optimizer: setup.optimizer,
        batching: setup.batching,
        max_steps: setup.steps,
        // The gradient-descent family converges linearly to an exact solution: stop once the
        // loss is at rounding level. Adam keeps its step length near convergence, so it runs on.
        loss_threshold: setup.gradient_family.then_some(GD_LOSS_FLOOR),
        seed,
        record_every: (setup.steps / 400).max(1),
    }
}

/// Train one linear network on `set` and describe it.
pub(super) fn train_one(
    set: &TrainingSet,
    setup: &Setup,
    init: PaperInit,
    seed: u64,
) -> Result<Run> {
    let result = train::train(&set.patterns.vectors(), &train_params(setup, init, seed))?;
    let w0 = result.initial_w.0.clone();
    let w = result.weights();
    let predicted = set.solution_set.implicit_bias(&w0);
    let n = set.patterns.n();
    let off = (&w - &w0) * (DMatrix::identity(n, n) - set.solution_set.projector());
    Ok(Run {
        set: set.id,
        setup: *setup,
        init,
        seed,
        initial_w: result.initial_w.clone(),
        steps: result.steps,
        final_loss: result.final_loss,
        trained: set.describe(&w),
        prediction_error: (&w - predicted).amax(),
        gradient_family: setup.gradient_family,
        off_row_space: off.norm(),
        loss_curve: thin(&result.loss_curve, 120),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The labels the book prints, derived from the typed set-ups.
    #[test]
    fn setup_labels_are_the_books() {
        let labels: Vec<String> = setups(&Params::default())
            .iter()
            .map(Setup::label)
            .collect();
        assert_eq!(
            labels,
            [
                "delta rule, online",
                "SGD, full batch",
                "SGD, online in order",
                "SGD, online shuffled",
                "SGD, batches of 2 drawn with replacement",
                "SGD + momentum, full batch",
                "Adam, full batch",
                "Adam, online in order",
                "Adam, batches of 2 drawn with replacement",
            ]
        );
    }
}
