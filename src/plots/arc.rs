//! Figures of the ARC chapter (paper §4, Fig. 2).

use super::Svg;
use crate::Result;
use crate::chapters::arc::Output;

/// The ARC chapter's figures: (file stem, drawing).
pub fn arc_figures(out: &Output) -> Result<Vec<(String, Svg)>> {
    let _ = out;
    Ok(Vec::new())
}
