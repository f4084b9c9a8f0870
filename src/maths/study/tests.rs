use super::*;
use crate::pattern::{paper_x, paper_x_prime};

fn quick(seeds: Vec<u64>) -> StudySettings {
    let mut s = StudySettings::paper(seeds);
    s.training.steps = 300;
    s
}

/// The fast path gives the reference path's bits (N = 4, three items, every activation).
#[test]
fn study_training_equals_reference_training_bit_for_bit() {
    let set = PatternSet::parse("1100,0110,1011").unwrap();
    let s = quick(vec![1, 2, 3, 4, 5]);
    let items = set.vectors();
    for act in s.training.activations() {
        let fast = train_seeds(&items, &s.training, act, &s.seeds).unwrap();
        for (w, &seed) in fast.iter().zip(&s.seeds) {
            let params = TrainParams {
                seed,
                ..s.training.params(act)
            };
            let reference = train::train(&items, &params).unwrap().weights();
            for (a, b) in w.iter().zip(reference.iter()) {
                assert_eq!(a.to_bits(), b.to_bits(), "{act:?} seed {seed}");
            }
        }
    }
}

/// The paper's X′ = {010, 001}: Σ = {e, (23)}, span set {000, 011} (every linear solution
/// reproduces the zero pattern and the sum of the two items), and a linear network trained
/// with the paper's settings reproduces exactly that set.
#[test]
fn paper_x_prime_span_set_and_linear_network() {
    let s = study(&paper_x_prime(), &StudySettings::paper(vec![2024])).unwrap();
    assert_eq!(s.group_order, 2);
    let names: Vec<String> = s.span_set.iter().map(Pattern::to_string).collect();
    assert_eq!(names, ["000", "011"]);
    let id = &s.with_activation(Activation::Identity)[0];
    assert_eq!(id.reproduced, s.span_set);
    assert!(id.invariance_defect.is_finite());
    let x = study(&paper_x(), &quick(vec![1])).unwrap();
    assert_eq!(x.group_order, 2);
}

/// The descriptions name every setting; `params` carries them into a run that records
/// only its ends (at least once for 0 steps) and has no threshold.
#[test]
fn settings_describe_and_parametrise_the_runs() {
    let t = TrainingSettings::default();
    assert_eq!(
        t.description(),
        "Adam (lr=0.001), full batch, 5000 steps, init N(0,0.05), seed 2024"
    );
    let s = StudySettings::paper(vec![3, 9]);
    assert_eq!(
        s.description(),
        "Adam (lr=0.001), full batch, 5000 steps, init N(0,0.05), seeds 3,9"
    );
    assert_eq!(StudySettings::default().seeds.len(), DEFAULT_SEEDS);
    let acts = t.activations();
    assert_eq!(acts[0], Activation::Identity);
    assert_eq!(acts[1], Activation::Tanh { c: t.tanh_c });
    assert_eq!(acts[2], Activation::Sigmoid { c: t.sigmoid_c });
    let p = t.params(Activation::Identity);
    assert_eq!((p.max_steps, p.record_every, p.seed), (5000, 5000, 2024));
    assert_eq!(p.loss_threshold, None);
    assert_eq!(
        (p.optimizer, p.batching, p.init),
        (t.optimizer, t.batching, t.init)
    );
    let zero = TrainingSettings { steps: 0, ..t };
    assert_eq!(zero.params(Activation::Identity).record_every, 1);
}

/// The throughput path is taken for Adam with full batches at N ≤ 8 only; the other
/// settings train by the reference path, with each seed's own initial W.
#[test]
fn fast_path_only_where_it_applies() {
    let t = TrainingSettings::default();
    assert!(fast_config(&t, 8).is_some());
    assert_eq!(
        fast_config(&t, 3),
        Some(AdamConfig {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8
        })
    );
    assert!(fast_config(&t, 9).is_none());
    let online = TrainingSettings {
        batching: Batching::Online { shuffle: false },
        ..t.clone()
    };
    assert!(fast_config(&online, 3).is_none());
    let sgd = TrainingSettings {
        optimizer: Optimizer::Sgd { lr: 0.1 },
        steps: 50,
        ..t.clone()
    };
    assert!(fast_config(&sgd, 3).is_none());
    let items = PatternSet::parse("101,110").unwrap().vectors();
    let act = Activation::Tanh { c: 0.0 };
    let ws = train_seeds(&items, &sgd, act, &[5, 6]).unwrap();
    for (w, seed) in ws.iter().zip([5, 6]) {
        let p = TrainParams {
            seed,
            ..sgd.params(act)
        };
        assert_eq!(*w, train::train(&items, &p).unwrap().weights());
    }
    assert_ne!(ws[0], ws[1]);
    // Invalid settings are refused on the fast path too, as the reference path does.
    let bad = TrainingSettings {
        optimizer: Optimizer::adam(-1.0),
        ..t
    };
    assert!(train_seeds(&items, &bad, act, &[1]).is_err());
}

/// The study's bookkeeping: three networks per seed in seed-major order, each with its
/// loss on every pattern (eq. 7), the training loss, the patterns outside X it reproduces
/// (every output component within ½ of its bit) and its invariance defect.
#[test]
fn study_records_every_network() {
    let set = PatternSet::parse("1100,0011").unwrap();
    let s = study(&set, &quick(vec![4, 8])).unwrap();
    assert_eq!(s.networks.len(), 6);
    assert_eq!(s.group_order, 8);
    assert_eq!(s.orbits.len(), 1);
    assert_eq!(s.set, set);
    let acts = quick(vec![]).training.activations();
    let all = Pattern::all(4).unwrap();
    let group = symmetry_group(&set).unwrap();
    for (k, t) in s.networks.iter().enumerate() {
        assert_eq!(t.seed, [4, 8][k / 3]);
        assert_eq!(t.activation, acts[k % 3]);
        let net = Network {
            w: t.weights.0.clone(),
            activation: t.activation,
        };
        assert_eq!(t.loss_per_pattern.len(), 16);
        for (p, l) in all.iter().zip(&t.loss_per_pattern) {
            assert_eq!(*l, net.pattern_loss(&p.to_vector()));
        }
        assert_eq!(t.final_training_loss, net.loss(&set.vectors()));
        assert_eq!(t.invariance_defect, group.invariance_defect(&net.w));
        let want: Vec<Pattern> = all
            .iter()
            .filter(|p| !set.contains(p))
            .filter(|p| {
                let y = net.forward(&p.to_vector());
                p.bits()
                    .iter()
                    .zip(y.iter())
                    .all(|(&b, &yi)| (yi - f64::from(b)).abs() < 0.5)
            })
            .cloned()
            .collect();
        assert_eq!(t.reproduced, want);
    }
    assert_eq!(s.with_activation(acts[1]).len(), 2);
    assert!(
        s.with_activation(acts[1])
            .iter()
            .all(|t| t.activation == acts[1])
    );
}
