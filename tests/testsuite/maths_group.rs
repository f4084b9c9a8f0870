//! Integration tests for patterns, permutations and symmetry groups: the objects of the
//! paper's §2 (eqs. 2–5). Each test states the claim in its name and derives the expected value
//! in its doc comment.

use std::collections::BTreeSet;
use std::time::Instant;

use items_or_relations::group::{SymmetryGroup, symmetry_group};
use items_or_relations::nalgebra::{DMatrix, DVector};
use items_or_relations::pattern::{MAX_N, Pattern, PatternSet, paper_x, paper_x_prime};
use items_or_relations::perm::Permutation;
use items_or_relations::{Error, Result};
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

// ---------------------------------------------------------------------------------------------
// helpers

fn pat(s: &str) -> Pattern {
    Pattern::parse(s).unwrap()
}

fn set(s: &str) -> PatternSet {
    PatternSet::parse(s).unwrap()
}

fn cyc(s: &str, n: usize) -> Permutation {
    Permutation::parse_cycles(s, n).unwrap()
}

fn random_matrix(rng: &mut ChaCha8Rng, n: usize) -> DMatrix<f64> {
    DMatrix::from_fn(n, n, |_, _| rng.random_range(-1.0..1.0))
}

fn random_vector(rng: &mut ChaCha8Rng, n: usize) -> DVector<f64> {
    DVector::from_fn(n, |_, _| rng.random_range(-1.0..1.0))
}

/// The definition of Σ_X applied literally: filter all of S_N.
fn brute_force_group(x: &PatternSet) -> Vec<Permutation> {
    Permutation::all(x.n())
        .unwrap()
        .into_iter()
        .filter(|s| x.same_set(&s.act_on_set(x)))
        .collect()
}

/// A random non-empty subset of {0,1}^n: each pattern is kept with probability `p`.
fn random_set(rng: &mut ChaCha8Rng, n: usize, p: f64) -> PatternSet {
    let all = Pattern::all(n).unwrap();
    let mut chosen: Vec<Pattern> = all
        .iter()
        .filter(|_| rng.random_range(0.0..1.0) < p)
        .cloned()
        .collect();
    if chosen.is_empty() {
        chosen.push(all[rng.random_range(0..all.len())].clone());
    }
    chosen.shuffle(rng);
    PatternSet::new(chosen).unwrap()
}

/// Column-stacks matrices (vec(B_k) as column k) and returns the numerical rank.
fn stacked_rank(mats: &[DMatrix<f64>], n: usize) -> usize {
    if mats.is_empty() {
        return 0;
    }
    let m = DMatrix::from_fn(n * n, mats.len(), |p, k| mats[k][(p / n, p % n)]);
    m.rank(1e-9)
}

/// Groups used throughout: the paper's, S_3, a wreath product, a trivial one, S_4 on N = 4.
fn sample_groups() -> Vec<SymmetryGroup> {
    vec![
        symmetry_group(&paper_x()).unwrap(),
        symmetry_group(&set("100,010,001")).unwrap(),
        symmetry_group(&set("1100,0011")).unwrap(),
        symmetry_group(&set("100,110")).unwrap(),
        symmetry_group(&set("1000,0100,0010,0001")).unwrap(),
        symmetry_group(&set("10100,01010,00101,10010,01001")).unwrap(),
    ]
}

// ---------------------------------------------------------------------------------------------
// patterns

/// `Display` writes the bits and `parse` reads them back, so `parse(display(x)) = x` for all
/// `2 + 4 + … + 2^10 = 2046` patterns of length 1..=10; `from_bits(bits(x)) = x` likewise.
#[test]
fn pattern_display_parse_and_from_bits_round_trip_for_every_length_up_to_max_n() {
    for n in 1..=MAX_N {
        for x in Pattern::all(n).unwrap() {
            assert_eq!(Pattern::parse(&x.to_string()).unwrap(), x);
            assert_eq!(x.to_string().parse::<Pattern>().unwrap(), x);
            assert_eq!(Pattern::from_bits(x.bits()).unwrap(), x);
            assert_eq!(x.len(), n);
            assert!(!x.is_empty());
        }
    }
}

/// Whitespace around a pattern is not part of it: `" 101\n"` is `101`.
#[test]
fn pattern_parse_ignores_surrounding_whitespace() {
    assert_eq!(pat(" 101\n"), Pattern::from_bits(&[1, 0, 1]).unwrap());
}

/// Pattern `k` of `Pattern::all(n)` is the binary expansion of `k` (x_1 most significant), so
/// the list has `2^n` strictly increasing entries and starts `000, 001, 010, 011, …`.
#[test]
fn pattern_all_lists_two_to_the_n_patterns_in_lexicographic_order() {
    let three: Vec<String> = Pattern::all(3)
        .unwrap()
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(
        three,
        ["000", "001", "010", "011", "100", "101", "110", "111"]
    );
    for n in 1..=MAX_N {
        let all = Pattern::all(n).unwrap();
        assert_eq!(all.len(), 1 << n);
        assert!(all.windows(2).all(|w| w[0] < w[1]));
    }
}

