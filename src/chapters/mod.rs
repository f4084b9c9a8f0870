//! One module per chapter of the book. Each is `Params` (default = the paper's setting) →
//! pure `compute(&Params) -> Result<Output>` → `Output: Serialize`. Chapters touch no files and
//! no templates; the chapter list (the registry) is in [`crate::compute`], rendering is the
//! separate stage in `render` (feature `book`).

pub mod appendix;
pub mod arc;
pub mod atlas;
pub mod beyond;
pub mod errata;
pub mod intro;
pub mod linear;
pub mod named_set;
pub mod nonlinear;
pub mod paper_init;
pub mod prelude;
pub mod scorecard;
pub mod verdict;

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
