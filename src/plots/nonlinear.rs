//! Figures of the nonlinear chapter (paper §3.2, Fig. 1 middle and right).

use super::Svg;
use crate::Result;
use crate::chapters::nonlinear::Output;

/// The nonlinear chapter's figures: (file stem, drawing).
pub fn nonlinear_figures(out: &Output) -> Result<Vec<(String, Svg)>> {
    let _ = out;
    Ok(Vec::new())
}
