//! The errata of the paper: every inconsistency a line-by-line referee pass over Krause &
//! Reimann (2024) found, as data. Each erratum says where it is, what is printed, what is
//! right, how severe it is, where the book shows it, and names the computed check behind it
//! (a [`ClaimSpec`] whose finding the `errata` chapter computes and whose test is in
//! `tests/testsuite/errata.rs`), so `cargo test` re-checks the evidence of every row and the seed sweep
//! checks that it holds at every seed.
//!
//! Beside the errata: [`EDITORIAL`], slips of wording or reference that no computation bears
//! on, and [`PASS`], the referee's pass itself: every formula, printed matrix, parameter value,
//! figure statement and sentence-level claim of the paper with what checked it, or why nothing
//! can.

use serde::Serialize;

use crate::claims::{ClaimSpec, Verdict, spec};

/// What kind of inconsistency an erratum is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A printed formula is wrong; the corrected one holds.
    FormulaTypo,
    /// A printed number is wrong (a slip of a digit or of rounding).
    NumberTypo,
    /// Symbols or values used inconsistently with their own definition.
    Notation,
    /// A statement that a computation shows to be false as stated.
    FalseStatement,
    /// A statement that the paper's own printed numbers contradict.
    ContradictedByOwnData,
    /// Two statements of the paper that contradict each other.
    InternalContradiction,
    /// A setting reported differently from the one the printed results come from.
    MisreportedSetting,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::FormulaTypo,
        Kind::NumberTypo,
        Kind::Notation,
        Kind::FalseStatement,
        Kind::ContradictedByOwnData,
        Kind::InternalContradiction,
        Kind::MisreportedSetting,
    ];

    /// The name a reader sees.
    pub fn label(self) -> &'static str {
        match self {
            Kind::FormulaTypo => "typo in a formula",
            Kind::NumberTypo => "typo in a printed number",
            Kind::Notation => "inconsistent notation",
            Kind::FalseStatement => "false statement",
            Kind::ContradictedByOwnData => "contradicted by the paper's own numbers",
            Kind::InternalContradiction => "contradicts another statement of the paper",
            Kind::MisreportedSetting => "misreported setting",
        }
    }
}

/// How much an erratum matters to the paper's argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Changes a conclusion the paper draws.
    Major,
    /// Wrong where it stands, but the paper's conclusions do not rest on it.
    Moderate,
    /// A slip a reader can correct from the context.
    Minor,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Major, Severity::Moderate, Severity::Minor];
}

/// One erratum.
#[derive(Clone, Copy, Debug)]
pub struct Erratum {
    /// The computed check: id (`E1`, …), chapter `errata`, a one-line summary as the
    /// statement, the printed text as `paper`, its test, and the verdict its finding must have
    /// (`paper-typo` for typos, `differs` otherwise).
    pub check: ClaimSpec,
    /// Where in the paper (section, equation, sentence).
    pub location: &'static str,
    pub kind: Kind,
    pub severity: Severity,
    /// What is right, in words (the computed evidence is the finding's `ours`).
    pub correct: &'static str,
    /// Where the book shows it: (chapter id, heading anchor on that page).
    pub shown_in: (&'static str, &'static str),
}

/// An erratum that is a typo (its check's verdict is `paper-typo`).
const fn typo(
    id: &'static str,
    summary: &'static str,
    printed: &'static str,
    test: &'static str,
    needs: &'static [&'static str],
) -> ClaimSpec {
    spec(
        id,
        "errata",
        summary,
        Some(printed),
        Some(test),
        Verdict::PaperTypo,
    )
    .needing(needs)
}

/// An erratum that is not a typo (its check's verdict is `differs`).
const fn wrong(
    id: &'static str,
    summary: &'static str,
    printed: &'static str,
    test: &'static str,
    needs: &'static [&'static str],
) -> ClaimSpec {
    spec(
        id,
        "errata",
        summary,
        Some(printed),
        Some(test),
        Verdict::Differs,
    )
    .needing(needs)
}

const LIN: &[&str] = &["linear"];
const NL: &[&str] = &["nonlinear"];

