//! Figures, drawn with plotters into SVG. A figure is a function of a chapter's `Output`, so
//! the book and the notebooks show the same drawing; [`Svg`] displays itself in evcxr.
//!
//! Text is left to the viewer's sans-serif font (plotters without font-kit), which keeps the
//! build free of system font libraries.

use plotters::coord::Shift;
use plotters::prelude::*;

mod arc;
mod beyond;
mod linear;
mod nonlinear;

pub use arc::arc_figures;
pub use beyond::beyond_figures;
pub use linear::linear_figures;
pub use nonlinear::nonlinear_figures;

use crate::chapters::prelude::{Output as PreludeOutput, SetAnalysis};
use crate::dynamics::Stability;
use crate::{Error, Result};

/// An SVG document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Svg(pub String);

impl Svg {
    /// evcxr's display protocol: a notebook cell whose value is an `Svg` shows the picture.
    pub fn evcxr_display(&self) {
        println!(
            "EVCXR_BEGIN_CONTENT image/svg+xml\n{}\nEVCXR_END_CONTENT",
            self.0
        );
    }
}

pub(crate) const SIZE: (u32, u32) = (760, 520);
pub(crate) const FONT: &str = "sans-serif";
/// Colours that stay distinguishable for the common colour-vision deficiencies (Okabe–Ito).
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const VERMILION: RGBColor = RGBColor(213, 94, 0);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const GREY: RGBColor = RGBColor(120, 120, 120);

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

pub(crate) fn plot_err<E: std::fmt::Debug>(figure: &str) -> impl Fn(E) -> Error + '_ {
    move |e| Error::Plot {
        figure: figure.to_string(),
        why: format!("{e:?}"),
    }
}

/// Draw into a fresh SVG of the given size with a white background.
pub(crate) fn svg_sized(
    name: &str,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<()>,
) -> Result<Svg> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err(name))?;
        draw(&root)?;
        root.present().map_err(plot_err(name))?;
    }
    Ok(Svg(buf))
}

/// Draw into a fresh SVG of the standard size with a white background.
pub(crate) fn svg_figure(
    name: &str,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<()>,
) -> Result<Svg> {
    svg_sized(name, SIZE, draw)
}

/// "1", "10", "10²", "10⁻¹⁷", ...
pub(crate) fn ten_to(e: i64) -> String {
    match e {
        0 => "1".to_string(),
        1 => "10".to_string(),
        _ => {
            let digits: String = e
                .to_string()
                .chars()
                .map(|c| match c {
                    '-' => '⁻',
                    '0' => '⁰',
                    '1' => '¹',
                    '2' => '²',
                    '3' => '³',
                    '4' => '⁴',
                    '5' => '⁵',
                    '6' => '⁶',
                    '7' => '⁷',
                    '8' => '⁸',
                    _ => '⁹',
                })
                .collect();
            format!("10{digits}")
        }
    }
}

/// Tick label of an axis that carries log₁₀ of the quantity: 10^v at integers, blank
/// elsewhere. (Plotters' log scale drops key points below f64::EPSILON, so quantities down to
/// 1e-32 are plotted as their logarithm on a linear axis.)
pub(crate) fn exp_tick(v: f64) -> String {
    if (v - v.round()).abs() > 1e-9 {
        return String::new();
    }
    ten_to(v.round() as i64)
}

/// The prelude's figures: (file stem, drawing).
pub fn prelude_figures(out: &PreludeOutput) -> Result<Vec<(String, Svg)>> {
    Ok(vec![
        (
            "prelude-cube".to_string(),
            prelude_cube(&out.x, &out.x_prime)?,
        ),
        ("prelude-compat".to_string(), prelude_compat(out)?),
        ("prelude-orbit-flow".to_string(), prelude_orbit_flow(out)?),
    ])
}

