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
mod tests {
    use super::*;
    use crate::train::{Batching, Init, Optimizer, TrainParams, train_from};
    use nalgebra::{DMatrix, DVector};

    const CFG: AdamConfig = AdamConfig {
        lr: 0.05,
        beta1: 0.8,
        beta2: 0.9,
        eps: 1e-6,
    };

    /// Items of length n: the weight-1 patterns and the all-ones pattern.
    fn items(n: usize) -> Vec<DVector<f64>> {
        let mut out: Vec<DVector<f64>> = (0..n)
            .map(|k| DVector::from_fn(n, |i, _| f64::from(u8::from(i == k))))
            .collect();
        out.push(DVector::from_element(n, 1.0));
        out
    }

    /// Five distinct starting matrices (one group of four and one padded group).
    fn starts(n: usize) -> Vec<DMatrix<f64>> {
        (0..5)
            .map(|s| {
                DMatrix::from_fn(n, n, |i, j| {
                    (((i * 7 + j * 3 + s * 5) % 11) as f64 - 5.0) / 10.0
                })
            })
            .collect()
    }

    fn reference(
        items: &[DVector<f64>],
        w0: &DMatrix<f64>,
        act: Activation,
        steps: usize,
    ) -> DMatrix<f64> {
        let params = TrainParams {
            activation: act,
            init: Init::Zeros,
            optimizer: Optimizer::Adam {
                lr: CFG.lr,
                beta1: CFG.beta1,
                beta2: CFG.beta2,
                eps: CFG.eps,
            },
            batching: Batching::Full,
            max_steps: steps,
            loss_threshold: None,
            seed: 0,
            record_every: steps,
        };
        train_from(items, w0.clone(), &params).unwrap().weights()
    }

    /// The throughput path gives the reference training's bits at every N it dispatches
    /// (1 to 8), for the three activations (tanh shifted, sigmoid with a gain ≠ 1, so the
    /// parameters matter), for five networks (a group of four and a padded one) on one and
    /// on two threads.
    #[test]
    fn fast_path_equals_reference_training_bit_for_bit() {
        let acts = [
            Activation::Identity,
            Activation::Tanh { c: 0.3 },
            Activation::Sigmoid { c: 1.5 },
        ];
        for n in 1..=MAX_FAST_N {
            let xs = items(n);
            let w0s = starts(n);
            for act in acts {
                let steps = 12;
                let fast = adam_many_dyn(&xs, &w0s, act, CFG, steps, 1 + n % 2).unwrap();
                assert_eq!(fast.len(), 5);
                for (w, w0) in fast.iter().zip(&w0s) {
                    let want = reference(&xs, w0, act, steps);
                    assert_eq!(w.shape(), (n, n));
                    for (a, b) in w.iter().zip(want.iter()) {
                        assert_eq!(a.to_bits(), b.to_bits(), "N = {n}, {act:?}");
                    }
                    assert_ne!(w, w0, "training moved W");
                }
            }
        }
    }

    /// The AVX2 path and the portable path agree bit for bit (tanh takes the vector tanh).
    #[test]
    fn vector_and_portable_paths_agree() {
        let xs: Vec<[f64; 3]> = vec![[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 0.0]];
        let w0: [[[f64; 3]; 3]; 4] = std::array::from_fn(|l| {
            std::array::from_fn(|i| {
                std::array::from_fn(|j| ((i + 2 * j + l) % 5) as f64 / 4.0 - 0.5)
            })
        });
        let corrections = bias_corrections(CFG, 20);
        for act in [Activation::Tanh { c: -0.4 }, Activation::Sigmoid { c: 0.7 }] {
            let (mut a, mut b) = (w0, w0);
            adam_four(&xs, &mut a, act, CFG, &corrections);
            adam_four_portable(&xs, &mut b, act, CFG, &corrections);
            assert_ne!(a, w0);
            for l in 0..4 {
                for i in 0..3 {
                    for j in 0..3 {
                        assert_eq!(a[l][i][j].to_bits(), b[l][i][j].to_bits(), "{act:?}");
                    }
                }
            }
        }
    }

    /// The corrections are the reference tables, paired per step, and exactly 1 past their end.
    #[test]
    fn bias_corrections_pair_the_reference_tables() {
        let cfg = AdamConfig {
            beta1: 0.25,
            beta2: 0.5,
            ..CFG
        };
        let c = bias_corrections(cfg, 80);
        assert_eq!(c.len(), 80);
        for (t, &(a, b)) in c.iter().enumerate() {
            let t = t as i32 + 1;
            let want = |beta: f64| {
                let p = beta.powi(t);
                if p < f64::from_bits(0x3c30_0000_0000_0000) {
                    1.0
                } else {
                    1.0 - p
                }
            };
            assert_eq!((a, b), (want(0.25), want(0.5)), "t = {t}");
        }
        assert_eq!(c[79], (1.0, 1.0));
        assert_eq!(c[0], (0.75, 0.5));
    }

    /// Refusals: no items, ragged items, a start of the wrong shape (rows or columns), N > 8.
    #[test]
    fn bad_input_is_refused() {
        let xs = items(3);
        let w0 = vec![DMatrix::zeros(3, 3)];
        assert!(matches!(
            adam_many_dyn(&[], &w0, Activation::Identity, CFG, 1, 1),
            Err(crate::Error::EmptySet)
        ));
        let ragged = vec![xs[0].clone(), DVector::zeros(2)];
        assert!(matches!(
            adam_many_dyn(&ragged, &w0, Activation::Identity, CFG, 1, 1),
            Err(crate::Error::DimensionMismatch {
                expected: 3,
                found: 2,
                ..
            })
        ));
        for shape in [(2, 3), (3, 4)] {
            let bad = vec![DMatrix::zeros(3, 3), DMatrix::zeros(shape.0, shape.1)];
            assert!(matches!(
                adam_many_dyn(&xs, &bad, Activation::Identity, CFG, 1, 1),
                Err(crate::Error::DimensionMismatch { expected: 3, .. })
            ));
        }
        let nine = items(9);
        assert!(matches!(
            adam_many_dyn(
                &nine,
                &[DMatrix::zeros(9, 9)],
                Activation::Identity,
                CFG,
                1,
                1
            ),
            Err(crate::Error::TooLarge { n: 9, max: 8 })
        ));
        assert!(
            adam_many_dyn(&xs, &[], Activation::Identity, CFG, 1, 1)
                .unwrap()
                .is_empty()
        );
    }
}
