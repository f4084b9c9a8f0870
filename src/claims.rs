//! The claims ledger: every claim of the paper (IDs from `paper/DIGEST.md`), what the paper
//! printed, what we computed, and the verdict. Chapters produce [`Finding`]s; the scorecard
//! chapter and `items-or-relations claims` show the merged [`ClaimRow`]s.
//!
//! The registry records, per claim, the verdict the book stands by (`expected`). A computed
//! finding whose checks fail, or whose verdict differs from the recorded one, is a regression:
//! `claims` exits non-zero and the claim's test fails.

use serde::Serialize;

/// How a claim of the paper fared.
///
/// A verdict says how much of the agreement was fitted: [`Verdict::Reproduced`] only when no
/// free setting was chosen to match a printed value; [`Verdict::ReproducedAfterFitting`] when
/// one was (the claim's [`Fit`] names it and counts the printed values it used and those left
/// as independent checks); [`Verdict::Qualified`] when the claim holds only with a stated
/// restriction (in a fraction of the cases, or for some settings). The book's own headline
/// claim (H1) is answered [`Verdict::Supported`], [`Verdict::Qualified`] or
/// [`Verdict::NotSupported`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Our computation agrees with the printed claim within the stated tolerance, and no free
    /// setting was chosen to make it agree.
    Reproduced,
    /// Our computation agrees, but only after a setting the paper does not state was fitted
    /// to printed values (named in the claim's [`Fit`]).
    ReproducedAfterFitting,
    /// The claim holds with a restriction the paper does not state, given with it.
    Qualified,
    /// Our computation disagrees, for a reason stated with it.
    Differs,
    /// The printed statement is wrong as printed; the corrected statement holds.
    PaperTypo,
    /// A headline claim (H1) that the numbers of the chapters support as stated.
    Supported,
    /// A headline claim that the numbers of the chapters contradict.
    NotSupported,
    /// The chapter that checks it is not built yet.
    Pending,
    /// Its chapter was left out of this build (`--chapter`): nothing was computed, so nothing
    /// is claimed either way.
    NotComputed,
    /// Computed, but a check behind the finding failed, or the finding's verdict is not the
    /// one the book stands by: a regression. Never shown as a success.
    Failing,
}

impl Verdict {
    /// The machine-readable name, as serialised (`paper-typo`, `not-computed`, …).
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Reproduced => "reproduced",
            Verdict::ReproducedAfterFitting => "reproduced-after-fitting",
            Verdict::Qualified => "qualified",
            Verdict::Differs => "differs",
            Verdict::PaperTypo => "paper-typo",
            Verdict::Supported => "supported",
            Verdict::NotSupported => "not-supported",
            Verdict::Pending => "pending",
            Verdict::NotComputed => "not-computed",
            Verdict::Failing => "failing",
        }
    }

    /// The name a reader sees.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Reproduced => "reproduced",
            Verdict::ReproducedAfterFitting => "reproduced after fitting",
            Verdict::Qualified => "qualified",
            Verdict::Differs => "differs",
            Verdict::PaperTypo => "paper-typo",
            Verdict::Supported => "supported",
            Verdict::NotSupported => "not supported",
            Verdict::Pending => "pending",
            Verdict::NotComputed => "not computed in this build",
            Verdict::Failing => "FAILING",
        }
    }
}

/// What was fitted for a claim reproduced after fitting: the setting the paper does not state
/// that was chosen to match printed values, how many printed values were used to choose it,
/// and how many printed values were left as independent checks (not used by any fit, yet
/// reproduced by the fitted setting).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Fit {
    pub fitted: &'static str,
    /// Printed values used to choose the fitted setting.
    pub used: usize,
    /// Printed values not used by the fit that the fitted setting reproduces.
    pub checks: usize,
}

/// A claim as the registry knows it, before anything is computed.
#[derive(Clone, Copy, Debug)]
pub struct ClaimSpec {
    pub id: &'static str,
    /// The chapter (its id) that checks the claim.
    pub chapter: &'static str,
    pub statement: &'static str,
    /// The paper's printed value, where the claim has one.
    pub paper: Option<&'static str>,
    /// The test that checks it, by its path in the `testsuite` test binary (`module::function`,
    /// the source in `tests/testsuite/<module>.rs`); `None` while pending.
    pub test: Option<&'static str>,
    /// The verdict the book stands by.
    pub expected: Verdict,
    /// For a claim reproduced after fitting: what was fitted.
    pub fit: Option<Fit>,
    /// Chapters besides its own whose results the check needs: in a build without one of
    /// them the claim is not computed.
    pub needs: &'static [&'static str],
}

impl ClaimSpec {
    /// The same claim, reproduced after the fit `fit`.
    pub const fn fitted(self, fit: Fit) -> ClaimSpec {
        ClaimSpec {
            fit: Some(fit),
            ..self
        }
    }

    /// The same claim, needing the results of `chapters` too.
    pub const fn needing(self, chapters: &'static [&'static str]) -> ClaimSpec {
        ClaimSpec {
            needs: chapters,
            ..self
        }
    }
}

