//! Fuzz target `atlas_rows`: arbitrary bytes as JSON-lines atlas files, through the atlas
//! readers (`chapters::atlas::files`: `ShardReader`, `read`, `check_shard_set`, `merge_rows`;
//! `chapters::atlas::open_all_data` for merged files on disk). Every reader must return `Ok`
//! or `Err`, never panic; rows it accepts re-serialise and read back equal.
//!
//! The input is split at the separator line `SPLIT` into up to `MAX_FILES` files: one file is
//! a shard or an atlas file on its own, several are a shard set to merge and a list of
//! `--atlas-data` files. Run: see ../README.md (`RUSTC_BOOTSTRAP=1 cargo fuzz run atlas_rows`).
#![no_main]

use std::io::Write as _;
use std::path::PathBuf;

use items_or_relations::chapters::atlas::files::{
    self, Header, RawRow, ShardReader, check_shard_set, merge_rows, write_header, write_raw_row,
    write_row,
};
use items_or_relations::chapters::atlas::open_all_data;
use libfuzzer_sys::fuzz_target;

/// Separates the files of one input (a line no atlas file holds).
const SPLIT: &[u8] = b"\n--8<--\n";
const MAX_FILES: usize = 4;

fuzz_target!(|data: &[u8]| {
    let parts = split(data);
    for part in &parts {
        one_file(part);
    }
    if parts.len() > 1 {
        shard_set(&parts);
    }
    on_disk(&parts);
});

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() + 1 < MAX_FILES {
        match rest.windows(SPLIT.len()).position(|w| w == SPLIT) {
            Some(i) => {
                parts.push(&rest[..i]);
                rest = &rest[i + SPLIT.len()..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

/// One file: read whole, and streamed row by row, with the same outcome. Accepted rows pass
/// `Row::check`, are the shard's classes in order, and the file written again from the parsed
/// header and rows (and from the raw lines) reads back equal.
fn one_file(bytes: &[u8]) {
    let whole = files::read("fuzz.jsonl", bytes);
    // The streaming reader agrees with `read`.
    let streamed = (|| {
        let mut r = ShardReader::open("fuzz.jsonl", bytes)?;
        assert_eq!(r.name(), "fuzz.jsonl");
        let mut rows = Vec::new();
        while let Some(row) = r.next_row() {
            rows.push(row?);
        }
        // After the last promised row, no more.
        assert!(r.next_row().is_none());
        Ok::<_, files::DataError>((r.finish()?, rows))
    })();
    assert_eq!(whole, streamed);
    let (header, rows) = match whole {
        Ok(ok) => ok,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    assert!(1 <= header.shard && header.shard <= header.shards);
    assert_eq!(rows.len() as u64, header.rows);
    for (i, raw) in rows.iter().enumerate() {
        assert_eq!(raw.row.class, header.shard - 1 + header.shards * i as u64);
        assert_eq!(raw.row.n, header.n);
        assert_eq!(raw.row.check(), Ok(()));
        assert!(!raw.line.contains('\n'));
    }
    // Re-serialised from the parsed values: the same header and rows.
    let mut again = Vec::new();
    write_header(&mut again, &header).unwrap();
    for raw in &rows {
        write_row(&mut again, &raw.row).unwrap();
    }
    let (h2, rows2) = files::read("again.jsonl", &again[..])
        .unwrap_or_else(|e| panic!("a re-serialised file is refused: {e}"));
    assert_eq!(h2, header);
    assert_eq!(rows2.len(), rows.len());
    for (a, b) in rows.iter().zip(&rows2) {
        assert_eq!(a.row, b.row);
    }
    // Written from the raw lines (as `atlas merge` copies them): the same rows and lines.
    let mut copied = Vec::new();
    write_header(&mut copied, &header).unwrap();
    for raw in &rows {
        write_raw_row(&mut copied, raw).unwrap();
    }
    let (h3, rows3) = files::read("copied.jsonl", &copied[..])
        .unwrap_or_else(|e| panic!("a copied file is refused: {e}"));
    assert_eq!((h3, rows3), (header, rows.clone()));
    // CSV of accepted rows.
    let rows: Vec<_> = rows.into_iter().map(|r| r.row).collect();
    let mut csv = Vec::new();
    files::write_csv(&mut csv, &rows, true).unwrap();
    let lines = csv.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
    assert_eq!(lines, rows.len() + 1);
}

/// Several files as the shards of one run (`atlas merge`): check the headers, merge the rows;
/// a merged result reads back as a complete file of every class in order.
fn shard_set(parts: &[&[u8]]) {
    let names: Vec<String> = (1..=parts.len())
        .map(|i| format!("shard{i}.jsonl"))
        .collect();
    let mut readers = Vec::new();
    for (name, part) in names.iter().zip(parts) {
        match ShardReader::open(name, *part) {
            Ok(r) => readers.push(r),
            Err(_) => return,
        }
    }
    let headers: Vec<(&str, &Header)> = readers.iter().map(|r| (r.name(), r.header())).collect();
    let merged = match check_shard_set(&headers) {
        Ok(h) => h,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    assert!(merged.shard == 1 && merged.shards == 1 && merged.rows == merged.classes);
    // `merge_rows` walks `classes` (any u64 from a header) one row at a time but stops at the
    // first missing row, so a huge count ends quickly.
    let mut out = Vec::new();
    write_header(&mut out, &merged).unwrap();
    let mut emitted: Vec<RawRow> = Vec::new();
    let result = merge_rows(readers, &mut |r| {
        emitted.push(r.clone());
        write_raw_row(&mut out, r)
    });
    match result {
        Ok(count) => {
            assert_eq!(count, merged.classes);
            assert_eq!(emitted.len() as u64, count);
            let (h, rows) = files::read("merged.jsonl", &out[..])
                .unwrap_or_else(|e| panic!("a merged file is refused: {e}"));
            assert_eq!(h, merged);
            assert_eq!(rows, emitted);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// The parts as `--atlas-data` files on disk (`open_all_data`: a whole atlas per file, one
/// file per N), drained row by row. Only parts whose header reads are written, to keep the
/// file system out of most executions.
fn on_disk(parts: &[&[u8]]) {
    if !parts.iter().all(|p| ShardReader::open("probe", *p).is_ok()) {
        return;
    }
    let dir = std::env::temp_dir().join(format!("ior-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let paths: Vec<PathBuf> = parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let path = dir.join(format!("atlas{i}.jsonl"));
            let mut f = std::fs::File::create(&path).unwrap();
            f.write_all(part).unwrap();
            path
        })
        .collect();
    match open_all_data(&paths) {
        Ok(readers) => {
            assert_eq!(readers.len(), paths.len());
            for mut r in readers {
                let h = r.header().clone();
                assert!(h.is_complete(), "open_all_data passed an incomplete file");
                while let Some(row) = r.next_row() {
                    if row.is_err() {
                        break;
                    }
                }
                let _ = r.finish();
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}
