//! Seeded training of y = φ(Wx) on a set of patterns with the initialisations, optimisers and
//! batching schemes compared in the paper's §3.1.1 (delta rule, SGD, momentum, Adam; W
//! started at 0, at 1, uniformly or normally at random).
//!
//! Everything random (the initial W, the order of the items) comes from one
//! `ChaCha8Rng::seed_from_u64(seed)`, so a [`TrainParams`] determines its [`TrainResult`].

use nalgebra::{DMatrix, DVector};
use rand::RngExt;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, Uniform};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::fmt::shortest;
use crate::maths::matrix::Matrix;
use crate::network::{Activation, Network};

fn invalid(name: &str, value: impl ToString, why: &str) -> Error {
    Error::InvalidParameter {
        name: name.to_string(),
        value: value.to_string(),
        why: why.to_string(),
    }
}

/// How the N×N weight matrix is initialised.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Init {
    /// W = 0.
    Zeros,
    /// W = 𝟙𝟙ᵀ (every weight 1).
    Ones,
    /// W_ij ~ U[low, high) independently.
    Uniform {
        /// Lower end (inclusive).
        low: f64,
        /// Upper end (exclusive).
        high: f64,
    },
    /// W_ij ~ N(mean, std²) independently.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation (not the variance).
        std: f64,
    },
}

impl Init {
    /// Draws an n×n matrix. Random entries are drawn in row-major order (W₀₀, W₀₁, …, W₁₀, …),
    /// so a matrix printed row by row reads in draw order. `Zeros` and `Ones` draw nothing.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for non-finite bounds or `low >= high`, and for a
    /// non-finite mean or `std <= 0`.
    pub fn sample(&self, n: usize, rng: &mut ChaCha8Rng) -> Result<DMatrix<f64>> {
        match *self {
            Init::Zeros => Ok(DMatrix::zeros(n, n)),
            Init::Ones => Ok(DMatrix::from_element(n, n, 1.0)),
            Init::Uniform { low, high } => {
                if !(low.is_finite() && high.is_finite() && low < high) {
                    return Err(invalid(
                        "init",
                        self.label(),
                        "a uniform initialisation needs finite bounds with low < high",
                    ));
                }
                let dist = Uniform::new(low, high)
                    .map_err(|e| invalid("init", self.label(), &e.to_string()))?;
                Ok(DMatrix::from_row_iterator(
                    n,
                    n,
                    (0..n * n).map(|_| dist.sample(rng)),
                ))
            }
            Init::Normal { mean, std } => {
                if !(mean.is_finite() && std.is_finite() && std > 0.0) {
                    return Err(invalid(
                        "init",
                        self.label(),
                        "a normal initialisation needs a finite mean and a finite std > 0",
                    ));
                }
                let dist = Normal::new(mean, std)
                    .map_err(|e| invalid("init", self.label(), &e.to_string()))?;
                Ok(DMatrix::from_row_iterator(
                    n,
                    n,
                    (0..n * n).map(|_| dist.sample(rng)),
                ))
            }
        }
    }

    /// The paper's short label: `"0"`, `"1"`, `"U(0,1)"`, `"N(0,0.05)"`.
    pub fn label(&self) -> String {
        match *self {
            Init::Zeros => "0".to_string(),
            Init::Ones => "1".to_string(),
            Init::Uniform { low, high } => format!("U({},{})", shortest(low), shortest(high)),
            Init::Normal { mean, std } => format!("N({},{})", shortest(mean), shortest(std)),
        }
    }
}

/// The update rule. g denotes the mean gradient ∂L_B/∂W of the step's batch B
/// (as [`Network::gradient`] computes it), η the learning rate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Optimizer {
    /// Widrow–Hoff / generalised delta rule:
    /// ΔW = η · (1/|B|) Σ_{x∈B} ((x − ŷ) ⊙ φ'(Wx)) xᵀ.
    /// It has no 2/N factor, so it is SGD with learning rate ηN/2.
    DeltaRule {
        /// η.
        lr: f64,
    },
    /// Plain gradient descent: W ← W − η g.
    Sgd {
        /// η.
        lr: f64,
    },
    /// Heavy-ball momentum in PyTorch's form (no dampening, no Nesterov):
    /// b ← μ b + g (b = g at the first step), W ← W − η b.
    Momentum {
        /// η.
        lr: f64,
        /// μ ∈ [0, 1).
        momentum: f64,
    },
    /// Adam (Kingma & Ba; PyTorch `torch.optim.Adam` without weight decay), at step t = 1, 2, …:
    /// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ),
    /// W ← W − η m̂ / (√v̂ + ε), all element-wise, m = v = 0 at the start.
    Adam {
        /// η.
        lr: f64,
        /// β₁ ∈ [0, 1).
        beta1: f64,
        /// β₂ ∈ [0, 1).
        beta2: f64,
        /// ε > 0.
        eps: f64,
    },
}

