//! Chapter "Introduction": what the paper asks and what this edition found (the verdict's
//! numbers, first screen), how to cite both, the results the book builds on, and how to read,
//! rebuild and verify the book. Its computed content is the census of chapters and claims and
//! the summary of the verdict chapter, so the text never goes stale.

use serde::Serialize;

use super::ChapterMeta;
use super::verdict;
use crate::claims::{REGISTRY, Verdict};

/// What the introduction shows: the book's chapters, in reading order (the compute stage
/// passes its registry), and the verdict computed from the chapters of this build.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Params {
    pub chapters: Vec<ChapterMeta>,
    pub found: Option<verdict::Output>,
}

/// A bibliographic reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// Short key, as cited in the text ("Chollet 2019").
    pub key: &'static str,
    pub authors: &'static str,
    pub year: &'static str,
    pub title: &'static str,
    /// Journal, proceedings or preprint server.
    pub venue: &'static str,
    pub url: Option<&'static str>,
    /// What the book uses it for.
    pub used_for: &'static str,
}

/// The paper this edition retells.
pub const PAPER: Reference = Reference {
    key: "Krause & Reimann 2024",
    authors: "Renate Krause and Stefan Reimann",
    year: "2024",
    title: "Items or Relations – what do Artificial Neural Networks learn?",
    venue: "arXiv:2404.12401 [cs.LG]",
    url: Some("https://arxiv.org/abs/2404.12401"),
    used_for: "the paper this book retells, checks and answers",
};

/// The arXiv identifier of the paper and its primary category.
pub const ARXIV_ID: &str = "2404.12401";
pub const ARXIV_CLASS: &str = "cs.LG";

/// The paper's BibTeX entry.
pub fn bibtex_paper() -> String {
    format!(
        "@misc{{krause{year}items,\n  title         = {{{title}}},\n  author        = {{Krause, Renate and Reimann, Stefan}},\n  year          = {{{year}}},\n  eprint        = {{{ARXIV_ID}}},\n  archivePrefix = {{arXiv}},\n  primaryClass  = {{{ARXIV_CLASS}}},\n  url           = {{{url}}}\n}}",
        year = PAPER.year,
        title = PAPER.title.replace('–', "--"),
        url = PAPER.url.unwrap_or_default(),
    )
}

/// This edition's BibTeX entry, for the crate version `version`.
pub fn bibtex_edition(version: &str) -> String {
    format!(
        "@software{{items_or_relations_edition,\n  title   = {{Items or Relations: an executable edition of Krause and Reimann ({year})}},\n  version = {{{version}}},\n  note    = {{Every number recomputed and every claim of arXiv:{ARXIV_ID} checked by cargo test; built with the crate items-or-relations}}\n}}",
        year = PAPER.year,
    )
}

