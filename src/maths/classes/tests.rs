use super::*;
use crate::group::symmetry_group;

/// Brute force: the canonical forms of all 2^(2^N) subsets, counted. Independent of the
/// generator (no tree, no canonicity test) and of Burnside.
fn brute_force(n: usize) -> usize {
    let action = SubsetAction::new(n).unwrap();
    let mut reps = std::collections::BTreeSet::new();
    for mask in 1..(1u64 << (1 << n)) {
        reps.insert(action.canonical(mask));
    }
    reps.len()
}

#[test]
fn class_counts_for_n_up_to_4_agree_three_ways() {
    for n in 1..=4 {
        let generated = all_classes(n).unwrap();
        let burnside = burnside_count(n).unwrap();
        assert_eq!(generated.len() as u128, burnside, "N = {n}");
        assert_eq!(generated.len(), brute_force(n), "N = {n}");
        // The class sizes add up to every non-empty subset.
        let subsets: usize = generated.iter().map(|c| c.size).sum();
        assert_eq!(subsets as u128, (1u128 << (1 << n)) - 1, "N = {n}");
    }
    assert_eq!(burnside_count(3).unwrap(), 79);
    assert_eq!(burnside_count(4).unwrap(), 3983);
}

/// At N = 5 the generator is run for sets of up to 5 patterns and for each size compared
/// with Burnside's count of that size; the total is Burnside's.
#[test]
fn n5_generator_agrees_with_burnside_by_size_and_total() {
    let action = SubsetAction::new(5).unwrap();
    let by_size = burnside_count_by_size(5).unwrap();
    let mut counts = [0u128; 6];
    for c in Classes::up_to_size(&action, 5) {
        counts[c.len()] += 1;
    }
    assert_eq!(&counts[1..], &by_size[1..6]);
    assert_eq!(burnside_count(5).unwrap(), 37_333_247);
}

/// The stabiliser of a representative is its symmetry group, computed independently by
/// `group::symmetry_group`'s pruned search.
#[test]
fn stabiliser_is_the_symmetry_group() {
    for c in all_classes(4).unwrap() {
        let set = c.set(4).unwrap();
        assert_eq!(symmetry_group(&set).unwrap().order(), c.group_order);
        assert_eq!(set_to_mask(&set).unwrap(), c.mask);
    }
}

/// Draws are uniform over classes: 79 000 draws at N = 3 against the uniform
/// distribution on its 79 classes by Pearson's χ² (78 degrees of freedom; mean 78,
/// standard deviation 12.5). 160 is beyond the 1e-6 quantile, so a correct sampler fails
/// with probability below 1e-6 at any seed; drawing sets uniformly without the acceptance
/// step gives χ² in the tens of thousands (class sizes range from 1 to 6).
#[test]
fn draws_are_uniform_over_classes() {
    let action = SubsetAction::new(3).unwrap();
    let index: std::collections::BTreeMap<u64, usize> = all_classes(3)
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, c)| (c.mask, i))
        .collect();
    let mut counts = vec![0usize; index.len()];
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let draws = 1000 * index.len();
    for _ in 0..draws {
        counts[index[&draw_uniform(&action, &mut rng).mask]] += 1;
    }
    let expected = 1000.0;
    let chi2: f64 = counts
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum();
    assert!(chi2 < 160.0, "chi2 = {chi2}");
}

/// The sample is seeded, distinct and canonical, and it hits every class at N = 3 when it
/// asks for all of them.
#[test]
fn sampling_is_seeded_distinct_and_canonical() {
    let action = SubsetAction::new(5).unwrap();
    let a = sample_uniform(&action, 20, 7).unwrap();
    assert_eq!(a, sample_uniform(&action, 20, 7).unwrap());
    for c in &a {
        assert!(action.canonical_stabiliser(c.mask).is_some());
    }
    let three = SubsetAction::new(3).unwrap();
    assert_eq!(sample_uniform(&three, 79, 1).unwrap().len(), 79);
    assert!(sample_uniform(&three, 80, 1).is_err());
}

/// The index of a pattern in [`Pattern::all`].
fn index(p: &Pattern) -> usize {
    p.bits().iter().fold(0, |k, &b| (k << 1) | usize::from(b))
}

/// The table action against `Permutation::act_on_pattern`, pattern by pattern, on every
/// subset of {0,1}³ and on sets of {0,1}⁶ reaching the top byte (bits 56–63).
#[test]
fn table_action_is_the_action_on_patterns() {
    for n in [3, 6] {
        let action = SubsetAction::new(n).unwrap();
        assert_eq!(action.n(), n);
        let perms = Permutation::all(n).unwrap();
        assert_eq!(action.group_order(), perms.len());
        let all = Pattern::all(n).unwrap();
        let masks: Vec<u64> = if n == 3 {
            (0..256).collect()
        } else {
            vec![
                0x8000_0000_0000_0001,
                0xf0f0_0000_1234_5678,
                u64::MAX,
                1 << 63 | 1 << 40,
            ]
        };
        for (g, s) in perms
            .iter()
            .enumerate()
            .step_by(if n == 3 { 1 } else { 37 })
        {
            for &mask in &masks {
                let want = (0..all.len())
                    .filter(|&k| (mask >> k) & 1 == 1)
                    .fold(0u64, |m, k| m | 1 << index(&s.act_on_pattern(&all[k])));
                assert_eq!(action.apply(g, mask), want, "N = {n}, g = {g}, {mask:#x}");
            }
        }
    }
}

