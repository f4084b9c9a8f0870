//! The throughput path must give the same trained networks as the straightforward one: the
//! benchmark measures speed, this test makes sure speed never changes results.

use items_or_relations::fast::{AdamConfig, adam_many};
use items_or_relations::nalgebra::{DMatrix, DVector};
use items_or_relations::network::Activation;
use items_or_relations::train::{Batching, Init, Optimizer, TrainParams, train_from};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// 1e-12 is the bound. Both paths do the same operations in the same order, so in
/// practice they agree exactly; the bound leaves room for a compiler that reassociates.
#[test]
fn fast_adam_equals_reference_training_to_1e_12() {
    let items = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    let vectors: Vec<DVector<f64>> = items.iter().map(|x| DVector::from_row_slice(x)).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let init = Init::Normal {
        mean: 0.0,
        std: 0.05,
    };
    for act in [
        Activation::Tanh { c: 0.0 },
        Activation::Sigmoid { c: 1.0 },
        Activation::Identity,
    ] {
        let w0s: Vec<DMatrix<f64>> = (0..16).map(|_| init.sample(3, &mut rng).unwrap()).collect();
        let mut fast: Vec<[[f64; 3]; 3]> = w0s
            .iter()
            .map(|m| std::array::from_fn(|i| std::array::from_fn(|j| m[(i, j)])))
            .collect();
        let cfg = AdamConfig {
            lr: 0.01,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        };
        adam_many(&items, &mut fast, act, cfg, 5000, 2);
        for (w0, wf) in w0s.iter().zip(&fast) {
            let params = TrainParams {
                activation: act,
                init,
                optimizer: Optimizer::Adam {
                    lr: 0.01,
                    beta1: 0.9,
                    beta2: 0.999,
                    eps: 1e-8,
                },
                batching: Batching::Full,
                max_steps: 5000,
                loss_threshold: None,
                seed: 0,
                record_every: 5000,
            };
            let reference = train_from(&vectors, w0.clone(), &params).unwrap().weights();
            for i in 0..3 {
                for j in 0..3 {
                    let d = (reference[(i, j)] - wf[i][j]).abs();
                    assert!(
                        d < 1e-12,
                        "{act:?} W[{i}][{j}]: {} vs {} ({d:e})",
                        reference[(i, j)],
                        wf[i][j]
                    );
                }
            }
        }
    }
}
