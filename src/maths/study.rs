//! The paper's question asked of one training set: does a network trained on X reproduce the
//! patterns outside X that the relations of X single out, or only the items of X?
//!
//! Why a module of its own: the `analyze` command, the atlas (every class of training sets)
//! and the report all ask the same question of a set, and must ask it the same way. [`study`]
//! computes, for a set `X ⊂ {0,1}^N`:
//!
//! - the symmetry group `Σ_X = { s ∈ S_N : s·X = X }` and its orbits on X (§2);
//! - the **span set**: the binary patterns outside X in span X, which every linear solution
//!   `Wx = x ∀x ∈ X` reproduces (§3.1; [`crate::linear::SolutionSet::generalizes_to`]);
//! - the **criterion set**: the patterns y outside X with `Σ_{X ∪ {y}} = Σ_X`, the set §3.1.2
//!   says the network generalises to ([`crate::group::symmetry_preserving_extensions`]);
//! - identity, tanh(z − c) and sigmoid σ(cz) networks trained with the paper's settings from
//!   several seeds ([`StudySettings`]): their loss on every pattern (eq. 7), the patterns
//!   outside X each reproduces (the output rounds to the pattern, [`REPRODUCE_TOL`]), and the
//!   distance of the trained W from Σ-invariance ([`SymmetryGroup::invariance_defect`]).
//!
//! Training takes the throughput path ([`crate::fast::adam_many_dyn`]) whenever it applies
//! (Adam, full batch, N ≤ 8), else [`crate::train::train`]; both give the same bits (tests).

use nalgebra::{DMatrix, DVector};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::Result;
use crate::fast::{AdamConfig, MAX_FAST_N, adam_many_dyn};
use crate::group::{SymmetryGroup, symmetry_group, symmetry_preserving_extensions_with_group};
use crate::linear::SolutionSet;
use crate::maths::matrix::Matrix;
use crate::network::{Activation, Network};
use crate::pattern::{Pattern, PatternSet};
use crate::train::{self, Batching, Init, Optimizer, TrainParams};

pub use crate::network::REPRODUCE_TOL;

/// How one network is trained (the `analyze` command's setting; the paper's §3).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainingSettings {
    pub optimizer: Optimizer,
    pub batching: Batching,
    pub steps: usize,
    pub init: Init,
    /// Seeds the initial W (the same draw for all three networks).
    pub seed: u64,
    /// The shift c of tanh(z − c) and the gain c of 1/(1 + e^{−cz}).
    pub tanh_c: f64,
    pub sigmoid_c: f64,
}

impl Default for TrainingSettings {
    /// Adam with learning rate 10⁻³, full batch, 5000 steps, W₀ ~ N(0, 0.05), seed 2024,
    /// tanh with c = 0, sigmoid with c = 1.
    fn default() -> Self {
        TrainingSettings {
            optimizer: Optimizer::adam(1e-3),
            batching: Batching::Full,
            steps: 5_000,
            init: Init::Normal {
                mean: 0.0,
                std: 0.05,
            },
            seed: 2024,
            tanh_c: 0.0,
            sigmoid_c: 1.0,
        }
    }
}

impl TrainingSettings {
    /// The three activations trained: identity, tanh(z − c), sigmoid σ(cz).
    pub fn activations(&self) -> [Activation; 3] {
        [
            Activation::Identity,
            Activation::Tanh { c: self.tanh_c },
            Activation::Sigmoid { c: self.sigmoid_c },
        ]
    }

    /// One line, e.g. `Adam (lr=0.001), full batch, 5000 steps, init N(0,0.05), seed 2024`.
    pub fn description(&self) -> String {
        format!(
            "{}, {}, {} steps, init {}, seed {}",
            self.optimizer.label(),
            self.batching.label(),
            self.steps,
            self.init.label(),
            self.seed
        )
    }