/// What a chapter's computation found for one claim.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub id: String,
    /// Our value, formatted for reading.
    pub ours: String,
    /// The tolerance the comparison used, with its unit or meaning.
    pub tolerance: Option<String>,
    pub verdict: Verdict,
    /// Why it differs, or the corrected statement of a typo; a note otherwise.
    pub reason: Option<String>,
    /// Did every check behind the verdict pass?
    pub holds: bool,
}

/// One line of the scorecard: the registry merged with the finding. A row whose checks failed
/// has the verdict [`Verdict::Failing`], whatever its finding said (that is in `found`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimRow {
    pub id: String,
    pub chapter: String,
    pub statement: String,
    pub verdict: Verdict,
    pub paper: Option<String>,
    pub ours: Option<String>,
    pub tolerance: Option<String>,
    pub reason: Option<String>,
    pub test: Option<String>,
    /// The verdict the finding itself gave, when the row is failing (for the diagnosis).
    pub found: Option<Verdict>,
    /// False when the finding's checks failed or its verdict is not the recorded one.
    pub ok: bool,
    /// For a claim reproduced after fitting: what was fitted.
    pub fit: Option<Fit>,
}

/// A claim of the ledger (or an erratum check) as a [`ClaimSpec`]: `const fn` so that the
/// registries are constants.
pub const fn spec(
    id: &'static str,
    chapter: &'static str,
    statement: &'static str,
    paper: Option<&'static str>,
    test: Option<&'static str>,
    expected: Verdict,
) -> ClaimSpec {
    ClaimSpec {
        id,
        chapter,
        statement,
        paper,
        test,
        expected,
        fit: None,
        needs: &[],
    }
}

use Verdict::{Differs, PaperTypo, Qualified, Reproduced, ReproducedAfterFitting};

