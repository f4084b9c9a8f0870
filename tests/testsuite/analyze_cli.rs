//! The `analyze` command end to end: `--json` on training sets whose answers are known by hand,
//! the human-readable report, and bad input refused with one line on stderr, exit code 2 and
//! nothing on stdout.

use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_items-or-relations"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

/// `analyze --patterns P --json` (few steps: the group-theoretic answers do not depend on
/// training, and the tests stay fast), parsed.
fn analyze_json(patterns: &str) -> Value {
    let out = run(&[
        "analyze",
        "--patterns",
        patterns,
        "--json",
        "--steps",
        "200",
    ]);
    assert!(
        out.status.success(),
        "{patterns}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object on stdout")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string").to_string())
        .collect()
}

/// X' = {010, 001}: (23) swaps the two items and no other permutation of S_3 maps the set to
/// itself (by hand over the six), so Σ = {e, (23)}, one orbit. Invariant 3×3 matrices under
/// (23) have one parameter per orbit on index pairs: {11}, {12,13}, {21,31}, {22,33}, {23,32}
/// → 5. span X' = {x₁ = 0} contains 000 and 011 and no other binary pattern outside X'.
#[test]
fn x_prime_has_sigma_e_23_one_orbit_dimension_5_and_generalises_to_000_011() {
    let v = analyze_json("010,001");
    assert_eq!(v["n"], 3);
    assert_eq!(strings(&v["patterns"]), ["010", "001"]);
    assert_eq!(v["symmetry_group"]["order"], 2);
    assert_eq!(strings(&v["symmetry_group"]["elements"]), ["e", "(23)"]);
    assert_eq!(v["symmetry_group"]["elements_truncated"], false);
    let orbits: Vec<Vec<String>> = v["orbits"]
        .as_array()
        .unwrap()
        .iter()
        .map(strings)
        .collect();
    assert_eq!(orbits, [["010", "001"]]);
    assert_eq!(v["invariant_dimension"], 5);
    assert_eq!(v["invariant_form"], "[[a,b,b],[c,d,e],[c,e,d]]");
    assert_eq!(strings(&v["linear_generalizes_to"]), ["000", "011"]);
    // rank 2: N(N − rank) = 3 free entries; invariant part 2 (eq. 6's a and b).
    assert_eq!(v["linear"]["dimension"], 3);
    assert_eq!(v["linear"]["invariant_dimension"], 2);
}

/// The three single-1 patterns are a whole weight class: every permutation maps the set onto
/// itself, Σ = S_3 of order 3! = 6, and invariant matrices have two parameters (diagonal and
/// off-diagonal).
#[test]
fn single_ones_have_s3_and_invariant_dimension_2() {
    let v = analyze_json("100,010,001");
    assert_eq!(v["symmetry_group"]["order"], 6);
    assert_eq!(v["invariant_dimension"], 2);
    assert_eq!(
        strings(&v["linear_generalizes_to"]).len(),
        5,
        "span is all of R³"
    );
}

/// {1100, 0011}: the permutations that keep the blocks {1,2} and {3,4} (possibly swapping
/// them): 2·2·2 = 8 (the dihedral group of the square 1-3-2-4).
#[test]
fn two_blocks_have_order_8() {
    let v = analyze_json("1100,0011");
    assert_eq!(v["symmetry_group"]["order"], 8);
    assert_eq!(strings(&v["symmetry_group"]["elements"]).len(), 8);
    assert_eq!(strings(&v["linear_generalizes_to"]), ["0000", "1111"]);
}

/// {100, 110}: a symmetry must fix position 1 (the only position where both have a 1) and
/// position 3 (where neither has one), hence also 2: Σ = {e}, every entry of W is free: 9.
#[test]
fn no_symmetry_gives_order_1_and_invariant_dimension_9() {
    let v = analyze_json("100,110");
    assert_eq!(v["symmetry_group"]["order"], 1);
    assert_eq!(strings(&v["symmetry_group"]["elements"]), ["e"]);
    assert_eq!(v["invariant_dimension"], 9);
}

