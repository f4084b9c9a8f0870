use super::*;

/// The brief asks that the *search itself* handle X = the ten weight-1 patterns of length
/// 10 (Σ = S_10) in seconds; the public function short-cuts that case (a weight class), so
/// time the backtracking directly. Timing is printed, only the order is asserted.
#[test]
fn backtracking_alone_finds_s10_for_weight_one_patterns() {
    let rows: Vec<u16> = (0..10).map(|k| 1u16 << k).collect();
    let start = std::time::Instant::now();
    let mut search = Search::new(10, rows);
    search.descend(0);
    println!(
        "BENCH N=10 weight-1, backtracking without short cut: {:?}",
        start.elapsed()
    );
    assert_eq!(search.out.len(), 3_628_800);
    assert!(search.out.windows(2).all(|w| w[0] < w[1]));
}

use crate::pattern::paper_x;

/// Σ_X by brute force: every s ∈ S_N with s·X = X.
fn brute_group(set: &PatternSet) -> Vec<Permutation> {
    Permutation::all(set.n())
        .unwrap()
        .into_iter()
        .filter(|s| set.same_set(&s.act_on_set(set)))
        .collect()
}

fn set_of_mask(mask: u32, n: usize) -> PatternSet {
    let all = Pattern::all(n).unwrap();
    let patterns = (0..all.len())
        .filter(|k| (mask >> k) & 1 == 1)
        .map(|k| all[k].clone())
        .collect();
    PatternSet::new(patterns).unwrap()
}

/// The pruned search against brute force on all 255 non-empty subsets of {0,1}³ (the
/// large ones through the complement, the weight classes through the short cut), on the
/// subsets of {0,1}⁴ of up to 3 patterns and on 200 pseudo-random subsets of {0,1}⁵:
/// the same elements in the same (lexicographic) order.
#[test]
fn pruned_search_equals_brute_force() {
    let mut sets: Vec<PatternSet> = (1u32..256).map(|m| set_of_mask(m, 3)).collect();
    sets.extend(
        (1u32..1 << 16)
            .filter(|m| m.count_ones() <= 3)
            .map(|m| set_of_mask(m, 4)),
    );
    let mut state = 12_345u64;
    for _ in 0..200 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let mask = (state >> 32) as u32;
        if mask != 0 {
            sets.push(set_of_mask(mask, 5));
        }
    }
    for set in &sets {
        let g = symmetry_group(set).unwrap();
        assert_eq!(g.elements(), brute_group(set).as_slice(), "{set}");
        assert_eq!(g.n(), set.n());
        assert!(g.is_group(), "{set}");
    }
}

