//! Figures of the prelude (paper §2): the training sets on the cube, the compatibility of a
//! network with a symmetry, and the flow of an invariant network seen along x₁.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::common::{COMPACT, Key, Legend, chart, dot_legend, mesh, x2_x3_chart};
use super::{
    BLUE, Colour, FONT, GREEN, GREY, INK, ORANGE, PINK, SIZE, SKY, Svg, VERMILION, svg_figure,
    svg_sized,
};
use crate::Result;
use crate::chapters::prelude::{Output as PreludeOutput, SetAnalysis};
use crate::dynamics::Stability;
use crate::fmt::log_tick;

/// The colours the captions name: X, X′ and the mirror plane of the cube figure; the mirror
/// line of the orbit-flow figure.
pub const X_COLOUR: Colour = BLUE;
pub const X_PRIME_COLOUR: Colour = VERMILION;
pub const MIRROR_COLOUR: Colour = PINK;

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
        let mut chart = ChartBuilder::on(root).margin(20).build_cartesian_3d(
            -0.1..1.1,
            -0.1..1.1,
            -0.1..1.1,
        )?;
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
        chart.draw_series(std::iter::once(Polygon::new(
            plane,
            MIRROR_COLOUR.mix(0.18).filled(),
        )))?;
        let corners: Vec<[u8; 3]> = (0..8u8)
            .map(|k| [(k >> 2) & 1, (k >> 1) & 1, k & 1])
            .collect();
        for a in &corners {
            for b in &corners {
                let diff = a.iter().zip(b).filter(|(p, q)| p != q).count();
                if diff == 1 && a < b {
                    chart.draw_series(LineSeries::new([at(a), at(b)], GREY.stroke_width(1)))?;
                }
            }
        }
        for c in &corners {
            let text = format!("{}{}{}", c[0], c[1], c[2]);
            let in_x = x.patterns.patterns().iter().any(|p| p.bits() == c);
            let in_xp = x_prime.patterns.patterns().iter().any(|p| p.bits() == c);
            let (color, size) = match (in_x, in_xp) {
                (true, _) => (X_COLOUR, 9),
                (_, true) => (X_PRIME_COLOUR, 9),
                _ => (GREY, 4),
            };
            chart.draw_series(std::iter::once(Circle::new(at(c), size, color.filled())))?;
            chart.draw_series(std::iter::once(
                EmptyElement::at(at(c))
                    + Text::new(text, (8, -24), (FONT, 18).into_font().color(&INK)),
            ))?;
        }
        for (label, pos) in [
            ("x₁", (1.25, 0.0, 0.0)),
            ("x₃", (0.0, 1.25, 0.0)),
            ("x₂", (0.0, 0.0, 1.3)),
        ] {
            chart.draw_series(std::iter::once(Text::new(
                label,
                pos,
                (FONT, 20).into_font().color(&INK),
            )))?;
        }
        let legend = [
            (X_COLOUR, format!("X = {}", x.patterns)),
            (X_PRIME_COLOUR, format!("X′ = {}", x_prime.patterns)),
            (MIRROR_COLOUR, "mirror plane x₂ = x₃ of (23)".to_string()),
        ];
        dot_legend(root, (24, 24), 18, &legend)
    })
}

/// P3: compatibility error against distance from invariance, for random matrices; the legend
/// under the plot.
pub fn prelude_compat(out: &PreludeOutput) -> Result<Svg> {
    let name = "prelude compatibility";
    let styles = [("identity", BLUE), ("tanh", ORANGE), ("sigmoid", GREEN)];
    let entries: Vec<(Key, String)> = styles
        .iter()
        .map(|(act, c)| (Key::Dot(*c), format!("φ = {act}")))
        .collect();
    let row = 24;
    let size = (SIZE.0, SIZE.1 + Legend::height(row, 1, 1));
    // The smallest error drawn: a decade under the smallest one computed (the invariant
    // matrices' errors are rounding errors, many decades under the others).
    let min_err = out
        .compat_trials
        .iter()
        .map(|t| t.compat_error)
        .filter(|e| *e > 0.0)
        .fold(f64::INFINITY, f64::min);
    let floor = if min_err.is_finite() {
        libm::pow(10.0, libm::log10(min_err).floor() - 1.0)
    } else {
        1e-18
    };
    svg_sized(name, size, |root| {
        let (plot, foot) = root.split_vertically(SIZE.1);
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
        let mut chart = chart(&plot, 78)
            .build_cartesian_2d(0.0..max_defect.max(1e-9), (floor..max_err).log_scale())?;
        mesh(
            &mut chart,
            "distance from invariance  maxₛ ‖W − s·W‖",
            "compatibility error  max ‖φ(W s·x) − s·φ(Wx)‖",
            18,
        )
        .y_label_formatter(&|v| log_tick(*v))
        .draw()?;
        for (act, color) in styles {
            let pts: Vec<(f64, f64)> = out
                .compat_trials
                .iter()
                .filter(|t| t.activation == act)
                .map(|t| (t.defect, t.compat_error.max(floor)))
                .collect();
            chart.draw_series(
                pts.iter()
                    .map(|&p| Circle::new(p, 3, color.mix(0.7).filled())),
            )?;
        }
        // Name the cluster of the invariant matrices at distance 0, whose errors are rounding
        // errors many decades under the others'.
        let invariant_max = out
            .compat_trials
            .iter()
            .filter(|t| t.defect == 0.0)
            .map(|t| t.compat_error.max(floor))
            .fold(0.0, f64::max);
        if invariant_max > 0.0 {
            let style = (FONT, 16)
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Center));
            chart.draw_series(std::iter::once(
                EmptyElement::at((0.0, invariant_max))
                    + Text::new(
                        format!(
                            "Σ-invariant W (distance 0): rounding errors only, ≤ {}",
                            log_tick(libm::pow(10.0, libm::log10(invariant_max).ceil()))
                        ),
                        (14, 0),
                        style,
                    ),
            ))?;
        }
        Legend {
            at: (92, 8 + row / 2),
            column: 200,
            row,
            font: 16,
            keys: COMPACT,
        }
        .by_rows(&foot, 3, &entries)
    })
}

