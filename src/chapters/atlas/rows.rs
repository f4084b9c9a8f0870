//! The atlas's rows: one [`Row`] per class of training sets, what [`crate::maths::study`]
//! finds for the class's representative, computed shard by shard ([`run_shard`]) on all
//! cores and handed over in class order as they finish (from any row on: [`run_shard_from`],
//! which continues an interrupted run). Shard `I` of `M` (1-based) holds the classes `i`
//! (0-based, in the selection's order) with `i mod M = I − 1`. Files: [`super::files`].

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, mpsc};

use serde::{Deserialize, Serialize};

use crate::maths::classes::{Class, Classes, SubsetAction, burnside_count, sample_uniform};
use crate::maths::study::{SetStudy, StudySettings, study_with_group};
use crate::network::Activation;
use crate::pattern::Pattern;
use crate::{Error, Result};

/// Which classes an atlas run covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Selection {
    /// Every class, in orderly-generation order.
    All,
    /// `count` distinct classes drawn uniformly with `seed`, sorted by |X| then sorted form.
    Sample { count: usize, seed: u64 },
}

/// What an atlas run computes: the length, the classes, the training.
#[derive(Clone, Debug, PartialEq)]
pub struct AtlasSpec {
    pub n: usize,
    pub selection: Selection,
    pub settings: StudySettings,
}

/// How one activation's K networks answer for a class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivationRow {
    /// Seeds whose network reproduces every pattern of the span set (K when it is empty).
    pub span: usize,
    /// Seeds whose network reproduces every pattern of the criterion set.
    pub criterion: usize,
    /// Seeds whose network reproduces no pattern outside X.
    pub items_only: usize,
    /// Patterns outside X reproduced, mean over seeds.
    pub mean_reproduced: f64,
    /// Mean over seeds of the mean loss (eq. 7) on the span set; `None` when it is empty.
    pub span_loss: Option<f64>,
    /// Mean over seeds of the invariance defect max_s ‖W − s·W‖_F.
    pub defect: f64,
    /// Largest final training loss over the seeds.
    pub train_loss: f64,
    /// Patterns outside X reproduced by every seed's network.
    pub reproduced_by_all: Vec<String>,
}

/// One class of the atlas.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Index of the class in the selection (0-based).
    pub class: u64,
    pub n: usize,
    /// The canonical representative.
    pub set: Vec<String>,
    /// Sets in the class: N!/|Σ_X|.
    pub class_size: usize,
    pub group_order: usize,
    pub orbits: usize,
    pub span_set: Vec<String>,
    pub criterion_set: Vec<String>,
    pub seeds: usize,
    pub identity: ActivationRow,
    pub tanh: ActivationRow,
    pub sigmoid: ActivationRow,
}

impl Row {
    /// |X|.
    pub fn items(&self) -> usize {
        self.set.len()
    }

    /// Whether the paper's criterion set equals the span set.
    pub fn criterion_equals_span(&self) -> bool {
        self.criterion_set == self.span_set
    }