/// Groups known by hand: the paper's X = {101, 110} has Σ = {e, (23)} and the invariant
/// form of eq. 5; a weight class has S_N; {100, 010} has {e, (12)}; 1000, 0100, 0010 fix
/// the fourth point and permute the other three (S_3, order 6).
#[test]
fn groups_known_by_hand() {
    let g = symmetry_group(&paper_x()).unwrap();
    assert_eq!(g.order(), 2);
    assert!(g.contains(&Permutation::transposition(3, 1, 2).unwrap()));
    assert_eq!(g.invariant_form_string(), "[[a,b,b],[c,d,e],[c,e,d]]");
    assert_eq!(g.invariant_dimension(), 5);
    let weight2 = PatternSet::parse("1100,1010,1001,0110,0101,0011").unwrap();
    assert_eq!(symmetry_group(&weight2).unwrap().order(), 24);
    let two = PatternSet::parse("100,010").unwrap();
    let g = symmetry_group(&two).unwrap();
    assert_eq!(g.order(), 2);
    assert!(g.contains(&Permutation::transposition(3, 0, 1).unwrap()));
    let three = PatternSet::parse("1000,0100,0010").unwrap();
    let g = symmetry_group(&three).unwrap();
    assert_eq!(g.order(), 6);
    assert!(g.elements().iter().all(|s| s.image(3) == 3));
    // Orbits on index pairs of S_3 × {e} on 4 points: (i,i) i<3; (i,j) i≠j<3; (i,3);
    // (3,i); (3,3).
    assert_eq!(g.invariant_dimension(), 5);
    assert_eq!(
        serde_json::to_value(&g).unwrap()["order"],
        serde_json::json!(6)
    );
    assert_eq!(
        serde_json::to_value(&g).unwrap()["elements"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
}

/// N = MAX_N is within range: in the nested chain 1000000000, 1100000000, …, 1111111110
/// position i (0-based) is 1 in 9 − i patterns, a different count for every position, so
/// only the identity maps the set to itself.
#[test]
fn the_largest_n_is_accepted() {
    let chain: Vec<Pattern> = (1..MAX_N)
        .map(|k| Pattern::from_bits(&(0..MAX_N).map(|i| u8::from(i < k)).collect::<Vec<_>>()))
        .collect::<Result<_>>()
        .unwrap();
    let g = symmetry_group(&PatternSet::new(chain).unwrap()).unwrap();
    assert_eq!((g.n(), g.order()), (MAX_N, 1));
}

/// The mask action agrees with `Permutation::act_on_pattern` for every s ∈ S_4 and
/// every pattern of length 4; binomial coefficients satisfy Pascal's rule.
#[test]
fn mask_action_and_binomials() {
    for s in Permutation::all(4).unwrap() {
        for x in Pattern::all(4).unwrap() {
            assert_eq!(pattern_of(mask_of(&x), 4), x);
            assert_eq!(
                pattern_of(act_on_mask(&s, mask_of(&x)), 4),
                s.act_on_pattern(&x)
            );
        }
    }
    for n in 1..=10 {
        assert_eq!(binomial(n, 0), 1);
        assert_eq!(binomial(n, n), 1);
        for k in 1..n {
            assert_eq!(binomial(n, k), binomial(n - 1, k - 1) + binomial(n - 1, k));
        }
    }
    assert_eq!(binomial(10, 5), 252);
}

/// The criterion set {y ∉ X : Σ_{X∪{y}} = Σ_X} against its definition, by brute-force groups
/// (one per y): on every non-empty set at N ≤ 3 and every 1000th at N = 4, through both entry
/// points (the one that searches only the y that Σ_X fixes, given the group, and the one that
/// computes the group itself).
#[test]
fn symmetry_preserving_extensions_by_definition() {
    let mut sets = Vec::new();
    for n in 1..=4usize {
        let step = if n == 4 { 1000 } else { 1 };
        for mask in (1u32..1 << (1u32 << n)).step_by(step) {
            sets.push(set_of_mask(mask, n));
        }
    }
    assert_eq!(sets.len(), 3 + 15 + 255 + 66);
    for set in sets {
        let group = brute_group(&set);
        let want: Vec<Pattern> = Pattern::all(set.n())
            .unwrap()
            .into_iter()
            .filter(|y| !set.contains(y))
            .filter(|y| {
                let mut ext = set.patterns().to_vec();
                ext.push(y.clone());
                brute_group(&PatternSet::new(ext).unwrap()) == group
            })
            .collect();
        assert_eq!(symmetry_preserving_extensions(&set).unwrap(), want, "{set}");
        let fast = symmetry_group(&set).unwrap();
        assert_eq!(
            symmetry_preserving_extensions_with_group(&set, &fast).unwrap(),
            want,
            "{set}"
        );
    }
    // The paper's X: only 000, 100 and 111 keep {e, (23)} (each is fixed by (23), and
    // adding one pattern brings no new symmetry).
    let names: Vec<String> = symmetry_preserving_extensions(&paper_x())
        .unwrap()
        .iter()
        .map(Pattern::to_string)
        .collect();
    assert_eq!(names, ["000", "100", "111"]);
}

/// Pair orbits against the orbits computed by closing each pair under the group; the
/// basis matrices are invariant, disjoint and cover every entry; the form names them.
#[test]
fn pair_orbits_invariant_basis_and_form() {
    let groups = [
        symmetry_group(&paper_x()).unwrap(),
        symmetry_group(&PatternSet::parse("1000,0100,0010").unwrap()).unwrap(),
        SymmetryGroup::symmetric(4).unwrap(),
        SymmetryGroup::from_elements(3, vec![Permutation::identity(3)]).unwrap(),
        // The cyclic group of order 4 on 4 points.
        SymmetryGroup::from_elements(
            4,
            (0..4)
                .map(|k| Permutation::new((0..4).map(|i| (i + k) % 4).collect()).unwrap())
                .collect(),
        )
        .unwrap(),
    ];
    for g in &groups {
        let n = g.n();
        let orbits = g.pair_orbits();
        for orbit in &orbits {
            let (i, j) = orbit[0];
            let mut closure: Vec<(usize, usize)> = g
                .elements()
                .iter()
                .map(|s| (s.image(i), s.image(j)))
                .collect();
            closure.sort();
            closure.dedup();
            assert_eq!(&closure, orbit);
        }
        assert_eq!(orbits.iter().map(Vec::len).sum::<usize>(), n * n);
        let firsts: Vec<_> = orbits.iter().map(|o| o[0]).collect();
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
        let basis = g.invariant_basis();
        assert_eq!(basis.len(), g.invariant_dimension());
        let sum = basis.iter().fold(DMatrix::zeros(n, n), |a, b| a + b);
        assert_eq!(sum, DMatrix::from_element(n, n, 1.0));
        for b in &basis {
            assert_eq!(g.invariance_defect(b), 0.0);
        }
        let form = g.invariant_form();
        for (k, orbit) in orbits.iter().enumerate() {
            for &(i, j) in orbit {
                assert_eq!(form[i][j], parameter_name(k));
            }
        }
    }
    assert_eq!(groups[2].invariant_dimension(), 2);
    assert_eq!(groups[3].invariant_dimension(), 9);
    assert_eq!(groups[4].invariant_dimension(), 4);
    assert_eq!(parameter_name(0), "a");
    assert_eq!(parameter_name(25), "z");
    assert_eq!(parameter_name(26), "a1");
    assert_eq!(parameter_name(27), "b1");
    assert_eq!(parameter_name(53), "b2");
}

/// The Reynolds operator is the orthogonal projection onto the invariant matrices: its
/// image is invariant, it fixes invariant matrices, it is self-adjoint, and entry (i, j) is
/// the mean of W over the pair orbit of (i, j). The defect is the largest ‖W − s·W‖_F.
#[test]
fn symmetrize_projects_and_defect_measures() {
    let g = symmetry_group(&paper_x()).unwrap();
    let w = DMatrix::from_row_slice(3, 3, &[0.1, 0.7, -0.3, 0.4, 1.2, 0.5, -0.8, 0.9, 0.2]);
    let v = DMatrix::from_row_slice(3, 3, &[1.0, -1.0, 0.5, 0.3, 0.0, 2.0, 0.6, -0.2, 1.5]);
    let r = g.symmetrize(&w);
    assert!(g.invariance_defect(&r) < 1e-15);
    assert!(g.is_invariant(&r, 1e-15));
    assert!((g.symmetrize(&r) - &r).amax() < 1e-15);
    let adjoint = r.dot(&v) - w.dot(&g.symmetrize(&v));
    assert!(adjoint.abs() < 1e-14);
    for orbit in g.pair_orbits() {
        let mean = orbit.iter().map(|&p| w[p]).sum::<f64>() / orbit.len() as f64;
        for &p in &orbit {
            assert!((r[p] - mean).abs() < 1e-15);
        }
    }
    let brute = g
        .elements()
        .iter()
        .map(|s| (&w - s.act_on_matrix(&w)).norm())
        .fold(0.0, f64::max);
    assert!(brute > 0.1);
    assert!((g.invariance_defect(&w) - brute).abs() < 1e-15);
    assert!(!g.is_invariant(&w, 0.1));
    assert!(g.is_invariant(&w, brute));
    assert_eq!(g.invariance_defect(&DMatrix::zeros(2, 3)), f64::INFINITY);
    assert_eq!(g.invariance_defect(&DMatrix::zeros(3, 2)), f64::INFINITY);
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let a = g.random_invariant(&mut rng);
    let b = g.random_invariant(&mut rng);
    assert!(g.invariance_defect(&a) == 0.0 && a != b);
    assert!(a.iter().all(|x| (-1.0..=1.0).contains(x)));
    assert!(a.iter().any(|x| *x != 0.0));
}

/// Orbits on the set and full orbits against the definition; |Σ·x| divides |Σ|.
#[test]
fn orbits_by_definition() {
    let set = PatternSet::parse("1100,0011,1000,0100,1111").unwrap();
    let g = symmetry_group(&set).unwrap();
    let orbits = g.orbits(&set);
    let names: Vec<Vec<String>> = orbits
        .iter()
        .map(|o| o.iter().map(Pattern::to_string).collect())
        .collect();
    // {e, (12), (34), (12)(34)} (1-based): 1100 and 0011 are each fixed.
    assert_eq!(g.order(), 4);
    assert_eq!(
        names,
        [
            vec!["1100"],
            vec!["0011"],
            vec!["1000", "0100"],
            vec!["1111"]
        ]
    );
    for x in Pattern::all(4).unwrap() {
        let mut want: Vec<Pattern> = g.elements().iter().map(|s| s.act_on_pattern(&x)).collect();
        want.sort();
        want.dedup();
        assert_eq!(g.orbit(&x), want);
        assert_eq!(g.order() % want.len(), 0);
    }
}

/// `from_elements` accepts a group in any order with repeats, and refuses non-groups.
#[test]
fn from_elements_checks_the_group_laws() {
    let t = Permutation::transposition(3, 0, 1).unwrap();
    let e = Permutation::identity(3);
    let g = SymmetryGroup::from_elements(3, vec![t.clone(), e.clone(), t.clone()]).unwrap();
    assert_eq!(g.elements(), [e.clone(), t.clone()]);
    let c = Permutation::new(vec![1, 2, 0]).unwrap();
    for bad in [
        vec![t.clone()],
        vec![e.clone(), c.clone()],
        vec![e.clone(), t.clone(), c],
    ] {
        assert!(matches!(
            SymmetryGroup::from_elements(3, bad),
            Err(Error::InvalidParameter { .. })
        ));
    }
    assert!(matches!(
        SymmetryGroup::from_elements(4, vec![e.clone()]),
        Err(Error::DimensionMismatch {
            expected: 4,
            found: 3,
            ..
        })
    ));
    assert!(
        !SymmetryGroup {
            n: 3,
            elements: vec![]
        }
        .is_group()
    );
    let mixed = SymmetryGroup {
        n: 3,
        elements: vec![Permutation::identity(2), e],
    };
    assert!(!mixed.is_group());
    assert_eq!(SymmetryGroup::symmetric(5).unwrap().order(), 120);
    assert!(SymmetryGroup::symmetric(9).is_err());
}

/// The group laws on the first k elements: a subset closed on its first elements but not
/// beyond ({e, (23)} then the 3-cycle 120, whose square 201 is missing) passes for k ≤ 2 and
/// fails from k = 3; k beyond |Σ| checks every element; a real group (S_5) passes for every k.
#[test]
fn group_laws_on_the_first_elements() {
    let elements = vec![
        Permutation::identity(3),
        Permutation::transposition(3, 1, 2).unwrap(),
        Permutation::new(vec![1, 2, 0]).unwrap(),
    ];
    let partial = SymmetryGroup { n: 3, elements };
    for (k, holds) in [
        (0, true),
        (1, true),
        (2, true),
        (3, false),
        (4, false),
        (100, false),
    ] {
        assert_eq!(partial.group_laws_hold_on_first(k), holds, "k = {k}");
    }
    assert!(!partial.is_group());
    let s5 = SymmetryGroup::symmetric(5).unwrap();
    for k in [0, 1, 7, 119, 120, 1000] {
        assert!(s5.group_laws_hold_on_first(k), "k = {k}");
    }
    let missing_identity = SymmetryGroup {
        n: 3,
        elements: vec![Permutation::transposition(3, 1, 2).unwrap()],
    };
    assert!(!missing_identity.group_laws_hold_on_first(0));
}

/// At N = 10 with Σ_X = S₁₀: for X = {0000000000, 1111111111} every other y has a weight k
/// with 0 < k < 10 and Σ_{X∪{y}} = S_k × S_{10−k} ≠ S₁₀, so the criterion is empty; for
/// X = {0000000000}, adding 1111111111 keeps S₁₀ and every other y breaks it.
#[test]
fn the_criterion_at_s10_names_only_the_constant_patterns() {
    let both = PatternSet::parse("0000000000,1111111111").unwrap();
    let g = symmetry_group(&both).unwrap();
    assert!(
        symmetry_preserving_extensions_with_group(&both, &g)
            .unwrap()
            .is_empty()
    );
    let zero = PatternSet::parse("0000000000").unwrap();
    let g = symmetry_group(&zero).unwrap();
    let names: Vec<String> = symmetry_preserving_extensions_with_group(&zero, &g)
        .unwrap()
        .iter()
        .map(Pattern::to_string)
        .collect();
    assert_eq!(names, ["1111111111"]);
}
