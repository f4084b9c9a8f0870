//! The atlas's data: one row per class of training sets ([`Row`]), computed shard by shard
//! ([`run_shard`]), written as JSON lines behind a [`Header`] and as CSV, and merged
//! ([`merge`]). The merged file of shards 1..=M is byte for byte the file of the unsharded
//! run: rows are computed independently, class `i` (0-based, in the selection's order) goes
//! to shard `i mod M + 1`, and both write the header of shard 1 of 1 with the rows in class
//! order.
//!
//! # The JSON-lines file
//! Line 1 is a [`Header`] (`{"header": {...}}`): length N, the selection (all classes or a
//! seeded uniform sample), the training settings, the shard `shard` of `shards`, and how many
//! rows follow (`rows`). Every further line is one [`Row`]. A file with fewer or more rows
//! than its header promises is refused by [`merge`], so a shard that was killed cannot pass.
//!
//! # CSV columns (one line per class, header line first)
//! `class`, `n`, `set` (patterns separated by spaces), `items` (|X|), `class_size`
//! (sets in the class, N!/|Σ_X|), `group_order` (|Σ_X|), `orbits` (of Σ_X on X), `span_set`,
//! `criterion_set` (space-separated), `criterion_equals_span` (0/1), `seeds` (K); then for
//! each activation `a` in identity, tanh, sigmoid: `a_span` (seeds whose network reproduces
//! every pattern of the span set), `a_criterion` (… of the criterion set), `a_items_only`
//! (seeds reproducing no pattern outside X), `a_mean_reproduced` (patterns outside X
//! reproduced, mean over seeds), `a_span_loss` (mean loss on the span set; empty when it is
//! empty), `a_defect` (mean ‖W − s·W‖ defect), `a_train_loss` (largest final training loss).

use std::io::{BufRead, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// The first line of a JSON-lines atlas file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub n: usize,
    pub selection: Selection,
    /// [`StudySettings::description`].
    pub settings: String,
    /// Total number of classes in the selection.
    pub classes: u64,
    /// This file's shard, 1-based, of `shards`.
    pub shard: u64,
    pub shards: u64,
    /// Rows that follow.
    pub rows: u64,
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

/// The header of shard `shard` of `shards`.
///
/// # Errors
/// [`Error::InvalidParameter`] unless 1 ≤ shard ≤ shards; those of [`class_count`].
pub fn header(spec: &AtlasSpec, shard: u64, shards: u64) -> Result<Header> {
    if shards == 0 || shard == 0 || shard > shards {
        return Err(Error::InvalidParameter {
            name: "shard".into(),
            value: format!("{shard}/{shards}"),
            why: "a shard is I/M with 1 <= I <= M".into(),
        });
    }
    let classes = class_count(spec)?;
    Ok(Header {
        n: spec.n,
        selection: spec.selection.clone(),
        settings: spec.settings.description(),
        classes,
        shard,
        shards,
        rows: shard_len(classes, shard, shards),
    })
}

/// How many classes are computed together (each batch on all threads, then emitted in order).
const BATCH: usize = 256;

/// Computes shard `shard` of `shards` of `spec` on `threads` threads and hands every row to
/// `emit` in class order; `progress(done)` after each batch. Classes are enumerated by
/// orderly generation (all) or drawn (sample); only this shard's are studied.
///
/// # Errors
/// Those of [`header`], [`row`] and `emit`.
pub fn run_shard(
    spec: &AtlasSpec,
    shard: u64,
    shards: u64,
    threads: usize,
    emit: &mut dyn FnMut(Row) -> Result<()>,
    progress: &dyn Fn(u64),
) -> Result<()> {
    header(spec, shard, shards)?;
    let action = SubsetAction::new(spec.n)?;
    let mine = |i: &u64| i % shards == shard - 1;
    let classes: Box<dyn Iterator<Item = (u64, Class)>> = match spec.selection {
        Selection::All => Box::new((0u64..).zip(Classes::new(&action)).filter(|(i, _)| mine(i))),
        Selection::Sample { count, seed } => Box::new(
            (0u64..)
                .zip(sample_uniform(&action, count, seed)?)
                .filter(|(i, _)| mine(i)),
        ),
    };
    let mut classes = classes.peekable();
    let mut done = 0u64;
    while classes.peek().is_some() {
        let batch: Vec<(u64, Class)> = classes.by_ref().take(BATCH).collect();
        for r in compute_batch(spec, &batch, threads)? {
            emit(r)?;
        }
        done += batch.len() as u64;
        progress(done);
    }
    Ok(())
}

/// The rows of `batch`, in its order, on `threads` threads.
fn compute_batch(spec: &AtlasSpec, batch: &[(u64, Class)], threads: usize) -> Result<Vec<Row>> {
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<Result<Row>>>> = Mutex::new(vec![None; batch.len()]);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1).min(batch.len()) {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some((index, class)) = batch.get(k) else {
                        break;
                    };
                    let r = row(spec.n, *index, class, &spec.settings);
                    if let Ok(mut s) = slots.lock() {
                        s[k] = Some(r);
                    }
                }
            });
        }
    });
    slots
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(Error::InvalidParameter {
                    name: "thread".into(),
                    value: "atlas worker".into(),
                    why: "a worker stopped before finishing its class".into(),
                })
            })
        })
        .collect()
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

