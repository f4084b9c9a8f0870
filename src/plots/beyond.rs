//! Figures of the chapter beyond the paper.

use super::Svg;
use crate::Result;
use crate::chapters::beyond::Output;

/// The beyond chapter's figures: (file stem, drawing).
pub fn beyond_figures(out: &Output) -> Result<Vec<(String, Svg)>> {
    let _ = out;
    Ok(Vec::new())
}
