//! The throughput path: full-batch Adam on many independent small networks at once, with
//! fixed-size arrays on the stack and the networks split across all cores. Each thread moves
//! four networks in lock-step as four-lane vectors ([`adam_four`]: AVX2 when the processor has
//! it, tanh included via [`crate::tanh`]); a group of fewer than four is padded with copies. Same
//! maths and the same bits as [`crate::train`] (tests hold them to 1e-12, and the vector code
//! to the portable code bit for bit); it exists for sweeps over many seeds, and the training
//! benchmark (`cargo bench --bench train`) measures it.

use crate::network::Activation;

/// Adam's hyper-parameters (PyTorch's `torch.optim.Adam` semantics, bias-corrected).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamConfig {
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
}

/// Adam's bias corrections (1 − β₁ᵗ, 1 − β₂ᵗ) for t = 1..=steps, shared by every network:
/// the reference path's own values ([`crate::train::bias_corrections`]), paired per step.
pub fn bias_corrections(cfg: AdamConfig, steps: usize) -> Vec<(f64, f64)> {
    let b1 = crate::train::bias_corrections(cfg.beta1, steps);
    let b2 = crate::train::bias_corrections(cfg.beta2, steps);
    let at = |table: &[f64], t: usize| table.get(t).copied().unwrap_or(1.0);
    (0..steps).map(|t| (at(&b1, t), at(&b2, t))).collect()
}

/// The element-wise (φ, φ') of four lanes, as the lock-step path evaluates it.
trait Phi4 {
    fn value_and_slope(&self, z: [f64; 4]) -> ([f64; 4], [f64; 4]);
}

/// Any activation, one lane at a time.
struct PerLane(Activation);

impl Phi4 for PerLane {
    #[inline(always)]
    fn value_and_slope(&self, z: [f64; 4]) -> ([f64; 4], [f64; 4]) {
        // Plain loops: `[T; 4]::map` is not always inlined, and here it sits in the hot loop.
        let (mut y, mut dy) = ([0.0; 4], [0.0; 4]);
        for l in 0..4 {
            (y[l], dy[l]) = self.0.value_and_slope(z[l]);
        }
        (y, dy)
    }
}

/// tanh(z − c) on four lanes with AVX2: [`crate::tanh::tanh`]'s bits, four at a time.
#[cfg(target_arch = "x86_64")]
struct TanhAvx2 {
    c: f64,
}

#[cfg(target_arch = "x86_64")]
impl Phi4 for TanhAvx2 {
    #[inline(always)]
    fn value_and_slope(&self, z: [f64; 4]) -> ([f64; 4], [f64; 4]) {
        let shifted = [z[0] - self.c, z[1] - self.c, z[2] - self.c, z[3] - self.c];
        // SAFETY: a TanhAvx2 is only made by `adam_four_avx2`, which runs only with AVX2.
        let y = unsafe { crate::tanh::avx2::tanh4(shifted) };
        (
            y,
            [
                1.0 - y[0] * y[0],
                1.0 - y[1] * y[1],
                1.0 - y[2] * y[2],
                1.0 - y[3] * y[3],
            ],
        )
    }
}

/// Full-batch Adam on four N×N networks at once, in place: one update on `items` per entry of
/// `corrections` (from [`bias_corrections`]). The networks move in lock-step, each with the
/// operations of `train::train_from` in the same order (so the same bits), with the four
/// networks' copies of each weight side by side, so that every operation is one four-lane
/// vector operation, tanh included.
#[inline(always)]
fn adam_four_with<const N: usize>(
    items: &[[f64; N]],
    ws: &mut [[[f64; N]; N]; 4],
    phi: &impl Phi4,
    cfg: AdamConfig,
    corrections: &[(f64, f64)],
) {
    // w[i][j][l] = weight (i, j) of network l.
    let mut w = [[[0.0; 4]; N]; N];
    for (l, wl) in ws.iter().enumerate() {
        for i in 0..N {
            for j in 0..N {
                w[i][j][l] = wl[i][j];
            }
        }
    }
    let mut m = [[[0.0; 4]; N]; N];
    let mut v = [[[0.0; 4]; N]; N];
    let scale = 2.0 / (N as f64 * items.len() as f64);
    for &(bc1, bc2) in corrections {
        let mut g = [[[0.0; 4]; N]; N];
        for x in items {
            for i in 0..N {
                let mut z = [0.0; 4];
                for j in 0..N {
                    for l in 0..4 {
                        z[l] += w[i][j][l] * x[j];
                    }
                }
                let (y, dy) = phi.value_and_slope(z);
                for l in 0..4 {
                    let delta = (y[l] - x[i]) * dy[l];
                    for j in 0..N {
                        g[i][j][l] += delta * x[j];
                    }
                }
            }
        }
        for i in 0..N {
            for j in 0..N {
                for l in 0..4 {
                    let gij = g[i][j][l] * scale;
                    m[i][j][l] = cfg.beta1 * m[i][j][l] + (1.0 - cfg.beta1) * gij;
                    v[i][j][l] = cfg.beta2 * v[i][j][l] + (1.0 - cfg.beta2) * gij * gij;
                    w[i][j][l] -=
                        cfg.lr * (m[i][j][l] / bc1) / ((v[i][j][l] / bc2).sqrt() + cfg.eps);
                }
            }
        }
    }
    for (l, wl) in ws.iter_mut().enumerate() {
        for i in 0..N {
            for j in 0..N {
                wl[i][j] = w[i][j][l];
            }
        }
    }
}