/// Every claim of the paper, in the digest's order.
pub const REGISTRY: &[ClaimSpec] = &[
    spec(
        "P1",
        "prelude",
        "For the identity activation, W = I solves the auto-association task for any training set.",
        None,
        Some("prelude_claims::p1_identity_matrix_solves_any_training_set"),
        Reproduced,
    ),
    spec(
        "P2",
        "prelude",
        "The symmetry group of the paper's X and X' is {e, (32)}; its orbits partition the set.",
        Some("{e, (32)}"),
        Some("prelude_claims::p2_sigma_of_x_and_x_prime_is_e_and_23"),
        Reproduced,
    ),
    spec(
        "P3",
        "prelude",
        "φ_W is Σ-compatible (eq. 2) if and only if W is Σ-invariant (eq. 3).",
        None,
        Some("prelude_claims::p3_compatible_iff_invariant"),
        Reproduced,
    ),
    spec(
        "P4",
        "prelude",
        "If one point of an orbit is a stable fixed point, so is every point of that orbit.",
        None,
        Some("prelude_claims::p4_stability_is_shared_along_an_orbit"),
        Reproduced,
    ),
    spec(
        "P5",
        "prelude",
        "A Σ-invariant 3×3 W for Σ = {e,(23)} has the 5-parameter form of eq. 5.",
        Some("[[a,b,b],[c,d,e],[c,e,d]]"),
        Some("prelude_claims::p5_invariant_form_is_eq5"),
        Reproduced,
    ),
    spec(
        "L1",
        "linear",
        "Eq. 6: all linear solutions on X are W_ab = [[1−a,a,a],[−b,1+b,b],[−b,b,1+b]], on X' W'_ab = [[a,0,0],[b,1,0],[b,0,1]].",
        Some("W_ab and W'_ab (2 parameters each)"),
        Some("linear_claims::l1_eq6_is_the_invariant_part_of_a_3_dim_solution_set"),
        Differs,
    ),
    spec(
        "L2",
        "linear",
        "Spectra of the linear solutions.",
        Some("{1−a−2b, 1, 1} and {a, 1, 1}"),
        Some("linear_claims::l2_spectrum_is_1_minus_a_plus_2b"),
        PaperTypo,
    ),
    spec(
        "L3",
        "linear",
        "SGD and Adam from every initialisation reach training loss 0.",
        Some("0 (training cost = 0)"),
        Some("linear_claims::l3_every_run_reaches_zero_loss"),
        Reproduced,
    ),
    spec(
        "L4",
        "linear",
        "The trained matrices W0^SGD, W1^SGD, W0^ADAM, W1^ADAM printed in §3.1.1.",
        Some("four 3×3 matrices (§3.1.1)"),
        Some("linear_claims::l4_printed_matrices_are_reproduced"),
        ReproducedAfterFitting,
    )
    .fitted(Fit {
        fitted: "Adam's learning rate, batch scheme and seed, chosen for each printed Adam matrix as the closest of the settings tried (the paper states none); the two SGD matrices need no choice: every gradient-descent set-up gives them",
        used: 18,
        checks: 18,
    }),
    spec(
        "L5",
        "linear",
        "Every numerical solution is a member of the analytic 2-parameter family.",
        None,
        Some("linear_claims::l5_solutions_are_in_the_family_only_from_symmetric_starts"),
        Differs,
    ),
    spec(
        "L6",
        "linear",
        "From N(0,1) inits the solutions differ, with the 3-parameter form [[1−a,a,a],[−b,1+b,b],[−c,c,1+c]].",
        None,
        Some("linear_claims::l6_random_inits_give_the_3_parameter_form"),
        Reproduced,
    ),
    spec(
        "L7",
        "linear",
        "Averaging solutions over random inits recovers the symmetric solution (≈ W0^SGD).",
        Some("E Wrnd^SGD ≈ W0^SGD"),
        Some("linear_claims::l7_average_of_random_starts_is_w0_sgd"),
        Reproduced,
    ),
    spec(
        "L8",
        "linear",
        "The trivial solution W = I is never found numerically.",
        None,
        Some("linear_claims::l8_identity_is_never_found"),
        Reproduced,
    ),
    spec(
        "L9",
        "linear",
        "The linear network reproduces (0,0,0) and (0,1,1) with loss 0 (trained on X').",
        Some("0.0000 for 000 and 011"),
        Some("linear_claims::l9_reproduces_000_and_011"),
        Reproduced,
    ),
    spec(
        "L10",
        "linear",
        "W reproduces every linear combination of training items.",
        None,
        Some("linear_claims::l10_reproduces_linear_combinations"),
        Reproduced,
    ),
    spec(
        "L11",
        "linear",
        "The plane attractor is stable iff |a − 2b| < 1 (X) and |a| < 1 (X').",
        Some("|a − 2b| < 1 and |a| < 1"),
        Some("linear_claims::l11_stability_is_0_lt_a_minus_2b_lt_2"),
        PaperTypo,
    ),
    spec(
        "L12",
        "linear",
        "Trained W have eigenvalues 1, 1 and λ3 ≪ 1; the unit eigenvectors span the training plane, the third is roughly orthogonal.",
        None,
        Some("linear_claims::l12_lambda3_is_small_only_for_small_inits"),
        Qualified,
    ),
    spec(
        "L13",
        "linear",
        "Table 1, identity column.",
        Some("0.0000 (010, 001, 000, 011), 0.4251 (110, 101, 111, 100)"),
        Some("linear_claims::l13_table1_identity_column"),
        ReproducedAfterFitting,
    )
    .fitted(Fit {
        fitted: "the untrained first column W e₁ (3 numbers), which no optimiser changes and the paper does not report, inferred in the nonlinear chapter from the four printed tanh entries with x₁ = 1; the four zeros need no fit",
        used: 4,
        checks: 4,
    }),
    spec(
        "L14",
        "linear",
        "Flow field (Fig. 1 left): 125 grid points, W^n x for n = 0..6, read at n = 25; all trajectories converge onto the training plane.",
        None,
        Some("linear_claims::l14_flow_converges_onto_the_training_plane"),
        Reproduced,
    ),
    spec(
        "N1",
        "nonlinear",
        "Nonlinear solutions keep the Σ structure: W_abc = W_ab + W_c (eq. 8).",
        Some(
            "W_abc = W_ab + W_c with the printed W_c for tanh and sigmoid; \"W_c has the same structure as W_ab\"",
        ),
        Some("nonlinear_claims::n1_sigma_structure_needs_symmetric_starts_and_eq8_is_no_solution"),
        Differs,
    ),
    spec(
        "N2",
        "nonlinear",
        "Sigmoid networks reproduce only the training items; tanh networks also reproduce the linear network's patterns.",
        Some("sigmoid 0.2500 at 000 and 0.1663 at 011; tanh 0.0000 and 0.0002"),
        Some("nonlinear_claims::n2_tanh_reproduces_000_and_011_sigmoid_only_the_items"),
        Reproduced,
    ),
    spec(
        "N3",
        "nonlinear",
        "Table 1, tanh and sigmoid columns.",
        Some(
            "tanh 0.0001, 0.0001, 0.0000, 0.0002, 0.3008, 0.2459, 0.1751, 0.3716; sigmoid 0.0003, 0.0003, 0.2500, 0.1663, 0.3099, 0.3100, 0.4043, 0.3330 (patterns 010, 001, 000, 011, 110, 101, 111, 100)",
        ),
        Some("nonlinear_claims::n3_table1_columns_with_the_inferred_first_column"),
        ReproducedAfterFitting,
    )
    .fitted(Fit {
        fitted: "per activation, the untrained first column (3 numbers) from the four printed entries with x₁ = 1 and the training length (learning rate × steps) from the three trained entries 010, 001, 011, so 7 printed values for 4 numbers; for the sigmoid also the draw of the other initial columns, the best of several",
        used: 14,
        checks: 2,
    }),
    spec(
        "N4",
        "nonlinear",
        "Sigmoid: training items are attractive fixed points; inputs fall onto the line between them.",
        Some(
            "attractors at the two items; inputs fall onto the line between them, then converge to one",
        ),
        Some("nonlinear_claims::n4_sigmoid_items_attract_through_the_line_between_them"),
        Reproduced,
    ),
    spec(
        "N5",
        "nonlinear",
        "Tanh: four fixed points, only (0,1,1) attractive; linearisation eigenvalues 2.43, 2.43.",
        Some("four fixed points, only (0,1,1) attractive; λ1 = λ2 = 2.43 in the training plane"),
        Some("nonlinear_claims::n5_tanh_four_fixed_points_one_attractor_eigenvalues_2_43"),
        Qualified,
    ),
    spec(
        "N6",
        "nonlinear",
        "Sigmoid is strongly nonlinear around 0 and 1; tanh is nearly linear around 0.",
        None,
        Some("nonlinear_claims::n6_sigmoid_nonlinear_at_0_and_1_tanh_linear_at_0"),
        Reproduced,
    ),
    spec(
        "D1",
        "beyond",
        "Solutions depend on algorithm and initialisation and are members of an infinite family.",
        None,
        Some(
            "beyond_claims::d1_solutions_depend_on_start_and_algorithm_and_form_an_infinite_family",
        ),
        Reproduced,
    ),
    spec(
        "D2",
        "beyond",
        "L1/L2/firing-rate regularisation improves generalisation of tanh networks but not of sigmoid networks.",
        None,
        Some("beyond_claims::d2_regularisation_helps_tanh_on_the_plane_but_not_the_sigmoid"),
        Reproduced,
    ),
    spec(
        "D3",
        "arc",
        "ARC triangles: the only non-trivial rule leaving X' invariant is (32); applied to (1,1,0) it gives (1,0,1); the rotation (231) is not a symmetry.",
        Some("rule (32); (1,1,0) ↦ (1,0,1); (231) is not a symmetry"),
        Some("arc_claims::d3_the_only_rule_is_23_and_it_maps_110_to_101"),
        Reproduced,
    ),
    spec(
        "D4",
        "arc",
        "Generalisation needs a sufficiently rich repertoire of operations (the symmetry group).",
        None,
        Some("arc_claims::d4_inference_needs_a_nontrivial_group_and_grows_with_it"),
        Reproduced,
    ),
    spec(
        "H1",
        "verdict",
        "The paper's answer to its title question (§4): trained networks represent the relations of their training set (the weights are Σ-invariant); linear networks therefore generalise to the items consistent with those relations, through a plane attractor, while nonlinear networks learn the items as attracting fixed points, tanh generalising in part through its linear regime.",
        Some(
            "\"The connectivity matrix of the auto-associator network represents the symmetry group of the training set\"; \"Linear auto-associators generalize, while non-linear auto-associators learn items\"; linear networks \"reproduce items that were not part of the training set but are consistent with the symmetry of the training set\" (abstract, §4)",
        ),
        Some("verdict_claims::h1_items_or_relations_is_qualified_by_the_chapters_numbers"),
        Qualified,
    )
    .needing(&["linear", "nonlinear", "arc"]),
    spec(
        "H2",
        "atlas",
        "Across the atlas of training sets (the lengths and classes the build studies: in the book, every class at N = 3 and 4 and a uniform sample at N = 5), linear networks learn relations and nonlinear ones learn items: in a class with a non-empty span set, most linear networks reproduce the whole span set and most sigmoid networks reproduce no pattern outside X. Supported from 95 % of classes, not supported below 50 %.",
        Some(
            "\"Linear auto-associators generalize, while non-linear auto-associators learn items\" (abstract; shown for X = {101, 110} and X' = {010, 001} only)",
        ),
        Some("atlas::h2_linear_relations_nonlinear_items_across_the_atlas_is_not_supported"),
        Verdict::NotSupported,
    ),
];

