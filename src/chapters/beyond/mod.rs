//! Chapter "Beyond the paper": experiments the paper argues for but did not run. Claims D1
//! (solutions depend on algorithm and initialisation and form an infinite family, here on
//! training sets with cyclic, dihedral and full symmetric groups) and D2 (L1/L2/firing-rate
//! regularisation helps tanh networks generalise but not sigmoid ones, §4), plus a sweep from
//! the linear to the tanh network that measures where generalisation is lost.
//!
//! One file per section of the chapter: `regularisation.rs` (D2), `path.rs` (from the linear
//! to the tanh network), `groups.rs` (D1 and the symmetry-adapted basis), `findings.rs` (the
//! verdicts). The penalised loss, its gradient and training loop, and the closed forms they are
//! checked against are maths, in [`crate::maths::penalty`]. Pure: `Params` in, `Output` out; no
//! files, no templates.

mod findings;
mod groups;
mod path;
mod regularisation;

use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::chapters::named_set::NamedSet;
use crate::claims::Finding;
use crate::network::Activation;
use crate::pattern::{Pattern, PatternSet};
use crate::train::Init;
use crate::{Error, Result, seeds};
use groups::group_studies;
use regularisation::{loss_at, probes, reg_sweep};

/// The maths types that appear in [`Output`], so that reading it needs one import.
pub use crate::maths::penalty::{ActivationFamily, Penalty};
pub use findings::{BINARY_UNCHANGED, IMPROVEMENT};
pub use groups::GroupStudy;
pub use path::PathPoint;
pub use regularisation::{BestGain, Generalisation, PAPER_PENALTIES, RegRow, RegSweep};

/// The settings of the chapter. `Default` is the book's setting (the paper gives none).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    /// Seed s₀; run r of a sweep draws its initial W from `ChaCha8Rng::seed_from_u64(s₀ + r)`
    /// ([`seeds::beyond_init`]), so every penalty and every λ starts from the same matrices
    /// (paired comparison).
    pub seed: u64,
    /// The training set of the regularisation and nonlinearity sweeps (the paper's X').
    pub training: String,
    /// Initial weights W_ij ~ N(0, init_std²).
    pub init_std: f64,
    /// Initialisations per setting.
    pub seeds: usize,
    /// The penalty strengths λ > 0 (λ = 0 is always run as the reference).
    pub lambdas: Vec<f64>,
    /// tanh(z − c) and σ(cz): the paper's activations, with our c.
    pub tanh_c: f64,
    pub sigmoid_c: f64,
    /// Full-batch gradient descent: learning rate per activation, common step count.
    pub tanh_lr: f64,
    pub sigmoid_lr: f64,
    pub steps: usize,
    /// Span points α e₂ + β e₃ on a grid×grid grid of \[0,1\]², binary points left out.
    pub span_grid: usize,
    /// The linear-to-tanh paths: k for φ_k, g for φ_g.
    pub mix_ks: Vec<f64>,
    pub gains: Vec<f64>,
    pub mix_lr: f64,
    pub mix_steps: usize,
    pub mix_seeds: usize,
    /// D1: training sets of other lengths and groups.
    pub group_sets: Vec<NamedSet>,
    /// Linear networks: N(0, group_std²) inits, full-batch gradient descent and Adam.
    pub group_std: f64,
    pub group_seeds: usize,
    pub group_lr: f64,
    pub group_steps: usize,
    pub adam_lr: f64,
    pub adam_steps: usize,
    pub adam_seeds: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            seed: 2024,
            training: "010,001".into(),
            init_std: 0.05,
            seeds: 8,
            lambdas: vec![1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1],
            tanh_c: 0.0,
            sigmoid_c: 1.0,
            tanh_lr: 0.5,
            sigmoid_lr: 5.0,
            steps: 20_000,
            span_grid: 11,
            mix_ks: vec![
                0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0,
            ],
            gains: vec![0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99, 1.0],
            mix_lr: 1.0,
            mix_steps: 20_000,
            mix_seeds: 4,
            group_sets: vec![
                NamedSet::new("adjacent pairs on a 4-cycle", "1100,0110,0011,1001"),
                NamedSet::new("the two constant patterns", "00000,11111"),
                NamedSet::new(
                    "a chiral set of six",
                    "010011,100110,011100,101001,010101,101010",
                ),
                NamedSet::new(
                    "adjacent pairs on a 6-cycle",
                    "110000,011000,001100,000110,000011,100001",
                ),
            ],
            group_std: 1.0,
            group_seeds: 256,
            group_lr: 1.0,
            group_steps: 5_000,
            adam_lr: 1e-2,
            adam_steps: 5_000,
            adam_seeds: 8,
        }
    }
}

impl Params {
    /// Fewer seeds and steps, same structure.
    pub fn quick() -> Self {
        Params {
            seeds: 3,
            steps: 5_000,
            mix_steps: 5_000,
            mix_seeds: 2,
            // Enough starts that the average is clearly more invariant (1/√64 = 1/8), and Adam
            // run to convergence: D1's checks are the same as in the full build.
            group_seeds: 64,
            adam_seeds: 3,
            ..Params::default()
        }
    }
}

