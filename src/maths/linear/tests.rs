use super::*;
use crate::group::symmetry_group;

fn solutions(list: &str) -> (PatternSet, SolutionSet) {
    let set = PatternSet::parse(list).unwrap();
    let group = symmetry_group(&set).unwrap();
    let s = SolutionSet::new(&set, &group).unwrap();
    (set, s)
}

/// The dimension of `{W : W X = X}` counted independently of the closed form: its direction
/// is the kernel of the linear map `V ↦ V X` on R^{N×N}, whose matrix (on column-major
/// vec(V)) is `Xᵀ ⊗ I_N`; so the dimension is `N² − rank(Xᵀ ⊗ I_N)`.
fn kernel_dimension(x: &DMatrix<f64>) -> usize {
    let (n, m) = x.shape();
    let map = x.transpose().kronecker(&DMatrix::<f64>::identity(n, n));
    assert_eq!(map.shape(), (n * m, n * n));
    n * n - map.rank(1e-9)
}

/// Rank 1 (one item), rank N (a basis) and ranks in between, N = 2…5: the dimension is
/// N·(N − rank) and agrees with the kernel count. At rank 1 the wrong formula N·(N / rank)
/// would give N², at rank N it would give N; the paper's X′ (N = 3, rank 2) cannot tell
/// them apart (3·1 = 3·(3/2) rounded down).
#[test]
fn dimension_is_n_times_n_minus_rank_for_rank_1_to_n() {
    let cases = [
        ("10", 2, 1, 2),
        ("10,01", 2, 2, 0),
        ("100", 3, 1, 6),
        ("111", 3, 1, 6),
        ("100,010,001", 3, 3, 0),
        ("1100", 4, 1, 12),
        ("1100,0011", 4, 2, 8),
        ("1100,0110,0011", 4, 3, 4),
        ("1000,0100,0010,0001", 4, 4, 0),
        ("10000,01000,00100", 5, 3, 10),
    ];
    for (list, n, rank, dimension) in cases {
        let (set, s) = solutions(list);
        assert_eq!(s.n(), n, "{list}");
        assert_eq!(s.rank(), rank, "{list}");
        assert_eq!(s.dimension(), dimension, "{list}");
        assert_eq!(s.dimension(), kernel_dimension(&set.to_matrix()), "{list}");
        assert_eq!(s.normals().len(), n - rank, "{list}");
        assert_eq!(s.summary(&set).unwrap().dimension, dimension, "{list}");
    }
}

/// The projector is the orthogonal projector onto span X: symmetric, idempotent, trace =
/// rank, fixing every item; the normals are orthonormal and orthogonal to every item.
#[test]
fn projector_and_normals_split_r_n_orthogonally() {
    for list in ["100", "110,011", "1100,0011", "10101,01010,11111", "111"] {
        let (set, s) = solutions(list);
        let p = s.projector();
        let n = s.n();
        assert!((p - p.transpose()).norm() < 1e-12, "{list}");
        assert!((p * p - p).norm() < 1e-12, "{list}");
        assert!((p.trace() - s.rank() as f64).abs() < 1e-12, "{list}");
        for x in set.vectors() {
            assert!((p * &x - &x).norm() < 1e-12, "{list}");
            for v in s.normals() {
                assert!(v.dot(&x).abs() < 1e-12, "{list}");
            }
        }
        let mut sum = p.clone();
        for (i, v) in s.normals().iter().enumerate() {
            assert!((v.norm() - 1.0).abs() < 1e-12, "{list}");
            for w in &s.normals()[i + 1..] {
                assert!(v.dot(w).abs() < 1e-12, "{list}");
            }
            sum += v * v.transpose();
        }
        assert!(
            (sum - DMatrix::<f64>::identity(n, n)).norm() < 1e-12,
            "{list}"
        );
    }
}

