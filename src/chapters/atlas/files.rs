//! The atlas's files: rows ([`super::rows::Row`]) written as JSON lines behind a [`Header`]
//! and as CSV, read back one row at a time ([`ShardReader`]), and merged shard by shard
//! ([`check_shard_set`], [`merge_rows`]). Nothing here holds more than one row per file in
//! memory: the full atlas at N = 5 is 37 333 247 rows, about 50 GB of JSON lines.
//!
//! The merged file of shards 1..=M is byte for byte the file of the unsharded run: rows are
//! computed independently, class `i` (0-based, in the selection's order) goes to shard
//! `i mod M + 1`, and both write the header of shard 1 of 1 with the rows in class order;
//! merging copies each row's line as it was written.
//!
//! # The JSON-lines file
//! Line 1 is a [`Header`] (`{"header": {...}}`): length N, the selection (all classes or a
//! seeded uniform sample), the training settings, the shard `shard` of `shards`, and how many
//! rows follow (`rows`). Every further line is one row. A file with fewer or more rows than
//! its header promises is refused, so a shard that was killed cannot pass. Blank lines after
//! the last row (an editor's or a tool's trailing newline) are accepted; a blank line before
//! it is refused as one.
//!
//! # Resuming
//! A run writes its rows file as the rows finish, in class order, one whole line at a time,
//! so a run killed part-way leaves the header and its first rows (and perhaps a torn last
//! line). [`resume_point`] reads such a file back for the run with the same header, byte for
//! byte, and says where that run continues; the rows it then appends make the file of the
//! uninterrupted run.
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

use serde::{Deserialize, Serialize};

use super::rows::{AtlasSpec, Row, Selection, class_count, shard_len};
use crate::{Error, Result};

/// The first line of a JSON-lines atlas file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub n: usize,
    pub selection: Selection,
    /// [`crate::maths::study::StudySettings::description`].
    pub settings: String,
    /// Total number of classes in the selection.
    pub classes: u64,
    /// This file's shard, 1-based, of `shards`.
    pub shard: u64,
    pub shards: u64,
    /// Rows that follow.
    pub rows: u64,
}

