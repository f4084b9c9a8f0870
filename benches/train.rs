//! Training throughput: 1000 independent 3×3 tanh auto-associators on X' = {010, 001}, each
//! trained by full-batch Adam (lr 0.01, betas 0.9/0.999, eps 1e-8) for 5000 steps from an
//! N(0, 0.05) initialisation, in f64, on every core. Prints `tanh-adam net-steps/s: <number>`,
//! then the cost of one tanh (the platform's `f64::tanh`, the crate's `tanh` one value at a
//! time and `tanh_into` four at a time), then the time to compute every chapter of the book.
//!
//! Run with `cargo bench --bench train`.

use std::time::Instant;

use items_or_relations::compute::{Options, compute_all};
use items_or_relations::fast::{AdamConfig, adam_many};
use items_or_relations::network::Activation;
use items_or_relations::tanh::{tanh, tanh_into};
use items_or_relations::train::Init;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const NETS: usize = 1000;
const STEPS: usize = 5000;

fn main() {
    let items = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    let init = Init::Normal {
        mean: 0.0,
        std: 0.05,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    let w0: Vec<[[f64; 3]; 3]> = (0..NETS)
        .map(|_| {
            let m = init.sample(3, &mut rng).expect("valid init");
            std::array::from_fn(|i| std::array::from_fn(|j| m[(i, j)]))
        })
        .collect();
    let cfg = AdamConfig {
        lr: 0.01,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let act = Activation::Tanh { c: 0.0 };

    // One untimed warm-up round, then the best of five timed rounds.
    let mut best = f64::INFINITY;
    let mut checksum = 0.0;
    for round in 0..6 {
        let mut ws = w0.clone();
        let t = Instant::now();
        adam_many(&items, &mut ws, act, cfg, STEPS, threads);
        let secs = t.elapsed().as_secs_f64();
        if round > 0 {
            best = best.min(secs);
        }
        checksum = ws.iter().map(|w| w[1][1] + w[2][2]).sum::<f64>();
    }
    let rate = (NETS * STEPS) as f64 / best;
    println!("tanh-adam net-steps/s: {rate:.4e}");
    println!(
        "  ({NETS} nets × {STEPS} steps in {best:.3} s on {threads} threads; checksum {checksum:.12})"
    );

    tanh_costs();

    let opts = Options {
        quick: false,
        chapter: None,
        seed: None,
        sweep: None,
        atlas_data: Vec::new(),
    };
    let t = Instant::now();
    let computed = compute_all(&opts, &mut |_, _, _| {}).expect("the book computes");
    let total = t.elapsed().as_secs_f64();
    println!("whole-book compute time: {total:.2} s");
    for c in &computed {
        println!("  {:<10} {:>8.3} s", c.meta.id, c.seconds);
    }

    // The seed sweep (`claims --seeds`): seconds per seed, on every core, for the book's quick
    // sweep and for full settings.
    for (quick, seeds) in [(true, 8u64), (false, 2)] {
        let spec = items_or_relations::compute::SweepSpec {
            seeds: (1..=seeds).collect(),
            quick,
        };
        let t = Instant::now();
        let sweep = items_or_relations::compute::sweep(None, &spec, &|_, _| {})
            .expect("the sweep computes");
        let per_seed = t.elapsed().as_secs_f64() / seeds as f64;
        println!(
            "claims sweep, {} settings: {per_seed:.2} s per seed ({seeds} seeds on {threads} threads; {} of {} claims hold at every seed)",
            if quick { "quick" } else { "full" },
            sweep
                .claims
                .iter()
                .filter(|c| c.holds == c.computed)
                .count(),
            sweep.claims.len()
        );
    }
}

/// Nanoseconds per tanh on one thread, best of five passes over 4096 inputs in [−4, 4).
fn tanh_costs() {
    let xs: Vec<f64> = (0..4096).map(|i| -4.0 + f64::from(i) / 512.0).collect();
    let mut out = vec![0.0; xs.len()];
    let mut time = |f: &dyn Fn(&[f64], &mut [f64])| {
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            let t = Instant::now();
            for _ in 0..200 {
                f(std::hint::black_box(&xs), &mut out);
                std::hint::black_box(&out);
            }
            best = best.min(t.elapsed().as_secs_f64() * 1e9 / (200.0 * xs.len() as f64));
        }
        best
    };
    // The platform's tanh on purpose: the peer the crate's tanh is timed against.
    #[allow(clippy::disallowed_methods)]
    let platform = time(&|xs, out| {
        for (x, o) in xs.iter().zip(out) {
            *o = x.tanh();
        }
    });
    let scalar = time(&|xs, out| {
        for (x, o) in xs.iter().zip(out) {
            *o = tanh(*x);
        }
    });
    let lanes = time(&|xs, out| tanh_into(xs, out));
    println!(
        "tanh ns/value: f64::tanh {platform:.2}, crate tanh {scalar:.2}, crate tanh_into {lanes:.2}"
    );
}
