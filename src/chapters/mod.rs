//! One module per chapter of the book. Each is `Params` (default = the paper's setting) →
//! pure `compute(&Params) -> Result<Output>` → `Output: Serialize`. Chapters touch no files and
//! no templates; rendering is the separate stage in `render` (feature `book`).

pub mod appendix;
pub mod arc;
pub mod beyond;
pub mod intro;
pub mod linear;
pub mod named_set;
pub mod nonlinear;
pub mod prelude;
pub mod scorecard;

/// What the book needs to know about a chapter before computing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ChapterMeta {
    /// Short name: file stem, template name, `--chapter` value.
    pub id: &'static str,
    pub title: &'static str,
    /// The paper's section it retells, if any.
    pub section: Option<&'static str>,
    /// Number in the book (labels are numbered `number.k`); `None` for unnumbered pages.
    pub number: Option<usize>,
}

/// The chapters, in reading order.
pub const CHAPTERS: &[ChapterMeta] = &[
    ChapterMeta {
        id: "intro",
        title: "Introduction: how to read and verify this book",
        section: None,
        number: None,
    },
    ChapterMeta {
        id: "prelude",
        title: "Analytical prelude",
        section: Some("§2"),
        number: Some(1),
    },
    ChapterMeta {
        id: "linear",
        title: "The linear auto-associator",
        section: Some("§3.1"),
        number: Some(2),
    },
    ChapterMeta {
        id: "nonlinear",
        title: "The nonlinear auto-associator",
        section: Some("§3.2"),
        number: Some(3),
    },
    ChapterMeta {
        id: "arc",
        title: "The ARC example",
        section: Some("§4"),
        number: Some(4),
    },
    ChapterMeta {
        id: "beyond",
        title: "Beyond the paper",
        section: None,
        number: Some(5),
    },
    ChapterMeta {
        id: "scorecard",
        title: "Replication scorecard",
        section: None,
        number: None,
    },
    ChapterMeta {
        id: "appendix",
        title: "Reproducibility appendix",
        section: None,
        number: None,
    },
];

/// The chapter with this id.
pub fn meta(id: &str) -> Option<&'static ChapterMeta> {
    CHAPTERS.iter().find(|c| c.id == id)
}
