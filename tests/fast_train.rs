//! The throughput path must give the same trained networks as the straightforward one: the
//! benchmark measures speed, these tests make sure speed never changes results.

use items_or_relations::fast::{
    AdamConfig, adam_four, adam_four_portable, adam_many, bias_corrections,
};
use items_or_relations::nalgebra::{DMatrix, DVector};
use items_or_relations::network::Activation;
use items_or_relations::train::{Batching, Init, Optimizer, TrainParams, train_from};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const CFG: AdamConfig = AdamConfig {
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
};

/// `count` N(0, 0.05) initial matrices, as the benchmark draws them.
fn inits<const N: usize>(count: usize, seed: u64) -> Vec<[[f64; N]; N]> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let init = Init::Normal {
        mean: 0.0,
        std: 0.05,
    };
    (0..count)
        .map(|_| {
            let m = init.sample(N, &mut rng).unwrap();
            std::array::from_fn(|i| std::array::from_fn(|j| m[(i, j)]))
        })
        .collect()
}

/// The straightforward path: `train::train_from` with full-batch Adam, nalgebra matrices.
fn reference<const N: usize>(
    items: &[[f64; N]],
    w0: &[[f64; N]; N],
    act: Activation,
    steps: usize,
) -> DMatrix<f64> {
    let vectors: Vec<DVector<f64>> = items.iter().map(|x| DVector::from_row_slice(x)).collect();
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
    let w0 = DMatrix::from_fn(N, N, |i, j| w0[i][j]);
    train_from(&vectors, w0, &params).unwrap().weights()
}

/// 1e-12 is the bound. Both paths do the same operations in the same order (and use
/// the crate's one tanh), so in practice they agree exactly; the bound leaves room for a
/// compiler that reassociates.
fn assert_matches_reference<const N: usize>(
    items: &[[f64; N]],
    act: Activation,
    nets: usize,
    steps: usize,
) {
    let w0s = inits::<N>(nets, 7);
    let mut fast = w0s.clone();
    adam_many(items, &mut fast, act, CFG, steps, 2);
    let mut worst = 0.0f64;
    for (w0, wf) in w0s.iter().zip(&fast) {
        let reference = reference(items, w0, act, steps);
        for i in 0..N {
            for j in 0..N {
                let d = (reference[(i, j)] - wf[i][j]).abs();
                worst = worst.max(d);
                assert!(
                    d < 1e-12,
                    "{act:?} W[{i}][{j}]: {} vs {} ({d:e})",
                    reference[(i, j)],
                    wf[i][j]
                );
            }
        }
    }
    println!("{act:?}, N = {N}, {nets} nets: largest difference {worst:e}");
}

#[test]
fn fast_adam_equals_reference_training_to_1e_12() {
    // The benchmark's set X' = {010, 001}; 18 networks on 2 threads = two groups of four and
    // one left over per thread, so both the four-lane and the one-network code run.
    let items = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    for act in [
        Activation::Tanh { c: 0.0 },
        Activation::Tanh { c: 0.3 },
        Activation::Sigmoid { c: 1.0 },
        Activation::Identity,
    ] {
        assert_matches_reference(&items, act, 18, 5000);
    }
    // A four-unit set with non-binary entries, every input column used.
    let items4 = [
        [1.0, 0.0, 1.0, 0.5],
        [0.0, 1.0, 1.0, 0.0],
        [1.0, 1.0, 0.0, -0.5],
    ];
    assert_matches_reference(&items4, Activation::Tanh { c: 0.1 }, 9, 2000);
}

#[test]
fn four_lane_simd_path_gives_the_bits_of_the_portable_path() {
    // On a processor with AVX2, `adam_four` runs the vector code; it must agree with the
    // portable code bit for bit (elsewhere both are the portable code and this holds trivially).
    let items = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    let corrections = bias_corrections(CFG, 5000);
    for act in [
        Activation::Tanh { c: 0.0 },
        Activation::Tanh { c: -0.7 },
        Activation::Sigmoid { c: 2.0 },
    ] {
        for seed in 0..8 {
            let w0 = inits::<3>(4, seed);
            let mut simd: [[[f64; 3]; 3]; 4] = std::array::from_fn(|l| w0[l]);
            let mut portable = simd;
            adam_four(&items, &mut simd, act, CFG, &corrections);
            adam_four_portable(&items, &mut portable, act, CFG, &corrections);
            for l in 0..4 {
                for i in 0..3 {
                    for j in 0..3 {
                        assert_eq!(
                            simd[l][i][j].to_bits(),
                            portable[l][i][j].to_bits(),
                            "{act:?} seed {seed} net {l} ({i},{j})"
                        );
                    }
                }
            }
        }
    }
}