/// Writes `{"header": …}` as one line.
///
/// # Errors
/// The writer's.
pub fn write_header(out: &mut dyn Write, header: &Header) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Line<'a> {
        header: &'a Header,
    }
    serde_json::to_writer(&mut *out, &Line { header })?;
    out.write_all(b"\n")
}

/// Writes one row as one line.
///
/// # Errors
/// The writer's.
pub fn write_row(out: &mut dyn Write, row: &Row) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, row)?;
    out.write_all(b"\n")
}

/// Why an atlas file or a set of shard files was refused: the file and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DataError(pub String);

fn refuse(what: String) -> DataError {
    DataError(what)
}

/// One row of an atlas file as read back: its class index, and the line exactly as written
/// (merging copies lines, so that the merged file is byte for byte the unsharded one; a
/// parsed and re-printed float need not keep its last digit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRow {
    pub class: u64,
    pub line: String,
}

impl RawRow {
    /// The row parsed.
    ///
    /// # Errors
    /// [`DataError`] when the line is not a row.
    pub fn parse(&self) -> std::result::Result<Row, DataError> {
        serde_json::from_str(&self.line)
            .map_err(|e| refuse(format!("class {}: not a row ({e})", self.class)))
    }
}

/// Reads one JSON-lines atlas file: its header and rows, checked against each other (row
/// count, the shard's class indices in order, the length N).
///
/// # Errors
/// [`DataError`] naming `name` and what is wrong.
pub fn read(
    name: &str,
    input: impl BufRead,
) -> std::result::Result<(Header, Vec<RawRow>), DataError> {
    #[derive(Deserialize)]
    struct Line {
        header: Header,
    }
    let mut lines = input.lines();
    let first = lines
        .next()
        .ok_or_else(|| refuse(format!("{name}: empty file, no header")))?
        .map_err(|e| refuse(format!("{name}: {e}")))?;
    let header = serde_json::from_str::<Line>(&first)
        .map_err(|e| refuse(format!("{name}: line 1 is not an atlas header ({e})")))?
        .header;
    if header.shards == 0 || header.shard == 0 || header.shard > header.shards {
        return Err(refuse(format!(
            "{name}: shard {}/{} in its header is not a shard I/M with 1 <= I <= M",
            header.shard, header.shards
        )));
    }
    let mut rows = Vec::new();
    for (k, line) in lines.enumerate() {
        let line = line.map_err(|e| refuse(format!("{name}: {e}")))?;
        let r: Row = serde_json::from_str(&line)
            .map_err(|e| refuse(format!("{name}: line {} is not a row ({e})", k + 2)))?;
        let expected = header.shard - 1 + header.shards * rows.len() as u64;
        if r.class != expected || r.n != header.n {
            return Err(refuse(format!(
                "{name}: line {} holds class {} of N = {}, expected class {expected} of N = {}",
                k + 2,
                r.class,
                r.n,
                header.n
            )));
        }
        rows.push(RawRow {
            class: r.class,
            line,
        });
    }
    if rows.len() as u64 != header.rows {
        return Err(refuse(format!(
            "{name}: {} rows, but its header promises {} (an unfinished shard?)",
            rows.len(),
            header.rows
        )));
    }
    Ok((header, rows))
}

