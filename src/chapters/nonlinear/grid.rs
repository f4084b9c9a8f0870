//! §3.2's training grid: the tanh and sigmoid networks trained on X and X' with the paper's
//! optimisers (our learning rates, steps and batches) from its five initialisations, each run
//! described by its loss, its distance from Σ-invariance and Table 1's eight losses. The grid is
//! indexed by typed keys ([`RunKey`]); labels exist only in what is serialised.

use nalgebra::DMatrix;
use serde::{Serialize, Serializer, ser::SerializeStruct};

use super::{ActivationKind, Params};
use crate::Result;
pub use crate::chapters::paper_init::PaperInit;
use crate::group::{SymmetryGroup, symmetry_group};
use crate::maths::matrix::Matrix;
use crate::network::{Activation, Network};
use crate::paper;
use crate::pattern::{Pattern, PatternSet, paper_x, paper_x_prime};
use crate::seeds;
use crate::train::{self, Batching, Init, Optimizer, TrainParams};

/// The two training sets of §3.2 (serialised as their [`label`](TrainingSet::label)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainingSet {
    /// X = {101, 110}.
    X,
    /// X' = {010, 001}: no item has x₁ = 1.
    XPrime,
}

impl TrainingSet {
    /// Both, in the grid's order.
    pub const ALL: [TrainingSet; 2] = [TrainingSet::X, TrainingSet::XPrime];

    /// The paper's name: `"X"` or `"X'"`.
    pub fn label(self) -> &'static str {
        match self {
            TrainingSet::X => "X",
            TrainingSet::XPrime => "X'",
        }
    }

    /// Position in [`TrainingSet::ALL`], the `set` of [`seeds::nonlinear_run`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl Serialize for TrainingSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

impl std::fmt::Display for TrainingSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// One optimiser set-up of the training grid: plain SGD (with the activation's learning rate
/// and steps) or Adam, on full batches or on batches of 2 drawn with replacement.
/// Serialised as `{label, adam, batching}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setup {
    SgdFullBatch,
    SgdPairs,
    AdamFullBatch,
    AdamPairs,
}

impl Setup {
    /// All four, in the grid's order.
    pub const ALL: [Setup; 4] = [
        Setup::SgdFullBatch,
        Setup::SgdPairs,
        Setup::AdamFullBatch,
        Setup::AdamPairs,
    ];

    /// Adam, or plain SGD?
    pub fn adam(self) -> bool {
        matches!(self, Setup::AdamFullBatch | Setup::AdamPairs)
    }

    pub fn batching(self) -> Batching {
        match self {
            Setup::SgdFullBatch | Setup::AdamFullBatch => Batching::Full,
            Setup::SgdPairs | Setup::AdamPairs => Batching::WithReplacement { batch_size: 2 },
        }
    }

    /// E.g. `"SGD, full batch"`, `"Adam, batches of 2 drawn with replacement"`.
    pub fn label(self) -> String {
        let optimizer = if self.adam() { "Adam" } else { "SGD" };
        let batches = match self.batching() {
            Batching::Full => "full batch".to_string(),
            Batching::Online { shuffle: false } => "online in order".to_string(),
            Batching::Online { shuffle: true } => "online shuffled".to_string(),
            Batching::WithReplacement { batch_size } => {
                format!("batches of {batch_size} drawn with replacement")
            }
        };
        format!("{optimizer}, {batches}")
    }

    /// Position in [`Setup::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl Serialize for Setup {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Setup", 3)?;
        s.serialize_field("label", &self.label())?;
        s.serialize_field("adam", &self.adam())?;
        s.serialize_field("batching", &self.batching())?;
        s.end()
    }
}

/// Where a run sits in the grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunKey {
    pub activation: ActivationKind,
    pub set: TrainingSet,
    pub setup: Setup,
    pub init: PaperInit,
}

impl RunKey {
    /// Every key, in the grid's order: activation, then set, set-up and initialisation.
    pub fn all() -> impl Iterator<Item = RunKey> {
        ActivationKind::ALL.into_iter().flat_map(|activation| {
            TrainingSet::ALL.into_iter().flat_map(move |set| {
                Setup::ALL.into_iter().flat_map(move |setup| {
                    PaperInit::ALL.into_iter().map(move |init| RunKey {
                        activation,
                        set,
                        setup,
                        init,
                    })
                })
            })
        })
    }