/// Marks a finding computed from data the user supplied (the atlas's `--atlas-data` files),
/// in its tolerance: its verdict is what that data gives, so the ledger does not hold it to the
/// verdict the book's own computation gives (it is failing only if a check fails).
pub const FROM_USER_DATA: &str = "judged on --atlas-data files";

/// Whether `f` was computed from data the user supplied ([`FROM_USER_DATA`]).
pub fn from_user_data(f: &Finding) -> bool {
    f.tolerance
        .as_deref()
        .is_some_and(|t| t.contains(FROM_USER_DATA))
}

/// The claims the book itself makes (its headline), as opposed to the paper's claims P1–D4:
/// their IDs start with `H`.
pub fn is_headline(id: &str) -> bool {
    id.starts_with('H')
}

/// Verdicts this edition revised when its verdict vocabulary learnt to say what was fitted:
/// (claim, verdict before, verdict now, why). The scorecard explains each change.
pub const REVISIONS: &[(&str, Verdict, Verdict, &str)] = &[
    (
        "L4",
        Reproduced,
        ReproducedAfterFitting,
        "The Adam matrices match only for a batch scheme, learning rate and seed chosen to match them; only the SGD matrices are reproduced with nothing chosen.",
    ),
    (
        "L12",
        Differs,
        Qualified,
        "The claim holds for the small initialisations (0 and N(0, 0.05)); it fails from 1, U(0,1) and N(0,1). A restriction, not a contradiction.",
    ),
    (
        "L13",
        Reproduced,
        ReproducedAfterFitting,
        "Our own initialisations give other values at the four x₁ = 1 patterns; the printed 0.4251 appears only with the first column inferred from the tanh column.",
    ),
    (
        "N3",
        Reproduced,
        ReproducedAfterFitting,
        "Both columns print as in the paper only with a first column and a training length fitted to the table itself.",
    ),
    (
        "N5",
        Reproduced,
        Qualified,
        "Not every start reaches the attractor, the single attractor needs |W₁₁| < 1, and the printed eigenvalue 2.43 is reached only at a training length chosen for it.",
    ),
];

