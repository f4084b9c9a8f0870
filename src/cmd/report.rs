//! `report`: the literate report of the user's training set, built into a folder.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use super::{print_address, progress, watch_build_signals};

/// `report`: validate the input once (nothing is written when it is refused), then compute,
/// render and build the report into `out` through a staging folder.
pub fn execute(
    patterns: &str,
    test: Option<&str>,
    out: &std::path::Path,
    seeds: Option<u64>,
    quick: bool,
    seed: Option<u64>,
) -> anyhow::Result<ExitCode> {
    use items_or_relations::render::report::{ReportOptions, build_report, validate};
    use items_or_relations::report::Params;
    let mut params = if quick {
        Params::quick(patterns)
    } else {
        Params::new(patterns)
    };
    params.test = test.map(str::to_string);
    if let Some(k) = seeds {
        params.seeds = usize::try_from(k).context("--seeds is too large")?;
    }
    if let Some(seed) = seed {
        params.seed = seed;
    }
    validate(&params).with_context(|| match test {
        Some(t) => format!("--patterns {patterns:?} --test {t:?} refused"),
        None => format!("--patterns {patterns:?} refused"),
    })?;
    let start = Instant::now();
    let bar = progress::bar(0, "{msg}");
    let opts = ReportOptions {
        out: out.to_path_buf(),
        params,
        quick,
    };
    watch_build_signals();
    let built = build_report(&opts, &mut |done, total, stage| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(stage.to_string());
    })
    .context("building the report")?;
    bar.finish_and_clear();
    note!("timings:");
    note!("  compute             {:>8.3} s", built.compute_seconds);
    note!("  render              {:>8.3} s", built.render_seconds);
    note!("  mdBook              {:>8.3} s", built.mdbook_seconds);
    note!(
        "  total               {:>8.3} s",
        start.elapsed().as_secs_f64()
    );
    if !built.failing_claims.is_empty() {
        note!(
            "failing checks: {} (see the report's last table)",
            built.failing_claims.join(", ")
        );
    }
    print_address("report", &built.index_html)?;
    Ok(if built.failing_claims.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
