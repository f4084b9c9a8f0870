use super::*;

fn items() -> Vec<DVector<f64>> {
    vec![
        DVector::from_vec(vec![1.0, 0.0, 1.0]),
        DVector::from_vec(vec![1.0, 1.0, 0.0]),
    ]
}

fn params(optimizer: Optimizer, batching: Batching, steps: usize) -> TrainParams {
    TrainParams {
        activation: Activation::Tanh { c: 0.2 },
        init: Init::Normal {
            mean: 0.0,
            std: 0.5,
        },
        optimizer,
        batching,
        max_steps: steps,
        loss_threshold: None,
        seed: 7,
        record_every: 1,
    }
}

fn w0() -> DMatrix<f64> {
    DMatrix::from_row_slice(3, 3, &[0.3, -0.2, 0.1, 0.5, 0.4, -0.6, -0.1, 0.2, 0.7])
}

fn net(w: DMatrix<f64>) -> Network {
    Network {
        w,
        activation: Activation::Tanh { c: 0.2 },
    }
}

/// Full-batch SGD is W ← W − η ∂L/∂W with `Network::gradient`, bit for bit; the delta
/// rule with η is SGD with ηN/2 (to rounding).
#[test]
fn sgd_and_delta_rule_follow_the_gradient() {
    let xs = items();
    let (lr, steps) = (0.3, 4);
    let got = train_from(
        &xs,
        w0(),
        &params(Optimizer::Sgd { lr }, Batching::Full, steps),
    )
    .unwrap();
    let mut w = w0();
    for _ in 0..steps {
        let g = net(w.clone()).gradient(&xs);
        w.zip_apply(&g, |wij, gij| *wij -= lr * gij);
    }
    assert_eq!(got.weights(), w);
    assert_eq!(got.steps, steps);
    let delta = train_from(
        &xs,
        w0(),
        &params(
            Optimizer::DeltaRule { lr: 2.0 * lr / 3.0 },
            Batching::Full,
            steps,
        ),
    )
    .unwrap();
    assert!((delta.weights() - &w).amax() < 1e-14);
}

/// Momentum and Adam against their recursions written out with `Network::gradient` and
/// `powi` (PyTorch's forms).
#[test]
fn momentum_and_adam_follow_their_recursions() {
    let xs = items();
    let steps = 6;
    let (lr, mu) = (0.2, 0.7);
    let got = train_from(
        &xs,
        w0(),
        &params(
            Optimizer::Momentum { lr, momentum: mu },
            Batching::Full,
            steps,
        ),
    )
    .unwrap();
    let mut w = w0();
    let mut b = DMatrix::zeros(3, 3);
    for t in 0..steps {
        let g = net(w.clone()).gradient(&xs);
        b = if t == 0 { g } else { b * mu + g };
        w -= &b * lr;
    }
    assert!((got.weights() - &w).amax() < 1e-15);

    let (lr, b1, b2, eps) = (0.05, 0.8, 0.95, 1e-3);
    let opt = Optimizer::Adam {
        lr,
        beta1: b1,
        beta2: b2,
        eps,
    };
    let got = train_from(&xs, w0(), &params(opt, Batching::Full, steps)).unwrap();
    let mut w = w0();
    let (mut m, mut v) = (DMatrix::zeros(3, 3), DMatrix::<f64>::zeros(3, 3));
    for t in 1..=steps {
        let g = net(w.clone()).gradient(&xs);
        m = m * b1 + &g * (1.0 - b1);
        v = v * b2 + g.map(|x| x * x) * (1.0 - b2);
        let mh = &m / (1.0 - b1.powi(t as i32));
        let vh = &v / (1.0 - b2.powi(t as i32));
        w -= mh.zip_map(&vh, |a, b| lr * a / (b.sqrt() + eps));
    }
    assert!(
        (got.weights() - &w).amax() < 1e-14,
        "{} vs {w}",
        got.weights()
    );
}

