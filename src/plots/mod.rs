//! Figures, drawn with plotters into SVG. A figure is a function of a chapter's `Output`, so
//! the book and the notebooks show the same drawing; [`Svg`] displays itself in evcxr.
//!
//! Text is left to the viewer's sans-serif font (plotters without font-kit), which keeps the
//! build free of system font libraries.
//!
//! This module holds the machinery every figure shares: the SVG canvas and its error, the
//! colours; `common` holds the drawing toolkit (chart presets, legends, the 3-D flow panel);
//! each chapter's figures live in a file of their own.

use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;

mod arc;
mod beyond;
mod common;
mod linear;
mod nonlinear;
mod prelude;
mod report;

pub use arc::arc_figures;
pub use beyond::beyond_figures;
pub use linear::linear_figures;
pub use nonlinear::nonlinear_figures;
pub use prelude::{prelude_compat, prelude_cube, prelude_figures, prelude_orbit_flow};
pub use report::report_figures;

use crate::{Error, Result};

/// An SVG document. How a notebook shows it (`evcxr_display`) is in [`crate::display`], with
/// the other notebook views.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Svg(pub String);

pub(crate) const SIZE: (u32, u32) = (760, 520);
pub(crate) const FONT: &str = "sans-serif";
/// Colours that stay distinguishable for the common colour-vision deficiencies (Okabe–Ito).
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const VERMILION: RGBColor = RGBColor(213, 94, 0);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const GREY: RGBColor = RGBColor(120, 120, 120);

/// The drawing area of a figure (or of a part of one).
pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// The figure called `name` from a chapter's list of figures (for notebook cells).
pub fn pick(figures: &[(String, Svg)], name: &str) -> Result<Svg> {
    figures
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, svg)| svg.clone())
        .ok_or_else(|| Error::Plot {
            figure: name.to_string(),
            why: "no figure of that name".into(),
        })
}

/// Why a drawing failed. The drawing code knows no figure name; [`svg_sized`] adds it once,
/// when it turns this into the crate's [`Error::Plot`]. Plotters' errors convert into it, so
/// a drawing function uses plain `?`, as plotters' own examples do.
#[derive(Debug)]
pub(crate) struct DrawError(pub(crate) String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        DrawError(format!("{e:?}"))
    }
}

/// The result of drawing code.
pub(crate) type DrawResult<T = ()> = std::result::Result<T, DrawError>;

/// Draw into a fresh SVG of the given size with a white background. `present()` is checked,
/// so a failure to write the SVG is not silently lost.
pub(crate) fn svg_sized(
    name: &str,
    size: (u32, u32),
    draw: impl FnOnce(&Area<'_>) -> DrawResult,
) -> Result<Svg> {
    let mut buf = String::new();
    draw_into(&mut buf, size, draw).map_err(|DrawError(why)| Error::Plot {
        figure: name.to_string(),
        why,
    })?;
    Ok(Svg(buf))
}

fn draw_into(
    buf: &mut String,
    size: (u32, u32),
    draw: impl FnOnce(&Area<'_>) -> DrawResult,
) -> DrawResult {
    let root = SVGBackend::with_string(buf, size).into_drawing_area();
    root.fill(&WHITE)?;
    draw(&root)?;
    root.present()?;
    Ok(())
}

/// Draw into a fresh SVG of the standard size with a white background.
pub(crate) fn svg_figure(name: &str, draw: impl FnOnce(&Area<'_>) -> DrawResult) -> Result<Svg> {
    svg_sized(name, SIZE, draw)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A drawing error reaches the caller once, as `Error::Plot` with the figure's name.
    #[test]
    fn a_drawing_error_names_its_figure() {
        let err = svg_figure("the figure", |_| Err(DrawError("why".into()))).unwrap_err();
        assert!(
            matches!(&err, Error::Plot { figure, why } if figure == "the figure" && why == "why"),
            "{err:?}"
        );
    }

    /// Plotters' own errors convert with `?`, their Debug text kept as the reason.
    #[test]
    fn plotters_errors_convert() {
        let err = svg_figure("split", |_| {
            Err(DrawingAreaErrorKind::<std::io::Error>::LayoutError)?
        })
        .unwrap_err();
        assert!(
            matches!(&err, Error::Plot { figure, why } if figure == "split" && why == "LayoutError"),
            "{err:?}"
        );
    }
}
