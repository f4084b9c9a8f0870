//! The default command: compute every chapter and build the book.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use items_or_relations::compute;
use items_or_relations::render::{self, BuildOptions};

use super::claims::tally_line;
use super::{Cli, atlas_data, print_address, progress, watch_build_signals};

pub fn execute(cli: &Cli) -> anyhow::Result<ExitCode> {
    let opts = BuildOptions {
        out: cli.out.clone(),
        compute: compute::Options {
            quick: cli.quick,
            chapter: cli.chapter.clone(),
            seed: cli.seed,
            sweep: Some(compute::SweepSpec::for_book(cli.quick)),
            atlas_data: atlas_data(cli, &cli.atlas_data)?,
        },
    };
    let start = Instant::now();
    let bar = progress::bar(0, "{msg}");
    watch_build_signals();
    let report = render::build(&opts, &mut |done, total, chapter| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(format!("computing {chapter}"));
    })
    .context("building the book")?;
    bar.finish_and_clear();

    note!("timings:");
    for (chapter, secs) in &report.compute_seconds {
        note!("  compute {chapter:<12} {secs:>8.3} s");
    }
    note!("  render templates    {:>8.3} s", report.render_seconds);
    note!("  mdBook              {:>8.3} s", report.mdbook_seconds);
    note!(
        "  total               {:>8.3} s",
        start.elapsed().as_secs_f64()
    );
    note!("claims: {}", tally_line(&report.tally));
    if !report.failing_claims.is_empty() {
        note!("failing claims: {}", report.failing_claims.join(", "));
    }
    print_address("book", &report.index_html)
}