/// The vector of `101` is `(1, 0, 1)ᵀ`.
#[test]
fn pattern_to_vector_has_entries_zero_and_one() {
    assert_eq!(
        pat("101").to_vector(),
        DVector::from_vec(vec![1.0, 0.0, 1.0])
    );
}

/// Each malformed pattern is refused with the variant naming its defect.
#[test]
fn pattern_bad_inputs_give_the_matching_error_variant() {
    assert_eq!(
        Pattern::parse("1021"),
        Err(Error::NonBinary {
            pattern: "1021".into(),
            found: '2'
        })
    );
    assert_eq!(
        Pattern::parse("1 1"),
        Err(Error::NonBinary {
            pattern: "1 1".into(),
            found: ' '
        })
    );
    assert_eq!(Pattern::parse(""), Err(Error::EmptyPattern));
    assert_eq!(Pattern::parse("   "), Err(Error::EmptyPattern));
    assert_eq!(
        Pattern::parse("10101010101"),
        Err(Error::TooLarge { n: 11, max: 10 })
    );
    assert!(matches!(
        Pattern::from_bits(&[1, 2]),
        Err(Error::NonBinary { found: '2', .. })
    ));
    assert_eq!(Pattern::from_bits(&[]), Err(Error::EmptyPattern));
    assert_eq!(
        Pattern::from_bits(&[0; 11]),
        Err(Error::TooLarge { n: 11, max: 10 })
    );
    assert_eq!(Pattern::all(0), Err(Error::EmptyPattern));
    assert_eq!(Pattern::all(11), Err(Error::TooLarge { n: 11, max: 10 }));
}

/// Each malformed set is refused: no patterns, an empty item, lengths that differ, and a
/// duplicate (refused, not merged).
#[test]
fn pattern_set_bad_inputs_give_the_matching_error_variant() {
    assert_eq!(PatternSet::new(vec![]), Err(Error::EmptySet));
    assert_eq!(PatternSet::parse(""), Err(Error::EmptySet));
    assert_eq!(PatternSet::parse("  "), Err(Error::EmptySet));
    assert_eq!(PatternSet::parse("101,,110"), Err(Error::EmptyPattern));
    assert_eq!(PatternSet::parse("101,"), Err(Error::EmptyPattern));
    assert_eq!(
        PatternSet::parse("101,11"),
        Err(Error::LengthMismatch {
            pattern: "11".into(),
            expected: 3,
            found: 2
        })
    );
    assert_eq!(
        PatternSet::parse("101, 110, 101"),
        Err(Error::DuplicatePattern {
            pattern: "101".into()
        })
    );
    assert!(matches!(
        PatternSet::parse("101,1x1"),
        Err(Error::NonBinary { found: 'x', .. })
    ));
    assert!(matches!(
        PatternSet::parse("10101010101"),
        Err(Error::TooLarge { n: 11, max: 10 })
    ));
}

/// A set keeps the given order, prints as `{101, 110}`, and reads back from that list.
#[test]
fn pattern_set_keeps_order_and_round_trips_through_its_list() {
    let x = set(" 110 , 101 ");
    assert_eq!(x.to_string(), "{110, 101}");
    assert_eq!(x.patterns(), &[pat("110"), pat("101")]);
    let back = PatternSet::parse(x.to_string().trim_matches(|c| c == '{' || c == '}')).unwrap();
    assert_eq!(back, x);
    assert_eq!((x.n(), x.len(), x.is_empty()), (3, 2, false));
    assert!(x.contains(&pat("101")) && !x.contains(&pat("111")));
}

