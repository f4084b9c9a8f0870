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
        std::array::from_fn(|i| std::array::from_fn(|j| ((i + 2 * j + l) % 5) as f64 / 4.0 - 0.5))
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
