//! What every `*_claims` test module needs: its chapter computed once at the book's settings,
//! and that chapter's findings by claim ID.

/// Defines, for the chapter module `$chapter` (in `items_or_relations::chapters`):
/// `chapter()`, the chapter's `Output` at `Params::default()`, computed once per test module;
/// `finding(id)`, its finding for a claim ID; and `assert_finding(id, verdict)`, which checks
/// that the finding holds with the expected verdict.
macro_rules! chapter_fixture {
    ($chapter:ident) => {
        #[allow(dead_code)]
        fn chapter() -> &'static items_or_relations::chapters::$chapter::Output {
            use items_or_relations::chapters::$chapter::{Output, Params, compute};
            static OUT: std::sync::OnceLock<Output> = std::sync::OnceLock::new();
            OUT.get_or_init(|| {
                compute(&Params::default()).expect(concat!(
                    "the ",
                    stringify!($chapter),
                    " chapter computes"
                ))
            })
        }

        #[allow(dead_code)]
        fn finding(id: &str) -> &'static items_or_relations::claims::Finding {
            chapter()
                .findings
                .iter()
                .find(|f| f.id == id)
                .unwrap_or_else(|| panic!("the chapter has no finding {id}"))
        }

        #[allow(dead_code)]
        fn assert_finding(id: &str, verdict: items_or_relations::claims::Verdict) {
            let f = finding(id);
            assert!(f.holds, "{id} does not hold: {}", f.ours);
            assert_eq!(f.verdict, verdict, "{id}");
        }
    };
}