/// Claims whose verdict may legitimately change with the seed (a statement about one random
/// draw), with the reason. Every other claim must hold at every seed of a sweep (a test checks
/// it); the scorecard shows the fraction the build's sweep measured for all of them.
pub const SEED_DEPENDENT: &[(&str, &str)] = &[];

/// The registry entry for an id.
pub fn spec_of(id: &str) -> Option<&'static ClaimSpec> {
    REGISTRY.iter().find(|s| s.id == id)
}

/// Merge the registry with the findings of the chapters that ran (`computed`, their ids).
///
/// - A claim with a finding that holds, with the recorded verdict, shows that verdict.
/// - A claim with a finding that fails a check or gives another verdict is
///   [`Verdict::Failing`] (the finding's own verdict goes to `found`): never a success.
/// - A claim whose chapter is not in `computed` is [`Verdict::NotComputed`] (not failing).
/// - A claim whose chapter ran without a finding for it keeps its recorded verdict if that is
///   `pending`, and is failing otherwise: its chapter should have produced one.
pub fn scorecard(findings: &[Finding], computed: &[&str]) -> Vec<ClaimRow> {
    merge(REGISTRY, findings, computed)
}

/// [`scorecard`] for any list of specs (the claims, or the errata checks of
/// [`crate::errata`]): a spec whose own chapter or one of whose [`ClaimSpec::needs`] was not
/// computed is [`Verdict::NotComputed`].
pub fn merge(specs: &[ClaimSpec], findings: &[Finding], computed: &[&str]) -> Vec<ClaimRow> {
    specs
        .iter()
        .map(|s| {
            let row = |verdict, ok| ClaimRow {
                id: s.id.into(),
                chapter: s.chapter.into(),
                statement: s.statement.into(),
                verdict,
                paper: s.paper.map(Into::into),
                ours: None,
                tolerance: None,
                reason: None,
                test: s.test.map(Into::into),
                found: None,
                ok,
                fit: s.fit,
            };
            let all_there =
                computed.contains(&s.chapter) && s.needs.iter().all(|c| computed.contains(c));
            match findings.iter().find(|f| f.id == s.id) {
                Some(f) => {
                    let ok = f.holds && (f.verdict == s.expected || from_user_data(f));
                    let reason = if ok {
                        f.reason.clone()
                    } else if !f.holds {
                        Some(format!(
                            "A check behind this finding failed (it would read \"{}\").{}",
                            f.verdict.as_str(),
                            f.reason
                                .as_ref()
                                .map(|r| format!(" {r}"))
                                .unwrap_or_default()
                        ))
                    } else {
                        Some(format!(
                            "The finding is \"{}\", but the book stands by \"{}\".",
                            f.verdict.as_str(),
                            s.expected.as_str()
                        ))
                    };
                    ClaimRow {
                        ours: Some(f.ours.clone()),
                        tolerance: f.tolerance.clone(),
                        reason,
                        found: (!ok).then_some(f.verdict),
                        ..row(if ok { f.verdict } else { Verdict::Failing }, ok)
                    }
                }
                None if !all_there => row(Verdict::NotComputed, true),
                None if s.expected == Verdict::Pending => row(Verdict::Pending, true),
                None => ClaimRow {
                    reason: Some("Its chapter ran but produced no finding for it.".into()),
                    ..row(Verdict::Failing, false)
                },
            }
        })
        .collect()
}

/// Counts per verdict, for summaries.
pub fn tally(rows: &[ClaimRow]) -> Tally {
    let mut t = Tally::default();
    for r in rows {
        match r.verdict {
            Verdict::Reproduced => t.reproduced += 1,
            Verdict::ReproducedAfterFitting => t.reproduced_after_fitting += 1,
            Verdict::Qualified => t.qualified += 1,
            Verdict::Differs => t.differs += 1,
            Verdict::PaperTypo => t.paper_typo += 1,
            Verdict::Supported => t.supported += 1,
            Verdict::NotSupported => t.not_supported += 1,
            Verdict::Pending => t.pending += 1,
            Verdict::NotComputed => t.not_computed += 1,
            Verdict::Failing => t.failing += 1,
        }
    }
    t
}

/// How many claims have each verdict, and how many fail.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub reproduced: usize,
    pub reproduced_after_fitting: usize,
    pub qualified: usize,
    pub differs: usize,
    pub paper_typo: usize,
    pub supported: usize,
    pub not_supported: usize,
    pub pending: usize,
    pub not_computed: usize,
    pub failing: usize,
}

/// Which seeds a sweep computes the claims ledger for, and with which settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SweepSpec {
    pub seeds: Vec<u64>,
    /// Quick settings (fewer random draws) for every seed.
    pub quick: bool,
}