    /// The full [`TrainParams`] of one run with activation `activation`.
    pub fn params(&self, activation: Activation) -> TrainParams {
        TrainParams {
            activation,
            init: self.init,
            optimizer: self.optimizer,
            batching: self.batching,
            max_steps: self.steps,
            loss_threshold: None,
            seed: self.seed,
            record_every: self.steps.max(1),
        }
    }
}

/// The settings of a [`study`]: one [`TrainingSettings`] (its `seed` ignored) and the seeds,
/// one trained network per seed and activation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StudySettings {
    /// Optimiser, batching, steps, initialisation and activations (the `seed` field is
    /// replaced by each of `seeds` in turn).
    pub training: TrainingSettings,
    /// One initial W per seed (drawn as [`crate::train::train`] draws it).
    pub seeds: Vec<u64>,
}

/// How many seeds [`StudySettings::paper`] uses.
pub const DEFAULT_SEEDS: usize = 8;

impl Default for StudySettings {
    /// The paper's settings with [`DEFAULT_SEEDS`] seeds derived from 2024
    /// ([`crate::seeds::study_seeds`]).
    fn default() -> Self {
        StudySettings::paper(crate::seeds::study_seeds(2024, DEFAULT_SEEDS))
    }
}

impl StudySettings {
    /// The paper's settings ([`TrainingSettings::default`]) with the given seeds.
    pub fn paper(seeds: Vec<u64>) -> Self {
        StudySettings {
            training: TrainingSettings::default(),
            seeds,
        }
    }

    /// One line: the training description without its seed, and the seeds.
    pub fn description(&self) -> String {
        let t = &self.training;
        let seeds: Vec<String> = self.seeds.iter().map(u64::to_string).collect();
        format!(
            "{}, {}, {} steps, init {}, seeds {}",
            t.optimizer.label(),
            t.batching.label(),
            t.steps,
            t.init.label(),
            seeds.join(",")
        )
    }
}

/// One trained network of a [`SetStudy`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainedNetwork {
    pub activation: Activation,
    pub seed: u64,
    /// The trained W, N × N, rows in JSON.
    pub weights: Matrix,
    /// Mean loss (eq. 7) over the training set after training.
    pub final_training_loss: f64,
    /// Loss (eq. 7) of every one of the 2^N patterns, in [`Pattern::all`] order.
    pub loss_per_pattern: Vec<f64>,
    /// The patterns outside X whose output rounds to themselves (every component within
    /// [`REPRODUCE_TOL`]), in [`Pattern::all`] order.
    pub reproduced: Vec<Pattern>,
    /// `max_{s ∈ Σ_X} ‖W − s·W‖_F`: 0 for a Σ-invariant W.
    pub invariance_defect: f64,
}

/// Everything [`study`] finds about one training set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SetStudy {
    pub set: PatternSet,
    /// |Σ_X|.
    pub group_order: usize,
    /// The orbits of Σ_X on X.
    pub orbits: Vec<Vec<Pattern>>,
    /// Binary patterns outside X in span X, in [`Pattern::all`] order.
    pub span_set: Vec<Pattern>,
    /// Patterns y outside X with Σ_{X∪{y}} = Σ_X, in [`Pattern::all`] order.
    pub criterion_set: Vec<Pattern>,
    /// Per seed (outer, in `settings.seeds` order) the identity, tanh and sigmoid networks:
    /// entry `3k + a` is seed k, activation a.
    pub networks: Vec<TrainedNetwork>,
}

impl SetStudy {
    /// The networks with the given activation, in seed order.
    pub fn with_activation(&self, activation: Activation) -> Vec<&TrainedNetwork> {
        self.networks
            .iter()
            .filter(|t| t.activation == activation)
            .collect()
    }
}

