//! The throughput path: full-batch Adam on many independent small networks at once, with
//! fixed-size arrays on the stack and the networks split across all cores. Same maths as
//! [`crate::train`] (a test holds the two to 1e-12); it exists for sweeps over many seeds, and
//! the training benchmark (`cargo bench --bench train`) measures it.

use crate::network::Activation;

/// Adam's hyper-parameters (PyTorch's `torch.optim.Adam` semantics, bias-corrected).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamConfig {
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
}

/// φ(z) and φ'(z) together, so that each step evaluates tanh or exp once per unit.
#[inline(always)]
fn value_and_slope(act: Activation, z: f64) -> (f64, f64) {
    match act {
        Activation::Identity => (z, 1.0),
        Activation::Tanh { c } => {
            let y = crate::tanh::tanh(z - c);
            (y, 1.0 - y * y)
        }
        Activation::Sigmoid { c } => {
            let s = crate::network::logistic(c * z);
            (s, c * s * (1.0 - s))
        }
    }
}

/// Adam's bias corrections (1 − β₁ᵗ, 1 − β₂ᵗ) for t = 1..=steps, computed once and shared by
/// every network (exactly as the reference path computes them, β^t by `powi`).
pub fn bias_corrections(cfg: AdamConfig, steps: usize) -> Vec<(f64, f64)> {
    (1..=steps)
        .map(|t| {
            let ti = i32::try_from(t).unwrap_or(i32::MAX);
            (1.0 - cfg.beta1.powi(ti), 1.0 - cfg.beta2.powi(ti))
        })
        .collect()
}

// ANCHOR: adam_one
/// Train one N×N network from `w` in place: one full-batch Adam update on `items` per entry
/// of `corrections` (from [`bias_corrections`]).
pub fn adam_one<const N: usize>(
    items: &[[f64; N]],
    w: &mut [[f64; N]; N],
    act: Activation,
    cfg: AdamConfig,
    corrections: &[(f64, f64)],
) {
    let mut m = [[0.0; N]; N];
    let mut v = [[0.0; N]; N];
    let scale = 2.0 / (N as f64 * items.len() as f64);
    for &(bc1, bc2) in corrections {
        // g = (2 / (N |X|)) Σ_x ((φ(Wx) − x) ⊙ φ'(Wx)) xᵀ
        let mut g = [[0.0; N]; N];
        for x in items {
            for i in 0..N {
                let mut z = 0.0;
                for j in 0..N {
                    z += w[i][j] * x[j];
                }
                let (y, dy) = value_and_slope(act, z);
                let delta = (y - x[i]) * dy;
                for j in 0..N {
                    g[i][j] += delta * x[j];
                }
            }
        }
        for i in 0..N {
            for j in 0..N {
                let gij = g[i][j] * scale;
                m[i][j] = cfg.beta1 * m[i][j] + (1.0 - cfg.beta1) * gij;
                v[i][j] = cfg.beta2 * v[i][j] + (1.0 - cfg.beta2) * gij * gij;
                w[i][j] -= cfg.lr * (m[i][j] / bc1) / ((v[i][j] / bc2).sqrt() + cfg.eps);
            }
        }
    }
}
// ANCHOR_END: adam_one

/// [`adam_one`] on `L` networks at once, in lock-step: the same operations in the same order
/// per network (so the same results), interleaved so that the processor overlaps the
/// independent chains of arithmetic and `tanh` calls.
pub fn adam_lanes<const N: usize, const L: usize>(
    items: &[[f64; N]],
    ws: &mut [[[f64; N]; N]; L],
    act: Activation,
    cfg: AdamConfig,
    corrections: &[(f64, f64)],
) {
    let mut m = [[[0.0; N]; N]; L];
    let mut v = [[[0.0; N]; N]; L];
    let scale = 2.0 / (N as f64 * items.len() as f64);
    for &(bc1, bc2) in corrections {
        let mut g = [[[0.0; N]; N]; L];
        for x in items {
            for i in 0..N {
                let mut z = [0.0; L];
                for l in 0..L {
                    for j in 0..N {
                        z[l] += ws[l][i][j] * x[j];
                    }
                }
                for l in 0..L {
                    let (y, dy) = value_and_slope(act, z[l]);
                    let delta = (y - x[i]) * dy;
                    for j in 0..N {
                        g[l][i][j] += delta * x[j];
                    }
                }
            }
        }
        for l in 0..L {
            for i in 0..N {
                for j in 0..N {
                    let gij = g[l][i][j] * scale;
                    m[l][i][j] = cfg.beta1 * m[l][i][j] + (1.0 - cfg.beta1) * gij;
                    v[l][i][j] = cfg.beta2 * v[l][i][j] + (1.0 - cfg.beta2) * gij * gij;
                    ws[l][i][j] -=
                        cfg.lr * (m[l][i][j] / bc1) / ((v[l][i][j] / bc2).sqrt() + cfg.eps);
                }
            }
        }
    }
}

/// Networks trained in lock-step by each thread.
const LANES: usize = 4;

/// Train every network of `ws` in place, the networks split evenly across `threads` threads.
pub fn adam_many<const N: usize>(
    items: &[[f64; N]],
    ws: &mut [[[f64; N]; N]],
    act: Activation,
    cfg: AdamConfig,
    steps: usize,
    threads: usize,
) {
    let corrections = bias_corrections(cfg, steps);
    let corrections = corrections.as_slice();
    let chunk = ws.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        for part in ws.chunks_mut(chunk) {
            scope.spawn(move || {
                let mut lanes = part.chunks_exact_mut(LANES);
                for group in lanes.by_ref() {
                    if let Ok(group) = <&mut [[[f64; N]; N]; LANES]>::try_from(group) {
                        adam_lanes(items, group, act, cfg, corrections);
                    }
                }
                for w in lanes.into_remainder() {
                    adam_one(items, w, act, cfg, corrections);
                }
            });
        }
    });
}
