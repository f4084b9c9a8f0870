//! Figures of the prelude (paper §2): the training sets on the cube, the compatibility of a
//! network with a symmetry, and the flow of an invariant network seen along x₁.

use plotters::prelude::*;

use super::common::{chart, dot_legend, mesh, series_labels, x2_x3_chart};
use super::{BLUE, FONT, GREEN, GREY, ORANGE, PURPLE, Svg, VERMILION, svg_figure};
use crate::Result;
use crate::chapters::prelude::{Output as PreludeOutput, SetAnalysis};
use crate::dynamics::Stability;
use crate::fmt::sci_e;

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
            PURPLE.mix(0.18).filled(),
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
                (true, _) => (BLUE, 9),
                (_, true) => (VERMILION, 9),
                _ => (GREY, 4),
            };
            chart.draw_series(std::iter::once(Circle::new(at(c), size, color.filled())))?;
            chart.draw_series(std::iter::once(Text::new(
                text,
                (at(c).0, at(c).1 + 0.06, at(c).2),
                (FONT, 18).into_font().color(&BLACK),
            )))?;
        }
        for (label, pos) in [
            ("x₁", (1.12, 0.0, 0.0)),
            ("x₃", (0.0, 1.12, 0.0)),
            ("x₂", (0.0, 0.0, 1.12)),
        ] {
            chart.draw_series(std::iter::once(Text::new(
                label,
                pos,
                (FONT, 20).into_font().color(&BLACK),
            )))?;
        }
        let legend = [
            (BLUE, format!("X = {}", x.patterns)),
            (VERMILION, format!("X' = {}", x_prime.patterns)),
            (PURPLE, "mirror plane x₂ = x₃ of (23)".to_string()),
        ];
        dot_legend(root, (24, 24), 18, &legend)
    })
}

/// P3: compatibility error against distance from invariance, for random matrices.
pub fn prelude_compat(out: &PreludeOutput) -> Result<Svg> {
    let name = "prelude compatibility";
    let floor = 1e-18;
    svg_figure(name, |root| {
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
        let mut chart = chart(root, 78)
            .build_cartesian_2d(0.0..max_defect.max(1e-9), (floor..max_err).log_scale())?;
        mesh(
            &mut chart,
            "distance from invariance  max_s ‖W − s·W‖",
            "compatibility error  max ‖φ_W(s·x) − s·φ_W(x)‖",
            18,
        )
        .y_label_formatter(&|v| sci_e(*v, 0))
        .draw()?;
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
                )?
                .label(act)
                .legend(move |(x, y)| Circle::new((x + 8, y), 5, color.filled()));
        }
        series_labels(&mut chart, SeriesLabelPosition::LowerRight, 16).draw()?;
        Ok(())
    })
}

/// P4: trajectories of the invariant sigmoid network seen along x₁ (the (x₂, x₃) plane), the
/// mirror line x₂ = x₃ and the fixed points by type.
pub fn prelude_orbit_flow(out: &PreludeOutput) -> Result<Svg> {
    let name = "prelude orbit flow";
    svg_figure(name, |root| {
        let mut chart = x2_x3_chart(root)?;
        mesh(&mut chart, "x₂", "x₃", 20).draw()?;
        chart
            .draw_series(LineSeries::new(
                [(0.0, 0.0), (1.0, 1.0)],
                PURPLE.stroke_width(2),
            ))?
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
                )?
                .label(label)
                .legend(move |(x, y)| TriangleMarker::new((x + 8, y), 6, color.filled()));
        }
        series_labels(&mut chart, SeriesLabelPosition::UpperRight, 16).draw()?;
        Ok(())
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