impl Header {
    /// Whether the file holds every row of its selection (an unsharded or merged file).
    pub fn is_complete(&self) -> bool {
        self.shard == 1 && self.shards == 1 && self.rows == self.classes
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

impl From<DataError> for Error {
    fn from(e: DataError) -> Self {
        Error::Data { why: e.0 }
    }
}

fn refuse(what: String) -> DataError {
    DataError(what)
}

/// One row of an atlas file as read back: the row, and its line exactly as written (merging
/// copies lines, so that the merged file is byte for byte the unsharded one; a parsed and
/// re-printed float need not keep its last digit).
#[derive(Clone, Debug, PartialEq)]
pub struct RawRow {
    pub row: Row,
    pub line: String,
}

/// Reads a JSON-lines atlas file one row at a time, checking each row against the header:
/// the shard's class indices in order (`shard − 1`, then every `shards`-th), the length N,
/// and no more rows than the header promises. [`ShardReader::finish`] checks that none are
/// missing.
pub struct ShardReader<R> {
    name: String,
    header: Header,
    lines: std::io::Lines<R>,
    read: u64,
}

impl<R: BufRead> ShardReader<R> {
    /// Reads and checks the header (line 1).
    ///
    /// # Errors
    /// [`DataError`] naming `name`: an empty file, a first line that is not a header, or a
    /// header whose shard is not I/M with 1 ≤ I ≤ M.
    pub fn open(name: &str, input: R) -> std::result::Result<Self, DataError> {
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
        Ok(ShardReader {
            name: name.to_string(),
            header,
            lines,
            read: 0,
        })
    }

    /// The file's header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The file's name, as given to [`ShardReader::open`].
    pub fn name(&self) -> &str {
        &self.name
    }

    fn short(&self) -> DataError {
        refuse(format!(
            "{}: {} rows, but its header promises {} (an unfinished shard?)",
            self.name, self.read, self.header.rows
        ))
    }

    /// The next row, or `None` after the last one the header promises.
    ///
    /// # Errors
    /// [`DataError`]: a line that is not a row (a blank line among the rows is named as one),
    /// a row of another class or length than the shard's next, a read error, or the file
    /// ending (blank lines aside) before the header's count.
    pub fn next_row(&mut self) -> Option<std::result::Result<RawRow, DataError>> {
        if self.read == self.header.rows {
            return None;
        }
        let line_no = self.read + 2;
        let line = match self.lines.next() {
            None => return Some(Err(self.short())),
            Some(Err(e)) => return Some(Err(refuse(format!("{}: {e}", self.name)))),
            Some(Ok(line)) => line,
        };
        if line.trim().is_empty() {
            // Blank lines at the end are a file cut short; before a row, a blank line.
            loop {
                match self.lines.next() {
                    None => return Some(Err(self.short())),
                    Some(Err(e)) => return Some(Err(refuse(format!("{}: {e}", self.name)))),
                    Some(Ok(l)) if l.trim().is_empty() => {}
                    Some(Ok(_)) => {
                        return Some(Err(refuse(format!(
                            "{}: line {line_no} is blank; a row was expected (blank lines are accepted only after the last row)",
                            self.name
                        ))));
                    }
                }
            }
        }
        let row = match parse_row(&self.name, &self.header, self.read, &line) {
            Ok(r) => r,
            Err(e) => return Some(Err(e)),
        };
        self.read += 1;
        Some(Ok(RawRow { row, line }))
    }

    /// Checks that every promised row was read and that nothing but blank lines (an editor's
    /// or a tool's trailing newlines) follows them.
    ///
    /// # Errors
    /// [`DataError`] for missing rows or a line that is not blank after the last promised row.
    pub fn finish(mut self) -> std::result::Result<Header, DataError> {
        if self.read < self.header.rows {
            return Err(self.short());
        }
        let mut line_no = self.read + 1;
        loop {
            line_no += 1;
            match self.lines.next() {
                None => return Ok(self.header),
                Some(Err(e)) => return Err(refuse(format!("{}: {e}", self.name))),
                Some(Ok(l)) if l.trim().is_empty() => {}
                Some(Ok(_)) => {
                    return Err(refuse(format!(
                        "{}: line {line_no} follows the {} rows its header promises",
                        self.name, self.header.rows
                    )));
                }
            }
        }
    }
}

/// Row number `read` (0-based) of a file with `header`, from its line (without the newline):
/// a row that is class `shard − 1 + shards · read` of length N and passes [`Row::check`].
///
/// # Errors
/// [`DataError`] naming the file (`name`), the line and what is wrong.
fn parse_row(
    name: &str,
    header: &Header,
    read: u64,
    line: &str,
) -> std::result::Result<Row, DataError> {
    let line_no = read + 2;
    let row: Row = match serde_json::from_str(line) {
        Ok(r) => r,
        Err(e) => {
            // serde_json places the fault within the one line it was given ("… at line 1
            // column 40"): say where it is in the file instead.
            let why = e.to_string();
            let why = why
                .rsplit_once(" at line ")
                .map_or(why.as_str(), |(w, _)| w);
            return Err(refuse(format!(
                "{name}: line {line_no}, column {}, is not a row ({why})",
                e.column()
            )));
        }
    };
    // Row k of shard I/M is class I − 1 + M·k; a header with an absurd M could overflow that
    // (found by the `atlas_rows` fuzz target's reading, fuzz/regressions/atlas_rows/).
    let Some(expected) = header
        .shards
        .checked_mul(read)
        .and_then(|k| k.checked_add(header.shard - 1))
    else {
        return Err(refuse(format!(
            "{name}: line {line_no}: shard {}/{} has no class number for row {} (beyond 2^64)",
            header.shard,
            header.shards,
            read + 1
        )));
    };
    if row.class != expected || row.n != header.n {
        return Err(refuse(format!(
            "{name}: line {line_no} holds class {} of N = {}, expected class {expected} of N = {}",
            row.class, row.n, header.n
        )));
    }
    if let Err(why) = row.check() {
        return Err(refuse(format!(
            "{name}: line {line_no}, class {}: {why}",
            row.class
        )));
    }
    Ok(row)
}

/// Where a run continues from the rows file an earlier run of it left (`NAME.partial`): see
/// [`resume_point`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resume {
    /// Complete rows in the file: the shard's rows `0..rows`.
    pub rows: u64,
    /// Bytes of the header line and the complete rows (0 when not even the header line is
    /// complete): the file is cut to this length and continued.
    pub keep: u64,
    /// The last complete row's line (without its newline), if there is one: the run computes
    /// that row again and continues only if it is the same line.
    pub last: Option<String>,
    /// Bytes after `keep`: a line torn by a kill, dropped.
    pub torn: u64,
}

/// Which fields of two headers differ, in words.
fn header_differences(a: &Header, b: &Header) -> Vec<&'static str> {
    [
        ("N", a.n != b.n),
        ("selection", a.selection != b.selection),
        ("training settings", a.settings != b.settings),
        ("class count", a.classes != b.classes),
        ("shard", (a.shard, a.shards) != (b.shard, b.shards)),
        ("row count", a.rows != b.rows),
    ]
    .iter()
    .filter(|(_, d)| *d)
    .map(|(what, _)| *what)
    .collect()
}