impl Optimizer {
    /// Adam with PyTorch's defaults β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸.
    pub fn adam(lr: f64) -> Self {
        Optimizer::Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }

    /// A short human-readable label, e.g. `"SGD (lr=0.1)"`; Adam's betas and ε are shown only
    /// when they differ from the defaults.
    pub fn label(&self) -> String {
        match *self {
            Optimizer::DeltaRule { lr } => format!("delta rule (lr={})", shortest(lr)),
            Optimizer::Sgd { lr } => format!("SGD (lr={})", shortest(lr)),
            Optimizer::Momentum { lr, momentum } => {
                format!(
                    "SGD+momentum (lr={}, momentum={})",
                    shortest(lr),
                    shortest(momentum)
                )
            }
            Optimizer::Adam {
                lr,
                beta1,
                beta2,
                eps,
            } => {
                if beta1 == 0.9 && beta2 == 0.999 && eps == 1e-8 {
                    format!("Adam (lr={})", shortest(lr))
                } else {
                    format!(
                        "Adam (lr={}, beta1={}, beta2={}, eps={})",
                        shortest(lr),
                        shortest(beta1),
                        shortest(beta2),
                        shortest(eps)
                    )
                }
            }
        }
    }

    fn lr(&self) -> f64 {
        match *self {
            Optimizer::DeltaRule { lr }
            | Optimizer::Sgd { lr }
            | Optimizer::Momentum { lr, .. }
            | Optimizer::Adam { lr, .. } => lr,
        }
    }

    fn validate(&self) -> Result<()> {
        let lr = self.lr();
        if !(lr.is_finite() && lr > 0.0) {
            return Err(invalid(
                "lr",
                shortest(lr),
                "the learning rate must be finite and > 0",
            ));
        }
        let unit = |name: &str, v: f64| {
            if (0.0..1.0).contains(&v) {
                Ok(())
            } else {
                Err(invalid(name, shortest(v), "must lie in [0, 1)"))
            }
        };
        match *self {
            Optimizer::DeltaRule { .. } | Optimizer::Sgd { .. } => Ok(()),
            Optimizer::Momentum { momentum, .. } => unit("momentum", momentum),
            Optimizer::Adam {
                beta1, beta2, eps, ..
            } => {
                unit("beta1", beta1)?;
                unit("beta2", beta2)?;
                if eps.is_finite() && eps > 0.0 {
                    Ok(())
                } else {
                    Err(invalid(
                        "eps",
                        shortest(eps),
                        "Adam's eps must be finite and > 0",
                    ))
                }
            }
        }
    }
}

/// Which items each step uses.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Batching {
    /// Every step uses all items (full-batch gradient descent).
    Full,
    /// One item per step, cycling through the items: in their given order (`shuffle: false`)
    /// or in a fresh random permutation each epoch (`shuffle: true`).
    Online {
        /// Reshuffle at the start of every epoch.
        shuffle: bool,
    },
    /// Each step draws `batch_size` items uniformly with replacement.
    WithReplacement {
        /// Items per step, ≥ 1.
        batch_size: usize,
    },
}

impl Batching {
    /// A short human-readable label, e.g. `"batches of 2 drawn with replacement"`.
    pub fn label(&self) -> String {
        match *self {
            Batching::Full => "full batch".into(),
            Batching::Online { shuffle: false } => "online in order".into(),
            Batching::Online { shuffle: true } => "online shuffled".into(),
            Batching::WithReplacement { batch_size } => {
                format!("batches of {batch_size} drawn with replacement")
            }
        }
    }
}

/// Everything that determines a training run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainParams {
    /// φ.
    pub activation: Activation,
    /// How W starts (ignored by [`train_from`]).
    pub init: Init,
    /// The update rule.
    pub optimizer: Optimizer,
    /// Which items each step uses.
    pub batching: Batching,
    /// At most this many steps; one step is one parameter update.
    pub max_steps: usize,
    /// Stop as soon as the full training loss L(W) ≤ threshold (checked before every step
    /// and after the last).
    pub loss_threshold: Option<f64>,
    /// Seed of the one `ChaCha8Rng`: it first draws the initial W, then drives the batches.
    pub seed: u64,
    /// Record L(W) every this many steps (≥ 1), plus at step 0 and at the final step.
    pub record_every: usize,
}