    /// Position in [`RunKey::all`].
    fn index(self) -> usize {
        let outer = (self.activation.index() * TrainingSet::ALL.len() + self.set.index())
            * Setup::ALL.len()
            + self.setup.index();
        outer * PaperInit::ALL.len() + self.init.index()
    }
}

/// One trained network of the grid. Its four labels are only the serialised form of its
/// [`RunKey`] (for the page's tables); the code looks runs up by key ([`Grid::get`],
/// [`Grid::iter`]), never by label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Run {
    pub activation: String,
    pub set: String,
    pub setup: String,
    pub init: String,
    pub seed: u64,
    pub optimizer: Optimizer,
    pub steps: usize,
    pub initial_w: Matrix,
    pub w: Matrix,
    pub final_loss: f64,
    /// Distance from Σ-invariance, max_s ‖W − s·W‖_F, and the part of it in the first column,
    /// max_s ‖(W − s·W) e₁‖ (on X' that column is never trained: it is the init's).
    pub defect: f64,
    pub first_column_defect: f64,
    /// Loss (eq. 7) of the eight patterns of Table 1, in the table's order.
    pub table: Vec<f64>,
}

/// One row of the grid's tables: an activation, a set and a set-up, from every
/// initialisation of [`PaperInit::ALL`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GridRow {
    pub activation: ActivationKind,
    pub set: TrainingSet,
    pub setup: String,
    /// On X′ no item reaches the first column: it keeps the initial weights.
    pub untrained_first_column: bool,
    pub cells: Vec<GridCell>,
}

/// What the grid's tables show of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GridCell {
    pub final_loss: f64,
    pub defect: f64,
    pub first_column_defect: f64,
}

/// The whole training grid, one run per [`RunKey`]; serialised as the list of runs in
/// [`RunKey::all`] order.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Grid {
    runs: Vec<Run>,
}

impl Grid {
    /// Train every run of the grid, in [`RunKey::all`] order.
    pub(super) fn train(p: &Params, data: &TrainingData) -> Result<Grid> {
        let runs = RunKey::all()
            .map(|key| {
                let seed = seeds::nonlinear_run(
                    p.seed,
                    key.activation.index(),
                    key.set.index(),
                    key.init.index(),
                );
                let act = p.activation(key.activation);
                train_run(p, data, act, key.set, key.setup, key.init.init(), seed)
            })
            .collect::<Result<_>>()?;
        Ok(Grid { runs })
    }

    /// The grid as its tables print it: one row per activation, set and set-up (in
    /// [`RunKey::all`] order), one cell per initialisation.
    pub fn rows(&self) -> Vec<GridRow> {
        let mut rows = Vec::new();
        for activation in ActivationKind::ALL {
            for set in TrainingSet::ALL {
                for setup in Setup::ALL {
                    let cells = PaperInit::ALL
                        .into_iter()
                        .map(|init| {
                            let r = self.get(RunKey {
                                activation,
                                set,
                                setup,
                                init,
                            });
                            GridCell {
                                final_loss: r.final_loss,
                                defect: r.defect,
                                first_column_defect: r.first_column_defect,
                            }
                        })
                        .collect();
                    rows.push(GridRow {
                        activation,
                        set,
                        setup: setup.label(),
                        untrained_first_column: set == TrainingSet::XPrime,
                        cells,
                    });
                }
            }
        }
        rows
    }

    /// The run at `key`.
    pub fn get(&self, key: RunKey) -> &Run {
        &self.runs[key.index()]
    }

    /// Every run with its key, in the grid's order.
    pub fn iter(&self) -> impl Iterator<Item = (RunKey, &Run)> {
        RunKey::all().zip(&self.runs)
    }
}

/// What every analysis of the chapter works on: X and X' with their symmetry groups, and the
/// eight patterns of Table 1 in its order.
pub(super) struct TrainingData {
    pub x: PatternSet,
    pub xp: PatternSet,
    pub gx: SymmetryGroup,
    pub gxp: SymmetryGroup,
    pub patterns: Vec<Pattern>,
}

impl TrainingData {
    /// The paper's X and X', their groups and Table 1's patterns.
    pub fn paper() -> Result<TrainingData> {
        let (x, xp) = (paper_x(), paper_x_prime());
        let (gx, gxp) = (symmetry_group(&x)?, symmetry_group(&xp)?);
        let patterns = table_patterns()?;
        Ok(TrainingData {
            x,
            xp,
            gx,
            gxp,
            patterns,
        })
    }