/// Reads the rows file `name` that an interrupted run left and says where the run with
/// `header` continues: after its complete rows, each checked as [`ShardReader`] checks them.
/// A last line without its newline (torn by a kill) is dropped; so is a first line that is
/// the beginning of `header`'s own line. An empty file continues from nothing.
///
/// # Errors
/// [`DataError`] naming `name`: a first line that is not `header`'s line exactly (another
/// run's file, with the fields that differ, or not an atlas file), a complete line that is
/// not the shard's next row, more rows than the header promises, a read error.
pub fn resume_point(
    name: &str,
    header: &Header,
    mut input: impl BufRead,
) -> std::result::Result<Resume, DataError> {
    let mut own = Vec::new();
    write_header(&mut own, header).map_err(|e| refuse(format!("{name}: {e}")))?;
    let io = |e: std::io::Error| refuse(format!("{name}: {e}"));
    let mut line = Vec::new();
    let read = input.read_until(b'\n', &mut line).map_err(io)?;
    if read == 0 {
        return Ok(Resume::default());
    }
    if line.last() != Some(&b'\n') {
        return if own.starts_with(&line) {
            Ok(Resume {
                torn: read as u64,
                ..Resume::default()
            })
        } else {
            Err(refuse(format!(
                "{name}: not this run's file (its only line, cut short, does not begin this run's header)"
            )))
        };
    }
    if line != own {
        #[derive(Deserialize)]
        struct Line {
            header: Header,
        }
        let why = match serde_json::from_slice::<Line>(&line) {
            Err(_) => "its line 1 is not an atlas header".to_string(),
            Ok(Line { header: theirs }) => {
                let differ = header_differences(&theirs, header);
                if differ.is_empty() {
                    "its header line is not the one this run writes".to_string()
                } else {
                    format!(
                        "it was written by another run: its {} differ from this command's",
                        differ.join(", ")
                    )
                }
            }
        };
        return Err(refuse(format!("{name}: {why}")));
    }
    let mut resume = Resume {
        keep: read as u64,
        ..Resume::default()
    };
    loop {
        line.clear();
        let read = input.read_until(b'\n', &mut line).map_err(io)?;
        if read == 0 {
            return Ok(resume);
        }
        if line.last() != Some(&b'\n') {
            resume.torn = read as u64;
            return Ok(resume);
        }
        if resume.rows == header.rows {
            return Err(refuse(format!(
                "{name}: line {} follows the {} rows its header promises",
                resume.rows + 2,
                header.rows
            )));
        }
        let text = std::str::from_utf8(&line[..read - 1]).map_err(|e| {
            refuse(format!(
                "{name}: line {} is not UTF-8 text ({e})",
                resume.rows + 2
            ))
        })?;
        parse_row(name, header, resume.rows, text)?;
        resume.rows += 1;
        resume.keep += read as u64;
        resume.last = Some(text.to_string());
    }
}