/// The cube {0,1}³ with the training sets X and X' on its corners and the mirror plane
/// x₂ = x₃ of the transposition (23), which maps each set onto itself.
pub fn prelude_cube(x: &SetAnalysis, x_prime: &SetAnalysis) -> Result<Svg> {
    let name = "prelude cube";
    svg_figure(name, |root| {
        let e = plot_err(name);
        let mut chart = ChartBuilder::on(root)
            .margin(20)
            .build_cartesian_3d(-0.1..1.1, -0.1..1.1, -0.1..1.1)
            .map_err(&e)?;
        chart.with_projection(|mut p| {
            p.yaw = 0.6;
            p.pitch = 0.25;
            p.scale = 0.85;
            p.into_matrix()
        });
        // Plot coordinates: (x₁, x₃, x₂) so that x₃ points up.
        let at = |b: &[u8]| (f64::from(b[0]), f64::from(b[2]), f64::from(b[1]));
        let plane = vec![
            (0.0, 0.0, 0.0),
            (1.0, 0.0, 0.0),
            (1.0, 1.0, 1.0),
            (0.0, 1.0, 1.0),
        ];
        chart
            .draw_series(std::iter::once(Polygon::new(
                plane,
                PURPLE.mix(0.18).filled(),
            )))
            .map_err(&e)?;
        let corners: Vec<[u8; 3]> = (0..8u8)
            .map(|k| [(k >> 2) & 1, (k >> 1) & 1, k & 1])
            .collect();
        for a in &corners {
            for b in &corners {
                let diff = a.iter().zip(b).filter(|(p, q)| p != q).count();
                if diff == 1 && a < b {
                    chart
                        .draw_series(LineSeries::new([at(a), at(b)], GREY.stroke_width(1)))
                        .map_err(&e)?;
                }
            }
        }
        for c in &corners {
            let text = format!("{}{}{}", c[0], c[1], c[2]);
            let in_x = x.patterns.patterns().iter().any(|p| p.bits() == c);
            let in_xp = x_prime.patterns.patterns().iter().any(|p| p.bits() == c);
            let (color, size) = match (in_x, in_xp) {
                (true, _) => (BLUE, 9),
                (_, true) => (VERMILION, 9),
                _ => (GREY, 4),
            };
            chart
                .draw_series(std::iter::once(Circle::new(at(c), size, color.filled())))
                .map_err(&e)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    text,
                    (at(c).0, at(c).1 + 0.06, at(c).2),
                    (FONT, 18).into_font().color(&BLACK),
                )))
                .map_err(&e)?;
        }
        for (label, pos) in [
            ("x₁", (1.12, 0.0, 0.0)),
            ("x₃", (0.0, 1.12, 0.0)),
            ("x₂", (0.0, 0.0, 1.12)),
        ] {
            chart
                .draw_series(std::iter::once(Text::new(
                    label,
                    pos,
                    (FONT, 20).into_font().color(&BLACK),
                )))
                .map_err(&e)?;
        }
        let legend = [
            (BLUE, format!("X = {}", x.patterns)),
            (VERMILION, format!("X' = {}", x_prime.patterns)),
            (PURPLE, "mirror plane x₂ = x₃ of (23)".to_string()),
        ];
        for (k, (color, text)) in legend.iter().enumerate() {
            let y = 24 + 26 * k as i32;
            root.draw(&Circle::new((24, y), 7, color.filled()))
                .map_err(&e)?;
            root.draw(&Text::new(
                text.clone(),
                (40, y - 10),
                (FONT, 18).into_font().color(&BLACK),
            ))
            .map_err(&e)?;
        }
        Ok(())
    })
}