    /// The three activations' rows, identity first.
    pub fn by_activation(&self) -> [(&'static str, &ActivationRow); 3] {
        [
            ("identity", &self.identity),
            ("tanh", &self.tanh),
            ("sigmoid", &self.sigmoid),
        ]
    }
}

impl ActivationRow {
    /// The checks of [`Row::check`] for one activation's row of a class with `seeds` seeds,
    /// an empty span set or not, and `outside` patterns outside X.
    fn check(
        &self,
        seeds: usize,
        span_empty: bool,
        outside: usize,
    ) -> std::result::Result<(), String> {
        for (what, k) in [
            ("span", self.span),
            ("criterion", self.criterion),
            ("items_only", self.items_only),
        ] {
            if k > seeds {
                return Err(format!(
                    "{what} = {k} networks, but the class has {seeds} seeds"
                ));
            }
        }
        if span_empty && self.span != seeds {
            return Err("every network reproduces an empty span set, but span < seeds".into());
        }
        if span_empty != self.span_loss.is_none() {
            return Err("span_loss is given exactly when the span set is not empty".into());
        }
        let fine = |v: f64| v.is_finite() && v >= 0.0;
        if !(fine(self.mean_reproduced) && self.mean_reproduced <= outside as f64) {
            return Err(format!(
                "mean_reproduced = {} is not between 0 and the {outside} patterns outside X",
                self.mean_reproduced
            ));
        }
        for (what, v) in [
            ("span_loss", self.span_loss.unwrap_or(0.0)),
            ("defect", self.defect),
            ("train_loss", self.train_loss),
        ] {
            if !fine(v) {
                return Err(format!("{what} = {v} is not a finite value >= 0"));
            }
        }
        Ok(())
    }
}

impl Row {
    /// Checks a row read from a file for what any row this program writes satisfies: its
    /// patterns are distinct binary patterns of length `n` in increasing order (those of the
    /// span set, the criterion set and `reproduced_by_all` outside X), |Σ_X| · class size =
    /// N!, at most |X| orbits, counts of networks at most `seeds`, losses and defects finite
    /// and ≥ 0. What it cannot check without training again is that the numbers are right.
    ///
    /// # Errors
    /// The first check that fails, in words.
    pub fn check(&self) -> std::result::Result<(), String> {
        let n = self.n;
        if !(1..=16).contains(&n) {
            return Err(format!("N = {n} is not a length from 1 to 16"));
        }
        let patterns = |what: &str, ps: &[String]| -> std::result::Result<(), String> {
            for p in ps {
                if p.len() != n || !p.bytes().all(|b| b == b'0' || b == b'1') {
                    return Err(format!(
                        "{what}: {p:?} is not a binary pattern of length {n}"
                    ));
                }
            }
            if ps.windows(2).any(|w| w[0] >= w[1]) {
                return Err(format!(
                    "{what}: patterns not distinct and in increasing order"
                ));
            }
            Ok(())
        };
        patterns("set", &self.set)?;
        if self.set.is_empty() {
            return Err("set: empty".into());
        }
        let outside_x = |what: &str, ps: &[String]| -> std::result::Result<(), String> {
            patterns(what, ps)?;
            match ps.iter().find(|p| self.set.binary_search(p).is_ok()) {
                Some(p) => Err(format!("{what}: {p} is in X")),
                None => Ok(()),
            }
        };
        outside_x("span_set", &self.span_set)?;
        outside_x("criterion_set", &self.criterion_set)?;
        let factorial: usize = (1..=n).product();
        if self.group_order == 0 || self.group_order.checked_mul(self.class_size) != Some(factorial)
        {
            return Err(format!(
                "group_order {} times class_size {} is not N! = {factorial}",
                self.group_order, self.class_size
            ));
        }
        if self.orbits == 0 || self.orbits > self.set.len() {
            return Err(format!(
                "{} orbits on {} items",
                self.orbits,
                self.set.len()
            ));
        }
        if self.seeds == 0 {
            return Err("seeds = 0".into());
        }
        let outside = (1usize << n) - self.set.len();
        for (name, a) in self.by_activation() {
            outside_x(&format!("{name}.reproduced_by_all"), &a.reproduced_by_all)?;
            a.check(self.seeds, self.span_set.is_empty(), outside)
                .map_err(|e| format!("{name}: {e}"))?;
        }
        Ok(())
    }
}

fn strings(ps: &[Pattern]) -> Vec<String> {
    ps.iter().map(Pattern::to_string).collect()
}

fn activation_row(study: &SetStudy, activation: Activation) -> ActivationRow {
    let nets = study.with_activation(activation);
    let k = nets.len().max(1) as f64;
    let all = Pattern::all(study.set.n()).unwrap_or_default();
    let span_index: Vec<usize> = study
        .span_set
        .iter()
        .filter_map(|p| all.binary_search(p).ok())
        .collect();
    let covers = |reproduced: &[Pattern], target: &[Pattern]| {
        target.iter().all(|p| reproduced.binary_search(p).is_ok())
    };
    let span_loss = (!span_index.is_empty()).then(|| {
        nets.iter()
            .map(|t| {
                span_index
                    .iter()
                    .map(|&i| t.loss_per_pattern[i])
                    .sum::<f64>()
                    / span_index.len() as f64
            })
            .sum::<f64>()
            / k
    });
    let reproduced_by_all = match nets.first() {
        Some(first) => first
            .reproduced
            .iter()
            .filter(|p| nets.iter().all(|t| t.reproduced.binary_search(p).is_ok()))
            .map(Pattern::to_string)
            .collect(),
        None => Vec::new(),
    };
    ActivationRow {
        span: nets
            .iter()
            .filter(|t| covers(&t.reproduced, &study.span_set))
            .count(),
        criterion: nets
            .iter()
            .filter(|t| covers(&t.reproduced, &study.criterion_set))
            .count(),
        items_only: nets.iter().filter(|t| t.reproduced.is_empty()).count(),
        mean_reproduced: nets.iter().map(|t| t.reproduced.len() as f64).sum::<f64>() / k,
        span_loss,
        defect: nets.iter().map(|t| t.invariance_defect).sum::<f64>() / k,
        train_loss: nets
            .iter()
            .map(|t| t.final_training_loss)
            .fold(0.0, f64::max),
        reproduced_by_all,
    }
}

/// The row of class number `index` (its representative `class`).
///
/// # Errors
/// Those of [`study_with_group`].
pub fn row(n: usize, index: u64, class: &Class, settings: &StudySettings) -> Result<Row> {
    let set = class.set(n)?;
    let group = crate::group::symmetry_group(&set)?;
    let s = study_with_group(&set, &group, settings)?;
    let [id, tanh, sigmoid] = settings.training.activations();
    Ok(Row {
        class: index,
        n,
        set: strings(set.patterns()),
        class_size: class.size,
        group_order: s.group_order,
        orbits: s.orbits.len(),
        span_set: strings(&s.span_set),
        criterion_set: strings(&s.criterion_set),
        seeds: settings.seeds.len(),
        identity: activation_row(&s, id),
        tanh: activation_row(&s, tanh),
        sigmoid: activation_row(&s, sigmoid),
    })
}

/// How many classes `spec` selects.
///
/// # Errors
/// Those of [`burnside_count`].
pub fn class_count(spec: &AtlasSpec) -> Result<u64> {
    match spec.selection {
        Selection::All => Ok(burnside_count(spec.n)? as u64),
        Selection::Sample { count, .. } => Ok(count as u64),
    }
}

/// Shard `shard` of `shards` (1-based): how many rows it holds.
pub fn shard_len(classes: u64, shard: u64, shards: u64) -> u64 {
    let i = shard - 1;
    if i >= classes {
        0
    } else {
        (classes - 1 - i) / shards + 1
    }
}

/// How many classes the workers may run ahead of the first row not yet handed over: rows
/// that finish out of order wait in memory (about 1.4 kB each at N = 5) until the rows before
/// them are done, so one slow class holds back at most this many.
const AHEAD: u64 = 1024;

/// Computes shard `shard` of `shards` of `spec` on `threads` threads and hands every row to
/// `emit` in class order; `progress(done)` after each row, `done` counting this shard's rows.
/// Classes are enumerated by orderly generation (all) or drawn (sample); only this shard's
/// are studied.
///
/// # Errors
/// Those of [`super::files::header`], [`row`] and `emit`.
pub fn run_shard(
    spec: &AtlasSpec,
    shard: u64,
    shards: u64,
    threads: usize,
    emit: &mut dyn FnMut(Row) -> Result<()>,
    progress: &dyn Fn(u64),
) -> Result<()> {
    run_shard_from(spec, shard, shards, 0, threads, emit, progress)
}

/// What the workers of [`run_shard_from`] share: the classes still to hand out, how far the
/// rows have been handed over, and whether to stop.
struct Queue<I> {
    classes: I,
    /// This shard's row index of the next class handed to a worker.
    next: u64,
    /// This shard's row index of the next row to hand to `emit`.
    emitted: u64,
    stop: bool,
}

/// [`run_shard`] from this shard's row `start` (0-based) on: rows `0..start` are skipped (their
/// classes are enumerated, not studied), so a run that kept its first `start` rows continues
/// where it stopped. Rows are handed to `emit` as soon as they and every row before them are
/// done (workers finish out of order; the rows after a gap wait, at most [`AHEAD`] of them);
/// `progress(done)` counts from `start`.
///
/// # Errors
/// Those of [`super::files::header`], [`row`] and `emit`; [`Error::InvalidParameter`] if
/// `start` exceeds the shard's rows. After an error no further row is handed over.
pub fn run_shard_from(
    spec: &AtlasSpec,
    shard: u64,
    shards: u64,
    start: u64,
    threads: usize,
    emit: &mut dyn FnMut(Row) -> Result<()>,
    progress: &dyn Fn(u64),
) -> Result<()> {
    let header = super::files::header(spec, shard, shards)?;
    if start > header.rows {
        return Err(Error::InvalidParameter {
            name: "start".into(),
            value: start.to_string(),
            why: format!("shard {shard}/{shards} holds {} rows", header.rows),
        });
    }
    let action = SubsetAction::new(spec.n)?;
    let mine = move |(i, _): &(u64, Class)| i % shards == shard - 1;
    let skip = usize::try_from(start).map_err(|_| Error::InvalidParameter {
        name: "start".into(),
        value: start.to_string(),
        why: "beyond this machine's address space".into(),
    })?;
    let classes: Box<dyn Iterator<Item = (u64, Class)> + Send> = match spec.selection {
        Selection::All => Box::new((0u64..).zip(Classes::new(&action)).filter(mine).skip(skip)),
        Selection::Sample { count, seed } => Box::new(
            (0u64..)
                .zip(sample_uniform(&action, count, seed)?)
                .filter(mine)
                .skip(skip),
        ),
    };
    let queue = Mutex::new(Queue {
        classes,
        next: start,
        emitted: start,
        stop: false,
    });
    let moved = Condvar::new();
    let lock = || {
        queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    let (tx, rx) = mpsc::channel::<(u64, Result<Row>)>();
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            let tx = tx.clone();
            let (queue, moved) = (&queue, &moved);
            scope.spawn(move || {
                loop {
                    let (k, (index, class)) = {
                        let mut q = queue
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        while !q.stop && q.next - q.emitted >= AHEAD {
                            q = moved
                                .wait(q)
                                .unwrap_or_else(std::sync::PoisonError::into_inner);
                        }
                        if q.stop {
                            break;
                        }
                        let Some(c) = q.classes.next() else {
                            break;
                        };
                        q.next += 1;
                        (q.next - 1, c)
                    };
                    if tx
                        .send((k, row(spec.n, index, &class, &spec.settings)))
                        .is_err()
                    {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // The calling thread hands the rows over in order: `emit` need not be `Send`.
        let mut waiting: BTreeMap<u64, Result<Row>> = BTreeMap::new();
        let mut next = start;
        let mut handed = || -> Result<()> {
            for (k, r) in rx.iter() {
                waiting.insert(k, r);
                let before = next;
                while let Some(r) = waiting.remove(&next) {
                    emit(r?)?;
                    next += 1;
                    progress(next - start);
                }
                if next > before {
                    lock().emitted = next;
                    moved.notify_all();
                }
            }
            if next < header.rows {
                return Err(Error::InvalidParameter {
                    name: "thread".into(),
                    value: "atlas worker".into(),
                    why: format!("a worker stopped before finishing class row {next}"),
                });
            }
            Ok(())
        };
        let result = handed();
        if result.is_err() {
            lock().stop = true;
            moved.notify_all();
        }
        result
    })
}

/// All rows of `spec` in memory (one shard of one), on `threads` threads.
///
/// # Errors
/// As [`run_shard`].
pub fn compute_rows(spec: &AtlasSpec, threads: usize) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    run_shard(
        spec,
        1,
        1,
        threads,
        &mut |r| {
            rows.push(r);
            Ok(())
        },
        &|_| {},
    )?;
    Ok(rows)
}