/// Merges the shards 1..=M of one run into the unsharded file's header and rows.
///
/// # Errors
/// [`DataError`] for no files, files of different runs (N, selection, settings or M differ),
/// a shard given twice, or a shard missing.
pub fn merge(
    parts: Vec<(String, Header, Vec<RawRow>)>,
) -> std::result::Result<(Header, Vec<RawRow>), DataError> {
    let Some((first_name, first, _)) = parts.first() else {
        return Err(refuse("no shard files given".into()));
    };
    let (first_name, first) = (first_name.clone(), first.clone());
    let m = first.shards;
    let mut seen: Vec<Option<String>> = vec![None; m as usize];
    for (name, h, _) in &parts {
        if (h.n, &h.selection, &h.settings, h.classes, h.shards)
            != (
                first.n,
                &first.selection,
                &first.settings,
                first.classes,
                first.shards,
            )
        {
            return Err(refuse(format!(
                "{name} belongs to another run than {first_name} (N, selection, settings or shard count differ)"
            )));
        }
        let slot = &mut seen[(h.shard - 1) as usize];
        if let Some(other) = slot {
            return Err(refuse(format!(
                "shard {}/{m} given twice: {other} and {name}",
                h.shard
            )));
        }
        *slot = Some(name.clone());
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(i, _)| format!("{}", i + 1))
        .collect();
    if !missing.is_empty() {
        return Err(refuse(format!(
            "shard(s) {} of {m} missing",
            missing.join(", ")
        )));
    }
    let mut by_shard: Vec<Vec<RawRow>> = vec![Vec::new(); m as usize];
    for (_, h, rows) in parts {
        by_shard[(h.shard - 1) as usize] = rows;
    }
    let total = first.classes;
    let mut iters: Vec<std::vec::IntoIter<RawRow>> =
        by_shard.into_iter().map(Vec::into_iter).collect();
    let mut rows = Vec::with_capacity(total as usize);
    for i in 0..total {
        match iters[(i % m) as usize].next() {
            Some(r) => rows.push(r),
            None => return Err(refuse(format!("class {i} is in no shard"))),
        }
    }
    Ok((
        Header {
            shard: 1,
            shards: 1,
            rows: total,
            ..first
        },
        rows,
    ))
}

/// Writes a row read back, as it was written.
///
/// # Errors
/// The writer's.
pub fn write_raw_row(out: &mut dyn Write, row: &RawRow) -> std::io::Result<()> {
    out.write_all(row.line.as_bytes())?;
    out.write_all(b"\n")
}

/// The CSV column names (module documentation).
pub fn csv_columns() -> Vec<String> {
    let mut cols: Vec<String> = [
        "class",
        "n",
        "set",
        "items",
        "class_size",
        "group_order",
        "orbits",
        "span_set",
        "criterion_set",
        "criterion_equals_span",
        "seeds",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for a in ["identity", "tanh", "sigmoid"] {
        for c in [
            "span",
            "criterion",
            "items_only",
            "mean_reproduced",
            "span_loss",
            "defect",
            "train_loss",
        ] {
            cols.push(format!("{a}_{c}"));
        }
    }
    cols
}

/// Writes the rows as CSV (module documentation), with the header line first if `header`.
///
/// # Errors
/// The writer's.
pub fn write_csv(out: &mut dyn Write, rows: &[Row], header: bool) -> std::io::Result<()> {
    if header {
        writeln!(out, "{}", csv_columns().join(","))?;
    }
    for r in rows {
        let mut fields = vec![
            r.class.to_string(),
            r.n.to_string(),
            r.set.join(" "),
            r.items().to_string(),
            r.class_size.to_string(),
            r.group_order.to_string(),
            r.orbits.to_string(),
            r.span_set.join(" "),
            r.criterion_set.join(" "),
            u8::from(r.criterion_equals_span()).to_string(),
            r.seeds.to_string(),
        ];
        for (_, a) in r.by_activation() {
            fields.extend([
                a.span.to_string(),
                a.criterion.to_string(),
                a.items_only.to_string(),
                a.mean_reproduced.to_string(),
                a.span_loss.map(|v| v.to_string()).unwrap_or_default(),
                a.defect.to_string(),
                a.train_loss.to_string(),
            ]);
        }
        writeln!(out, "{}", fields.join(","))?;
    }
    Ok(())
}