/// Every erratum, in the order of the paper.
pub const ERRATA: &[Erratum] = &[
    Erratum {
        check: wrong(
            "E1",
            "An auto-associator need not respect the symmetry of its training set.",
            "\"An auto-associator has to respect the symmetry structure of the training set\"",
            "errata::e1_auto_associators_need_not_be_sigma_compatible",
            LIN,
        ),
        location: "§2, before eq. 2",
        kind: Kind::FalseStatement,
        severity: Severity::Major,
        correct: "The task only asks W x = x on X. The linear solutions on X form a 3-dimensional family of which the Σ-invariant ones (eq. 6) are a 2-dimensional part, and gradient descent from a random start ends on a non-invariant one. Eq. 2 describes the solutions the paper chooses to study, not all of them.",
        shown_in: ("linear", "all-solutions-and-the-symmetric-ones"),
    },
    Erratum {
        check: typo(
            "E2",
            "The example of the action prints indices where values are meant.",
            "\"For example (e·x)₂ = 2, while ((32)·x)₂ = 3\"",
            "errata::e2_the_action_example_prints_indices_not_values",
            &[],
        ),
        location: "§3, after eq. 4",
        kind: Kind::Notation,
        severity: Severity::Minor,
        correct: "(e·x)₂ = x₂ and ((23)·x)₂ = x₃: the action reads position 2, respectively 3. The values of a binary pattern are 0 or 1, never 2 or 3.",
        shown_in: ("prelude", "permutations-act-on-patterns-and-on-matrices"),
    },
    Erratum {
        check: typo(
            "E3",
            "The spectrum of W_ab has a sign slip.",
            "σ_W = {1 − a − 2b, 1, 1} (printed twice)",
            "errata::e3_the_spectrum_of_w_ab_is_1_minus_a_plus_2b",
            LIN,
        ),
        location: "§3.1 after eq. 6, repeated in §3.1.2",
        kind: Kind::FormulaTypo,
        severity: Severity::Moderate,
        correct: "σ_W = {1 − a + 2b, 1, 1}. The paper's own W₀^SGD (a = 1/3, b = −1/3) is the projector onto the training plane, with third eigenvalue 0; the printed formula gives it 4/3, an unstable network.",
        shown_in: ("linear", "spectrum-and-stability-of-the-plane-attractor"),
    },
    Erratum {
        check: typo(
            "E4",
            "The stability condition for X inherits the sign slip.",
            "\"asymptotically stable if |a − 2b| < 1\"",
            "errata::e4_the_plane_attractor_is_stable_iff_0_lt_a_minus_2b_lt_2",
            LIN,
        ),
        location: "§3.1.2",
        kind: Kind::FormulaTypo,
        severity: Severity::Moderate,
        correct: "|1 − a + 2b| < 1, that is 0 < a − 2b < 2. The condition |a| < 1 for X′ is right.",
        shown_in: ("linear", "spectrum-and-stability-of-the-plane-attractor"),
    },
    Erratum {
        check: wrong(
            "E5",
            "A point of a plane of fixed points is not asymptotically stable.",
            "\"the fixed point (1,0,1) together with all points on its orbit is asymptotically stable\"; likewise (0,1,0)",
            "errata::e5_points_of_the_plane_are_stable_but_not_asymptotically",
            LIN,
        ),
        location: "§3.1.2",
        kind: Kind::FalseStatement,
        severity: Severity::Minor,
        correct: "Every point of the training plane is a fixed point, and W has the eigenvalue 1 twice along the plane: a neighbour on the plane never returns. The fixed points are stable, not asymptotically stable; what attracts (when |λ₃| < 1) is the plane as a set.",
        shown_in: ("linear", "spectrum-and-stability-of-the-plane-attractor"),
    },
    Erratum {
        check: typo(
            "E6",
            "W₀^SGD's first row is rounded to three decimals.",
            "W₀^SDG = [[0.6667, 0.333, 0.333], …]",
            "errata::e6_w0_sgd_first_row_is_rounded_to_three_decimals",
            LIN,
        ),
        location: "§3.1.1, the matrix W₀^SDG",
        kind: Kind::NumberTypo,
        severity: Severity::Minor,
        correct: "0.3333 (= 1/3, as the text says: \"b = 1/3\"). As printed the matrix is off the solution set by more than four-decimal rounding allows.",
        shown_in: ("linear", "the-printed-matrices"),
    },
    Erratum {
        check: typo(
            "E7",
            "W₀^ADAM has a slipped digit.",
            "W₀^ADAM = [[0.5496, 0.45004, 0.4504], …]",
            "errata::e7_w0_adam_entry_1_2_is_0_4504",
            LIN,
        ),
        location: "§3.1.1, the matrix W₀^ADAM",
        kind: Kind::NumberTypo,
        severity: Severity::Minor,
        correct: "0.4504, as the entry beside it and the text (\"W₀^adam has b = 0.4504\"); then the matrix solves the task to rounding.",
        shown_in: ("linear", "the-printed-matrices"),
    },
    Erratum {
        check: typo(
            "E8",
            "The parameters quoted for the printed matrices are not eq. 6's.",
            "\"W₀^SDG has parameters b = 1/3 and c = b, W₁^SDG has b = 2/3 and c = 0, W₀^adam has b = 0.4504 and c = 0.4995, while W₁^adam has b = 0.5496 and c = 0.0489\"",
            "errata::e8_quoted_parameters_are_entries_of_eq5_not_eq6",
            LIN,
        ),
        location: "§3.1.1, after the printed matrices",
        kind: Kind::Notation,
        severity: Severity::Minor,
        correct: "The quoted b and c are the entries W₁₂ and W₂₁ of eq. 5's form, not the (a, b) of eq. 6 in which the family is written (there W₀^SGD has a = 1/3, b = −1/3). W₁^ADAM's \"c = 0.0489\" is its entry W₃₁; its W₂₁ is 0.0522, so it has no single c.",
        shown_in: ("linear", "the-printed-matrices"),
    },
    Erratum {
        check: wrong(
            "E9",
            "Not all of the paper's numerical solutions are in the 2-parameter family.",
            "\"All numerical solutions are particular members of the 2-parameter family of solutions W_a,b\"",
            "errata::e9_printed_solutions_outside_the_2_parameter_family",
            LIN,
        ),
        location: "§3.1.1",
        kind: Kind::ContradictedByOwnData,
        severity: Severity::Moderate,
        correct: "Only the Σ-invariant solutions are. The paper's own W₁^ADAM and both of its random-initialisation examples solve the task but are not Σ-invariant (b ≠ c), by far more than their rounding allows: they lie in the 3-parameter solution set, outside eq. 6.",
        shown_in: ("linear", "random-initialisations-and-averages"),
    },
    Erratum {
        check: wrong(
            "E10",
            "The random-initialisation examples do not come from N(0, 1).",
            "\"weights are randomly drawn from a Gaussian distribution N(0,1). … Examples are W_rnd^SGD = …\"",
            "errata::e10_the_random_examples_fit_n_0_0_05_and_u_0_1_not_n_0_1",
            LIN,
        ),
        location: "§3.1.1, the third setting",
        kind: Kind::MisreportedSetting,
        severity: Severity::Moderate,
        correct: "For gradient descent each example fixes W₀n (n the normal of the training plane), whose distribution is known for every initialisation the paper names. The first example is far likelier under N(0, 0.05), the initialisation the paper lists before, than under N(0, 1); the second under U(0, 1). The printed average is as close to the symmetric solution as a million N(0, 1) seeds would make it, a few thousand N(0, 0.05) ones.",
        shown_in: ("linear", "random-initialisations-and-averages"),
    },
    Erratum {
        check: wrong(
            "E11",
            "The linear network generalises to span X, not to the patterns that keep Σ_X.",
            "\"the property of W to be an auto-associator on a set X generalizes to the set of all elements y such that the extended set X ∪ {y} also has the symmetry group Σ_X\"; abstract: linear networks \"reproduce items … consistent with the symmetry of the training set\"",
            "errata::e11_linear_networks_generalise_to_the_span_not_the_symmetry",
            LIN,
        ),
        location: "§3.1.2 (and the abstract, and §3.1's closing paragraph)",
        kind: Kind::FalseStatement,
        severity: Severity::Major,
        correct: "Every linear auto-associator reproduces y exactly when y ∈ span X (for every solution; a particular W may reproduce more). For X′ the criterion also admits (1,1,1), since X′ ∪ {111} keeps Σ = {e, (23)}, yet every trained network fails there: 0.4251 in the paper's own Table 1. For X it admits (1,0,0) and (1,1,1), which no solution but W = I reproduces.",
        shown_in: ("linear", "generalisation-table-1-identity-column"),
    },
    Erratum {
        check: wrong(
            "E12",
            "Not every trained W has λ₃ ≪ 1 with an eigenvector orthogonal to the plane.",
            "\"all trained coupling matrices W had two eigenvalues λ₁ = λ₂ = 1 and one eigenvalue λ₃ ≪ 1 … The third eigenvector was roughly orthogonal to this plane\"",
            "errata::e12_printed_matrices_have_lambda3_far_from_0",
            LIN,
        ),
        location: "§3.1.2",
        kind: Kind::ContradictedByOwnData,
        severity: Severity::Moderate,
        correct: "For gradient descent λ₃ = n̂ᵀW₀n̂: small only from small starts. Three of the paper's own printed matrices have |λ₃| ≥ 1/3, and W₁^SGD's third eigenvector is far from orthogonal to the plane.",
        shown_in: (
            "linear",
            "never-the-identity-and-the-spectra-of-trained-networks",
        ),
    },
    Erratum {
        check: wrong(
            "E13",
            "Eq. 8 is no solution of the nonlinear task.",
            "W_abc = W_ab + W_c (eq. 8) with the printed W_c",
            "errata::e13_eq8_is_no_solution",
            NL,
        ),
        location: "§3.2.1, eq. 8",
        kind: Kind::FalseStatement,
        severity: Severity::Major,
        correct: "Since W_ab x = x on the items, (W_ab + W_c) x = x + W_c x whatever a and b: the loss of eq. 8 does not depend on (a, b) and stays far above what training reaches. φ(Wx) = x has no finite solution; the solutions for targets inside the range of φ are W_ab + (g₁ − g₀ − 1) I + g₀ 𝟙uᵀ with g = φ⁻¹(targets).",
        shown_in: ("nonlinear", "eq-8-the-structure-of-the-nonlinear-solutions"),
    },
    Erratum {
        check: typo(
            "E14",
            "The printed sigmoid W_c mixes in the tanh formula and is not Σ-invariant.",
            "sigmoid W_c with entry (2,2) = tanh(c) − tanh(1+c) + 1 and entry (3,3) = ½(1 − e^{−c})/(1 + e^{−c}) − 1; \"W_c has the same structure as W_ab\"",
            "errata::e14_printed_sigmoid_w_c_is_not_invariant",
            NL,
        ),
        location: "§3.2.1, the sigmoid W_c",
        kind: Kind::FormulaTypo,
        severity: Severity::Moderate,
        correct: "Entries (2,2) and (3,3) must be equal for the structure of eq. 5; the printed (2,2) is the tanh term's. With the pattern of the other entries both read σ(1) − σ(0) − 1.",
        shown_in: ("nonlinear", "eq-8-the-structure-of-the-nonlinear-solutions"),
    },
    Erratum {
        check: typo(
            "E15",
            "The printed tanh W_c belongs to tanh(z + c) and has a flipped diagonal.",
            "tanh W_c = [[tanh(1+c) − 1, 0, 0], [tanh c, tanh c − tanh(1+c) + 1, 0], [tanh c, 0, tanh c − tanh(1+c) + 1]] for φ(z) = tanh(z − c)",
            "errata::e15_printed_tanh_w_c_is_for_tanh_z_plus_c",
            NL,
        ),
        location: "§3.2.1, the tanh W_c",
        kind: Kind::FormulaTypo,
        severity: Severity::Minor,
        correct: "Its first column is that of tanh(z + c), not of the paper's tanh(z − c), and the sign of its diagonal entries (2,2) and (3,3) is flipped against the pattern φ(1) − φ(0) − 1 that the rest of the matrix follows.",
        shown_in: ("nonlinear", "eq-8-the-structure-of-the-nonlinear-solutions"),
    },
    Erratum {
        check: wrong(
            "E16",
            "The paper's own tanh network is not Σ-invariant.",
            "\"As in the linear case, the network W again has the structure inherited from the symmetry group of the training set\"",
            "errata::e16_the_papers_tanh_network_is_not_invariant",
            NL,
        ),
        location: "§3.2.1, against Table 1",
        kind: Kind::ContradictedByOwnData,
        severity: Severity::Moderate,
        correct: "A Σ-invariant network gives L(110) = L(101), since (23)·110 = 101. The printed tanh column differs there by far more than rounding allows: the network behind Table 1 is not invariant, as its untrained first column (inferred from the table) is not.",
        shown_in: ("nonlinear", "table-1-what-theory-fixes"),
    },
    Erratum {
        check: wrong(
            "E17",
            "Not every probed input converges to (0,1,1) under the tanh network.",
            "\"only one fixed point is attractive, and all probed input elements converge to the fixed point at (0,1,1)\"",
            "errata::e17_not_every_start_reaches_the_tanh_attractor",
            NL,
        ),
        location: "§3.2.2",
        kind: Kind::FalseStatement,
        severity: Severity::Minor,
        correct: "The grid starts with x₁ = 0 and x₂ = 0 or x₃ = 0 lie on lines the map leaves invariant and end at the other fixed points in the cube, the saddles at the training items and at the origin.",
        shown_in: (
            "nonlinear",
            "the-tanh-network-one-attractor-a-linearisation-like-the-linear-networks",
        ),
    },
    Erratum {
        check: wrong(
            "E18",
            "The discussion denies the tanh network the generalisation §3.2.2 and Table 1 give it.",
            "\"only the linear auto-associators could generalize\" (§4)",
            "errata::e18_tanh_generalises_like_the_linear_network",
            NL,
        ),
        location: "§4, \"Linear auto-associators generalize, while non-linear auto-associators learn items\"",
        kind: Kind::InternalContradiction,
        severity: Severity::Major,
        correct: "§3.2.2 says the tanh networks \"generalize to identical input elements as linear networks\", and Table 1 prints L(000) = 0.0000 and L(011) = 0.0002 for tanh; our tanh networks reproduce both too.",
        shown_in: ("nonlinear", "table-1-reproduced"),
    },
    Erratum {
        check: wrong(
            "E19",
            "The tanh network does not hold its training items as stable fixed points.",
            "\"non-linear auto-associators … have learned to represent the training items using stable fixed points\" (§4)",
            "errata::e19_tanh_training_items_are_saddles",
            NL,
        ),
        location: "§4",
        kind: Kind::InternalContradiction,
        severity: Severity::Major,
        correct: "True of the sigmoid network. The tanh network's fixed points at its training items are saddles; its only attractor is at (0,1,1), a pattern it was not trained on, as §3.2.2 itself says.",
        shown_in: (
            "nonlinear",
            "the-tanh-network-one-attractor-a-linearisation-like-the-linear-networks",
        ),
    },
    Erratum {
        check: wrong(
            "E20",
            "Generalisation does not need the weights to represent the symmetry group.",
            "\"Our derivations show that an auto-associator structure must represent the structure of the training set (i.e., the relations between training items) to generalize\" (§4)",
            "errata::e20_non_invariant_networks_generalise",
            LIN,
        ),
        location: "§4",
        kind: Kind::FalseStatement,
        severity: Severity::Major,
        correct: "Every linear solution is the identity on span X, invariant or not: networks trained from random starts, far from Σ-invariant, reproduce (0,0,0) and (0,1,1) as exactly as the invariant ones.",
        shown_in: ("linear", "generalisation-table-1-identity-column"),
    },
    Erratum {
        check: wrong(
            "E21",
            "The nonlinear networks only approach a solution.",
            "\"Algorithms used produced correct solutions\"; \"the network changes structure until it correctly solves the task\" (§4)",
            "errata::e21_nonlinear_networks_never_solve_the_task_exactly",
            NL,
        ),
        location: "§4, \"Numerical solutions are correct but different\"",
        kind: Kind::FalseStatement,
        severity: Severity::Minor,
        correct: "Right for the linear network. The sigmoid never outputs 0 or 1 and tanh never 1, so φ(Wx) = x has no finite solution: training losses stay above zero (Table 1's own 0.0001 and 0.0003) while the weights grow.",
        shown_in: ("nonlinear", "training"),
    },
];

