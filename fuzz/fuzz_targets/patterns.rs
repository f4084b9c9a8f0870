//! Fuzz target `patterns`: arbitrary bytes, read as UTF-8, through the pattern parser
//! (`Pattern::parse`, `PatternSet::parse`, the `FromStr` impls and the serde readers). It must
//! return `Ok` or `Err`, never panic, and what it accepts must satisfy the invariants below.
//! Run: see ../README.md (`RUSTC_BOOTSTRAP=1 cargo fuzz run patterns`).
#![no_main]

use std::collections::BTreeSet;

use items_or_relations::pattern::{MAX_N, Pattern, PatternSet};
use items_or_relations::serde_json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Bytes that are not UTF-8 still go through `Pattern::nearest`/`from_bits` below.
    check_from_bits(data);
    check_nearest(data);
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    check_pattern(s);
    check_set(s);
    check_serde(s);
});

/// `Pattern::parse`: an accepted pattern has 1..=MAX_N bits, each 0 or 1, prints as the
/// trimmed input, and parses back (from its Display, its bits and its JSON) to itself.
fn check_pattern(s: &str) {
    let parsed = Pattern::parse(s);
    // `FromStr` is the same parser.
    assert_eq!(parsed, s.parse::<Pattern>());
    match parsed {
        Ok(p) => {
            assert!((1..=MAX_N).contains(&p.len()), "length {} of {p}", p.len());
            assert!(!p.is_empty());
            assert!(p.bits().iter().all(|&b| b <= 1));
            let shown = p.to_string();
            assert_eq!(shown, s.trim(), "Display is not the trimmed input");
            assert_eq!(Pattern::parse(&shown).as_ref(), Ok(&p));
            assert_eq!(Pattern::from_bits(p.bits()).as_ref(), Ok(&p));
            assert_eq!(p.to_vector().len(), p.len());
            let json = serde_json::to_string(&p).expect("a pattern serialises");
            assert_eq!(
                serde_json::from_str::<Pattern>(&json).ok().as_ref(),
                Some(&p)
            );
            // A pattern is among all patterns of its length, in order.
            let all = Pattern::all(p.len()).expect("1 <= N <= MAX_N");
            assert_eq!(all.len(), 1 << p.len());
            assert!(all.binary_search(&p).is_ok());
        }
        Err(e) => {
            // The message is built without panicking and is not empty.
            assert!(!e.to_string().is_empty());
        }
    }
}

/// `PatternSet::parse`: an accepted set is non-empty, of one length N in 1..=MAX_N, holds
/// each comma-separated item of the input once and in order (no duplicate), at most 2^N
/// patterns, and reads back from its Display (`{a, b}` without the braces) and its JSON.
fn check_set(s: &str) {
    let parsed = PatternSet::parse(s);
    assert_eq!(parsed, s.parse::<PatternSet>());
    match parsed {
        Ok(set) => {
            let n = set.n();
            assert!((1..=MAX_N).contains(&n), "N = {n}");
            assert!(!set.is_empty() && set.len() == set.patterns().len());
            assert!(set.len() <= 1 << n, "{} patterns of length {n}", set.len());
            assert!(set.patterns().iter().all(|p| p.len() == n));
            let distinct: BTreeSet<&Pattern> = set.patterns().iter().collect();
            assert_eq!(distinct.len(), set.len(), "duplicate in {set}");
            // The items are the input's comma-separated items, trimmed, in order.
            let items: Vec<&str> = s.split(',').map(str::trim).collect();
            let shown: Vec<String> = set.patterns().iter().map(ToString::to_string).collect();
            assert_eq!(items, shown);
            assert!(set.patterns().iter().all(|p| set.contains(p)));
            assert!(set.same_set(set.patterns()));
            // Display round trip.
            let display = set.to_string();
            let inner = display
                .strip_prefix('{')
                .and_then(|d| d.strip_suffix('}'))
                .expect("a set prints in braces");
            assert_eq!(PatternSet::parse(inner).as_ref(), Ok(&set));
            // Rebuilding from its patterns and the JSON round trip.
            assert_eq!(PatternSet::new(set.patterns().to_vec()).as_ref(), Ok(&set));
            let json = serde_json::to_string(&set).expect("a set serialises");
            assert_eq!(
                serde_json::from_str::<PatternSet>(&json).ok().as_ref(),
                Some(&set)
            );
            let m = set.to_matrix();
            assert_eq!((m.nrows(), m.ncols()), (n, set.len()));
            assert_eq!(set.vectors().len(), set.len());
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
        }
    }
}

/// The serde readers (the atlas files and JSON outputs read patterns this way): whatever the
/// input, `Ok` or `Err`; an accepted value is what the string parser gives.
fn check_serde(s: &str) {
    if let Ok(p) = serde_json::from_str::<Pattern>(s) {
        let text: String = serde_json::from_str(s).expect("a pattern was a JSON string");
        assert_eq!(Pattern::parse(&text).as_ref(), Ok(&p));
    }
    if let Ok(set) = serde_json::from_str::<PatternSet>(s) {
        assert!(!set.is_empty() && set.patterns().iter().all(|p| p.len() == set.n()));
        let again = PatternSet::new(set.patterns().to_vec()).expect("a valid set");
        assert_eq!(again, set);
    }
}

/// `Pattern::from_bits` on raw bytes: accepted exactly when 1..=MAX_N bytes, each 0 or 1.
fn check_from_bits(data: &[u8]) {
    let valid = (1..=MAX_N).contains(&data.len()) && data.iter().all(|&b| b <= 1);
    match Pattern::from_bits(data) {
        Ok(p) => {
            assert!(valid);
            assert_eq!(p.bits(), data);
        }
        Err(e) => {
            assert!(!valid);
            assert!(!e.to_string().is_empty());
        }
    }
}

/// `Pattern::nearest` on the bytes read as little-endian f64s (any bit pattern: NaN, ±inf,
/// subnormals): never a panic; accepted exactly for 1..=MAX_N values, and then each bit is
/// the rounding of its coordinate.
fn check_nearest(data: &[u8]) {
    let x: Vec<f64> = data
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect();
    match Pattern::nearest(&x) {
        Ok((p, d)) => {
            assert!((1..=MAX_N).contains(&x.len()));
            assert_eq!(p.len(), x.len());
            for (&b, &v) in p.bits().iter().zip(&x) {
                assert_eq!(b == 1, v >= 0.5);
            }
            assert!(d.is_nan() || d >= 0.0);
        }
        Err(_) => assert!(x.is_empty() || x.len() > MAX_N),
    }
}