/// Online in order: step k uses item k mod m alone, each step SGD on that item.
/// Shuffled: each epoch uses every item once, so with a tiny rate (first order in η)
/// one epoch of m steps moves W as one full-batch step with rate mη does.
#[test]
fn online_batching_cycles_through_the_items() {
    let xs = vec![
        DVector::from_vec(vec![1.0, 0.0, 1.0]),
        DVector::from_vec(vec![1.0, 1.0, 0.0]),
        DVector::from_vec(vec![0.0, 1.0, 1.0]),
    ];
    let lr = 0.4;
    let online = Batching::Online { shuffle: false };
    let got = train_from(&xs, w0(), &params(Optimizer::Sgd { lr }, online, 5)).unwrap();
    let mut w = w0();
    for k in 0..5 {
        let g = net(w.clone()).gradient(std::slice::from_ref(&xs[k % 3]));
        w.zip_apply(&g, |wij, gij| *wij -= lr * gij);
    }
    assert_eq!(got.weights(), w);

    let tiny = 1e-6;
    let shuffled = Batching::Online { shuffle: true };
    let epoch = train_from(&xs, w0(), &params(Optimizer::Sgd { lr: tiny }, shuffled, 6))
        .unwrap()
        .weights();
    let full = train_from(
        &xs,
        w0(),
        &params(Optimizer::Sgd { lr: 3.0 * tiny }, Batching::Full, 2),
    )
    .unwrap()
    .weights();
    assert!((&epoch - &full).amax() < 1e-10, "{epoch} vs {full}");
    assert!((&epoch - w0()).amax() > 1e-7);
    // Shuffling changes the path (seeded): not the in-order result.
    let in_order = train_from(&xs, w0(), &params(Optimizer::Sgd { lr }, online, 3)).unwrap();
    let shuffled_run = train_from(&xs, w0(), &params(Optimizer::Sgd { lr }, shuffled, 3)).unwrap();
    let again = train_from(&xs, w0(), &params(Optimizer::Sgd { lr }, shuffled, 3)).unwrap();
    assert_eq!(shuffled_run, again);
    let other_seed = (0..8u64).any(|seed| {
        let p = TrainParams {
            seed,
            ..params(Optimizer::Sgd { lr }, shuffled, 3)
        };
        train_from(&xs, w0(), &p).unwrap().w != in_order.w
    });
    assert!(other_seed);
}

/// Batches drawn with replacement: a batch of one item is an SGD step on one of the
/// items; with one item in the set every batch is that item, so batches of any size are
/// full-batch steps.
#[test]
fn batches_with_replacement() {
    let xs = items();
    let lr = 0.3;
    let one = train_from(
        &xs,
        w0(),
        &params(
            Optimizer::Sgd { lr },
            Batching::WithReplacement { batch_size: 1 },
            1,
        ),
    )
    .unwrap()
    .weights();
    let step = |x: &DVector<f64>| {
        let g = net(w0()).gradient(std::slice::from_ref(x));
        w0() - g * lr
    };
    assert!(one == step(&xs[0]) || one == step(&xs[1]));
    let single = &xs[..1];
    let batch = train_from(
        single,
        w0(),
        &params(
            Optimizer::Sgd { lr },
            Batching::WithReplacement { batch_size: 3 },
            2,
        ),
    )
    .unwrap();
    let full = train_from(
        single,
        w0(),
        &params(Optimizer::Sgd { lr }, Batching::Full, 2),
    )
    .unwrap();
    assert!((batch.weights() - full.weights()).amax() < 1e-15);
}

/// The loss curve records step 0, every `record_every` steps and the last step, and each
/// recorded loss is L(W) of the run stopped at that step (the same seed gives the same
/// prefix); the final loss is the loss of the final W.
#[test]
fn loss_curve_records_the_loss_of_the_prefix() {
    let xs = items();
    let opt = Optimizer::adam(0.05);
    let p = TrainParams {
        record_every: 3,
        ..params(opt, Batching::Online { shuffle: true }, 10)
    };
    let run = train(&xs, &p).unwrap();
    let steps: Vec<usize> = run.loss_curve.iter().map(|&(s, _)| s).collect();
    assert_eq!(steps, vec![0, 3, 6, 9, 10]);
    for &(s, l) in &run.loss_curve {
        let prefix = train(
            &xs,
            &TrainParams {
                max_steps: s,
                ..p.clone()
            },
        )
        .unwrap();
        assert_eq!(prefix.final_loss, l, "step {s}");
        assert_eq!(net(prefix.weights()).loss(&xs), l);
    }
    assert_eq!(run.final_loss, net(run.weights()).loss(&xs));
    assert_eq!(
        run.initial_w.0,
        p.init.sample(3, &mut ChaCha8Rng::seed_from_u64(7)).unwrap()
    );
    assert!(!run.converged);
    assert_eq!(run.network(p.activation).w, run.weights());
    // record_every = max_steps: only the ends.
    let ends = train(
        &xs,
        &TrainParams {
            record_every: 10,
            ..p.clone()
        },
    )
    .unwrap();
    assert_eq!(ends.loss_curve.len(), 2);
    assert_eq!(ends.loss_curve[1], (10, ends.final_loss));
}