/// The errata checks as specs, for the ledger's merge and the seed sweep.
pub fn checks() -> Vec<ClaimSpec> {
    ERRATA.iter().map(|e| e.check).collect()
}

/// The erratum with this id.
pub fn erratum(id: &str) -> Option<&'static Erratum> {
    ERRATA.iter().find(|e| e.check.id == id)
}

/// Slips of wording, labels or references that no computation bears on:
/// (where, what is printed, what it should read).
pub const EDITORIAL: &[(&str, &str, &str)] = &[
    (
        "§2, after eq. 1",
        "\"as discussed in more detail in the results section (see 2)\"",
        "see §3.1.1: the reference points to the section it stands in",
    ),
    (
        "§3, before eq. 5",
        "\"According to eq. 2, the Σ_X-compatible network is\"",
        "eq. 3 (the invariance condition) gives the form of eq. 5",
    ),
    (
        "§3, before §3.1",
        "\"for test items x ∈ X\"",
        "training items",
    ),
    (
        "§3.1.1, text and matrix labels",
        "\"SDG\" (W₀^SDG, W₁^SDG, \"Stochastic Gradient Descent (SDG [14])\")",
        "SGD, as in W_rnd^SGD; reference [14] is a paper on momentum",
    ),
    (
        "§3.1.1, the comparison of averages",
        "\"E W₀^SGD\" with entry (3,3) printed as 0.66667",
        "W₀^SGD is deterministic (no expectation), and 0.6667 like its other entries",
    ),
    (
        "§3.1.2",
        "\"the extended set X′ = X ∪ {y}\"",
        "a new name: X′ is already the second training set of eq. 4",
    ),
    (
        "§3.1.2",
        "\"Let y = Σ a_x x … and α_x its coefficient\"",
        "one symbol for the coefficient (a_x)",
    ),
];