impl SweepSpec {
    /// The sweep a book build runs for its scorecard: seeds 1–16 with quick settings (a full
    /// build's chapters take about 6 s a seed, the quick ones about 1 s), or seeds 1–4 for a
    /// quick build.
    pub fn for_book(quick: bool) -> SweepSpec {
        SweepSpec {
            seeds: (1..=if quick { 4 } else { 16 }).collect(),
            quick: true,
        }
    }

    /// Parse a seed list as the command line gives it: comma-separated seeds and ranges,
    /// `a..b` (b excluded) or `a..=b` (b included), e.g. `1..33`, `0,1,7`, `1..=8,42`.
    ///
    /// # Errors
    /// A message naming the part that is not a seed or a non-empty range, or an empty list.
    pub fn parse_seeds(text: &str) -> std::result::Result<Vec<u64>, String> {
        let mut seeds = Vec::new();
        for part in text.split(',').map(str::trim) {
            let num = |t: &str| {
                t.trim()
                    .parse::<u64>()
                    .map_err(|_| format!("{t:?} in {text:?} is not a seed (a whole number ≥ 0)"))
            };
            if let Some((a, b)) = part.split_once("..") {
                let (from, to) = match b.strip_prefix('=') {
                    Some(b) => (num(a)?, num(b)?.checked_add(1).ok_or("range too large")?),
                    None => (num(a)?, num(b)?),
                };
                if from >= to {
                    return Err(format!("the range {part:?} in {text:?} is empty"));
                }
                if to - from > 100_000 {
                    return Err(format!("the range {part:?} has more than 100000 seeds"));
                }
                seeds.extend(from..to);
            } else {
                seeds.push(num(part)?);
            }
        }
        if seeds.is_empty() {
            return Err("no seeds given".into());
        }
        Ok(seeds)
    }
}

/// One claim (or erratum check) across a sweep.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepClaim {
    pub id: String,
    /// `"claim"` for the ledger's claims (the paper's and the book's headline), `"erratum"`
    /// for the checks behind the errata table.
    pub kind: &'static str,
    /// Seeds at which its chapter was computed.
    pub computed: usize,
    /// Seeds at which it held with the verdict the book stands by.
    pub holds: usize,
    /// (verdict key, number of seeds), in the order the verdicts first appeared.
    pub verdicts: Vec<(String, usize)>,
    /// The seeds at which it failed.
    pub failing_seeds: Vec<u64>,
}

/// The claims ledger over many seeds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sweep {
    #[serde(flatten)]
    pub spec: SweepSpec,
    pub claims: Vec<SweepClaim>,
}

impl Sweep {
    /// Merge the ledgers of the seeds of `spec` (`per_seed[k]` is the scorecard at
    /// `spec.seeds[k]`, followed by the errata checks), claim by claim: every claim of
    /// [`REGISTRY`], then every erratum of [`crate::errata::ERRATA`].
    pub fn merge(spec: &SweepSpec, per_seed: &[Vec<ClaimRow>]) -> Sweep {
        let entry = |id: &str, kind| SweepClaim {
            id: id.to_string(),
            kind,
            computed: 0,
            holds: 0,
            verdicts: Vec::new(),
            failing_seeds: Vec::new(),
        };
        let mut claims: Vec<SweepClaim> = REGISTRY
            .iter()
            .map(|s| entry(s.id, "claim"))
            .chain(
                crate::errata::ERRATA
                    .iter()
                    .map(|e| entry(e.check.id, "erratum")),
            )
            .collect();
        for (seed, rows) in spec.seeds.iter().zip(per_seed) {
            for r in rows {
                let Some(c) = claims.iter_mut().find(|c| c.id == r.id) else {
                    continue;
                };
                if r.verdict == Verdict::NotComputed {
                    continue;
                }
                c.computed += 1;
                if r.ok {
                    c.holds += 1;
                } else {
                    c.failing_seeds.push(*seed);
                }
                match c.verdicts.iter_mut().find(|(v, _)| v == r.verdict.key()) {
                    Some((_, n)) => *n += 1,
                    None => c.verdicts.push((r.verdict.key().to_string(), 1)),
                }
            }
        }
        Sweep {
            spec: spec.clone(),
            claims,
        }
    }

    /// True when every computed claim held at every seed.
    pub fn all_hold(&self) -> bool {
        self.claims.iter().all(|c| c.holds == c.computed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Verdict; 10] = [
        Verdict::Reproduced,
        Verdict::ReproducedAfterFitting,
        Verdict::Qualified,
        Verdict::Differs,
        Verdict::PaperTypo,
        Verdict::Supported,
        Verdict::NotSupported,
        Verdict::Pending,
        Verdict::NotComputed,
        Verdict::Failing,
    ];

    fn finding(id: &str, verdict: Verdict, holds: bool) -> Finding {
        Finding {
            id: id.into(),
            ours: "42".into(),
            tolerance: Some("1e-9".into()),
            verdict,
            reason: Some("because".into()),
            holds,
        }
    }

    /// Keys are the serialised names, distinct; reader names are distinct too.
    #[test]
    fn verdict_names() {
        let keys: std::collections::BTreeSet<&str> = ALL.iter().map(|v| v.key()).collect();
        let names: std::collections::BTreeSet<&str> = ALL.iter().map(|v| v.as_str()).collect();
        assert_eq!((keys.len(), names.len()), (10, 10));
        for v in ALL {
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                format!("\"{}\"", v.key())
            );
            assert_eq!(
                v.as_str()
                    .replace(' ', "-")
                    .to_lowercase()
                    .split("-in-")
                    .next()
                    .unwrap(),
                v.key(),
                "{v:?}"
            );
        }
    }