/// Reads a whole JSON-lines atlas file into memory: its header and rows, checked as
/// [`ShardReader`] checks them. For small files (tests, one shard of a small run).
///
/// # Errors
/// [`DataError`] naming `name` and what is wrong.
pub fn read(
    name: &str,
    input: impl BufRead,
) -> std::result::Result<(Header, Vec<RawRow>), DataError> {
    let mut reader = ShardReader::open(name, input)?;
    let mut rows = Vec::new();
    while let Some(r) = reader.next_row() {
        rows.push(r?);
    }
    Ok((reader.finish()?, rows))
}

/// Checks that `headers` (file name, header) are the shards 1..=M of one run, each once,
/// and returns the header of the merged file (shard 1 of 1, every row). Reads no row.
///
/// # Errors
/// [`DataError`] for no files, files of different runs (N, selection, settings or M differ),
/// a shard given twice, or a shard missing.
pub fn check_shard_set(headers: &[(&str, &Header)]) -> std::result::Result<Header, DataError> {
    let Some(&(first_name, first)) = headers.first() else {
        return Err(refuse("no shard files given".into()));
    };
    let m = first.shards;
    let mut seen: std::collections::BTreeMap<u64, &str> = std::collections::BTreeMap::new();
    for &(name, h) in headers {
        let differ: Vec<&str> = [
            ("N", h.n != first.n),
            ("selection", h.selection != first.selection),
            ("training settings", h.settings != first.settings),
            ("class count", h.classes != first.classes),
            ("shard count", h.shards != first.shards),
        ]
        .iter()
        .filter(|(_, d)| *d)
        .map(|(what, _)| *what)
        .collect();
        if !differ.is_empty() {
            return Err(refuse(format!(
                "{name} belongs to another run than {first_name}: their {} differ",
                differ.join(", ")
            )));
        }
        if let Some(other) = seen.insert(h.shard, name) {
            return Err(refuse(format!(
                "shard {}/{m} given twice: {other} and {name}",
                h.shard
            )));
        }
    }
    if seen.len() as u64 != m {
        // Listed up to ten; a header may claim any M, so the list is not built in full.
        const LISTED: usize = 10;
        let missing: Vec<String> = (1..=m)
            .filter(|i| !seen.contains_key(i))
            .take(LISTED)
            .map(|i| i.to_string())
            .collect();
        let more = m - seen.len() as u64 - missing.len() as u64;
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        return Err(refuse(format!(
            "shard(s) {}{more} of {m} missing",
            missing.join(", ")
        )));
    }
    Ok(Header {
        shard: 1,
        shards: 1,
        rows: first.classes,
        ..first.clone()
    })
}

/// An error while merging: a shard file is wrong, or writing failed.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Write(#[from] std::io::Error),
}

/// Streams the rows of a checked shard set ([`check_shard_set`]) in class order to `emit`:
/// class `i` from the reader of shard `i mod M + 1`. One row per shard is in memory at a time.
/// Every reader is finished at the end (no row missing, none extra).
///
/// # Errors
/// [`MergeError::Data`] for a shard's bad or missing row, [`MergeError::Write`] for `emit`'s.
pub fn merge_rows<R: BufRead>(
    mut readers: Vec<ShardReader<R>>,
    emit: &mut dyn FnMut(&RawRow) -> std::io::Result<()>,
) -> std::result::Result<u64, MergeError> {
    readers.sort_by_key(|r| r.header.shard);
    let Some(first) = readers.first() else {
        return Err(refuse("no shard files given".into()).into());
    };
    let (classes, m) = (first.header.classes, readers.len() as u64);
    for i in 0..classes {
        let reader = &mut readers[(i % m) as usize];
        match reader.next_row() {
            Some(r) => emit(&r?)?,
            None => return Err(refuse(format!("class {i} is in no shard")).into()),
        }
    }
    for r in readers {
        r.finish()?;
    }
    Ok(classes)
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
