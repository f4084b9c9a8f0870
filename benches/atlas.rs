//! Atlas throughput: classes per second and net-steps per second at N = 3, 4 and 5 with the
//! paper's settings (8 seeds × 3 activations × 5000 steps of full-batch Adam per class), on
//! every core; the enumeration rate of the class generator at N = 5; and the time of the whole
//! N ≤ 4 atlas (79 + 3983 classes) — the part of the book's full build the atlas costs.
//!
//! Run with `cargo bench --bench atlas`. The machine may be shared: the figures are wall
//! clock, best of the rounds run.

use std::time::Instant;

use items_or_relations::chapters::atlas::rows::{AtlasSpec, Selection, compute_rows};
use items_or_relations::maths::classes::{Classes, SubsetAction};
use items_or_relations::maths::study::StudySettings;

fn main() {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let settings = StudySettings::default();
    let per_class = (settings.seeds.len() * 3 * settings.training.steps) as f64;
    println!(
        "atlas benchmark on {threads} threads: {} seeds x 3 activations x {} steps per class",
        settings.seeds.len(),
        settings.training.steps
    );
    for (n, count) in [(3usize, 79usize), (4, 400), (5, 120)] {
        let spec = AtlasSpec {
            n,
            selection: Selection::Sample { count, seed: 1 },
            settings: settings.clone(),
        };
        let t = Instant::now();
        let rows = compute_rows(&spec, threads).expect("atlas rows");
        let secs = t.elapsed().as_secs_f64();
        let mean_items = rows.iter().map(|r| r.items()).sum::<usize>() as f64 / rows.len() as f64;
        println!(
            "N = {n}: {count} sampled classes (mean |X| {mean_items:.1}) in {secs:.2} s: {:.1} classes/s, {:.3e} net-steps/s",
            count as f64 / secs,
            count as f64 * per_class / secs
        );
    }

    let action = SubsetAction::new(5).expect("N = 5");
    let t = Instant::now();
    let limit = 2_000_000;
    let enumerated = Classes::new(&action).take(limit).count();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "N = 5 enumeration: first {enumerated} classes in {secs:.2} s ({:.3e} classes/s; all 37,333,247 in about {:.0} s)",
        enumerated as f64 / secs,
        37_333_247.0 * secs / enumerated as f64
    );

    let t = Instant::now();
    let mut classes = 0;
    for n in [3, 4] {
        let spec = AtlasSpec {
            n,
            selection: Selection::All,
            settings: settings.clone(),
        };
        classes += compute_rows(&spec, threads).expect("atlas rows").len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "whole N <= 4 atlas: {classes} classes in {secs:.1} s ({:.3e} net-steps/s)",
        classes as f64 * per_class / secs
    );
}