    /// The four cases of `merge`: a finding that holds with the recorded verdict; one that
    /// fails a check; one with another verdict; none (chapter not computed, a pending claim,
    /// or a chapter that ran without producing it). A needed chapter missing means not
    /// computed.
    #[test]
    fn merge_cases() {
        let specs = [
            spec("A1", "one", "a", Some("1"), Some("t::a"), Reproduced),
            spec("A2", "one", "b", None, None, Differs),
            spec("A3", "one", "c", None, None, Qualified),
            spec("A4", "two", "d", None, None, Reproduced),
            spec("A5", "one", "e", None, None, Verdict::Pending),
            spec("A6", "one", "f", None, None, Reproduced),
            spec("A7", "one", "g", None, None, Reproduced).needing(&["three"]),
        ];
        let findings = [
            finding("A1", Reproduced, true),
            finding("A2", Differs, false),
            finding("A3", Reproduced, true),
        ];
        let rows = merge(&specs, &findings, &["one"]);
        let v: Vec<Verdict> = rows.iter().map(|r| r.verdict).collect();
        assert_eq!(
            v,
            [
                Reproduced,
                Verdict::Failing,
                Verdict::Failing,
                Verdict::NotComputed,
                Verdict::Pending,
                Verdict::Failing,
                Verdict::NotComputed
            ]
        );
        let ok: Vec<bool> = rows.iter().map(|r| r.ok).collect();
        assert_eq!(ok, [true, false, false, true, true, false, true]);
        assert_eq!(rows[0].reason.as_deref(), Some("because"));
        assert_eq!(rows[0].found, None);
        assert_eq!(rows[0].ours.as_deref(), Some("42"));
        assert_eq!(rows[0].tolerance.as_deref(), Some("1e-9"));
        assert_eq!(rows[1].tolerance.as_deref(), Some("1e-9"));
        assert_eq!(rows[3].tolerance, None);
        assert_eq!(rows[0].test.as_deref(), Some("t::a"));
        assert_eq!(rows[0].paper.as_deref(), Some("1"));
        assert_eq!(
            rows[1].reason.as_deref(),
            Some("A check behind this finding failed (it would read \"differs\"). because")
        );
        assert_eq!(rows[1].found, Some(Differs));
        assert_eq!(
            rows[2].reason.as_deref(),
            Some("The finding is \"reproduced\", but the book stands by \"qualified\".")
        );
        assert_eq!(rows[2].found, Some(Reproduced));
        assert!(rows[5].reason.as_deref().unwrap().contains("no finding"));
        let all = merge(&specs, &findings, &["one", "two", "three"]);
        assert_eq!(all[3].verdict, Verdict::Failing);
        assert_eq!(all[6].verdict, Verdict::Failing);
        let t = tally(&rows);
        assert_eq!(
            (
                t.reproduced,
                t.failing,
                t.not_computed,
                t.pending,
                t.differs
            ),
            (1, 3, 2, 1, 0)
        );
        let every: Vec<ClaimRow> = ALL
            .iter()
            .map(|&verdict| ClaimRow {
                verdict,
                ..rows[0].clone()
            })
            .collect();
        let t = tally(&every);
        assert_eq!(
            [
                t.reproduced,
                t.reproduced_after_fitting,
                t.qualified,
                t.differs,
                t.paper_typo,
                t.supported,
                t.not_supported,
                t.pending,
                t.not_computed,
                t.failing
            ],
            [1; 10]
        );
    }

    /// A finding judged on the user's data (`FROM_USER_DATA` in its tolerance) with another
    /// verdict than the recorded one is a result, not a failure; a failed check still fails it,
    /// and the same verdict without the mark still fails.
    #[test]
    fn a_finding_on_user_data_is_held_to_its_checks_only() {
        let specs = [spec("B1", "one", "a", None, None, Verdict::NotSupported)];
        let on_data = |verdict, holds| Finding {
            tolerance: Some(format!("50 %; {FROM_USER_DATA}")),
            ..finding("B1", verdict, holds)
        };
        assert!(from_user_data(&on_data(Qualified, true)));
        assert!(!from_user_data(&finding("B1", Qualified, true)));
        let row = |f: Finding| merge(&specs, &[f], &["one"]).remove(0);
        let r = row(on_data(Qualified, true));
        assert_eq!((r.verdict, r.ok, r.found), (Qualified, true, None));
        let r = row(on_data(Qualified, false));
        assert_eq!((r.verdict, r.ok), (Verdict::Failing, false));
        let r = row(finding("B1", Qualified, true));
        assert_eq!((r.verdict, r.ok), (Verdict::Failing, false));
    }