/// What a line of the referee's pass found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "by", rename_all = "kebab-case")]
pub enum Checked {
    /// Checked by the claims of the ledger with these ids; consistent.
    Claims(&'static str),
    /// Checked, and inconsistent: the erratum (and claims) with these ids.
    Errata(&'static str),
    /// An editorial slip (in [`EDITORIAL`]).
    Editorial,
    /// Nothing in the paper or this edition can check it; the reason.
    NotCheckable(&'static str),
}

/// The referee's pass, in the order of the paper: (where, what the paper says, what checked
/// it).
pub const PASS: &[(&str, &str, Checked)] = &[
    (
        "Abstract",
        "numerical solutions differ with algorithm and initialisation and are members of the analytical family",
        Checked::Claims("D1, L5, L6"),
    ),
    (
        "Abstract",
        "the structure of the weights represents the training set's symmetry group",
        Checked::Errata("E9, E16; H1"),
    ),
    (
        "Abstract",
        "linear networks reproduce items consistent with the symmetry of the training set",
        Checked::Errata("E11; L9, H1"),
    ),
    (
        "Abstract",
        "non-linear networks learn individual items and show associative memory; tanh generalises more",
        Checked::Errata("E19; N2, N4, N5, H1"),
    ),
    (
        "Abstract",
        "generalisation could be improved by a big enough set of elementary operations",
        Checked::Claims("D4"),
    ),
    (
        "§1",
        "applied networks have 10⁴ to 10⁸ parameters and more; Hopfield networks store items as attractors and do not generalise",
        Checked::NotCheckable("statements about other networks, cited, not computed in the paper"),
    ),
    (
        "§1",
        "dropout and L2 regularisation improve generalisation of large networks",
        Checked::NotCheckable("cited results about other networks"),
    ),
    (
        "§1",
        "the results hold for arbitrary network size",
        Checked::NotCheckable(
            "the general theory is in ref. [12], not in the paper; D1 checks N = 4 to 6 for linear networks",
        ),
    ),
    (
        "§2",
        "y = φ(Wx), φ strictly increasing; the task x = φ_W(x) on X (eq. 1)",
        Checked::Claims("definitions used throughout"),
    ),
    (
        "§2",
        "W = I solves the linear task for any training set",
        Checked::Claims("P1"),
    ),
    (
        "§2",
        "numerical algorithms find other solutions \"(see 2)\"",
        Checked::Editorial,
    ),
    (
        "§2",
        "the actions (s·x)_i = x_{s(i)} and (s·W)_ij = W_{s(i)s(j)}; orbits partition X",
        Checked::Claims("P2"),
    ),
    (
        "§2",
        "the definition of Σ_X and the characterisation of an auto-associator (\"… i.e.\")",
        Checked::NotCheckable(
            "the formulas after \"i.e.\" are missing from the available text of the paper; the book uses the standard definition",
        ),
    ),
    (
        "§2",
        "an auto-associator has to respect the symmetry structure of the training set",
        Checked::Errata("E1; L1"),
    ),
    ("§2", "eq. 2 holds iff eq. 3 holds", Checked::Claims("P3")),
    (
        "§2",
        "if one point of an orbit is stable, all are",
        Checked::Claims("P4"),
    ),
    (
        "§3, eq. 4",
        "X = {101, 110}, X′ = {010, 001}; both have Σ = {e, (32)}",
        Checked::Claims("P2, D3"),
    ),
    ("§3", "(e·x)₂ = 2, ((32)·x)₂ = 3", Checked::Errata("E2")),
    (
        "§3, eq. 5",
        "the Σ-compatible W = [[a,b,b],[c,d,e],[c,e,d]] \"according to eq. 2\"",
        Checked::Claims("P5 (and the editorial note on eq. 2)"),
    ),
    (
        "§3.1, eq. 6",
        "W_ab and W′_ab, a and b arbitrary, with the structure of eq. 5",
        Checked::Claims("L1"),
    ),
    (
        "§3.1",
        "σ_W = {1 − a − 2b, 1, 1} and σ_W′ = {a, 1, 1}",
        Checked::Errata("E3; L2"),
    ),
    (
        "§3.1.1, eq. 7",
        "the loss (1/N) Σ (x̂_i − x_i)²",
        Checked::Claims("used by every chapter; Table 1 reproduced with it (L13, N3)"),
    ),
    (
        "§3.1.1",
        "SGD and Adam; initialisations 0, 1, U(0,1), N(0, 0.05); training cost 0 under all conditions",
        Checked::Claims("L3"),
    ),
    (
        "§3.1.1",
        "learning rates, step counts, batch schemes",
        Checked::NotCheckable(
            "not stated; the book chooses them, shows their effect, and fits them where a printed number pins them (L4, N3)",
        ),
    ),
    (
        "§3.1.1",
        "the printed W₀^SDG, W₀^ADAM, W₁^SDG, W₁^ADAM",
        Checked::Errata("E6, E7; L4"),
    ),
    (
        "§3.1.1",
        "the quoted parameters b, c of the four matrices",
        Checked::Errata("E8"),
    ),
    (
        "§3.1.1",
        "all numerical solutions are members of the 2-parameter family W_ab",
        Checked::Errata("E9; L5"),
    ),
    (
        "§3.1.1",
        "random initialisations drawn from N(0,1); the two printed examples",
        Checked::Errata("E10"),
    ),
    (
        "§3.1.1",
        "random-start solutions have the form [[1−a,a,a],[−b,1+b,b],[−c,c,1+c]]",
        Checked::Claims("L6"),
    ),
    (
        "§3.1.1",
        "averaging over realisations recovers the symmetric solution; E W_rnd^SGD ≈ E W₀^SGD",
        Checked::Claims("L7 (and E10 on how many seeds the printed precision needs)"),
    ),
    (
        "§3.1.2",
        "the linear network reproduces two patterns beyond the training set with loss 0",
        Checked::Claims("L9, L13"),
    ),
    (
        "§3.1.2",
        "W generalises to every y for which X ∪ {y} has the symmetry group Σ_X",
        Checked::Errata("E11"),
    ),
    (
        "§3.1.2",
        "W reproduces every linear combination of the items; the plane they span is invariant",
        Checked::Claims("L10"),
    ),
    (
        "§3.1.2",
        "if the plane attractor is stable, W^n x₀ → x_∞ ∈ V",
        Checked::Claims("L14"),
    ),
    (
        "§3.1.2, Table 1",
        "the identity, tanh and sigmoid columns; caption: tanh(Wx) and 1/(1 + exp(−Wx))",
        Checked::Claims("L13, N3 (c = 0 and c = 1 read from the caption)"),
    ),
    (
        "§3.1.2, Table 1 caption",
        "the linear network reproduces (0,0,0) and (0,1,1), the sigmoid network does not",
        Checked::Claims("L9, N2"),
    ),
    (
        "§3.1.2",
        "(1,0,1) with its orbit is asymptotically stable if |a − 2b| < 1; (0,1,0) if |a| < 1",
        Checked::Errata("E4, E5; L11"),
    ),
    (
        "§3.1.2",
        "all trained W have λ₁ = λ₂ = 1, λ₃ ≪ 1, the third eigenvector roughly orthogonal to the plane",
        Checked::Errata("E12; L12"),
    ),
    (
        "§3.1.2, Fig. 1",
        "125 points on a mesh, W^n x for n = 0…6, fixed points read at n = 25; all trajectories converge onto the plane",
        Checked::Claims("L14"),
    ),
    (
        "§3.1.2, Fig. 1",
        "the drawing itself (18 trajectories shown, their colours)",
        Checked::NotCheckable(
            "the figure's image is not in the available text; the book redraws it from the stated recipe",
        ),
    ),
    (
        "§3.1.2",
        "the linear network learns the relation of the training elements; its connectivity reflects the symmetry group",
        Checked::Errata("E11, E20; H1"),
    ),
    (
        "§3.2",
        "φ(x) = tanh(x − c) and 1/(1 + e^{−cx})",
        Checked::NotCheckable(
            "c is not stated; Table 1's caption and its 000 row fix c = 0 for tanh, and the book takes c = 1 for the sigmoid from the caption",
        ),
    ),
    (
        "§3.2.1",
        "the nonlinear W has the structure of the symmetry group, because φ is monotone",
        Checked::Errata("E16; N1"),
    ),
    (
        "§3.2.1, eq. 8",
        "W_abc = W_ab + W_c with the printed W_c for tanh and for the sigmoid",
        Checked::Errata("E13, E14, E15; N1"),
    ),
    (
        "§3.2.2",
        "sigmoid networks reproduce only the training items; tanh networks generalise like linear ones, with slightly larger losses",
        Checked::Claims("N2"),
    ),
    (
        "§3.2.2",
        "sigmoid: items are attractive fixed points; inputs fall onto the line between them, then converge to one",
        Checked::Claims("N4"),
    ),
    (
        "§3.2.2",
        "tanh: four fixed points, only (0,1,1) attractive, all probed inputs converge to it",
        Checked::Errata("E17; N5"),
    ),
    (
        "§3.2.2",
        "tanh linearisation: two eigenvectors in the training plane with λ₁ = λ₂ = 2.43",
        Checked::Claims("N5"),
    ),
    (
        "§3.2.2",
        "the sigmoid is strongly nonlinear around 0 and 1, tanh nearly linear around 0",
        Checked::Claims("N6"),
    ),
    (
        "§3.2.2",
        "non-linear networks tend to learn items; in a nearly linear regime they partly generalise",
        Checked::Claims("N2, H1"),
    ),
    (
        "§4",
        "numerical solutions are correct but different; the trivial solution is never found",
        Checked::Errata("E21; D1, L8"),
    ),
    (
        "§4",
        "the connectivity represents the symmetry group; all numerical solutions share the same structure",
        Checked::Errata("E9, E16; L5, N1, H1"),
    ),
    (
        "§4",
        "an auto-associator must represent the relations to generalise",
        Checked::Errata("E20"),
    ),
    (
        "§4",
        "only linear auto-associators generalise, by a plane attractor; non-linear ones store the items as stable fixed points",
        Checked::Errata("E18, E19; H1"),
    ),
    (
        "§4",
        "L1, L2 or firing-rate penalties help tanh networks generalise, not sigmoid ones; the sigmoid would need activities kept near 0.5",
        Checked::Claims("D2 (the ½-centred penalty is tried too)"),
    ),
    (
        "§4",
        "an ARC task has 3–5 training pairs",
        Checked::NotCheckable("a fact about the ARC benchmark, not about the paper's networks"),
    ),
    (
        "§4, Fig. 2",
        "the only non-trivial rule of X′ is (32); it maps (1,1,0) to (1,0,1); the rotation (231) is not a symmetry",
        Checked::Claims("D3"),
    ),
    (
        "§4",
        "what has to be learned is a repertoire of operations big enough to contain the symmetry group",
        Checked::Claims("D4"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids are E1, E2, … in order, each once, and each names a test in tests/testsuite/errata.rs.
    #[test]
    fn errata_ids_are_consecutive() {
        for (k, e) in ERRATA.iter().enumerate() {
            assert_eq!(e.check.id, format!("E{}", k + 1));
            assert_eq!(e.check.chapter, "errata");
            assert!(e.check.test.is_some_and(|t| t.starts_with("errata::")));
            assert!(matches!(
                e.check.expected,
                Verdict::PaperTypo | Verdict::Differs
            ));
        }
    }

    /// Every erratum the pass cites exists, and every erratum is cited by the pass.
    #[test]
    fn the_pass_and_the_errata_agree() {
        let cited: Vec<String> = PASS
            .iter()
            .filter_map(|(_, _, c)| match c {
                Checked::Errata(ids) => Some(ids),
                _ => None,
            })
            .flat_map(|ids| ids.split([',', ';']).map(str::trim))
            .filter(|id| id.starts_with('E'))
            .map(String::from)
            .collect();
        for id in &cited {
            assert!(
                erratum(id).is_some(),
                "the pass cites {id}, which is no erratum"
            );
        }
        for e in ERRATA {
            assert!(
                cited.iter().any(|c| c == e.check.id),
                "{} is not cited by the pass",
                e.check.id
            );
        }
    }
}