/// The chapter's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub params: Params,
    pub training: PatternSet,
    /// Number of span points, and the patterns with x₁ = 1 (outside the items' support).
    pub span_points: usize,
    pub outside: Vec<Pattern>,
    /// Column(s) of W that receive no data gradient (1-based).
    pub dead_columns: Vec<usize>,
    pub tanh: RegSweep,
    pub sigmoid: RegSweep,
    /// σ(0) = 1/2 for every W: the sigmoid's loss on 0…0 is exactly this, whatever the penalty.
    pub sigmoid_zero_loss: f64,
    /// The loss on Σx (011 for X') of the output ½ wherever Σx is 1 and 0 elsewhere: what a
    /// sigmoid network gives when it fits the items symmetrically (W_ij = −W_ik, σ(0) = ½).
    pub sigmoid_sum_at_half: f64,
    pub mix: Vec<PathPoint>,
    pub gain: Vec<PathPoint>,
    /// Largest |trained − limit| span loss on the path for the φ with a finite w*.
    pub path_limit_gap: f64,
    pub groups: Vec<GroupStudy>,
    pub findings: Vec<Finding>,
}

/// Run the whole chapter.
pub fn compute(p: &Params) -> Result<Output> {
    validate(p)?;
    let training = PatternSet::parse(&p.training)?;
    let n = training.n();
    let pr = probes(&training, p.span_grid)?;
    // D2: the paper's penalties for both activations, the ½-centred one for the sigmoid too.
    let w0s = inits(p, n, p.seeds, p.init_std)?;
    let tanh = ActivationFamily::Paper {
        activation: Activation::Tanh { c: p.tanh_c },
    };
    let sigmoid = ActivationFamily::Paper {
        activation: Activation::Sigmoid { c: p.sigmoid_c },
    };
    let tanh = reg_sweep(p, "tanh", tanh, p.tanh_lr, &PAPER_PENALTIES, &pr, &w0s);
    let with_half = [PAPER_PENALTIES.as_slice(), &[Penalty::HalfRate]].concat();
    let sigmoid = reg_sweep(p, "sigmoid", sigmoid, p.sigmoid_lr, &with_half, &pr, &w0s);
    // From the linear to the tanh network.
    let (mix, gain) = path::paths(p, &pr, &inits(p, n, p.mix_seeds, p.init_std)?);
    // D1.
    let groups = group_studies(p)?;
    let mut out = Output {
        params: p.clone(),
        span_points: pr.span.len(),
        outside: pr.outside_patterns()?,
        dead_columns: pr.dead.iter().map(|j| j + 1).collect(),
        sigmoid_zero_loss: loss_at(&DMatrix::zeros(n, n), sigmoid.phi, &pr.zero, &pr.zero),
        sigmoid_sum_at_half: pr.sum.iter().map(|s| (0.5 * s - s).powi(2)).sum::<f64>() / n as f64,
        training,
        tanh,
        sigmoid,
        path_limit_gap: path::limit_gap(&mix, &gain),
        mix,
        gain,
        groups,
        findings: Vec::new(),
    };
    out.findings = findings::findings(&out);
    Ok(out)
}

fn validate(p: &Params) -> Result<()> {
    let bad = |name: &str, value: String, why: &str| Err(Error::invalid(name, value, why));
    if p.lambdas.is_empty() || p.lambdas.iter().any(|l| !(l.is_finite() && *l > 0.0)) {
        return bad(
            "lambdas",
            format!("{:?}", p.lambdas),
            "give at least one finite λ > 0 (λ = 0 is always run)",
        );
    }
    if p.seeds == 0 || p.mix_seeds == 0 || p.group_seeds < 2 {
        return bad(
            "seeds",
            format!("{}, {}, {}", p.seeds, p.mix_seeds, p.group_seeds),
            "need at least one seed per sweep and two for the group study",
        );
    }
    if p.span_grid < 2 {
        return bad("span_grid", p.span_grid.to_string(), "must be at least 2");
    }
    if p.mix_ks.iter().any(|k| !(0.0..=1.0).contains(k))
        || p.gains.iter().any(|g| !(0.0..=1.0).contains(g))
    {
        return bad(
            "mix_ks/gains",
            format!("{:?} / {:?}", p.mix_ks, p.gains),
            "k and g must lie in [0, 1]",
        );
    }
    if p.group_sets.is_empty() {
        return bad("group_sets", "[]".into(), "give at least one training set");
    }
    Ok(())
}

/// `count` initial matrices W_ij ~ N(0, std²), matrix r drawn from its own stream
/// ([`seeds::beyond_init`]), so every sweep that draws r starts from the same matrix.
fn inits(p: &Params, n: usize, count: usize, std: f64) -> Result<Vec<DMatrix<f64>>> {
    (0..count)
        .map(|r| {
            let mut rng = ChaCha8Rng::seed_from_u64(seeds::beyond_init(p.seed, r));
            Init::Normal { mean: 0.0, std }.sample(n, &mut rng)
        })
        .collect()
}
