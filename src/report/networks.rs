//! The report's trained-networks section (paper §3): identity, tanh and sigmoid networks
//! trained on the reader's set at K seeds by [`crate::maths::study`] (the shared per-set
//! analysis; nothing is trained here), summarised per activation: which patterns outside X
//! they reproduce, whether they reproduce X, how far each W is from Σ-invariance.

use serde::Serialize;

use crate::Result;
use crate::group::SymmetryGroup;
use crate::maths::study::{self, SetStudy, StudySettings, TrainedNetwork};
use crate::network::{Activation, Network};
use crate::pattern::{Pattern, PatternSet};

/// One activation's networks, summarised.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActivationSummary {
    /// "identity", "tanh" or "sigmoid", and φ written out.
    pub activation: String,
    pub formula: String,
    pub runs: usize,
    /// Runs whose output rounds to every training item (every component within 0.5).
    pub reproduce_x: usize,
    /// Largest final training loss.
    pub max_training_loss: f64,
    /// Patterns outside X reproduced at every seed, and at some seed but not all
    /// (pattern, how many seeds), sorted.
    pub reproduced_by_all: Vec<String>,
    pub reproduced_by_some: Vec<(String, usize)>,
    /// Patterns of span X (every linear solution reproduces them) that some run misses.
    pub span_missed: Vec<String>,
    /// Smallest and largest max_{s∈Σ} ‖W − s·W‖_F, and the largest ‖W‖_F (for scale).
    pub min_invariance_defect: f64,
    pub max_invariance_defect: f64,
    pub max_norm: f64,
}

/// The networks section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworksSection {
    /// The training settings in one line, and the seeds.
    pub description: String,
    pub seeds: Vec<u64>,
    /// Every trained network: per seed the identity, tanh and sigmoid one.
    pub networks: Vec<TrainedNetwork>,
    pub summaries: Vec<ActivationSummary>,
}

fn formula(a: &Activation) -> String {
    match a {
        Activation::Identity => "φ(z) = z".to_string(),
        Activation::Tanh { c } => format!("φ(z) = tanh(z − {c})"),
        Activation::Sigmoid { c } => format!("φ(z) = 1/(1 + exp(−{c}z))"),
    }
}

/// Train the networks through [`study::study_with_group`], one seed at a time so that
/// `progress(done)` can follow the training; the result is the study with all seeds.
pub fn train(
    set: &PatternSet,
    group: &SymmetryGroup,
    settings: &StudySettings,
    progress: &mut dyn FnMut(usize),
) -> Result<SetStudy> {
    let mut merged: Option<SetStudy> = None;
    for (k, &seed) in settings.seeds.iter().enumerate() {
        let one = StudySettings {
            training: settings.training.clone(),
            seeds: vec![seed],
        };
        let s = study::study_with_group(set, group, &one)?;
        match merged.as_mut() {
            None => merged = Some(s),
            Some(m) => m.networks.extend(s.networks),
        }
        progress(k + 1);
    }
    match merged {
        Some(m) => Ok(m),
        None => study::study_with_group(set, group, settings),
    }
}

/// The section from a study.
pub fn section(set: &PatternSet, settings: &StudySettings, s: &SetStudy) -> NetworksSection {
    let span: Vec<String> = s.span_set.iter().map(Pattern::to_string).collect();
    let mut summaries = Vec::new();
    for act in settings.training.activations() {
        let runs = s.with_activation(act);
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        let mut reproduce_x = 0;
        for t in &runs {
            for p in &t.reproduced {
                *counts.entry(p.to_string()).or_insert(0) += 1;
            }
            let net = Network {
                w: t.weights.0.clone(),
                activation: act,
            };
            if set.vectors().iter().all(|x| net.reproduces(x)) {
                reproduce_x += 1;
            }
        }
        let k = runs.len();
        summaries.push(ActivationSummary {
            activation: act.name().to_string(),
            formula: formula(&act),
            runs: k,
            reproduce_x,
            max_training_loss: runs
                .iter()
                .map(|t| t.final_training_loss)
                .fold(0.0, f64::max),
            reproduced_by_all: counts
                .iter()
                .filter(|(_, c)| **c == k)
                .map(|(p, _)| p.clone())
                .collect(),
            reproduced_by_some: counts
                .iter()
                .filter(|(_, c)| **c < k)
                .map(|(p, c)| (p.clone(), *c))
                .collect(),
            span_missed: span
                .iter()
                .filter(|p| counts.get(*p).copied().unwrap_or(0) < k)
                .cloned()
                .collect(),
            min_invariance_defect: runs
                .iter()
                .map(|t| t.invariance_defect)
                .fold(f64::INFINITY, f64::min),
            max_invariance_defect: runs.iter().map(|t| t.invariance_defect).fold(0.0, f64::max),
            max_norm: runs.iter().map(|t| t.weights.0.norm()).fold(0.0, f64::max),
        });
    }
    NetworksSection {
        description: settings.description(),
        seeds: settings.seeds.clone(),
        networks: s.networks.clone(),
        summaries,
    }
}