/// The colour of the k-th basin of the orbit-flow figure (by the order of the fixed points).
const BASINS: [Colour; 4] = [BLUE, GREEN, ORANGE, SKY];

/// P4: trajectories of the invariant sigmoid network seen along x₁ (the (x₂, x₃) plane), each
/// coloured by the fixed point it ends nearest to, the mirror line x₂ = x₃ (dashed, over the
/// data) and the fixed points by type; the legend under the plot.
pub fn prelude_orbit_flow(out: &PreludeOutput) -> Result<Svg> {
    let name = "prelude orbit flow";
    let st = &out.stability;
    let types = [
        (Stability::Attractor, "attracting fixed point", INK),
        (Stability::Saddle, "saddle", VERMILION),
        (Stability::Repeller, "repelling fixed point", PINK),
        (Stability::Marginal, "marginal fixed point", GREY),
    ];
    // Each trajectory takes the colour of the fixed point its last iterate is closest to.
    let targets: Vec<&Vec<f64>> = st.fixed_points.iter().map(|p| &p.point.x).collect();
    let reached: Vec<usize> = st
        .trajectories
        .iter()
        .filter_map(|traj| traj.last())
        .map(|last| {
            targets
                .iter()
                .enumerate()
                .min_by(|a, b| dist(a.1, last).total_cmp(&dist(b.1, last)))
                .map_or(0, |(k, _)| k)
        })
        .collect();
    let mut entries = vec![(
        Key::Dashed(MIRROR_COLOUR),
        "mirror line x₂ = x₃ of (23)".to_string(),
    )];
    for (stab, label, color) in types {
        if st.fixed_points.iter().any(|p| p.point.stability == stab) {
            entries.push((Key::Triangle(color), label.to_string()));
        }
    }
    for (k, p) in st.fixed_points.iter().enumerate() {
        let n = reached.iter().filter(|r| **r == k).count();
        if n > 0 {
            entries.push((
                Key::Line(BASINS[k % BASINS.len()]),
                format!(
                    "{n} trajectories ending at (x₂, x₃) = ({}, {})",
                    crate::fmt::fixed(p.point.x[1], 2),
                    crate::fmt::fixed(p.point.x[2], 2)
                ),
            ));
        }
    }
    let row = 24;
    let size = (SIZE.0, SIZE.1 + Legend::height(row, entries.len(), 2));
    svg_sized(name, size, |root| {
        let (plot, foot) = root.split_vertically(SIZE.1);
        let mut chart = x2_x3_chart(&plot)?;
        mesh(&mut chart, "x₂", "x₃", 20).draw()?;
        for (traj, &k) in st
            .trajectories
            .iter()
            .filter(|t| !t.is_empty())
            .zip(&reached)
        {
            let color = BASINS[k % BASINS.len()];
            chart.draw_series(LineSeries::new(
                traj.iter().map(|v| (v[1], v[2])),
                color.mix(0.45).stroke_width(1),
            ))?;
            chart.draw_series(std::iter::once(Circle::new(
                (traj[0][1], traj[0][2]),
                2,
                color.mix(0.6).filled(),
            )))?;
        }
        chart.draw_series(DashedLineSeries::new(
            [(0.0, 0.0), (1.0, 1.0)],
            9,
            6,
            MIRROR_COLOUR.stroke_width(3),
        ))?;
        for (stab, _, color) in types {
            chart.draw_series(
                st.fixed_points
                    .iter()
                    .filter(|p| p.point.stability == stab)
                    .map(|p| TriangleMarker::new((p.point.x[1], p.point.x[2]), 9, color.filled())),
            )?;
        }
        Legend {
            at: (72, 8 + row / 2),
            column: 320,
            row,
            font: 16,
            keys: COMPACT,
        }
        .by_rows(&foot, 2, &entries)
    })
}

/// The Euclidean distance between two points.
fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(p, q)| (p - q).powi(2))
        .sum::<f64>()
        .sqrt()
}
