use super::*;

/// Each coordinate rounds on its own, ½ to 1; the distance is ‖x − p‖ (here
/// √(0.1² + 0.5² + 0.2²) = √0.3, exact to rounding).
#[test]
fn nearest_rounds_each_coordinate_and_measures_the_distance() {
    let (p, d) = Pattern::nearest(&[0.1, 0.5, 0.8]).unwrap();
    assert_eq!(p.to_string(), "011");
    assert!((d - 0.3_f64.sqrt()).abs() < 1e-15, "{d}");
    let (q, e) = Pattern::nearest(&[1.0, 0.0]).unwrap();
    assert_eq!((q.to_string().as_str(), e), ("10", 0.0));
    assert!(matches!(Pattern::nearest(&[]), Err(Error::EmptyPattern)));
    assert!(matches!(
        Pattern::nearest(&[0.0; MAX_N + 1]),
        Err(Error::TooLarge { .. })
    ));
}

/// Parsing and building: the accepted forms, and each refusal with its error.
#[test]
fn patterns_parse_and_refuse() {
    let p = Pattern::parse(" 1011 ").unwrap();
    assert_eq!(
        (p.len(), p.is_empty(), p.bits()),
        (4, false, &[1u8, 0, 1, 1][..])
    );
    assert_eq!(p.to_string(), "1011");
    assert_eq!("0110".parse::<Pattern>().unwrap().bits(), [0, 1, 1, 0]);
    assert_eq!(Pattern::from_bits(&[0, 1]).unwrap().to_string(), "01");
    assert_eq!(Pattern::parse(&"1".repeat(MAX_N)).unwrap().len(), MAX_N);
    assert!(matches!(Pattern::parse("  "), Err(Error::EmptyPattern)));
    assert!(matches!(
        Pattern::parse("1021"),
        Err(Error::NonBinary { found: '2', .. })
    ));
    assert!(matches!(
        Pattern::parse(&"0".repeat(MAX_N + 1)),
        Err(Error::TooLarge { n: 11, max: 10 })
    ));
    assert!(matches!(Pattern::from_bits(&[]), Err(Error::EmptyPattern)));
    match Pattern::from_bits(&[1, 0, 2]) {
        Err(Error::NonBinary { pattern, found }) => {
            assert_eq!((pattern.as_str(), found), ("102", '2'))
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Pattern::from_bits(&[1, 12]),
        Err(Error::NonBinary { found: '?', .. })
    ));
    assert!(matches!(
        Pattern::from_bits(&[1; MAX_N + 1]),
        Err(Error::TooLarge { n: 11, .. })
    ));
    assert_eq!(Pattern::from_bits(&[1; MAX_N]).unwrap().len(), MAX_N);
    let v = p.to_vector();
    assert_eq!(v.as_slice(), [1.0, 0.0, 1.0, 1.0]);
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(json, "\"1011\"");
    assert_eq!(serde_json::from_str::<Pattern>(&json).unwrap(), p);
    assert!(serde_json::from_str::<Pattern>("\"12\"").is_err());
}

/// All 2^N patterns: pattern k is k in binary, x_1 most significant, in increasing order.
#[test]
fn all_patterns_are_the_binary_expansions() {
    for n in 1..=5 {
        let all = Pattern::all(n).unwrap();
        assert_eq!(all.len(), 1 << n);
        for (k, p) in all.iter().enumerate() {
            let value = p
                .bits()
                .iter()
                .fold(0usize, |acc, &b| 2 * acc + usize::from(b));
            assert_eq!(value, k, "{p}");
            assert_eq!(p.len(), n);
        }
        assert!(all.windows(2).all(|w| w[0] < w[1]));
    }
    assert_eq!(Pattern::all(MAX_N).unwrap().len(), 1024);
    assert!(matches!(Pattern::all(0), Err(Error::EmptyPattern)));
    assert!(matches!(
        Pattern::all(MAX_N + 1),
        Err(Error::TooLarge { .. })
    ));
}

/// Sets: order kept, duplicates and mixed lengths refused, membership, vectors, the
/// pattern matrix, set equality, display and serde.
#[test]
fn pattern_sets() {
    let x = PatternSet::parse("110, 011,100").unwrap();
    assert_eq!((x.n(), x.len(), x.is_empty()), (3, 3, false));
    assert_eq!(x.to_string(), "{110, 011, 100}");
    assert_eq!(x.patterns()[1].to_string(), "011");
    assert!(x.contains(&Pattern::parse("100").unwrap()));
    assert!(!x.contains(&Pattern::parse("111").unwrap()));
    let vs = x.vectors();
    assert_eq!(vs.len(), 3);
    assert_eq!(vs[1].as_slice(), [0.0, 1.0, 1.0]);
    let m = x.to_matrix();
    assert_eq!(m.shape(), (3, 3));
    assert_eq!(
        m.column(0).iter().copied().collect::<Vec<_>>(),
        [1.0, 1.0, 0.0]
    );
    assert_eq!(
        m.row(2).iter().copied().collect::<Vec<_>>(),
        [0.0, 1.0, 0.0]
    );
    let reordered: Vec<Pattern> = ["100", "110", "011", "100"]
        .iter()
        .map(|s| Pattern::parse(s).unwrap())
        .collect();
    assert!(x.same_set(&reordered));
    assert!(!x.same_set(&reordered[..2]));
    assert_eq!("110,011,100".parse::<PatternSet>().unwrap(), x);
    let json = serde_json::to_string(&x).unwrap();
    assert_eq!(json, r#"["110","011","100"]"#);
    assert_eq!(serde_json::from_str::<PatternSet>(&json).unwrap(), x);
    assert!(serde_json::from_str::<PatternSet>(r#"["11","11"]"#).is_err());
    assert!(matches!(PatternSet::parse(" "), Err(Error::EmptySet)));
    assert!(matches!(
        PatternSet::parse("10,,01"),
        Err(Error::EmptyPattern)
    ));
    assert!(matches!(PatternSet::new(vec![]), Err(Error::EmptySet)));
    assert!(matches!(
        PatternSet::parse("10,011"),
        Err(Error::LengthMismatch {
            expected: 2,
            found: 3,
            ..
        })
    ));
    assert!(matches!(
        PatternSet::parse("10,01,10"),
        Err(Error::DuplicatePattern { .. })
    ));
    assert_eq!(PatternSet::parse("1").unwrap().to_string(), "{1}");
    assert_eq!(paper_x().to_string(), "{101, 110}");
    assert_eq!(paper_x_prime().to_string(), "{010, 001}");
    assert_eq!(paper_x().n(), 3);
    assert_eq!(paper_x_prime().n(), 3);
}