/// `smaller` against sorted forms compared as lists, on all pairs of equal-size subsets
/// of 6 elements; the canonical form is the smallest image.
#[test]
fn smaller_compares_sorted_forms() {
    for a in 0u64..64 {
        for b in 0u64..64 {
            if a.count_ones() == b.count_ones() {
                assert_eq!(
                    smaller(a, b),
                    sorted_form(a) < sorted_form(b),
                    "{a:b} {b:b}"
                );
            }
        }
    }
    assert_eq!(sorted_form(0b1010_0110), vec![1, 2, 5, 7]);
    assert_eq!(sorted_form(1 << 63), vec![63]);
    let action = SubsetAction::new(3).unwrap();
    for mask in 1u64..256 {
        let images: Vec<u64> = (0..6).map(|g| action.apply(g, mask)).collect();
        let c = action.canonical(mask);
        assert!(images.contains(&c));
        assert!(images.iter().all(|&m| m == c || smaller(c, m)));
        let stab = images.iter().filter(|&&m| m == mask).count();
        assert_eq!(action.stabiliser_order(mask), stab);
        assert_eq!(
            action.canonical_stabiliser(mask),
            (c == mask).then_some(stab),
            "{mask:b}"
        );
    }
}

/// Masks and sets convert both ways; sizes, refusals and the class's own accessors.
#[test]
fn masks_sets_and_refusals() {
    let set = PatternSet::parse("001,110,111").unwrap();
    let mask = set_to_mask(&set).unwrap();
    assert_eq!(mask, 1 << 1 | 1 << 6 | 1 << 7);
    assert_eq!(mask_to_set(mask, 3).unwrap(), set);
    let six = PatternSet::parse("000001,111111").unwrap();
    assert_eq!(set_to_mask(&six).unwrap(), 1 << 63 | 1 << 1);
    assert_eq!(mask_to_set(1 << 63 | 1 << 1, 6).unwrap(), six);
    assert!(matches!(mask_to_set(0, 3), Err(Error::EmptySet)));
    assert!(matches!(
        mask_to_set(1, 7),
        Err(Error::TooLarge { n: 7, max: 6 })
    ));
    let seven = PatternSet::parse("1111111").unwrap();
    assert!(matches!(
        set_to_mask(&seven),
        Err(Error::TooLarge { n: 7, .. })
    ));
    assert!(matches!(SubsetAction::new(0), Err(Error::EmptyPattern)));
    assert!(matches!(
        SubsetAction::new(7),
        Err(Error::TooLarge { n: 7, .. })
    ));
    assert!(matches!(
        burnside_count_by_size(7),
        Err(Error::TooLarge { .. })
    ));
    let c = Class {
        mask,
        group_order: 2,
        size: 3,
    };
    assert_eq!((c.len(), c.is_empty()), (3, false));
    assert_eq!(c.set(3).unwrap(), set);
    assert!(Class { mask: 0, ..c }.is_empty());
    assert_eq!(SubsetAction::new(3).unwrap().full(), 0xff);
    assert_eq!(SubsetAction::new(6).unwrap().full(), u64::MAX);
}

/// Each permutation's cycles on the patterns partition them; the identity has 2^N fixed
/// points; a transposition of two positions fixes the patterns equal there (half of
/// them) and swaps the rest in pairs. By size, the classes at N = 2 (patterns 00, 01,
/// 10, 11; S_2 swaps 01 and 10) are, by hand: ∅; {00}, {11}, {01}; {00, 11}, {00, 01},
/// {11, 01}, {01, 10}; three of size 3 (complements of size 1); the whole set.
#[test]
fn cycles_and_counts_by_size() {
    let cycles = cycle_lengths(3).unwrap();
    assert_eq!(cycles.len(), 6);
    for c in &cycles {
        assert_eq!(c.iter().sum::<usize>(), 8);
    }
    assert_eq!(cycles[0], vec![1; 8]);
    // Permutation::all(3)[1] swaps the last two positions.
    let mut t = cycles[1].clone();
    t.sort();
    assert_eq!(t, vec![1, 1, 1, 1, 2, 2]);
    assert_eq!(burnside_count_by_size(2).unwrap(), vec![1, 3, 4, 3, 1]);
    assert_eq!(burnside_count(2).unwrap(), 11);
    assert_eq!(all_classes(2).unwrap().len(), 11);
    assert_eq!(burnside_count(1).unwrap(), 3);
}

/// The sample at N = 6 (the full 64-bit mask): canonical, distinct, sorted by size then
/// sorted form, each class's size N!/|Σ_X|, and its group order the stabiliser's.
#[test]
fn sample_at_n6_is_canonical_and_sorted() {
    let action = SubsetAction::new(6).unwrap();
    let sample = sample_uniform(&action, 4, 3).unwrap();
    assert_eq!(sample.len(), 4);
    for c in &sample {
        assert!(c.mask != 0);
        assert_eq!(action.canonical(c.mask), c.mask);
        assert_eq!(action.stabiliser_order(c.mask), c.group_order);
        assert_eq!(c.size * c.group_order, 720);
    }
    for w in sample.windows(2) {
        let key = |c: &Class| (c.len(), sorted_form(c.mask));
        assert!(key(&w[0]) < key(&w[1]));
    }
    // Drawn classes at N = 3 carry size N!/|Σ_X| too.
    let three = SubsetAction::new(3).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for _ in 0..50 {
        let c = draw_uniform(&three, &mut rng);
        assert!(c.mask != 0 && c.mask <= 0xff);
        assert_eq!(c.size * c.group_order, 6);
        assert_eq!(three.canonical(c.mask), c.mask);
    }
}