/// Invariant solutions on sets with the full group S_N, where the invariant matrices are
/// `aI + bJ` (dimension 2): the all-ones item gives one condition `a + N b = 1`
/// (dimension 1); the N unit vectors force W = I (dimension 0); a set of two items of
/// length 2 with group S_2, {10, 01}, also forces W = I.
#[test]
fn invariant_dimension_on_sets_with_the_full_group() {
    for (list, dim) in [("111", 1), ("1111", 1), ("100,010,001", 0), ("10,01", 0)] {
        let (_, s) = solutions(list);
        assert_eq!(s.invariant_dimension(), dim, "{list}");
    }
    // The paper's X′ = {010, 001}, Σ = {e, (23)}: the invariant matrices
    // [[a,b,b],[c,d,e],[c,e,d]] (5 parameters) with W e2 = e2 and W e3 = e3: b = 0, d = 1,
    // e = 0; the first column (a, c, c) stays free: dimension 2.
    let (_, s) = solutions("010,001");
    assert_eq!(s.invariant_dimension(), 2);
    // A group of the wrong length is refused.
    let set = PatternSet::parse("10").unwrap();
    let other = symmetry_group(&PatternSet::parse("100").unwrap()).unwrap();
    assert!(matches!(
        SolutionSet::new(&set, &other),
        Err(Error::DimensionMismatch { .. })
    ));
}

/// The implicit bias `P + W0 (I − P)` is a solution, leaves `W0`'s action on the
/// complement unchanged, and is at distance 0; the distance of `W0` itself is
/// `‖(W0 − I) P‖_F`.
#[test]
fn implicit_bias_is_a_solution_with_w0_on_the_complement() {
    let (set, s) = solutions("110,011");
    let w0 = DMatrix::from_fn(3, 3, |i, j| (i as f64 + 1.0) * 0.3 - j as f64 * 0.7);
    let w = s.implicit_bias(&w0);
    for x in set.vectors() {
        assert!((&w * &x - &x).norm() < 1e-12);
    }
    for v in s.normals() {
        assert!((&w * v - &w0 * v).norm() < 1e-12);
    }
    assert!(s.distance(&w) < 1e-12);
    let i = DMatrix::<f64>::identity(3, 3);
    let expected = ((&w0 - &i) * s.projector()).norm();
    assert!((s.distance(&w0) - expected).abs() < 1e-12);
    assert!(s.distance(&w0) > 0.1);
}

/// Span membership: for X′ = {010, 001}, span X′ holds exactly the patterns with first bit
/// 0; outside X′ these are 000 and 011.
#[test]
fn generalizes_to_the_binary_patterns_in_the_span() {
    let (set, s) = solutions("010,001");
    let names: Vec<String> = s
        .generalizes_to(&set)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(names, ["000", "011"]);
    assert!(!s.in_span(&Pattern::parse("100").unwrap().to_vector()));
    assert!(s.in_span(&DVector::from_vec(vec![0.0, 2.5, -1.0])));
    assert!(!s.in_span(&DVector::from_vec(vec![1e-3, 0.0, 0.0])));
    // The tolerance is relative to ‖x‖ (√1e-9 ≈ 3.2e-5 per unit of length): 1e-4 off the
    // span is rounding noise on a vector of length ~1000, but not on one of length ~1.
    assert!(s.in_span(&DVector::from_vec(vec![1e-4, 1000.0, 0.0])));
    assert!(!s.in_span(&DVector::from_vec(vec![1e-4, 1.0, 0.0])));
}

/// The spectrum is sorted by real part, then imaginary part, largest first: a rotation by
/// 90° in the plane beside 2 has eigenvalues 2, i, −i.
#[test]
fn spectrum_sorts_by_real_then_imaginary_part() {
    let w = DMatrix::from_row_slice(3, 3, &[0.0, -1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 2.0]);
    let ev = spectrum(&w);
    assert_eq!(ev.len(), 3);
    assert!((ev[0].0 - 2.0).abs() < 1e-12 && ev[0].1.abs() < 1e-12);
    assert!(ev[1].0.abs() < 1e-12 && (ev[1].1 - 1.0).abs() < 1e-12);
    assert!(ev[2].0.abs() < 1e-12 && (ev[2].1 + 1.0).abs() < 1e-12);
}
