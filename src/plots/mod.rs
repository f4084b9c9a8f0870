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
mod atlas;
mod beyond;
mod common;
mod linear;
mod linear_flow;
mod nonlinear;
mod prelude;
mod report;

pub use arc::arc_figures;
pub use atlas::atlas_figures;
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

/// The width, in CSS pixels, of the book's content column on a 1280-px page: a figure wider
/// than this is scaled down to it, so its text must be drawn at least
/// `MIN_TEXT_PX × width / COLUMN_PX` pixels high to be [`MIN_TEXT_PX`] as displayed.
pub const COLUMN_PX: f64 = 750.0;
/// The smallest text a figure shows, in CSS pixels as displayed in the content column.
pub const MIN_TEXT_PX: f64 = 11.0;

/// A colour of the figures with the name a caption uses for it: a plot and its caption take
/// both from the same constant, so a caption never names a colour the plot did not draw.
/// It is a plotters [`Color`], so `BLUE.mix(0.4)`, `BLUE.filled()` work as on an `RGBColor`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colour {
    pub rgb: RGBColor,
    pub name: &'static str,
}

impl Color for Colour {
    fn to_backend_color(&self) -> plotters_backend::BackendColor {
        self.rgb.to_backend_color()
    }
}

const fn colour(r: u8, g: u8, b: u8, name: &'static str) -> Colour {
    Colour {
        rgb: RGBColor(r, g, b),
        name,
    }
}

// The palette: Okabe & Ito (2008), "Color Universal Design", distinguishable for the common
// colour-vision deficiencies and readable on the light and on the dark themes (every colour
// but ink has a contrast of at least 3:1 against mdBook's navy, coal and ayu backgrounds).
pub const BLUE: Colour = colour(0, 114, 178, "blue");
pub const ORANGE: Colour = colour(230, 159, 0, "orange");
pub const GREEN: Colour = colour(0, 158, 115, "green");
pub const VERMILION: Colour = colour(213, 94, 0, "vermilion");
pub const PINK: Colour = colour(204, 121, 167, "pink");
pub const SKY: Colour = colour(86, 180, 233, "sky blue");
pub const GREY: Colour = colour(128, 128, 128, "grey");
/// The page's text colour: black on the light themes, light on the dark ones. Drawn as pure
/// black and written `currentColor` in the finished SVG (see [`finish`]), so an inline figure
/// takes the colour of the text around it.
pub const INK: Colour = colour(0, 0, 0, "black (white in the dark themes)");
/// White, for text on a coloured bar (never for a background: figures have none).
pub const ON_COLOUR: Colour = colour(255, 255, 255, "white");

/// The colours the captions mention: (role, the figure that draws it, colour). A template
/// writes `{{ colours.x_prime }}` ([`caption_colours`]); each name is read from the constant
/// the figure draws with, so a caption and its figure never disagree.
pub fn caption_colour_roles() -> Vec<(&'static str, &'static str, Colour)> {
    use crate::chapters::beyond::Penalty;
    vec![
        ("x", "prelude-cube", prelude::X_COLOUR),
        ("x_prime", "prelude-cube", prelude::X_PRIME_COLOUR),
        ("mirror", "prelude-cube", prelude::MIRROR_COLOUR),
        ("converges", "linear-stability", linear::CONVERGES),
        ("diverges", "linear-stability", linear::DIVERGES),
        ("printed_band", "linear-stability", linear::PRINTED_BAND),
        ("ink", "linear-stability", INK),
        ("edge_0", "arc-triangles", arc::EDGE_0),
        ("edge_1", "arc-triangles", arc::EDGE_1),
        ("no_answer", "arc-repertoire", arc::NO_ANSWER),
        ("unique_answer", "arc-repertoire", arc::UNIQUE_ANSWER),
        ("several_answers", "arc-repertoire", arc::SEVERAL_ANSWERS),
        (
            "no_penalty",
            "beyond-reg-tanh",
            beyond::penalty_colour(Penalty::None),
        ),
        ("l2", "beyond-reg-tanh", beyond::penalty_colour(Penalty::L2)),
        ("l1", "beyond-reg-tanh", beyond::penalty_colour(Penalty::L1)),
        (
            "firing_rate",
            "beyond-reg-tanh",
            beyond::penalty_colour(Penalty::FiringRate),
        ),
        (
            "half_rate",
            "beyond-reg-sigmoid",
            beyond::penalty_colour(Penalty::HalfRate),
        ),
    ]
}

/// Role → colour name, for the templates (see [`caption_colour_roles`]).
pub fn caption_colours() -> std::collections::BTreeMap<&'static str, &'static str> {
    caption_colour_roles()
        .into_iter()
        .map(|(role, _, c)| (role, c.name))
        .collect()
}

/// How a colour is written in the finished SVG: `#RRGGBB`, or `currentColor` for ink.
pub fn svg_colour(c: Colour) -> String {
    if c == INK {
        "currentColor".to_string()
    } else {
        let RGBColor(r, g, b) = c.rgb;
        format!("#{r:02X}{g:02X}{b:02X}")
    }
}

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

/// Draw into a fresh SVG of the given size, then [`finish`] it. `present()` is checked, so a
/// failure to write the SVG is not silently lost.
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
    Ok(Svg(finish(&buf)))
}

/// Make plotters' SVG follow the page's theme: ink (pure black) becomes `currentColor`, so an
/// inline figure takes the page's text colour (black when the SVG stands alone), and the
/// drawing has no background of its own (transparent, never a white card on a dark theme).
pub(crate) fn finish(svg: &str) -> String {
    svg.replace("\"#000000\"", "\"currentColor\"")
}

fn draw_into(
    buf: &mut String,
    size: (u32, u32),
    draw: impl FnOnce(&Area<'_>) -> DrawResult,
) -> DrawResult {
    let root = SVGBackend::with_string(buf, size).into_drawing_area();
    draw(&root)?;
    root.present()?;
    Ok(())
}

/// Draw into a fresh SVG of the standard size.
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