/// Training stops at the first step whose loss is at or below the threshold: the run one
/// step shorter is above it; a start already below it takes no step.
#[test]
fn loss_threshold_stops_training() {
    let xs = items();
    let base = TrainParams {
        activation: Activation::Identity,
        ..params(Optimizer::Sgd { lr: 0.5 }, Batching::Full, 500)
    };
    let p = TrainParams {
        loss_threshold: Some(1e-3),
        ..base.clone()
    };
    let run = train(&xs, &p).unwrap();
    assert!(run.converged && run.final_loss <= 1e-3);
    assert!(run.steps > 1 && run.steps < 500, "{}", run.steps);
    let shorter = train(
        &xs,
        &TrainParams {
            max_steps: run.steps - 1,
            ..base.clone()
        },
    )
    .unwrap();
    assert!(shorter.final_loss > 1e-3);
    assert_eq!(run.loss_curve.last(), Some(&(run.steps, run.final_loss)));
    let eye = train_from(&xs, DMatrix::identity(3, 3), &p).unwrap();
    assert_eq!((eye.steps, eye.converged, eye.final_loss), (0, true, 0.0));
    assert_eq!(eye.loss_curve, vec![(0, 0.0)]);
    let none = train(&xs, &base).unwrap();
    assert!(!none.converged && none.steps == 500);
}