/// [`adam_four_with`] compiled for AVX2, with the AVX2 tanh when φ is tanh.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn adam_four_avx2<const N: usize>(
    items: &[[f64; N]],
    ws: &mut [[[f64; N]; N]; 4],
    act: Activation,
    cfg: AdamConfig,
    corrections: &[(f64, f64)],
) {
    match act {
        Activation::Tanh { c } => adam_four_with(items, ws, &TanhAvx2 { c }, cfg, corrections),
        _ => adam_four_with(items, ws, &PerLane(act), cfg, corrections),
    }
}

/// Full-batch Adam on four networks at once (see `adam_four_with`): with AVX2 when the
/// processor has it, else lane by lane; the results are the same bits either way.
pub fn adam_four<const N: usize>(
    items: &[[f64; N]],
    ws: &mut [[[f64; N]; N]; 4],
    act: Activation,
    cfg: AdamConfig,
    corrections: &[(f64, f64)],
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor supports AVX2 (checked on the line above).
        return unsafe { adam_four_avx2(items, ws, act, cfg, corrections) };
    }
    adam_four_portable(items, ws, act, cfg, corrections);
}

/// [`adam_four`] without SIMD instructions: what runs on processors without AVX2, and the
/// yardstick a test holds the AVX2 path to, bit for bit.
pub fn adam_four_portable<const N: usize>(
    items: &[[f64; N]],
    ws: &mut [[[f64; N]; N]; 4],
    act: Activation,
    cfg: AdamConfig,
    corrections: &[(f64, f64)],
) {
    adam_four_with(items, ws, &PerLane(act), cfg, corrections);
}

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
                let mut fours = part.chunks_exact_mut(4);
                for four in fours.by_ref() {
                    if let Ok(four) = <&mut [[[f64; N]; N]; 4]>::try_from(four) {
                        adam_four(items, four, act, cfg, corrections);
                    }
                }
                // Fewer than four left: pad with copies of the first (lanes are independent),
                // train, and keep the real ones.
                let rest = fours.into_remainder();
                if let Some(first) = rest.first().copied() {
                    let mut four = [first; 4];
                    four[..rest.len()].copy_from_slice(rest);
                    adam_four(items, &mut four, act, cfg, corrections);
                    rest.copy_from_slice(&four[..rest.len()]);
                }
            });
        }
    });
}

/// The largest pattern length [`adam_many_dyn`] runs (weights of one network on the stack:
/// 8 × 8 × 4 lanes × 3 arrays of f64 = 6 KiB per thread).
pub const MAX_FAST_N: usize = 8;

/// [`adam_many`] for a pattern length known only at run time, on nalgebra values: trains
/// every `w0s[k]` (N × N) on `items` (each of length N, any number of them, ≥ 1) by
/// full-batch Adam for `steps` steps and returns the trained matrices in the same order.
/// Dispatches to the const-generic path for N = 1..=[`MAX_FAST_N`], so the results are the
/// bits of [`crate::train::train_from`] with full batch and Adam (tests hold them bit for
/// bit at N = 3, 4 and 5).
///
/// # Errors
/// [`crate::Error::TooLarge`] for N > [`MAX_FAST_N`]; [`crate::Error::EmptySet`] for no
/// items; [`crate::Error::DimensionMismatch`] for an item or a matrix of another size.
pub fn adam_many_dyn(
    items: &[nalgebra::DVector<f64>],
    w0s: &[nalgebra::DMatrix<f64>],
    act: Activation,
    cfg: AdamConfig,
    steps: usize,
    threads: usize,
) -> crate::Result<Vec<nalgebra::DMatrix<f64>>> {
    let n = items.first().ok_or(crate::Error::EmptySet)?.len();
    if let Some(x) = items.iter().find(|x| x.len() != n) {
        return Err(crate::Error::DimensionMismatch {
            what: "training item".to_string(),
            expected: n,
            found: x.len(),
        });
    }
    if let Some(w) = w0s.iter().find(|w| w.nrows() != n || w.ncols() != n) {
        return Err(crate::Error::DimensionMismatch {
            what: format!("initial weight matrix ({}x{})", w.nrows(), w.ncols()),
            expected: n,
            found: w.nrows().max(w.ncols()),
        });
    }
    fn run<const N: usize>(
        items: &[nalgebra::DVector<f64>],
        w0s: &[nalgebra::DMatrix<f64>],
        act: Activation,
        cfg: AdamConfig,
        steps: usize,
        threads: usize,
    ) -> Vec<nalgebra::DMatrix<f64>> {
        let xs: Vec<[f64; N]> = items
            .iter()
            .map(|x| std::array::from_fn(|j| x[j]))
            .collect();
        let mut ws: Vec<[[f64; N]; N]> = w0s
            .iter()
            .map(|w| std::array::from_fn(|i| std::array::from_fn(|j| w[(i, j)])))
            .collect();
        adam_many(&xs, &mut ws, act, cfg, steps, threads);
        ws.iter()
            .map(|w| nalgebra::DMatrix::from_fn(N, N, |i, j| w[i][j]))
            .collect()
    }
    Ok(match n {
        1 => run::<1>(items, w0s, act, cfg, steps, threads),
        2 => run::<2>(items, w0s, act, cfg, steps, threads),
        3 => run::<3>(items, w0s, act, cfg, steps, threads),
        4 => run::<4>(items, w0s, act, cfg, steps, threads),
        5 => run::<5>(items, w0s, act, cfg, steps, threads),
        6 => run::<6>(items, w0s, act, cfg, steps, threads),
        7 => run::<7>(items, w0s, act, cfg, steps, threads),
        8 => run::<8>(items, w0s, act, cfg, steps, threads),
        _ => {
            return Err(crate::Error::TooLarge { n, max: MAX_FAST_N });
        }
    })
}

#[cfg(test)]
mod tests;