/// The results the book uses from elsewhere.
pub const REFERENCES: &[Reference] = &[
    Reference {
        key: "Gunasekar et al. 2018",
        authors: "Suriya Gunasekar, Jason Lee, Daniel Soudry and Nathan Srebro",
        year: "2018",
        title: "Characterizing Implicit Bias in Terms of Optimization Geometry",
        venue: "Proceedings of the 35th International Conference on Machine Learning (ICML), PMLR 80; arXiv:1802.08246",
        url: Some("https://arxiv.org/abs/1802.08246"),
        used_for: "the implicit bias of gradient descent on under-determined least squares: it converges to the solution nearest its start, W∞ = P + W₀(I − P) (linear chapter)",
    },
    Reference {
        key: "Chollet 2019",
        authors: "François Chollet",
        year: "2019",
        title: "On the Measure of Intelligence",
        venue: "arXiv:1911.01547",
        url: Some("https://arxiv.org/abs/1911.01547"),
        used_for: "the Abstraction and Reasoning Corpus (ARC), the benchmark of the paper's §4 (ARC chapter)",
    },
    Reference {
        key: "Cohen & Welling 2016",
        authors: "Taco S. Cohen and Max Welling",
        year: "2016",
        title: "Group Equivariant Convolutional Networks",
        venue: "Proceedings of the 33rd International Conference on Machine Learning (ICML), PMLR 48; arXiv:1602.07576",
        url: Some("https://arxiv.org/abs/1602.07576"),
        used_for: "group-equivariant networks, φ_W(s·x) = s·φ_W(x) built in by design; the paper's eq. 2 asks the same of a trained network (prelude and ARC chapters)",
    },
    Reference {
        key: "Kingma & Ba 2014",
        authors: "Diederik P. Kingma and Jimmy Ba",
        year: "2014",
        title: "Adam: A Method for Stochastic Optimization",
        venue: "arXiv:1412.6980",
        url: Some("https://arxiv.org/abs/1412.6980"),
        used_for: "the Adam optimiser, with its default β₁, β₂ and ε (linear and nonlinear chapters)",
    },
    Reference {
        key: "Reimann 1998",
        authors: "Stefan Reimann",
        year: "1998",
        title: "On the design of artificial auto-associative neuronal networks",
        venue: "Neural Networks 11(4), 611–621",
        url: None,
        used_for: "the general theory of symmetric auto-associators the paper cites as its ref. [12] (not checked here)",
    },
];

/// One verdict of the ledger's vocabulary, for the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct VerdictMeaning {
    pub verdict: Verdict,
    pub name: &'static str,
    pub meaning: &'static str,
}

/// The verdicts, in the order the legend lists them.
pub const VERDICTS: &[VerdictMeaning] = &[
    VerdictMeaning {
        verdict: Verdict::Reproduced,
        name: "reproduced",
        meaning: "our computation agrees with the printed claim, and no setting was chosen to make it agree",
    },
    VerdictMeaning {
        verdict: Verdict::ReproducedAfterFitting,
        name: "reproduced after fitting",
        meaning: "it agrees only after a setting the paper does not state was fitted to printed values; the claim names what, with how many printed values were used for it and how many were left as independent checks",
    },
    VerdictMeaning {
        verdict: Verdict::Qualified,
        name: "qualified",
        meaning: "it holds only with a restriction the paper does not state (in a fraction of the cases, or for some settings), given with it",
    },
    VerdictMeaning {
        verdict: Verdict::Differs,
        name: "differs",
        meaning: "it does not hold, and the reason is given",
    },
    VerdictMeaning {
        verdict: Verdict::PaperTypo,
        name: "paper-typo",
        meaning: "the printed statement is wrong as printed and the corrected one holds",
    },
    VerdictMeaning {
        verdict: Verdict::Supported,
        name: "supported / qualified / not supported",
        meaning: "the answers for the book's own headline claim (H1)",
    },
];

/// The census and summary the introduction reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub chapters: Vec<ChapterMeta>,
    pub claims_total: usize,
    pub claims_reached: usize,
    pub crate_version: String,
    pub paper: Reference,
    pub arxiv_id: &'static str,
    pub bibtex_paper: String,
    pub bibtex_edition: String,
    pub references: &'static [Reference],
    pub verdicts: &'static [VerdictMeaning],
    /// What this edition found: the verdict chapter's output (no evidence when the build left
    /// out a chapter the verdict needs).
    pub found: Option<verdict::Output>,
}

/// Count chapters and claims, and carry the verdict.
pub fn compute(params: &Params) -> Output {
    let version = env!("CARGO_PKG_VERSION");
    Output {
        bibtex_paper: bibtex_paper(),
        bibtex_edition: bibtex_edition(version),
        chapters: params.chapters.clone(),
        claims_total: REGISTRY.len(),
        claims_reached: REGISTRY
            .iter()
            .filter(|c| c.expected != Verdict::Pending)
            .count(),
        crate_version: version.to_string(),
        paper: PAPER,
        arxiv_id: ARXIV_ID,
        references: REFERENCES,
        verdicts: VERDICTS,
        found: params.found.clone(),
    }
}