/// `to_matrix` is `N × |X|` with column `k` = pattern `k`: for `{101, 110}` that is
/// `[[1,1],[0,1],[1,0]]`; `vectors` gives the same columns.
#[test]
fn pattern_set_matrix_has_patterns_as_columns() {
    let x = paper_x();
    let m = x.to_matrix();
    assert_eq!(
        m,
        DMatrix::from_row_slice(3, 2, &[1.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    );
    for (k, v) in x.vectors().iter().enumerate() {
        assert_eq!(&m.column(k).into_owned(), v);
    }
}

/// `same_set` is set equality: order is irrelevant, a missing or extra pattern is not.
#[test]
fn pattern_set_same_set_ignores_order_only() {
    let x = paper_x();
    assert!(x.same_set(&[pat("110"), pat("101")]));
    assert!(!x.same_set(&[pat("110")]));
    assert!(!x.same_set(&[pat("110"), pat("101"), pat("111")]));
}

/// The paper's sets (eq. 4): `X = {101, 110}`, `X' = {010, 001}`.
#[test]
fn paper_sets_are_those_of_equation_4() {
    assert_eq!(paper_x(), set("101,110"));
    assert_eq!(paper_x_prime(), set("010,001"));
}

/// Patterns serialise as bit strings and sets as arrays of them; reading refuses bad data.
#[test]
fn patterns_and_sets_serialise_as_strings() {
    assert_eq!(serde_json::to_string(&pat("101")).unwrap(), "\"101\"");
    assert_eq!(
        serde_json::to_string(&paper_x()).unwrap(),
        "[\"101\",\"110\"]"
    );
    let back: PatternSet = serde_json::from_str("[\"101\",\"110\"]").unwrap();
    assert_eq!(back, paper_x());
    assert!(serde_json::from_str::<Pattern>("\"12\"").is_err());
    assert!(serde_json::from_str::<PatternSet>("[\"101\",\"101\"]").is_err());
}

// ---------------------------------------------------------------------------------------------
// permutations

/// `|S_n| = n!` for n = 0..=8, listed strictly increasing (so distinct) with `e` first;
/// `n = 9` is refused.
#[test]
fn permutation_all_lists_n_factorial_elements_identity_first() {
    let mut factorial = 1;
    for n in 0..=8 {
        if n > 0 {
            factorial *= n;
        }
        let all = Permutation::all(n).unwrap();
        assert_eq!(all.len(), factorial);
        assert!(all[0].is_identity());
        assert!(all.windows(2).all(|w| w[0] < w[1]));
    }
    assert_eq!(Permutation::all(9), Err(Error::TooLarge { n: 9, max: 8 }));
}

/// Only lists containing each of `0..n` once are permutations.
#[test]
fn permutation_new_refuses_non_permutations() {
    assert!(Permutation::new(vec![2, 0, 1]).is_ok());
    for bad in [vec![0, 0], vec![0, 2], vec![1, 1, 0]] {
        assert_eq!(
            Permutation::new(bad.clone()),
            Err(Error::NotAPermutation {
                n: bad.len(),
                images: bad
            })
        );
    }
    assert!(matches!(
        Permutation::transposition(3, 0, 3),
        Err(Error::InvalidParameter { .. })
    ));
}

/// S_3 and S_4 under `compose` satisfy the group axioms: `(a∘b)∘c = a∘(b∘c)`, `e∘a = a∘e = a`,
/// `a∘a⁻¹ = a⁻¹∘a = e`, and closure (every product is again in the list).
#[test]
fn symmetric_groups_s3_and_s4_satisfy_the_group_axioms() {
    for n in [3, 4] {
        let all = Permutation::all(n).unwrap();
        let members: BTreeSet<&Permutation> = all.iter().collect();
        let e = Permutation::identity(n);
        for a in &all {
            assert_eq!(e.compose(a), *a);
            assert_eq!(a.compose(&e), *a);
            assert!(a.compose(&a.inverse()).is_identity());
            assert!(a.inverse().compose(a).is_identity());
            for b in &all {
                assert!(members.contains(&a.compose(b)));
                for c in &all {
                    assert_eq!(a.compose(b).compose(c), a.compose(&b.compose(c)));
                }
            }
        }
    }
}

/// `compose` is composition of maps: `(s∘t)(i) = s(t(i))`. With `s = (12)`, `t = (23)`:
/// `(s∘t)(1) = s(1) = 2`, `(s∘t)(2) = s(3) = 3`, `(s∘t)(3) = s(2) = 1`, i.e. `(123)`.
#[test]
fn compose_applies_the_right_factor_first() {
    let s = cyc("(12)", 3);
    let t = cyc("(23)", 3);
    assert_eq!(s.compose(&t), cyc("(123)", 3));
    assert_eq!(t.compose(&s), cyc("(132)", 3));
}

/// Cycle notation is canonical (each cycle from its smallest point, cycles sorted), so
/// `parse(notation(s)) = s` for every `s ∈ S_4`, and for random elements of S_10 (where points
/// are comma-separated).
#[test]
fn cycle_notation_round_trips_over_s4_and_random_elements_of_s10() {
    for s in Permutation::all(4).unwrap() {
        let text = s.to_cycle_notation();
        assert_eq!(Permutation::parse_cycles(&text, 4).unwrap(), s, "{text}");
        assert_eq!(s.to_string(), text);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    for _ in 0..500 {
        let mut images: Vec<usize> = (0..10).collect();
        images.shuffle(&mut rng);
        let s = Permutation::new(images).unwrap();
        let text = s.to_cycle_notation();
        // For n ≥ 10 every non-trivial cycle is written with commas.
        assert!(text == "e" || text.contains(','), "{text}");
        assert_eq!(Permutation::parse_cycles(&text, 10).unwrap(), s, "{text}");
    }
    let t = Permutation::transposition(10, 0, 9).unwrap();
    assert_eq!(t.to_cycle_notation(), "(1,10)");
    assert_eq!(cyc("(1,10)", 10), t);
    assert_eq!(cyc("(1 10)", 10), t);
}

/// `(32)` and `(23)` are the same transposition, and equal `transposition(3, 1, 2)` (0-based).
/// `(231)` means 2→3, 3→1, 1→2, so 0-based images are `s(0) = 1`, `s(1) = 2`, `s(2) = 0`,
/// printed canonically as `(123)`.
#[test]
fn cycle_notation_reads_cycles_in_either_starting_point() {
    assert_eq!(cyc("(32)", 3), cyc("(23)", 3));
    assert_eq!(cyc("(23)", 3), Permutation::transposition(3, 1, 2).unwrap());
    let s = cyc("(231)", 3);
    assert_eq!((s.image(0), s.image(1), s.image(2)), (1, 2, 0));
    assert_eq!(s.images(), &[1, 2, 0]);
    assert_eq!(s.to_cycle_notation(), "(123)");
    assert_eq!(cyc("e", 3), Permutation::identity(3));
    assert_eq!(cyc(" ( 1 2 ) ( 3 4 ) ", 4), cyc("(12)(34)", 4));
    assert_eq!(cyc("(12)(34)", 4).images(), &[1, 0, 3, 2]);
    assert_eq!(Permutation::identity(3).to_cycle_notation(), "e");
}

/// Malformed cycle notation is refused with `BadCycleNotation`: missing parentheses, an empty
/// cycle, a repeated point, point 0, a point above n, non-digits, empty text.
#[test]
fn cycle_notation_bad_inputs_are_refused() {
    for bad in [
        "", "12", "(12", "12)", "()", "(11)", "(12)(23)", "(04)", "(15)", "(a)", "(1,,2)", "e(12)",
        "(1(2))",
    ] {
        assert!(
            matches!(
                Permutation::parse_cycles(bad, 4),
                Err(Error::BadCycleNotation { .. })
            ),
            "{bad:?} should be refused"
        );
    }
}

/// The order is the least `k > 0` with `s^k = e` (checked by repeated composition over all of
/// S_5); e.g. `(12)(345)` has order lcm(2, 3) = 6.
#[test]
fn permutation_order_is_least_power_giving_identity() {
    assert_eq!(cyc("(12)(345)", 5).order(), 6);
    for s in Permutation::all(5).unwrap() {
        let mut power = s.clone();
        let mut k = 1;
        while !power.is_identity() {
            power = power.compose(&s);
            k += 1;
        }
        assert_eq!(s.order(), k, "{s}");
    }
}

/// `cycles` lists non-trivial cycles from their smallest point, sorted: `(3 5)(1 4 2)` in S_5
/// is `[[0, 3, 1], [2, 4]]` 0-based.
#[test]
fn permutation_cycles_are_canonical() {
    assert_eq!(
        cyc("(35)(142)", 5).cycles(),
        vec![vec![0, 3, 1], vec![2, 4]]
    );
    assert!(Permutation::identity(5).cycles().is_empty());
}

/// Action law: with `(s·x)_i = x_{s(i)}`, `(t·(s·x))_i = (s·x)_{t(i)} = x_{s(t(i))}`, so
/// `t·(s·x) = (s∘t)·x`, for patterns, real vectors and (entrywise in both indices) matrices.
/// All sides only move entries, so equality is exact.
#[test]
fn actions_satisfy_t_of_s_of_x_equals_s_compose_t_of_x() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for n in [3, 4] {
        let all = Permutation::all(n).unwrap();
        let patterns = Pattern::all(n).unwrap();
        for s in &all {
            for t in &all {
                let st = s.compose(t);
                for x in &patterns {
                    assert_eq!(t.act_on_pattern(&s.act_on_pattern(x)), st.act_on_pattern(x));
                }
                let v = random_vector(&mut rng, n);
                assert_eq!(t.act_on_vector(&s.act_on_vector(&v)), st.act_on_vector(&v));
                let w = random_matrix(&mut rng, n);
                assert_eq!(t.act_on_matrix(&s.act_on_matrix(&w)), st.act_on_matrix(&w));
            }
            // The identity acts trivially.
            let w = random_matrix(&mut rng, n);
            assert_eq!(Permutation::identity(n).act_on_matrix(&w), w);
        }
    }
}

/// The example of the module doc: `(23)·101 = 110`, since `(s·x)_2 = x_3 = 1`,
/// `(s·x)_3 = x_2 = 0`; so `(23)` maps `X = {101, 110}` onto itself (swapping its patterns).
#[test]
fn transposition_23_swaps_the_two_patterns_of_x() {
    let s = cyc("(23)", 3);
    assert_eq!(s.act_on_pattern(&pat("101")), pat("110"));
    assert_eq!(s.act_on_set(&paper_x()), vec![pat("110"), pat("101")]);
}

/// Compatibility `(s·W)(s·x) = s·(W x)`: both sides are `Σ_k W_{s(i)k} x_k`, summed in a
/// different order, so they agree up to rounding: with |entries| ≤ 1 and n ≤ 4 the sums have
/// magnitude ≤ 4 and the reordering error is ≤ 4·4·ε ≈ 4e-15; 1e-12 leaves ample margin.
#[test]
fn matrix_and_vector_actions_are_compatible() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    for n in [3, 4] {
        for s in Permutation::all(n).unwrap() {
            let w = random_matrix(&mut rng, n);
            let x = random_vector(&mut rng, n);
            let lhs = s.act_on_matrix(&w) * s.act_on_vector(&x);
            let rhs = s.act_on_vector(&(&w * &x));
            assert!((lhs - rhs).amax() < 1e-12);
        }
    }
}

/// `P_s x = s·x` and `P_s W P_sᵀ = s·W` with `(P_s)_{i,s(i)} = 1`. Each entry of the products
/// is one entry of `W` (times 1) plus exact zeros, so equality is exact.
#[test]
fn permutation_matrix_conjugation_is_the_matrix_action() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for n in [3, 4] {
        for s in Permutation::all(n).unwrap() {
            let p = s.matrix();
            let w = random_matrix(&mut rng, n);
            let x = random_vector(&mut rng, n);
            assert_eq!(&p * &x, s.act_on_vector(&x));
            assert_eq!(&p * &w * p.transpose(), s.act_on_matrix(&w));
            // P_s is orthogonal, P_s Pᵀ_s = I exactly (0/1 entries).
            assert_eq!(&p * p.transpose(), DMatrix::identity(n, n));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// symmetry groups

/// Paper §2: the only non-trivial permutation of 3 points mapping `{101, 110}` to itself is
/// `(23)` (column weights 2, 1, 1 force `s(1) = 1`), and the same for `X' = {010, 001}`
/// (column weights 0, 1, 1). Under `{e, (23)}` each set is a single orbit.
#[test]
fn paper_sets_have_group_e_23_and_are_single_orbits() {
    for x in [paper_x(), paper_x_prime()] {
        let g = symmetry_group(&x).unwrap();
        let names: Vec<String> = g.elements().iter().map(|s| s.to_string()).collect();
        assert_eq!(names, ["e", "(23)"]);
        assert_eq!(g.order(), 2);
        assert_eq!(g.orbits(&x), vec![x.patterns().to_vec()]);
    }
}

/// `{100, 010, 001}` is the whole weight-1 class of length 3, invariant under every
/// permutation: `Σ = S_3`, order 3! = 6, one orbit.
#[test]
fn weight_one_patterns_of_length_3_have_group_s3() {
    let x = set("100,010,001");
    let g = symmetry_group(&x).unwrap();
    assert_eq!(g.order(), 6);
    assert_eq!(g, SymmetryGroup::symmetric(3).unwrap());
    assert_eq!(g.orbits(&x).len(), 1);
}

/// `{1100, 0011}`: `s` either fixes both patterns (preserving the blocks {1,2} and {3,4}:
/// 2·2 = 4 choices) or swaps them (mapping one block onto the other: 2·2 = 4 choices), so
/// `|Σ| = 8` (the wreath product S_2 ≀ S_2).
#[test]
fn two_complementary_blocks_have_group_of_order_8() {
    let g = symmetry_group(&set("1100,0011")).unwrap();
    assert_eq!(g.order(), 8);
    assert!(g.contains(&cyc("(13)(24)", 4)));
    assert!(!g.contains(&cyc("(23)", 4)));
}

/// `{100, 110}` has column weights 2, 1, 0, all different; a symmetry preserves column
/// weights, so it fixes every column: `Σ = {e}`, and each pattern is its own orbit.
#[test]
fn set_with_distinct_column_weights_has_trivial_group() {
    let x = set("100,110");
    let g = symmetry_group(&x).unwrap();
    assert_eq!(g.order(), 1);
    assert!(g.elements()[0].is_identity());
    assert_eq!(g.orbits(&x), vec![vec![pat("100")], vec![pat("110")]]);
}

/// The backtracking search equals the definition (filter S_N by `s·X = X`) on 600 random sets
/// with N ≤ 6 and densities from sparse to dense (dense ones exercise the complement path),
/// plus every union of weight classes for N = 4 (the S_N short cut).
#[test]
fn backtracking_group_equals_brute_force_filter_of_s_n() {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    for trial in 0..600 {
        let n = 1 + trial % 6;
        let p = [0.1, 0.3, 0.5, 0.7, 0.9][trial % 5];
        let x = random_set(&mut rng, n, p);
        let g = symmetry_group(&x).unwrap();
        assert_eq!(g.elements(), brute_force_group(&x).as_slice(), "X = {x}");
    }
    let all = Pattern::all(4).unwrap();
    for weights in 1u32..(1 << 5) {
        let x = PatternSet::new(
            all.iter()
                .filter(|p| (weights >> p.bits().iter().filter(|&&b| b == 1).count()) & 1 == 1)
                .cloned()
                .collect(),
        )
        .unwrap();
        let g = symmetry_group(&x).unwrap();
        assert_eq!(g.order(), 24);
        assert_eq!(g.elements(), brute_force_group(&x).as_slice());
    }
}

/// `from_elements` accepts a group in any order (and sorts it) and refuses non-groups:
/// `{e, (123)}` is not closed (`(123)² = (132)`), `{(23)}` lacks `e`, a permutation of
/// another size is a dimension mismatch.
#[test]
fn from_elements_checks_the_group_axioms() {
    let g = SymmetryGroup::from_elements(3, vec![cyc("(23)", 3), cyc("e", 3)]).unwrap();
    assert_eq!(g, symmetry_group(&paper_x()).unwrap());
    assert!(g.is_group());
    assert!(matches!(
        SymmetryGroup::from_elements(3, vec![cyc("e", 3), cyc("(123)", 3)]),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        SymmetryGroup::from_elements(3, vec![cyc("(23)", 3)]),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        SymmetryGroup::from_elements(3, vec![]),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        SymmetryGroup::from_elements(3, vec![cyc("e", 4)]),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(SymmetryGroup::symmetric(9).is_err());
}

/// The orbit of `100` under S_3 is the weight-1 class `{001, 010, 100}`, sorted; under
/// `{e, (23)}` the orbit of `100` is `{100}` (both moved points carry 0).
#[test]
fn orbit_of_a_pattern_is_its_sorted_image_set() {
    let s3 = SymmetryGroup::symmetric(3).unwrap();
    assert_eq!(
        s3.orbit(&pat("100")),
        vec![pat("001"), pat("010"), pat("100")]
    );
    let g = symmetry_group(&paper_x()).unwrap();
    assert_eq!(g.orbit(&pat("100")), vec![pat("100")]);
    assert_eq!(g.orbit(&pat("010")), vec![pat("001"), pat("010")]);
}

/// Paper eq. 5: for `Σ = {e, (23)}` the pair orbits are `{(1,1)}`, `{(1,2),(1,3)}`,
/// `{(2,1),(3,1)}`, `{(2,2),(3,3)}`, `{(2,3),(3,2)}` (1-based), so the invariant matrices are
/// `[[a,b,b],[c,d,e],[c,e,d]]`: five parameters.
#[test]
fn paper_group_invariant_form_is_equation_5() {
    let g = symmetry_group(&paper_x()).unwrap();
    assert_eq!(g.invariant_form_string(), "[[a,b,b],[c,d,e],[c,e,d]]");
    assert_eq!(g.invariant_dimension(), 5);
    assert_eq!(
        g.pair_orbits(),
        vec![
            vec![(0, 0)],
            vec![(0, 1), (0, 2)],
            vec![(1, 0), (2, 0)],
            vec![(1, 1), (2, 2)],
            vec![(1, 2), (2, 1)],
        ]
    );
}

/// S_3 maps any diagonal pair to any diagonal pair and any off-diagonal pair to any other, so
/// there are two pair orbits: `[[a,b,b],[b,a,b],[b,b,a]]`.
#[test]
fn s3_invariant_matrices_form_a_two_dimensional_space() {
    let g = SymmetryGroup::symmetric(3).unwrap();
    assert_eq!(g.invariant_dimension(), 2);
    assert_eq!(g.invariant_form_string(), "[[a,b,b],[b,a,b],[b,b,a]]");
}

/// For the trivial group every one of the N² pairs is its own orbit; names run `a … z`, then
/// `a1 … z1`: for N = 6, pair (1,0) is orbit 6 = `g` and pair (5,5) is orbit 35 = `j1`.
#[test]
fn trivial_group_has_one_parameter_per_entry_with_suffixed_names() {
    let g = symmetry_group(&set("100000,110000,111000,111100,111110")).unwrap();
    assert_eq!(g.order(), 1);
    assert_eq!(g.invariant_dimension(), 36);
    let form = g.invariant_form();
    assert_eq!(form[0][0], "a");
    assert_eq!(form[1][0], "g");
    assert_eq!(form[4][1], "z");
    assert_eq!(form[4][2], "a1");
    assert_eq!(form[5][5], "j1");
}

/// The indicator matrices of distinct pair orbits have disjoint supports, so they are
/// linearly independent: dimension = number of pair orbits = rank of the stacked basis. The
/// orbits partition all N² pairs and each is closed under Σ. (Rank tolerance 1e-9: the
/// singular values are √|orbit| ≥ 1.)
#[test]
fn invariant_dimension_equals_pair_orbits_equals_basis_rank() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let mut groups = sample_groups();
    for k in 0..20 {
        groups.push(symmetry_group(&random_set(&mut rng, 2 + k % 5, 0.4)).unwrap());
    }
    for g in &groups {
        let n = g.n();
        let orbits = g.pair_orbits();
        let basis = g.invariant_basis();
        assert_eq!(g.invariant_dimension(), orbits.len());
        assert_eq!(basis.len(), orbits.len());
        assert_eq!(stacked_rank(&basis, n), orbits.len());
        let pairs: Vec<(usize, usize)> = orbits.iter().flatten().copied().collect();
        assert_eq!(pairs.len(), n * n);
        assert_eq!(pairs.iter().collect::<BTreeSet<_>>().len(), n * n);
        for orbit in &orbits {
            assert!(orbit.windows(2).all(|w| w[0] < w[1]));
            for s in g.elements() {
                for &(i, j) in orbit {
                    assert!(orbit.contains(&(s.image(i), s.image(j))));
                }
            }
        }
        assert!(orbits.windows(2).all(|w| w[0][0] < w[1][0]));
    }
}

/// Every basis matrix is constant on pair orbits, so `s·B = B` exactly and the defect is 0.
/// The same holds for `random_invariant`: entries of one orbit are computed by the identical
/// sequence of floating-point operations, so they are bitwise equal.
#[test]
fn basis_matrices_and_random_invariants_are_exactly_invariant() {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    for g in sample_groups() {
        for b in g.invariant_basis() {
            assert_eq!(g.invariance_defect(&b), 0.0);
            assert!(g.is_invariant(&b, 0.0));
        }
        let w = g.random_invariant(&mut rng);
        assert_eq!(g.invariance_defect(&w), 0.0);
        assert!(w.amax() > 0.0);
    }
}

/// A generic random matrix is not invariant under a non-trivial group (its entries are
/// distinct almost surely), and a matrix of the wrong shape has defect +∞.
#[test]
fn generic_matrices_are_not_invariant() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let g = symmetry_group(&paper_x()).unwrap();
    let w = random_matrix(&mut rng, 3);
    assert!(g.invariance_defect(&w) > 1e-3);
    assert!(!g.is_invariant(&w, 1e-9));
    assert_eq!(g.invariance_defect(&DMatrix::zeros(2, 2)), f64::INFINITY);
}

/// The Reynolds operator `R(W) = (1/|Σ|) Σ_s s·W` is the orthogonal projection onto the
/// invariant matrices: `R(W)` is invariant, `R(R(W)) = R(W)`, `W − R(W) ⟂ B_k` for every basis
/// matrix, and `R(W)_ij` is the mean of `W` over the pair orbit of `(i, j)`. All are sums of
/// at most |Σ| ≤ 24 terms of size ≤ 1, whose rounding error is below 24·24·ε ≈ 1.3e-13, hence
/// the tolerance 1e-12.
#[test]
fn symmetrize_is_the_orthogonal_projection_onto_invariant_matrices() {
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    for g in sample_groups() {
        let n = g.n();
        for _ in 0..5 {
            let w = random_matrix(&mut rng, n);
            let r = g.symmetrize(&w);
            assert!(g.invariance_defect(&r) < 1e-12);
            assert!((g.symmetrize(&r) - &r).amax() < 1e-12);
            for b in g.invariant_basis() {
                assert!((&w - &r).dot(&b).abs() < 1e-12);
            }
            for orbit in g.pair_orbits() {
                let mean = orbit.iter().map(|&(i, j)| w[(i, j)]).sum::<f64>() / orbit.len() as f64;
                for &(i, j) in &orbit {
                    assert!((r[(i, j)] - mean).abs() < 1e-12);
                }
            }
        }
        // Invariant matrices are fixed.
        let v = g.random_invariant(&mut rng);
        assert!((g.symmetrize(&v) - &v).amax() < 1e-12);
    }
}

/// Σ-invariance of `W` makes the linear layer Σ-compatible (eq. 3 ⇒ eq. 2):
/// `W(s·x) = (s·W)(s·x) = s·(W x)`. Tolerance as in the compatibility test.
#[test]
fn invariant_weights_commute_with_the_symmetries_of_x() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let g = symmetry_group(&paper_x()).unwrap();
    let w = g.random_invariant(&mut rng);
    for s in g.elements() {
        for x in paper_x().vectors() {
            assert!((&w * s.act_on_vector(&x) - s.act_on_vector(&(&w * &x))).amax() < 1e-12);
        }
    }
}

/// A group serialises as its order and its elements in cycle notation.
#[test]
fn symmetry_group_serialises_as_order_and_cycle_notation() {
    let g = symmetry_group(&paper_x()).unwrap();
    assert_eq!(
        serde_json::to_string(&g).unwrap(),
        r#"{"order":2,"elements":["e","(23)"]}"#
    );
}

/// The ten weight-1 patterns of length 10 are invariant under all of S_10: order
/// 10! = 3 628 800, one orbit; elements strictly increasing (hence distinct), identity first.
/// The elapsed time is printed (run with `--nocapture`), not asserted.
#[test]
fn weight_one_patterns_of_length_10_have_group_s10() -> Result<()> {
    let patterns: Vec<Pattern> = (0..10)
        .map(|k| {
            let mut bits = vec![0u8; 10];
            bits[k] = 1;
            Pattern::from_bits(&bits)
        })
        .collect::<Result<_>>()?;
    let x = PatternSet::new(patterns)?;
    let start = Instant::now();
    let g = symmetry_group(&x)?;
    let group_time = start.elapsed();
    assert_eq!(g.order(), 3_628_800);
    assert!(g.elements()[0].is_identity());
    assert!(g.elements().windows(2).all(|w| w[0] < w[1]));
    let start = Instant::now();
    let orbits = g.orbits(&x);
    let dim = g.invariant_dimension();
    let rest_time = start.elapsed();
    assert_eq!(orbits.len(), 1);
    assert_eq!(dim, 2);
    println!(
        "BENCH N=10 weight-1: symmetry_group {group_time:?}, orbits + pair orbits {rest_time:?}"
    );
    Ok(())
}

/// A dense N = 10 set that is not a union of weight classes, whose group is S_5 × S_5
/// (order 5!·5! = 14 400): all weight-1 patterns plus `1111100000` (weight 5, so the only
/// extra constraint is preserving the block {1..5}). Exercises the backtracking search at
/// N = 10; timing printed. The orbits on X are the weight-1 patterns with their 1 in the
/// first block, those with it in the second block, and `1111100000` alone: three.
#[test]
fn block_set_of_length_10_has_group_s5_times_s5() -> Result<()> {
    let mut list: Vec<String> = (0..10)
        .map(|k| (0..10).map(|i| if i == k { '1' } else { '0' }).collect())
        .collect();
    list.push("1111100000".to_string());
    let x = PatternSet::parse(&list.join(","))?;
    let start = Instant::now();
    let g = symmetry_group(&x)?;
    println!("BENCH N=10 S5xS5: symmetry_group {:?}", start.elapsed());
    assert_eq!(g.order(), 14_400);
    assert_eq!(g.orbits(&x).len(), 3);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// property tests

/// A random non-empty subset of {0,1}^n, n ≤ 5, in random order.
fn arb_set() -> impl Strategy<Value = PatternSet> {
    (1usize..=5)
        .prop_flat_map(|n| {
            (
                Just(n),
                prop::collection::vec(any::<bool>(), 1 << n),
                any::<u64>(),
            )
        })
        .prop_map(|(n, keep, seed)| {
            let all = Pattern::all(n).unwrap();
            let mut chosen: Vec<Pattern> = all
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(p, _)| p.clone())
                .collect();
            if chosen.is_empty() {
                chosen.push(all[0].clone());
            }
            chosen.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
            PatternSet::new(chosen).unwrap()
        })
}

proptest! {
    // The tests live outside src/, where proptest's default failure persistence cannot find a
    // lib.rs to anchor its regression files; failures are reported with their seed instead.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    /// Σ_X is a group (closure, identity, inverses), every element maps X onto X, and it
    /// agrees with the brute-force definition.
    #[test]
    fn prop_symmetry_group_is_a_group_that_preserves_x(x in arb_set()) {
        let g = symmetry_group(&x).unwrap();
        prop_assert!(g.is_group());
        prop_assert!(g.elements()[0].is_identity());
        for s in g.elements() {
            prop_assert!(x.same_set(&s.act_on_set(&x)));
        }
        let brute = brute_force_group(&x);
        prop_assert_eq!(g.elements(), brute.as_slice());
    }

    /// The orbits partition X (every pattern once), keep X's order within and across orbits,
    /// and each is closed under Σ and equal to the full orbit of its members.
    #[test]
    fn prop_orbits_partition_x(x in arb_set()) {
        let g = symmetry_group(&x).unwrap();
        let orbits = g.orbits(&x);
        let flat: Vec<&Pattern> = orbits.iter().flatten().collect();
        prop_assert_eq!(flat.len(), x.len());
        prop_assert_eq!(flat.iter().collect::<BTreeSet<_>>().len(), x.len());
        let position = |p: &Pattern| x.patterns().iter().position(|q| q == p).unwrap();
        for orbit in &orbits {
            prop_assert!(orbit.windows(2).all(|w| position(&w[0]) < position(&w[1])));
            let mut sorted = orbit.clone();
            sorted.sort();
            prop_assert_eq!(g.orbit(&orbit[0]), sorted);
            for s in g.elements() {
                for y in orbit {
                    prop_assert!(orbit.contains(&s.act_on_pattern(y)));
                }
            }
        }
        prop_assert!(orbits.windows(2).all(|w| position(&w[0][0]) < position(&w[1][0])));
    }

    /// Pair orbits partition the N² index pairs and Σ maps each orbit into itself; the
    /// Reynolds projection of a random matrix is invariant (tolerance as above).
    #[test]
    fn prop_pair_orbits_partition_pairs_and_symmetrize_is_invariant(x in arb_set(), seed in any::<u64>()) {
        let g = symmetry_group(&x).unwrap();
        let n = g.n();
        let orbits = g.pair_orbits();
        prop_assert_eq!(orbits.iter().map(Vec::len).sum::<usize>(), n * n);
        for orbit in &orbits {
            for s in g.elements() {
                for &(i, j) in orbit {
                    prop_assert!(orbit.contains(&(s.image(i), s.image(j))));
                }
            }
        }
        let w = random_matrix(&mut ChaCha8Rng::seed_from_u64(seed), n);
        prop_assert!(g.invariance_defect(&g.symmetrize(&w)) < 1e-12);
    }
}