/// Every network reports the loss of all 2^N patterns and the training settings; the linear
/// network reproduces the training items (Adam from N(0, 0.05) reaches them within 5000 steps).
#[test]
fn networks_report_the_loss_of_all_patterns_with_the_settings() {
    let out = run(&["analyze", "--patterns", "010,001", "--json"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for net in ["identity", "tanh", "sigmoid"] {
        let r = &v["networks"][net];
        let loss = r["loss"].as_object().expect("loss per pattern");
        assert_eq!(loss.len(), 8, "{net}: all 2^3 patterns");
        assert!(loss.keys().all(|k| k.len() == 3));
        assert!(
            loss.values()
                .all(|x| x.as_f64().is_some_and(f64::is_finite))
        );
        assert!(r["settings"].as_str().unwrap().contains("Adam"));
    }
    assert_eq!(v["training"]["steps"], 5000);
    assert_eq!(v["training"]["seed"], 2024);
    let id = &v["networks"]["identity"]["loss"];
    assert!(id["010"].as_f64().unwrap() < 1e-6 && id["001"].as_f64().unwrap() < 1e-6);
    assert!(v.get("inference").is_none(), "no --test, no inference");
}

/// With --test, the ARC inference of §4: (23)·110 = (x₁, x₃, x₂) = 101.
#[test]
fn test_item_gets_the_rule_and_its_answer() {
    let out = run(&[
        "analyze",
        "--patterns",
        "010,001",
        "--test",
        "110",
        "--json",
        "--steps",
        "10",
    ]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let inf = &v["inference"];
    assert_eq!(inf["rules"][0]["rule"], "(23)");
    assert_eq!(inf["rules"][0]["image"], "101");
    assert_eq!(strings(&inf["candidates"]), ["101"]);
    assert_eq!(inf["answer"], "101");
}

/// S_10 (the ten weight-1 patterns of length 10) has 10! = 3 628 800 elements: JSON lists
/// the first 5040 and says so.
#[test]
fn huge_groups_are_truncated_in_json() {
    let p: Vec<String> = (0..10)
        .map(|i| (0..10).map(|j| if i == j { '1' } else { '0' }).collect())
        .collect();
    let v = analyze_json(&p.join(","));
    assert_eq!(v["symmetry_group"]["order"], 3_628_800);
    assert_eq!(v["symmetry_group"]["elements_truncated"], true);
    assert_eq!(strings(&v["symmetry_group"]["elements"]).len(), 5040);
    assert_eq!(
        v["networks"]["tanh"]["loss"].as_object().unwrap().len(),
        1024
    );
}

/// The report names the group, its elements in cycle notation, the invariant form, the linear
/// family and the settings.
#[test]
fn human_report_states_group_form_family_and_settings() {
    let out = run(&["analyze", "--patterns", "1100,0011", "--steps", "100"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "order 8",
        "(13)(24)",
        "{1100, 0011}",
        "[[a,b,c,c],[b,a,c,c],[c,c,a,b],[c,c,b,a]]",
        "0000, 1111",
        "Adam (lr=0.001), full batch, 100 steps, init N(0,0.05), seed 2024",
        "1111",
    ] {
        assert!(text.contains(needle), "report mentions {needle}:\n{text}");
    }
    assert!(out.stderr.is_empty());
}

/// One line on stderr naming the problem, exit code 2, nothing on stdout.
fn assert_refused(args: &[&str], needles: &[&str]) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    assert!(out.stdout.is_empty(), "{args:?}: stdout must stay empty");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{args:?}: one line: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: {err} should mention {n}");
    }
}

#[test]
fn bad_input_gets_one_line_exit_2_and_empty_stdout() {
    assert_refused(&["analyze", "--patterns", ""], &["empty pattern set"]);
    assert_refused(
        &["analyze", "--patterns", "1100,001"],
        &["\"001\"", "length 3", "length 4"],
    );
    assert_refused(
        &["analyze", "--patterns", "10a,001"],
        &["\"10a\"", "'a'", "only the characters 0 and 1"],
    );
    assert_refused(
        &["analyze", "--patterns", "01010101010,11111111111"],
        &["length 11", "maximum of 10"],
    );
    assert_refused(
        &["analyze", "--patterns", "010,001,010"],
        &["refused", "\"010\"", "more than once"],
    );
    assert_refused(&["analyze"], &["--patterns"]);
    assert_refused(&["analyze", "--patterns", "101,,110"], &["empty pattern"]);
    assert_refused(
        &["analyze", "--patterns", "010,001", "--test", "11"],
        &["--test", "length 2"],
    );
    assert_refused(
        &["analyze", "--patterns", "010,001", "--steps", "0"],
        &["--steps"],
    );
}

/// The terminal report says what it means: one pattern is "1 pattern", a set of patterns is
/// written in braces (the pattern 0 does not read as a count), and a test item that is an
/// item of X is named as one.
#[test]
fn the_terminal_report_reads_as_meant() {
    let o = run(&["analyze", "--patterns", "1"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("X = {1}: 1 pattern of length N = 1\n"),
        "{text}"
    );
    assert!(
        text.contains("every linear solution reproduces: {0}\n"),
        "{text}"
    );
    let o = run(&["analyze", "--patterns", "101,110", "--test", "101"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("2 patterns of length N = 3"), "{text}");
    assert!(
        text.contains("test item 101, itself an item of X ("),
        "{text}"
    );
    let o = run(&["analyze", "--patterns", "101,110", "--test", "111"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("test item 111 ("), "{text}");
}