    /// The registry: unique ids, each found by `spec_of`; a fit exactly on the claims
    /// reproduced after fitting; each revision's new verdict is the one recorded; headline
    /// claims are the H ones.
    #[test]
    fn registry_is_consistent() {
        let ids: std::collections::BTreeSet<&str> = REGISTRY.iter().map(|s| s.id).collect();
        assert_eq!(ids.len(), REGISTRY.len());
        for s in REGISTRY {
            assert_eq!(spec_of(s.id).unwrap().id, s.id);
            assert_eq!(
                s.fit.is_some(),
                s.expected == ReproducedAfterFitting,
                "{}",
                s.id
            );
            assert_eq!(is_headline(s.id), s.id.starts_with('H'));
        }
        assert!(spec_of("no such claim").is_none());
        for (id, _, now, _) in REVISIONS {
            assert_eq!(spec_of(id).unwrap().expected, *now, "{id}");
        }
        assert!(is_headline("H1") && !is_headline("P1"));
        let s = spec("X", "c", "s", None, None, Reproduced);
        assert_eq!(s.needs.len(), 0);
        assert_eq!(s.needing(&["a", "b"]).needs, ["a", "b"]);
        let f = Fit {
            fitted: "lr",
            used: 2,
            checks: 3,
        };
        assert_eq!(s.fitted(f).fit, Some(f));
        // With every chapter computed and no finding, nothing is not-computed.
        let chapters: Vec<&str> = REGISTRY.iter().map(|s| s.chapter).collect();
        let rows = scorecard(&[], &chapters);
        assert_eq!(rows.len(), REGISTRY.len());
        assert!(rows.iter().all(|r| r.verdict != Verdict::NotComputed));
    }

    /// Seed lists: single seeds, half-open and closed ranges, and each refusal.
    #[test]
    fn parse_seeds() {
        assert_eq!(SweepSpec::parse_seeds("3").unwrap(), [3]);
        assert_eq!(SweepSpec::parse_seeds("1..4, 9").unwrap(), [1, 2, 3, 9]);
        assert_eq!(SweepSpec::parse_seeds("1..=3,0").unwrap(), [1, 2, 3, 0]);
        assert_eq!(SweepSpec::parse_seeds("5..6").unwrap(), [5]);
        assert_eq!(SweepSpec::parse_seeds("0..=0").unwrap(), [0]);
        assert_eq!(SweepSpec::parse_seeds("0..100000").unwrap().len(), 100_000);
        // The limit counts the seeds of the range (to − from), wherever it starts.
        assert_eq!(SweepSpec::parse_seeds("7..100007").unwrap().len(), 100_000);
        assert!(SweepSpec::parse_seeds("7..100008").is_err());
        for bad in ["", "x", "1,,2", "4..4", "5..3", "1..=x", "0..100001", "-1"] {
            assert!(SweepSpec::parse_seeds(bad).is_err(), "{bad:?}");
        }
        let max = format!("1..={}", u64::MAX);
        assert!(SweepSpec::parse_seeds(&max).is_err());
        assert_eq!(SweepSpec::for_book(true).seeds, [1, 2, 3, 4]);
        assert_eq!(SweepSpec::for_book(false).seeds.len(), 16);
        assert!(SweepSpec::for_book(false).quick);
    }

    /// A sweep counts, per claim, the seeds computed, held and failing, and the verdicts in
    /// order of first appearance; a claim not computed at a seed is not counted there.
    #[test]
    fn sweep_merges_seeds() {
        let spec = SweepSpec {
            seeds: vec![10, 20, 30],
            quick: true,
        };
        let chapters: Vec<&str> = REGISTRY.iter().map(|s| s.chapter).collect();
        let id = REGISTRY[0].id;
        let good = finding(id, REGISTRY[0].expected, true);
        let bad = finding(id, REGISTRY[0].expected, false);
        let per_seed = vec![
            scorecard(std::slice::from_ref(&good), &chapters),
            scorecard(&[bad], &chapters),
            scorecard(&[], &[]),
        ];
        let sweep = Sweep::merge(&spec, &per_seed);
        assert_eq!(
            sweep.claims.len(),
            REGISTRY.len() + crate::errata::ERRATA.len()
        );
        let c = &sweep.claims[0];
        assert_eq!((c.computed, c.holds), (2, 1));
        assert_eq!(c.failing_seeds, [20]);
        assert_eq!(
            c.verdicts,
            [
                (REGISTRY[0].expected.key().to_string(), 1),
                ("failing".to_string(), 1)
            ]
        );
        assert_eq!(c.kind, "claim");
        assert_eq!(sweep.claims.last().unwrap().kind, "erratum");
        assert!(!sweep.all_hold());
        // One verdict at several seeds is counted once per seed.
        let thrice = vec![
            per_seed[0].clone(),
            per_seed[0].clone(),
            per_seed[0].clone(),
        ];
        let same = Sweep::merge(&spec, &thrice);
        assert_eq!(
            same.claims[0].verdicts,
            [(REGISTRY[0].expected.key().to_string(), 3)]
        );
        let fine = Sweep::merge(&spec, &per_seed[2..]);
        assert!(fine.all_hold());
        assert!(fine.claims.iter().all(|c| c.computed == 0));
    }
}