/// Whether the throughput path computes `settings`' training: Adam, full batch, N ≤ 8.
fn fast_config(settings: &TrainingSettings, n: usize) -> Option<AdamConfig> {
    match (settings.optimizer, settings.batching) {
        (
            Optimizer::Adam {
                lr,
                beta1,
                beta2,
                eps,
            },
            Batching::Full,
        ) if n <= MAX_FAST_N => Some(AdamConfig {
            lr,
            beta1,
            beta2,
            eps,
        }),
        _ => None,
    }
}

/// The trained W of each seed for one activation: the throughput path when it applies (one
/// thread; callers parallelise over sets), else [`train::train`]. The same bits either way.
///
/// # Errors
/// Those of [`train::train`] (invalid settings, an empty set).
pub fn train_seeds(
    items: &[DVector<f64>],
    training: &TrainingSettings,
    activation: Activation,
    seeds: &[u64],
) -> Result<Vec<DMatrix<f64>>> {
    let n = items.first().map_or(0, |x| x.len());
    if let Some(cfg) = fast_config(training, n) {
        // Validate exactly as the reference path does, then draw W₀ as it draws it.
        let probe = TrainParams {
            max_steps: 0,
            ..training.params(activation)
        };
        train::train(items, &probe)?;
        let w0s = seeds
            .iter()
            .map(|&seed| {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                training.init.sample(n, &mut rng)
            })
            .collect::<Result<Vec<_>>>()?;
        return adam_many_dyn(items, &w0s, activation, cfg, training.steps, 1);
    }
    seeds
        .iter()
        .map(|&seed| {
            let params = TrainParams {
                seed,
                ..training.params(activation)
            };
            Ok(train::train(items, &params)?.weights())
        })
        .collect()
}

/// The paper's question asked of one training set (module documentation).
///
/// # Errors
/// [`crate::Error::TooLarge`] for N above [`crate::pattern::MAX_N`]; training errors for
/// invalid settings (a learning rate ≤ 0, …).
pub fn study(set: &PatternSet, settings: &StudySettings) -> Result<SetStudy> {
    let group = symmetry_group(set)?;
    study_with_group(set, &group, settings)
}

/// [`study`] with Σ_X already computed.
///
/// # Errors
/// As [`study`].
pub fn study_with_group(
    set: &PatternSet,
    group: &SymmetryGroup,
    settings: &StudySettings,
) -> Result<SetStudy> {
    let span_set = SolutionSet::new(set, group)?.generalizes_to(set)?;
    let criterion_set = symmetry_preserving_extensions_with_group(set, group)?;
    let all = Pattern::all(set.n())?;
    let all_vectors: Vec<DVector<f64>> = all.iter().map(Pattern::to_vector).collect();
    let items = set.vectors();
    let training = &settings.training;
    let activations = training.activations();
    let mut per_activation = Vec::with_capacity(activations.len());
    for &act in &activations {
        per_activation.push(train_seeds(&items, training, act, &settings.seeds)?);
    }
    let mut networks = Vec::with_capacity(settings.seeds.len() * activations.len());
    for (k, &seed) in settings.seeds.iter().enumerate() {
        for (a, &activation) in activations.iter().enumerate() {
            let w = per_activation[a][k].clone();
            let net = Network { w, activation };
            let mut reproduced = Vec::new();
            let mut loss_per_pattern = Vec::with_capacity(all.len());
            for (p, x) in all.iter().zip(&all_vectors) {
                loss_per_pattern.push(net.pattern_loss(x));
                if !set.contains(p) && net.reproduces(x) {
                    reproduced.push(p.clone());
                }
            }
            networks.push(TrainedNetwork {
                activation,
                seed,
                final_training_loss: net.loss(&items),
                invariance_defect: group.invariance_defect(&net.w),
                weights: Matrix(net.w),
                loss_per_pattern,
                reproduced,
            });
        }
    }
    Ok(SetStudy {
        set: set.clone(),
        group_order: group.order(),
        orbits: group.orbits(set),
        span_set,
        criterion_set,
        networks,
    })
}

#[cfg(test)]
mod tests;