/// The initialisations: constants, and random draws inside their support with the right
/// mean and spread (10 000 entries: the sample mean is within 5 standard errors).
#[test]
fn initialisations_draw_what_they_say() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    assert_eq!(
        Init::Zeros.sample(2, &mut rng).unwrap(),
        DMatrix::zeros(2, 2)
    );
    assert_eq!(
        Init::Ones.sample(2, &mut rng).unwrap(),
        DMatrix::from_element(2, 2, 1.0)
    );
    let u = Init::Uniform {
        low: 2.0,
        high: 5.0,
    }
    .sample(100, &mut rng)
    .unwrap();
    assert!(u.iter().all(|&x| (2.0..5.0).contains(&x)));
    let mean = u.mean();
    assert!(
        (mean - 3.5).abs() < 5.0 * 3.0 / 12f64.sqrt() / 100.0,
        "{mean}"
    );
    let g = Init::Normal {
        mean: -1.0,
        std: 0.5,
    }
    .sample(100, &mut rng)
    .unwrap();
    assert!((g.mean() + 1.0).abs() < 5.0 * 0.5 / 100.0);
    let sd = (g.map(|x| (x + 1.0).powi(2)).mean()).sqrt();
    assert!((sd - 0.5).abs() < 0.02, "{sd}");
    // Row-major draw order: the first row holds the first draws.
    let mut a = ChaCha8Rng::seed_from_u64(9);
    let mut b = ChaCha8Rng::seed_from_u64(9);
    let w = Init::Uniform {
        low: 0.0,
        high: 1.0,
    }
    .sample(2, &mut a)
    .unwrap();
    let d = Uniform::new(0.0, 1.0).unwrap();
    let first: f64 = d.sample(&mut b);
    let second: f64 = d.sample(&mut b);
    assert_eq!((w[(0, 0)], w[(0, 1)]), (first, second));
    for bad in [
        Init::Uniform {
            low: 1.0,
            high: 1.0,
        },
        Init::Uniform {
            low: f64::NAN,
            high: 1.0,
        },
        Init::Uniform {
            low: 0.0,
            high: f64::INFINITY,
        },
        Init::Normal {
            mean: 0.0,
            std: 0.0,
        },
        Init::Normal {
            mean: f64::NAN,
            std: 1.0,
        },
        Init::Normal {
            mean: 0.0,
            std: f64::INFINITY,
        },
    ] {
        // Refused with the rule spelled out (rand's own checks would refuse most of these
        // too, with its own wording).
        match bad.sample(2, &mut rng) {
            Err(Error::InvalidParameter { name, why, .. }) => {
                assert_eq!(name, "init");
                assert!(
                    why.starts_with("a uniform") || why.starts_with("a normal"),
                    "{why}"
                );
                assert!(
                    why.contains("low < high") || why.contains("std > 0"),
                    "{why}"
                );
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    assert_eq!(Init::Zeros.label(), "0");
    assert_eq!(Init::Ones.label(), "1");
    assert_eq!(
        Init::Uniform {
            low: 0.0,
            high: 1.0
        }
        .label(),
        "U(0,1)"
    );
    assert_eq!(
        Init::Normal {
            mean: 0.0,
            std: 0.05
        }
        .label(),
        "N(0,0.05)"
    );
}

/// Invalid settings are refused with a named parameter; valid edge values pass.
#[test]
fn invalid_settings_are_refused() {
    let xs = items();
    let ok = params(Optimizer::Sgd { lr: 0.1 }, Batching::Full, 1);
    assert!(train(&xs, &ok).is_ok());
    let name = |p: &TrainParams| match train(&xs, p) {
        Err(Error::InvalidParameter { name, .. }) => name,
        other => panic!("{other:?}"),
    };
    let with_opt = |o| TrainParams {
        optimizer: o,
        ..ok.clone()
    };
    assert_eq!(name(&with_opt(Optimizer::Sgd { lr: 0.0 })), "lr");
    assert_eq!(name(&with_opt(Optimizer::Sgd { lr: f64::INFINITY })), "lr");
    assert_eq!(name(&with_opt(Optimizer::DeltaRule { lr: -1.0 })), "lr");
    assert_eq!(
        name(&with_opt(Optimizer::Momentum {
            lr: 0.1,
            momentum: 1.0
        })),
        "momentum"
    );
    assert!(
        train(
            &xs,
            &with_opt(Optimizer::Momentum {
                lr: 0.1,
                momentum: 0.0
            })
        )
        .is_ok()
    );
    let adam = |beta1, beta2, eps| Optimizer::Adam {
        lr: 0.1,
        beta1,
        beta2,
        eps,
    };
    assert_eq!(name(&with_opt(adam(1.0, 0.9, 1e-8))), "beta1");
    assert_eq!(name(&with_opt(adam(0.9, -0.1, 1e-8))), "beta2");
    assert_eq!(name(&with_opt(adam(0.9, 0.9, 0.0))), "eps");
    assert_eq!(name(&with_opt(adam(0.9, 0.9, f64::NAN))), "eps");
    assert!(train(&xs, &with_opt(adam(0.0, 0.0, 1e-8))).is_ok());
    let c = |activation| TrainParams {
        activation,
        ..ok.clone()
    };
    assert_eq!(name(&c(Activation::Tanh { c: f64::NAN })), "c");
    assert_eq!(name(&c(Activation::Sigmoid { c: f64::INFINITY })), "c");
    let batch = TrainParams {
        batching: Batching::WithReplacement { batch_size: 0 },
        ..ok.clone()
    };
    assert_eq!(name(&batch), "batch_size");
    assert_eq!(
        name(&TrainParams {
            record_every: 0,
            ..ok.clone()
        }),
        "record_every"
    );
    assert!(matches!(train(&[], &ok), Err(Error::EmptySet)));
    assert!(matches!(
        train(&[DVector::zeros(0)], &ok),
        Err(Error::EmptyPattern)
    ));
    let ragged = [DVector::zeros(3), DVector::zeros(2)];
    assert!(matches!(
        train(&ragged, &ok),
        Err(Error::DimensionMismatch {
            expected: 3,
            found: 2,
            ..
        })
    ));
    for (r, c, found) in [(2, 3, 2), (3, 2, 2)] {
        assert!(matches!(
            train_from(&xs, DMatrix::zeros(r, c), &ok),
            Err(Error::DimensionMismatch { expected: 3, found: f, .. }) if f == found
        ));
    }
}

/// Labels as the book prints them.
#[test]
fn labels() {
    assert_eq!(Optimizer::Sgd { lr: 0.1 }.label(), "SGD (lr=0.1)");
    assert_eq!(
        Optimizer::DeltaRule { lr: 0.5 }.label(),
        "delta rule (lr=0.5)"
    );
    assert_eq!(
        Optimizer::Momentum {
            lr: 0.1,
            momentum: 0.9
        }
        .label(),
        "SGD+momentum (lr=0.1, momentum=0.9)"
    );
    assert_eq!(Optimizer::adam(0.001).label(), "Adam (lr=0.001)");
    let custom = |beta1, beta2, eps| Optimizer::Adam {
        lr: 0.01,
        beta1,
        beta2,
        eps,
    };
    let long = "Adam (lr=0.01, beta1=0.8, beta2=0.999, eps=0.00000001)";
    assert_eq!(
        custom(0.8, 0.999, 1e-8)
            .label()
            .replace("1e-8", "0.00000001"),
        long
    );
    assert_ne!(custom(0.9, 0.99, 1e-8).label(), "Adam (lr=0.01)");
    assert_ne!(custom(0.9, 0.999, 1e-6).label(), "Adam (lr=0.01)");
    assert_eq!(Batching::Full.label(), "full batch");
    assert_eq!(
        Batching::Online { shuffle: false }.label(),
        "online in order"
    );
    assert_eq!(
        Batching::Online { shuffle: true }.label(),
        "online shuffled"
    );
    assert_eq!(
        Batching::WithReplacement { batch_size: 2 }.label(),
        "batches of 2 drawn with replacement"
    );
}

/// Rows out and back; ragged rows refused.
#[test]
fn matrix_rows_round_trip() {
    let w = w0();
    let rows = matrix_rows(&w);
    assert_eq!(rows[1], vec![0.5, 0.4, -0.6]);
    assert_eq!(matrix_from_rows(&rows).unwrap(), w);
    assert_eq!(matrix_from_rows(&[]).unwrap().shape(), (0, 0));
    assert!(matches!(
        matrix_from_rows(&[vec![1.0, 2.0], vec![3.0]]),
        Err(Error::DimensionMismatch {
            expected: 2,
            found: 1,
            ..
        })
    ));
}

/// The bias corrections are 1 − βᵗ by `powi`; the table stops where βᵗ < 2⁻⁶⁰ (after which
/// 1 − βᵗ is exactly 1), or at `steps`; a longer request extends a shorter table.
#[test]
fn bias_corrections_are_one_minus_beta_to_the_t() {
    // A β no other test uses, so the shared table starts empty.
    let beta = 0.123_456_789;
    let short = bias_corrections(beta, 3);
    assert_eq!(short.len(), 3);
    let long = bias_corrections(beta, 1000);
    let last = (1..).find(|&t| beta.powi(t) < SATURATED).unwrap() as usize - 1;
    assert_eq!(long.len(), last);
    for (t, c) in long.iter().enumerate() {
        assert_eq!(*c, 1.0 - beta.powi(t as i32 + 1));
    }
    assert_eq!(1.0 - beta.powi(last as i32 + 1), 1.0);
    // The complete table is reused for any length.
    assert!(Arc::ptr_eq(&long, &bias_corrections(beta, 5)));
    assert!(Arc::ptr_eq(&long, &bias_corrections(beta, 5000)));
    // A table cut at `steps` is extended by a longer request and reused by a shorter one.
    let b = 0.987_654_321;
    let t10 = bias_corrections(b, 10);
    assert_eq!(t10.len(), 10);
    assert!(Arc::ptr_eq(&t10, &bias_corrections(b, 4)));
    let t20 = bias_corrections(b, 20);
    assert_eq!(t20.len(), 20);
    assert_eq!(t20[..10], t10[..]);
    // Negative β (not an Adam setting, but the table is defined by |βᵗ|).
    assert_eq!(bias_corrections(-0.5, 2)[..], [1.5, 0.75]);
}
