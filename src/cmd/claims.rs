//! `claims`: the replication scorecard, at one seed or across a list of seeds.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use items_or_relations::claims::{ClaimRow, Verdict};
use items_or_relations::compute;

use super::{Cli, atlas_data, emit, progress};

/// JSON shape of one claim for `claims --json`.
#[derive(serde::Serialize)]
struct ClaimJson<'a> {
    id: &'a str,
    statement: &'a str,
    verdict: &'a str,
    /// The finding's own verdict when the row is failing.
    found: Option<&'a str>,
    paper: Option<&'a str>,
    ours: Option<&'a str>,
    tolerance: Option<&'a str>,
    reason: Option<&'a str>,
    test: Option<&'a str>,
    chapter: &'a str,
    ok: bool,
}

pub fn execute(cli: &Cli, json: bool, quick: bool, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let opts = compute::Options {
        quick: quick || cli.quick,
        chapter: None,
        seed: cli.seed,
        sweep: None,
        atlas_data: atlas_data(cli, files)?,
    };
    let computed =
        compute::compute_all(&opts, &mut |_, _, _| {}).context("computing the chapters")?;
    let rows: Vec<ClaimRow> = compute::claim_rows(&computed);
    let errata: Vec<ClaimRow> = compute::errata_rows(&computed);
    let mut text;
    if json {
        let out: Vec<ClaimJson> = rows
            .iter()
            .map(|r| ClaimJson {
                id: &r.id,
                statement: &r.statement,
                verdict: r.verdict.key(),
                found: r.found.map(Verdict::key),
                paper: r.paper.as_deref(),
                ours: r.ours.as_deref(),
                tolerance: r.tolerance.as_deref(),
                reason: r.reason.as_deref(),
                test: r.test.as_deref(),
                chapter: &r.chapter,
                ok: r.ok,
            })
            .collect();
        text = format!("{}\n", serde_json::to_string_pretty(&out)?);
    } else {
        text = format!(
            "{:<4} {:<24} ours (or the statement, while pending)\n",
            "id", "verdict"
        );
        for r in &rows {
            let flag = if r.ok { "" } else { "  <--" };
            let ours = match (&r.ours, r.verdict) {
                (Some(ours), _) => ours.clone(),
                (None, Verdict::Pending | Verdict::NotComputed) => r.statement.clone(),
                (None, _) => String::new(),
            };
            text.push_str(&format!(
                "{:<4} {:<24} {}{}\n",
                r.id,
                r.verdict.as_str(),
                ours,
                flag
            ));
        }
        text.push_str(&tally_line(&items_or_relations::claims::tally(&rows)));
        text.push('\n');
        let confirmed = errata.iter().filter(|r| r.ok && r.ours.is_some()).count();
        text.push_str(&format!(
            "errata: {confirmed} of {} confirmed by their computed evidence",
            errata.len()
        ));
        let failing: Vec<&str> = errata
            .iter()
            .filter(|r| !r.ok)
            .map(|r| r.id.as_str())
            .collect();
        if !failing.is_empty() {
            text.push_str(&format!(" (FAILING: {})", failing.join(", ")));
        }
        text.push('\n');
    }
    emit(&text, "the claims")?;
    Ok(if rows.iter().chain(&errata).all(|r| r.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// "23 reproduced, 4 differ, …" for the terminal.
pub fn tally_line(t: &items_or_relations::claims::Tally) -> String {
    let mut line = format!(
        "{} reproduced, {} reproduced after fitting, {} qualified, {} differ, {} paper typos",
        t.reproduced, t.reproduced_after_fitting, t.qualified, t.differs, t.paper_typo
    );
    if t.supported + t.not_supported > 0 {
        line.push_str(&format!(
            ", {} supported, {} not supported",
            t.supported, t.not_supported
        ));
    }
    line.push_str(&format!(", {} pending", t.pending));
    if t.not_computed > 0 {
        line.push_str(&format!(", {} not computed in this build", t.not_computed));
    }
    line.push_str(&format!(", {} failing", t.failing));
    line
}

/// `claims --seeds`: the ledger at every seed, claim by claim.
pub fn sweep(seeds: &[u64], json: bool, quick: bool) -> anyhow::Result<ExitCode> {
    let spec = compute::SweepSpec {
        seeds: seeds.to_vec(),
        quick,
    };
    let bar = progress::bar(seeds.len() as u64, "seeds, {elapsed} {msg}");
    let start = Instant::now();
    let sweep = compute::sweep(None, &spec, &|done, _| bar.set_position(done as u64))
        .context("computing the claims at every seed")?;
    bar.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();
    let text = if json {
        format!("{}\n", serde_json::to_string_pretty(&sweep)?)
    } else {
        let mut text = format!(
            "{} seeds ({} settings), {:.1} s ({:.2} s a seed)\n{:<4} {:<9} verdicts across the seeds\n",
            seeds.len(),
            if quick { "quick" } else { "full" },
            seconds,
            seconds / seeds.len() as f64,
            "id",
            "holds"
        );
        for c in &sweep.claims {
            let verdicts: Vec<String> =
                c.verdicts.iter().map(|(v, n)| format!("{v} {n}")).collect();
            let failing = if c.failing_seeds.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = c.failing_seeds.iter().map(u64::to_string).collect();
                format!("  <-- fails at seeds {}", list.join(", "))
            };
            text.push_str(&format!(
                "{:<4} {:<9} {}{}\n",
                c.id,
                format!("{}/{}", c.holds, c.computed),
                verdicts.join(", "),
                failing
            ));
        }
        for (kind, name) in [("claim", "claims"), ("erratum", "errata checks")] {
            let of_kind = || sweep.claims.iter().filter(|c| c.kind == kind);
            let held = of_kind().filter(|c| c.holds == c.computed).count();
            text.push_str(&format!(
                "{held} of {} {name} hold at every seed\n",
                of_kind().count()
            ));
        }
        text
    };
    emit(&text, "the sweep")?;
    Ok(if sweep.all_hold() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
