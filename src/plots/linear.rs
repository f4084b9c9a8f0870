//! Figures of the linear chapter (paper §3.1, Fig. 1 left).

use super::Svg;
use crate::Result;
use crate::chapters::linear::Output;

/// The linear chapter's figures: (file stem, drawing).
pub fn linear_figures(out: &Output) -> Result<Vec<(String, Svg)>> {
    let _ = out;
    Ok(Vec::new())
}