    /// A training set with its group.
    pub fn set(&self, set: TrainingSet) -> (&PatternSet, &SymmetryGroup) {
        match set {
            TrainingSet::X => (&self.x, &self.gx),
            TrainingSet::XPrime => (&self.xp, &self.gxp),
        }
    }
}

/// Train `act` on `set` with `setup` from `init` (seeded with `seed`) and describe the run.
pub(super) fn train_run(
    p: &Params,
    data: &TrainingData,
    act: Activation,
    set: TrainingSet,
    setup: Setup,
    init: Init,
    seed: u64,
) -> Result<Run> {
    let (items, group) = data.set(set);
    let tp = train_params(p, act, setup, init, seed);
    let labels = (set.label(), setup.label());
    train_one(items, group, &data.patterns, &tp, (labels.0, &labels.1))
}

/// The training settings of one run: Adam, or plain SGD with the activation's learning rate
/// and steps; W recorded once, at the end.
pub(super) fn train_params(
    p: &Params,
    act: Activation,
    setup: Setup,
    init: Init,
    seed: u64,
) -> TrainParams {
    let (optimizer, steps) = if setup.adam() {
        (Optimizer::adam(p.adam_lr), p.adam_steps)
    } else {
        let (lr, steps) = p.sgd(act);
        (Optimizer::Sgd { lr }, steps)
    };
    TrainParams {
        activation: act,
        init,
        optimizer,
        batching: setup.batching(),
        max_steps: steps,
        loss_threshold: None,
        seed,
        record_every: steps.max(1),
    }
}

fn act_name(act: Activation) -> String {
    act.name().to_string()
}

// ANCHOR: train_one
/// Train one network and describe it: loss, distance from Σ-invariance (and how much of it
/// sits in the first column), and the eight losses of Table 1.
fn train_one(
    set: &PatternSet,
    group: &SymmetryGroup,
    patterns: &[Pattern],
    params: &TrainParams,
    labels: (&str, &str),
) -> Result<Run> {
    let result = train::train(&set.vectors(), params)?;
    let w = result.weights();
    let net = Network::new(w.clone(), params.activation)?;
    Ok(Run {
        activation: act_name(params.activation),
        set: labels.0.to_string(),
        setup: labels.1.to_string(),
        init: params.init.label(),
        seed: params.seed,
        optimizer: params.optimizer,
        steps: result.steps,
        initial_w: result.initial_w.clone(),
        w: result.w.clone(),
        final_loss: result.final_loss,
        defect: group.invariance_defect(&w),
        first_column_defect: first_column_defect(group, &w),
        table: table_losses(&net, patterns),
    })
}
// ANCHOR_END: train_one

/// The eight patterns of Table 1, in its order.
fn table_patterns() -> Result<Vec<Pattern>> {
    paper::TABLE1
        .iter()
        .map(|(p, ..)| Pattern::parse(p))
        .collect()
}

/// The loss (eq. 7) of each pattern under `net`.
pub(super) fn table_losses(net: &Network, patterns: &[Pattern]) -> Vec<f64> {
    patterns
        .iter()
        .map(|p| net.pattern_loss(&p.to_vector()))
        .collect()
}

/// max_s ‖(W − s·W) e₁‖ over the group: the part of the invariance defect that sits in the
/// first column.
pub(super) fn first_column_defect(group: &SymmetryGroup, w: &DMatrix<f64>) -> f64 {
    group
        .elements()
        .iter()
        .map(|s| {
            (0..w.nrows())
                .map(|i| (w[(i, 0)] - w[(s.image(i), s.image(0))]).powi(2))
                .sum::<f64>()
                .sqrt()
        })
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_keys_index_their_own_position() {
        for (k, key) in RunKey::all().enumerate() {
            assert_eq!(key.index(), k, "{key:?}");
        }
        assert_eq!(RunKey::all().count(), 2 * 2 * 4 * 5);
    }

    #[test]
    fn setup_labels_are_the_books() {
        let labels: Vec<String> = Setup::ALL.into_iter().map(Setup::label).collect();
        assert_eq!(
            labels,
            [
                "SGD, full batch",
                "SGD, batches of 2 drawn with replacement",
                "Adam, full batch",
                "Adam, batches of 2 drawn with replacement"
            ]
        );
    }
}
