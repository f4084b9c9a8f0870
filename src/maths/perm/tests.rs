use super::*;

fn power(s: &Permutation, k: usize) -> Permutation {
    (0..k).fold(Permutation::identity(s.n()), |acc, _| acc.compose(s))
}

/// S_n has n! elements, listed in strictly increasing lexicographic order, each a
/// bijection; n = 9 is refused by `all`, not by `all_lexicographic`.
#[test]
fn all_lists_n_factorial_distinct_permutations_in_order() {
    for (n, count) in [(0, 1), (1, 1), (2, 2), (3, 6), (4, 24), (5, 120)] {
        let all = Permutation::all(n).unwrap();
        assert_eq!(all.len(), count, "n = {n}");
        assert!(all.windows(2).all(|w| w[0] < w[1]), "n = {n}");
        assert!(all[0].is_identity());
        for s in &all {
            assert_eq!(Permutation::new(s.images().to_vec()).as_ref(), Ok(s));
        }
    }
    // MAX_ALL_N = 8 is the largest n listed: S_8 has 8! = 40320 elements; S_9 is refused.
    assert_eq!(Permutation::all(MAX_ALL_N).unwrap().len(), 40_320);
    assert!(matches!(
        Permutation::all(9),
        Err(Error::TooLarge { n: 9, max: 8 })
    ));
    assert_eq!(all_lexicographic(9).len(), 362_880);
}

/// Group laws on S_5: s⁻¹ ∘ s = e, (s ∘ t)⁻¹ = t⁻¹ ∘ s⁻¹, `order` is the least k ≥ 1 with
/// s^k = e; and the number of elements of each order in S_5, counted by cycle type
/// (1: 1, 2: 10 + 15, 3: 20, 4: 30, 5: 24, 6: 20).
#[test]
fn inverse_compose_and_order_obey_the_group_laws() {
    let all = Permutation::all(5).unwrap();
    let mut by_order = std::collections::BTreeMap::new();
    for s in &all {
        assert!(s.inverse().compose(s).is_identity());
        assert!(s.compose(&s.inverse()).is_identity());
        let k = s.order();
        assert!(power(s, k).is_identity(), "{s}");
        assert!((1..k).all(|j| !power(s, j).is_identity()), "{s}");
        *by_order.entry(k).or_insert(0) += 1;
        let t = &all[(s.images()[0] * 7 + 3) % all.len()];
        assert_eq!(s.compose(t).inverse(), t.inverse().compose(&s.inverse()));
        for i in 0..5 {
            assert_eq!(s.compose(t).image(i), s.image(t.image(i)));
        }
    }
    let expected = [(1, 1), (2, 25), (3, 20), (4, 30), (5, 24), (6, 20)];
    assert_eq!(by_order.into_iter().collect::<Vec<_>>(), expected);
}

/// Cycles partition the moved points, and cycle notation reads back to the same
/// permutation, with and without commas (N ≥ 10 uses commas).
#[test]
fn cycle_notation_round_trips() {
    for s in Permutation::all(6).unwrap() {
        let moved: usize = s.cycles().iter().map(Vec::len).sum();
        assert_eq!(moved, (0..6).filter(|&i| s.image(i) != i).count());
        assert_eq!(
            Permutation::parse_cycles(&s.to_cycle_notation(), 6).unwrap(),
            s
        );
        assert_eq!(s.to_string(), s.to_cycle_notation());
    }
    let s = Permutation::parse_cycles("(1,10)(2 3 4)", 10).unwrap();
    assert_eq!(s.to_cycle_notation(), "(1,10)(2,3,4)");
    assert_eq!(s.order(), 6);
    assert_eq!(
        (s.image(0), s.image(9), s.image(1), s.image(3)),
        (9, 0, 2, 1)
    );
    assert_eq!(
        Permutation::parse_cycles("e", 4).unwrap(),
        Permutation::identity(4)
    );
    assert_eq!(Permutation::identity(4).to_cycle_notation(), "e");
    for bad in [
        "", "(12", "(1 1)", "(12)(23)", "(15)", "(0 1)", "()", "12", "(1a)", "(1,x)", "(+1,2)",
        "(1, )",
    ] {
        assert!(
            matches!(
                Permutation::parse_cycles(bad, 4),
                Err(Error::BadCycleNotation { .. })
            ),
            "{bad:?}"
        );
    }
}

/// Construction: `new` accepts exactly the bijections of 0..n; a transposition swaps two
/// points and refuses points outside 0..n.
#[test]
fn new_and_transposition_check_their_input() {
    assert!(Permutation::new(vec![1, 0, 2]).is_ok());
    assert!(matches!(
        Permutation::new(vec![1, 1, 2]),
        Err(Error::NotAPermutation { .. })
    ));
    assert!(matches!(
        Permutation::new(vec![0, 3, 1]),
        Err(Error::NotAPermutation { .. })
    ));
    let t = Permutation::transposition(4, 1, 3).unwrap();
    assert_eq!(t.images(), [0, 3, 2, 1]);
    assert_eq!((t.order(), t.n()), (2, 4));
    assert!(Permutation::transposition(4, 4, 0).is_err());
    assert!(Permutation::transposition(4, 0, 4).is_err());
    assert_eq!(Permutation::identity(3).image(7), 7);
}

/// The actions agree with the permutation matrix: `s·x = P_s x` and `s·W = P_s W P_sᵀ`
/// (each P_s orthogonal with one 1 per row and column), and act on patterns and sets as
/// on 0/1 vectors; and (s·(t·x)) = (t∘s)·x, as `(s·x)_i = x_{s(i)}` implies.
#[test]
fn actions_agree_with_the_permutation_matrix() {
    let x = DVector::from_vec(vec![0.5, -1.0, 2.0, 3.0]);
    let w = DMatrix::from_fn(4, 4, |i, j| (i * 4 + j) as f64 - 0.5 * j as f64);
    let set = PatternSet::parse("1100,0101").unwrap();
    for s in Permutation::all(4).unwrap() {
        let p = s.matrix();
        assert_eq!(&p * p.transpose(), DMatrix::<f64>::identity(4, 4));
        assert_eq!(s.act_on_vector(&x), &p * &x);
        assert_eq!(s.act_on_matrix(&w), &p * &w * p.transpose());
        let images = s.act_on_set(&set);
        assert_eq!(images.len(), 2);
        for (y, img) in set.patterns().iter().zip(&images) {
            assert_eq!(img.to_vector(), &p * y.to_vector());
        }
        for t in Permutation::all(4).unwrap().iter().step_by(5) {
            assert_eq!(
                s.act_on_vector(&t.act_on_vector(&x)),
                t.compose(&s).act_on_vector(&x)
            );
        }
    }
}