/// P3: compatibility error against distance from invariance, for random matrices.
pub fn prelude_compat(out: &PreludeOutput) -> Result<Svg> {
    let name = "prelude compatibility";
    let floor = 1e-18;
    svg_figure(name, |root| {
        let e = plot_err(name);
        let max_defect = out
            .compat_trials
            .iter()
            .map(|t| t.defect)
            .fold(0.0, f64::max)
            * 1.05;
        let max_err = out
            .compat_trials
            .iter()
            .map(|t| t.compat_error)
            .fold(1.0, f64::max)
            * 2.0;
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(78)
            .build_cartesian_2d(0.0..max_defect.max(1e-9), (floor..max_err).log_scale())
            .map_err(&e)?;
        chart
            .configure_mesh()
            .x_desc("distance from invariance  max_s ‖W − s·W‖")
            .y_desc("compatibility error  max ‖φ_W(s·x) − s·φ_W(x)‖")
            .axis_desc_style((FONT, 18))
            .label_style((FONT, 15))
            .y_label_formatter(&|v| format!("{v:.0e}"))
            .draw()
            .map_err(&e)?;
        let styles = [("identity", BLUE), ("tanh", ORANGE), ("sigmoid", GREEN)];
        for (act, color) in styles {
            let pts: Vec<(f64, f64)> = out
                .compat_trials
                .iter()
                .filter(|t| t.activation == act)
                .map(|t| (t.defect, t.compat_error.max(floor)))
                .collect();
            chart
                .draw_series(
                    pts.iter()
                        .map(|&p| Circle::new(p, 3, color.mix(0.7).filled())),
                )
                .map_err(&e)?
                .label(act)
                .legend(move |(x, y)| Circle::new((x + 8, y), 5, color.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font((FONT, 16))
            .draw()
            .map_err(&e)?;
        Ok(())
    })
}

/// P4: trajectories of the invariant sigmoid network seen along x₁ (the (x₂, x₃) plane), the
/// mirror line x₂ = x₃ and the fixed points by type.
pub fn prelude_orbit_flow(out: &PreludeOutput) -> Result<Svg> {
    let name = "prelude orbit flow";
    svg_figure(name, |root| {
        let e = plot_err(name);
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(64)
            .build_cartesian_2d(-0.05..1.05, -0.05..1.05)
            .map_err(&e)?;
        chart
            .configure_mesh()
            .x_desc("x₂")
            .y_desc("x₃")
            .axis_desc_style((FONT, 20))
            .label_style((FONT, 15))
            .draw()
            .map_err(&e)?;
        chart
            .draw_series(LineSeries::new(
                [(0.0, 0.0), (1.0, 1.0)],
                PURPLE.stroke_width(2),
            ))
            .map_err(&e)?
            .label("mirror line x₂ = x₃ of (23)")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], PURPLE.stroke_width(2)));
        let st = &out.stability;
        // Colour each trajectory by the fixed point its last iterate is closest to.
        let targets: Vec<&Vec<f64>> = st.fixed_points.iter().map(|p| &p.point.x).collect();
        let palette = [BLUE, VERMILION, GREEN, ORANGE, PURPLE];
        for traj in &st.trajectories {
            let Some(last) = traj.last() else { continue };
            let k = targets
                .iter()
                .enumerate()
                .min_by(|a, b| dist(a.1, last).total_cmp(&dist(b.1, last)))
                .map_or(0, |(k, _)| k);
            let color = palette[k % palette.len()];
            chart
                .draw_series(LineSeries::new(
                    traj.iter().map(|v| (v[1], v[2])),
                    color.mix(0.45).stroke_width(1),
                ))
                .map_err(&e)?;
            chart
                .draw_series(std::iter::once(Circle::new(
                    (traj[0][1], traj[0][2]),
                    2,
                    color.mix(0.6).filled(),
                )))
                .map_err(&e)?;
        }
        for (stab, label, color) in [
            (Stability::Attractor, "attracting fixed point", BLACK),
            (Stability::Saddle, "saddle", VERMILION),
            (Stability::Repeller, "repelling fixed point", ORANGE),
            (Stability::Marginal, "marginal fixed point", GREY),
        ] {
            let pts: Vec<(f64, f64)> = st
                .fixed_points
                .iter()
                .filter(|p| p.point.stability == stab)
                .map(|p| (p.point.x[1], p.point.x[2]))
                .collect();
            if pts.is_empty() {
                continue;
            }
            chart
                .draw_series(
                    pts.iter()
                        .map(|&p| TriangleMarker::new(p, 9, color.filled())),
                )
                .map_err(&e)?
                .label(label)
                .legend(move |(x, y)| TriangleMarker::new((x + 8, y), 6, color.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font((FONT, 16))
            .draw()
            .map_err(&e)?;
        Ok(())
    })
}

fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(p, q)| (p - q).powi(2))
        .sum::<f64>()
        .sqrt()
}
