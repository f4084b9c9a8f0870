//! `analyze`: the paper's analysis of the user's training set, printed.

use std::process::ExitCode;

use anyhow::Context;
use items_or_relations::analyze::{self, TrainingSettings};
use items_or_relations::pattern::{Pattern, PatternSet};

use super::emit;

/// `analyze`: validate the input once, compute everything, then print (nothing is printed when
/// the input is refused or the computation fails).
pub fn execute(
    patterns: &str,
    test: Option<&str>,
    json: bool,
    steps: u64,
    seed: Option<u64>,
) -> anyhow::Result<ExitCode> {
    let set =
        PatternSet::parse(patterns).with_context(|| format!("--patterns {patterns:?} refused"))?;
    let test = test
        .map(|t| {
            let p = Pattern::parse(t).with_context(|| format!("--test {t:?} refused"))?;
            if p.len() != set.n() {
                return Err(
                    anyhow::Error::new(items_or_relations::Error::LengthMismatch {
                        pattern: p.to_string(),
                        expected: set.n(),
                        found: p.len(),
                    })
                    .context(format!(
                        "--test {t:?} refused: it must have the length of the training patterns"
                    )),
                );
            }
            Ok(p)
        })
        .transpose()?;
    let defaults = TrainingSettings::default();
    let settings = TrainingSettings {
        steps: usize::try_from(steps).context("--steps is too large")?,
        seed: seed.unwrap_or(defaults.seed),
        ..defaults
    };
    let analysis =
        analyze::analyze(&set, test.as_ref(), &settings).context("analysing the training set")?;
    let text = if json {
        format!("{}\n", serde_json::to_string_pretty(&analysis)?)
    } else {
        analysis.report()
    };
    emit(&text, "the analysis")
}