/// The outcome of a training run. Matrices serialise as their rows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainResult {
    /// W before the first step, N × N.
    pub initial_w: Matrix,
    /// W after the last step, N × N.
    pub w: Matrix,
    /// Number of updates performed.
    pub steps: usize,
    /// L(W) of the final W over all items.
    pub final_loss: f64,
    /// Whether the loss threshold was reached (false when none was given).
    pub converged: bool,
    /// (step, L(W)) at step 0, every `record_every` steps and at the final step.
    pub loss_curve: Vec<(usize, f64)>,
}

impl TrainResult {
    /// The final W (a copy; `&result.w` borrows it).
    pub fn weights(&self) -> DMatrix<f64> {
        self.w.0.clone()
    }

    /// The trained network φ_W with the final W.
    pub fn network(&self, activation: Activation) -> Network {
        // `weights` is square by construction, so `Network::new`'s check cannot fail here.
        Network {
            w: self.weights(),
            activation,
        }
    }
}

/// The rows of `w`, top to bottom.
pub fn matrix_rows(w: &DMatrix<f64>) -> Vec<Vec<f64>> {
    w.row_iter().map(|r| r.iter().copied().collect()).collect()
}

/// The matrix with the given rows (the inverse of [`matrix_rows`]); no rows give 0×0.
///
/// # Errors
/// [`Error::DimensionMismatch`] when the rows differ in length.
pub fn matrix_from_rows(rows: &[Vec<f64>]) -> Result<DMatrix<f64>> {
    let ncols = rows.first().map_or(0, Vec::len);
    if let Some((i, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != ncols) {
        return Err(Error::DimensionMismatch {
            what: format!("row {i} of the matrix"),
            expected: ncols,
            found: r.len(),
        });
    }
    Ok(DMatrix::from_row_iterator(
        rows.len(),
        ncols,
        rows.iter().flat_map(|r| r.iter().copied()),
    ))
}

/// Trains φ(Wx) on `items`, starting from `params.init` drawn with the run's generator.
///
/// # Errors
/// [`Error::EmptySet`] for no items, [`Error::EmptyPattern`] for items of length 0,
/// [`Error::DimensionMismatch`] for items of different lengths, and
/// [`Error::InvalidParameter`] for lr ≤ 0, β or μ outside [0, 1), ε ≤ 0, a batch size or
/// `record_every` of 0, a non-finite activation parameter or an invalid [`Init`].
pub fn train(items: &[DVector<f64>], params: &TrainParams) -> Result<TrainResult> {
    let n = validate(items, params)?;
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let w0 = params.init.sample(n, &mut rng)?;
    run(items, w0, params, &mut rng)
}

/// As [`train`], but starting from the given `w0`; `params.init` is ignored and the generator
/// (seeded from `params.seed`) only drives the batches.
///
/// # Errors
/// Those of [`train`], and [`Error::DimensionMismatch`] when `w0` is not N×N.
pub fn train_from(
    items: &[DVector<f64>],
    w0: DMatrix<f64>,
    params: &TrainParams,
) -> Result<TrainResult> {
    let n = validate(items, params)?;
    if w0.nrows() != n || w0.ncols() != n {
        return Err(Error::DimensionMismatch {
            what: format!(
                "initial weight matrix ({}x{}) for patterns of length {n}",
                w0.nrows(),
                w0.ncols()
            ),
            expected: n,
            found: if w0.nrows() != n {
                w0.nrows()
            } else {
                w0.ncols()
            },
        });
    }
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    run(items, w0, params, &mut rng)
}

/// Checks the items and the parameters; returns the pattern length N.
fn validate(items: &[DVector<f64>], params: &TrainParams) -> Result<usize> {
    let first = items.first().ok_or(Error::EmptySet)?;
    let n = first.len();
    if n == 0 {
        return Err(Error::EmptyPattern);
    }
    if let Some((k, x)) = items.iter().enumerate().find(|(_, x)| x.len() != n) {
        return Err(Error::DimensionMismatch {
            what: format!("training item {k}"),
            expected: n,
            found: x.len(),
        });
    }
    match params.activation {
        Activation::Identity => {}
        Activation::Tanh { c } | Activation::Sigmoid { c } => {
            if !c.is_finite() {
                return Err(invalid(
                    "c",
                    shortest(c),
                    "the activation parameter must be finite",
                ));
            }
        }
    }
    params.optimizer.validate()?;
    if let Batching::WithReplacement { batch_size: 0 } = params.batching {
        return Err(invalid("batch_size", 0, "a batch needs at least one item"));
    }
    if params.record_every == 0 {
        return Err(invalid("record_every", 0, "must be at least 1"));
    }
    Ok(n)
}

/// State of the optimiser that persists between steps.
enum OptState {
    None,
    Momentum {
        buf: DMatrix<f64>,
        started: bool,
    },
    Adam {
        m: DMatrix<f64>,
        v: DMatrix<f64>,
        bc1: Arc<[f64]>,
        bc2: Arc<[f64]>,
    },
}

/// Adam's bias corrections 1 − β^t for t = 1, 2, …, with β^t by `powi`, as a shared table:
/// entry t − 1 holds step t's value, and past the table's end the value is exactly 1.
///
/// The table stops where β^t < 2⁻⁶⁰: from there on 1 − β^t rounds to 1 (β^t only shrinks with
/// t, and `powi`'s relative error is far below the factor 2⁶ between 2⁻⁶⁰ and half an ulp of
/// 1), or at `steps`, whichever comes first. Tables are kept per β and reused by every later
/// run, so that thousands of short runs do not each pay two `powi` calls per step (they were
/// a quarter of the linear chapter's time); the values are the ones `powi` gives.
pub fn bias_corrections(beta: f64, steps: usize) -> Arc<[f64]> {
    /// One β's table; `complete` when it reaches the point where the value is exactly 1.
    struct Table {
        beta_bits: u64,
        values: Arc<[f64]>,
        complete: bool,
    }
    static TABLES: Mutex<Vec<Table>> = Mutex::new(Vec::new());
    let mut tables = TABLES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(t) = tables.iter().find(|t| t.beta_bits == beta.to_bits())
        && (t.complete || t.values.len() >= steps)
    {
        return Arc::clone(&t.values);
    }
    let mut values = Vec::new();
    let mut complete = false;
    for t in 1..=steps {
        // β^t underflows to 0 long before t exceeds i32::MAX, so saturating is exact.
        let power = beta.powi(i32::try_from(t).unwrap_or(i32::MAX));
        if power.abs() < SATURATED {
            complete = true;
            break;
        }
        values.push(1.0 - power);
    }
    let values: Arc<[f64]> = values.into();
    tables.retain(|t| t.beta_bits != beta.to_bits());
    tables.push(Table {
        beta_bits: beta.to_bits(),
        values: Arc::clone(&values),
        complete,
    });
    values
}

/// 2⁻⁶⁰: below it, 1 − β^t is exactly 1 (see [`bias_corrections`]).
const SATURATED: f64 = f64::from_bits(0x3c30_0000_0000_0000);

/// The training loop proper; inputs are validated.
fn run(
    items: &[DVector<f64>],
    w0: DMatrix<f64>,
    params: &TrainParams,
    rng: &mut ChaCha8Rng,
) -> Result<TrainResult> {
    let n = w0.nrows();
    let m = items.len();
    let initial_w = Matrix::from(&w0);
    let mut net = Network {
        w: w0,
        activation: params.activation,
    };

    // Work buffers, allocated once: the inner loop only writes into them.
    let mut pre = DVector::zeros(n);
    let mut delta = DVector::zeros(n);
    let mut acc = DMatrix::zeros(n, n);
    let mut batch: Vec<usize> = Vec::with_capacity(match params.batching {
        Batching::Full => m,
        Batching::Online { .. } => 1,
        Batching::WithReplacement { batch_size } => batch_size,
    });
    let mut order: Vec<usize> = (0..m).collect();
    // Position in `order` of the next online item; m means "an epoch has just ended".
    let mut pos = m;
    if let Batching::Full = params.batching {
        batch.extend(0..m);
    }
    let mut state = match params.optimizer {
        Optimizer::DeltaRule { .. } | Optimizer::Sgd { .. } => OptState::None,
        Optimizer::Momentum { .. } => OptState::Momentum {
            buf: DMatrix::zeros(n, n),
            started: false,
        },
        Optimizer::Adam { beta1, beta2, .. } => OptState::Adam {
            m: DMatrix::zeros(n, n),
            v: DMatrix::zeros(n, n),
            bc1: bias_corrections(beta1, params.max_steps),
            bc2: bias_corrections(beta2, params.max_steps),
        },
    };

    let mut step = 0usize;
    let mut loss = net.loss_with(items, &mut pre);
    let mut loss_curve = vec![(0, loss)];
    let mut converged = false;
    loop {
        if params.loss_threshold.is_some_and(|t| loss <= t) {
            converged = true;
            break;
        }
        if step == params.max_steps {
            break;
        }

        // Choose this step's batch.
        match params.batching {
            Batching::Full => {}
            Batching::Online { shuffle } => {
                if pos == m {
                    pos = 0;
                    if shuffle {
                        order.shuffle(rng);
                    }
                }
                batch.clear();
                batch.push(order[pos]);
                pos += 1;
            }
            Batching::WithReplacement { batch_size } => {
                batch.clear();
                batch.extend((0..batch_size).map(|_| rng.random_range(0..m)));
            }
        }

        // acc = Σ_{k∈B} δ_k x_kᵀ, δ_k = (ŷ_k − x_k) ⊙ φ'(Wx_k).
        acc.fill(0.0);
        for &k in &batch {
            net.accumulate_error_outer(&items[k], &mut pre, &mut delta, &mut acc);
        }
        let b = batch.len() as f64;
        step += 1;
        update(
            &mut net.w,
            &mut acc,
            &mut state,
            &params.optimizer,
            n,
            b,
            step,
        );

        // The full loss is needed for the stopping test, a record, or the final value.
        let record = step.is_multiple_of(params.record_every);
        if params.loss_threshold.is_some() || record || step == params.max_steps {
            loss = net.loss_with(items, &mut pre);
            if record {
                loss_curve.push((step, loss));
            }
        }
    }
    if loss_curve.last().is_none_or(|&(s, _)| s != step) {
        loss_curve.push((step, loss));
    }

    Ok(TrainResult {
        initial_w,
        w: Matrix::from(&net.w),
        steps: step,
        final_loss: loss,
        converged,
        loss_curve,
    })
}

/// One parameter update. `acc` holds Σ_{k∈B} δ_k x_kᵀ for the batch of size `b` and is used
/// as scratch; `t` is the 1-based step number (Adam's bias correction).
fn update(
    w: &mut DMatrix<f64>,
    acc: &mut DMatrix<f64>,
    state: &mut OptState,
    optimizer: &Optimizer,
    n: usize,
    b: f64,
    t: usize,
) {
    if let Optimizer::DeltaRule { lr } = *optimizer {
        // ΔW = −η · acc / |B| (δ has the sign ŷ − x, the delta rule uses x − ŷ).
        w.zip_apply(acc, |wij, aij| *wij -= lr * (aij / b));
        return;
    }
    // g = (2/(N |B|)) acc, scaled exactly as `Network::gradient` does.
    *acc *= 2.0 / (n as f64 * b);
    let g = &*acc;
    match (*optimizer, state) {
        (Optimizer::Momentum { lr, momentum }, OptState::Momentum { buf, started }) => {
            if *started {
                buf.zip_apply(g, |bij, gij| *bij = momentum * *bij + gij);
            } else {
                buf.copy_from(g);
                *started = true;
            }
            w.zip_apply(buf, |wij, bij| *wij -= lr * bij);
        }
        (
            Optimizer::Adam {
                lr,
                beta1,
                beta2,
                eps,
            },
            OptState::Adam { m, v, bc1, bc2 },
        ) => {
            // 1 − β^t (see `bias_corrections`); exactly 1 past the end of the table.
            let bc1 = bc1.get(t - 1).copied().unwrap_or(1.0);
            let bc2 = bc2.get(t - 1).copied().unwrap_or(1.0);
            for (((wij, mij), vij), gij) in w
                .iter_mut()
                .zip(m.iter_mut())
                .zip(v.iter_mut())
                .zip(g.iter())
            {
                *mij = beta1 * *mij + (1.0 - beta1) * gij;
                *vij = beta2 * *vij + (1.0 - beta2) * gij * gij;
                let m_hat = *mij / bc1;
                let v_hat = *vij / bc2;
                *wij -= lr * m_hat / (v_hat.sqrt() + eps);
            }
        }
        // Sgd, and (unreachable) mismatched optimiser/state pairs fall back to plain descent.
        (opt, _) => {
            let lr = opt.lr();
            w.zip_apply(g, |wij, gij| *wij -= lr * gij);
        }
    }
}

#[cfg(test)]
mod tests;
