//! Figures of the nonlinear chapter (paper §3.2): the flow fields of Fig. 1 (middle and right)
//! in 3D and seen along x₁, the paper's three-panel Fig. 1 recomposed, the sigmoid's fall onto
//! the line between its attractors, the tanh diagonal along training, and φ, φ' where the
//! networks work.

use plotters::prelude::*;

use super::common::{
    COMPACT, FlowStyle, Key, LARGE, Legend, Mark, Shape, chart, flow_3d_panel, flow_extent, mesh,
    x2_x3_chart,
};
use super::{BLUE, Colour, FONT, GREEN, GREY, INK, ORANGE, PINK, SIZE, Svg, VERMILION, svg_sized};
use crate::Result;
use crate::chapters::nonlinear::{ActivationKind, FixedPointInfo, Flow, LineStat, Output};
use crate::dynamics::Stability;
use crate::fmt::{exponent_tick, fixed, shortest};

/// Trajectories and the fixed points to mark, of one panel.
type Panel<'a> = (&'a [Vec<Vec<f64>>], Vec<Mark>);
/// A curve of the line figure: label, colour, dashed?, and the statistic it draws.
type LineSeriesSpec = (&'static str, Colour, bool, fn(&LineStat) -> f64);

/// The nonlinear chapter's figures: (file stem, drawing).
pub fn nonlinear_figures(out: &Output) -> Result<Vec<(String, Svg)>> {
    let mut figs = vec![("nonlinear-fig1".to_string(), fig1(out)?)];
    for flow in [&out.flows.sigmoid, &out.flows.tanh] {
        figs.push((
            format!("nonlinear-flow-{}", flow.activation),
            flow_single(out, flow)?,
        ));
        figs.push((format!("nonlinear-plane-{}", flow.activation), plane(flow)?));
    }
    figs.push(("nonlinear-line".to_string(), line(out)?));
    figs.push(("nonlinear-trace".to_string(), trace(out)?));
    figs.push(("nonlinear-activations".to_string(), activations(out)?));
    Ok(figs)
}

/// Marker colour and legend text of a fixed point type.
fn style_of(s: Stability) -> (Colour, &'static str) {
    match s {
        Stability::Attractor => (INK, "attracting fixed point"),
        Stability::Saddle => (VERMILION, "saddle"),
        Stability::Repeller => (ORANGE, "repelling fixed point"),
        Stability::Marginal => (GREY, "marginal fixed point"),
    }
}

/// Colours of the basins, in the order of the fixed points.
const BASIN: [Colour; 5] = [BLUE, GREEN, PINK, ORANGE, GREY];

/// Index of the fixed point nearest to `x`.
fn nearest(fps: &[FixedPointInfo], x: &[f64]) -> usize {
    fps.iter()
        .enumerate()
        .map(|(k, f)| {
            let d: f64 = f.x.iter().zip(x).map(|(a, b)| (a - b).powi(2)).sum();
            (k, d)
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0, |(k, _)| k)
}

/// Basin colour of the fixed point with index k among those with a basin.
fn basin_color(fps: &[FixedPointInfo], k: usize) -> Colour {
    let rank = fps[..k].iter().filter(|f| f.basin > 0).count();
    BASIN[rank % BASIN.len()]
}

/// The style of a 3-D flow panel with text of `font` px (axis names 3 px larger, tick labels
/// 3 px smaller) and the projection zoomed by `scale`; the axes run over `extent` (None: the
/// panel's own trajectories).
fn flow_style(font: u32, scale: f64, extent: Option<(f64, f64, f64)>) -> FlowStyle {
    FlowStyle {
        margin: 8,
        scale,
        tick_font: font - 3,
        axis_font: font + 3,
        mark_font: font,
        floor_alpha: 0.15,
        line_alpha: 0.4,
        extent,
    }
}

/// The fixed points in the unit cube, the ones the figures mark.
fn in_cube(flow: &Flow) -> impl Iterator<Item = &FixedPointInfo> {
    flow.fixed_points.iter().filter(|f| f.in_cube)
}

/// The marks of the fixed points in the cube: attractors as dots, the others as triangles.
fn in_cube_marks(flow: &Flow) -> Vec<Mark> {
    in_cube(flow)
        .map(|f| {
            let (color, _) = style_of(f.stability);
            let shape = match f.stability {
                Stability::Attractor => Shape::Dot(8, color),
                _ => Shape::Triangle(9, color),
            };
            Mark {
                x: f.x.clone(),
                shape,
                label: None,
            }
        })
        .collect()
}

/// The paper's Fig. 1 recomposed: linear | sigmoid | tanh, the same grid and iterations, the
/// three panels on the same axes (the largest extent of the three), the legend under them.
fn fig1(out: &Output) -> Result<Svg> {
    let name = "nonlinear fig1";
    let (width, body_h) = (1050, 410);
    let row = 32;
    let size = (width, body_h + Legend::height(row, 4, 2));
    svg_sized(name, size, |root| {
        let (body, foot) = root.split_vertically(body_h);
        // Room on the right for the last panel's axis name.
        let body = body.margin(0, 0, 10, 10);
        let panels = body.split_evenly((1, 3));
        let titles = [
            "linear".to_string(),
            format!("sigmoid (c = {})", shortest(out.params.sigmoid_c)),
            format!("tanh (c = {})", shortest(out.params.tanh_c)),
        ];
        let (sig, tanh) = (&out.flows.sigmoid, &out.flows.tanh);
        let data: [Panel<'_>; 3] = [
            (&out.linear_flow.trajectories, Vec::new()),
            (&sig.trajectories, in_cube_marks(sig)),
            (&tanh.trajectories, in_cube_marks(tanh)),
        ];
        let extent = flow_extent(&[data[0].0, data[1].0, data[2].0]);
        for ((panel, title), (traj, fixed)) in panels.iter().zip(&titles).zip(&data) {
            let inner = panel.titled(title, (FONT, 24))?;
            let mut style = flow_style(23, 0.8, Some(extent));
            style.margin = 14;
            flow_3d_panel(&inner, traj, fixed, &style)?;
        }
        let entries = [
            (
                Key::Line(BLUE),
                format!(
                    "{} trajectories x ← φ(Wx) from a {}×{}×{} grid, n = 0 … {}",
                    out.linear_flow.trajectories.len(),
                    out.params.flow_grid,
                    out.params.flow_grid,
                    out.params.flow_grid,
                    out.params.flow_steps
                ),
            ),
            (Key::Swatch(PINK), "training plane x₁ = 0".to_string()),
            (Key::Dot(INK), "attracting fixed point".to_string()),
            (Key::Triangle(VERMILION), "saddle".to_string()),
        ];
        Legend {
            at: (30, 8 + row / 2),
            column: 620,
            row,
            font: 20,
            keys: LARGE,
        }
        .by_rows(&foot, 2, &entries)
    })
}

/// One network's flow in 3D with its fixed points in the cube, by type.
fn flow_single(out: &Output, flow: &Flow) -> Result<Svg> {
    let name = "nonlinear flow 3d";
    svg_sized(name, (760, 560), |root| {
        let marks = in_cube_marks(flow);
        flow_3d_panel(root, &flow.trajectories, &marks, &flow_style(17, 0.8, None))?;
        let mut kinds: Vec<Stability> = in_cube(flow).map(|f| f.stability).collect();
        kinds.sort_by_key(|s| *s as u8);
        kinds.dedup();
        let mut entries = vec![(
            Key::Line(BLUE),
            format!(
                "{} trajectories x ← φ(Wx), n = 0 … {}",
                flow.trajectories.len(),
                out.params.flow_steps
            ),
        )];
        for s in kinds {
            let (color, text) = style_of(s);
            let key = if s == Stability::Attractor {
                Key::Dot(color)
            } else {
                Key::Triangle(color)
            };
            entries.push((key, text.to_string()));
        }
        Legend {
            at: (16, 22),
            column: 300,
            row: 26,
            font: 17,
            keys: LARGE,
        }
        .by_rows(root, 1, &entries)
    })
}

/// The flow seen along x₁: (x₂, x₃) of every trajectory, coloured by the fixed point its
/// start reaches at n = flow_fixed_steps, with the fixed points by type.
fn plane(flow: &Flow) -> Result<Svg> {
    let name = "nonlinear plane";
    let fps = &flow.fixed_points;
    let shown: Vec<(usize, &FixedPointInfo)> =
        fps.iter().enumerate().filter(|(_, f)| f.in_cube).collect();
    let foot_h = 30 * shown.len() as u32 + 24;
    svg_sized(name, (760, 600 + foot_h), |root| {
        let (body, foot) = root.split_vertically(600);
        let mut chart = x2_x3_chart(&body)?;
        mesh(&mut chart, "x₂", "x₃", 20)
            .light_line_style(GREY.mix(0.1))
            .draw()?;
        for (traj, end) in flow.trajectories.iter().zip(&flow.endpoints) {
            let k = nearest(fps, end);
            let color = basin_color(fps, k);
            chart.draw_series(LineSeries::new(
                traj.iter().map(|v| (v[1], v[2])),
                color.mix(0.45).stroke_width(1),
            ))?;
            if let Some(s) = traj.first() {
                chart.draw_series(std::iter::once(Circle::new(
                    (s[1], s[2]),
                    3,
                    color.mix(0.8).filled(),
                )))?;
            }
        }
        let mut entries = Vec::new();
        for &(k, f) in &shown {
            let (color, label) = style_of(f.stability);
            let p = (f.x[1], f.x[2]);
            let basin = (f.basin > 0).then(|| basin_color(fps, k));
            if f.stability == Stability::Attractor {
                chart.draw_series(std::iter::once(Circle::new(p, 9, color.filled())))?;
                entries.push((
                    basin.map_or(Key::Dot(color), |b| Key::SwatchDot(b, color)),
                    String::new(),
                ));
            } else {
                chart.draw_series(std::iter::once(TriangleMarker::new(p, 10, color.filled())))?;
                entries.push((
                    basin.map_or(Key::Triangle(color), |b| Key::SwatchTriangle(b, color)),
                    String::new(),
                ));
            }
            if let Some(last) = entries.last_mut() {
                last.1 = format!(
                    "{label} at ({}, {}, {}): reached by {} of the {} grid starts",
                    fixed(f.x[0], 2),
                    fixed(f.x[1], 2),
                    fixed(f.x[2], 2),
                    f.basin,
                    flow.endpoints.len()
                );
            }
        }
        Legend {
            at: (70, 18),
            column: 680,
            row: 30,
            font: 16,
            keys: LARGE,
        }
        .by_rows(&foot, 1, &entries)
    })
}

/// N4: distance of the sigmoid's iterates from the line through its two attractors and from
/// the nearest attractor, against n (log₁₀ on a linear axis); the legend under the plot.
fn line(out: &Output) -> Result<Svg> {
    let name = "nonlinear line";
    let floor: f64 = 1e-17;
    let lg = |v: f64| libm::log10(v.max(floor));
    let flow = [&out.flows.sigmoid, &out.flows.tanh]
        .into_iter()
        .find(|f| !f.line.is_empty());
    let series: [LineSeriesSpec; 4] = [
        (
            "to the line between the attractors, median",
            BLUE,
            false,
            |l| l.line_median,
        ),
        ("to the line, largest", BLUE, true, |l| l.line_max),
        ("to the nearest attractor, median", VERMILION, false, |l| {
            l.attractor_median
        }),
        ("to the nearest attractor, largest", VERMILION, true, |l| {
            l.attractor_max
        }),
    ];
    let entries: Vec<(Key, String)> = series
        .iter()
        .map(|(label, c, dashed, _)| {
            let key = if *dashed {
                Key::Dashed(*c)
            } else {
                Key::Line(*c)
            };
            (key, label.to_string())
        })
        .collect();
    let row = 24;
    let size = (SIZE.0, SIZE.1 + Legend::height(row, entries.len(), 2));
    svg_sized(name, size, |root| {
        let Some(flow) = flow else {
            return Ok(());
        };
        let (plot, foot) = root.split_vertically(SIZE.1);
        let nmax = flow.line.last().map_or(1, |l| l.n) as f64;
        let top = flow
            .line
            .iter()
            .map(|l| l.attractor_max.max(l.line_max))
            .fold(1.0, f64::max);
        let bottom = flow
            .line
            .iter()
            .map(|l| l.line_median.min(l.attractor_median))
            .fold(1.0, f64::min);
        let mut chart = chart(&plot, 78)
            .build_cartesian_2d(0.0..nmax, lg(bottom).floor() - 0.3..lg(top) + 0.6)?;
        mesh(&mut chart, "iteration n", "distance", 19)
            .y_labels(14)
            .max_light_lines(1)
            .x_label_formatter(&|v| fixed(*v, 0))
            .y_label_formatter(&|v| exponent_tick(*v))
            .draw()?;
        for (_, color, dashed, get) in series {
            let pts: Vec<(f64, f64)> = flow.line.iter().map(|l| (l.n as f64, lg(get(l)))).collect();
            if dashed {
                chart.draw_series(DashedLineSeries::new(pts, 8, 5, color.stroke_width(2)))?;
            } else {
                chart.draw_series(LineSeries::new(pts.clone(), color.stroke_width(3)))?;
                chart.draw_series(pts.iter().map(|&p| Circle::new(p, 3, color.filled())))?;
            }
        }
        Legend {
            at: (80, 8 + row / 2),
            column: 340,
            row,
            font: 15,
            keys: COMPACT,
        }
        .by_rows(&foot, 2, &entries)
    })
}

/// N5: the tanh network's diagonal W₂₂, W₃₃ (the eigenvalues at the origin) along training,
/// the steps at which all of Table 1 prints as in the paper, and the printed eigenvalue; the
/// legend under the plot.
fn trace(out: &Output) -> Result<Svg> {
    let name = "nonlinear trace";
    let rep = &out.reproductions.tanh;
    let printed = out.tanh_eigen.printed[0];
    let mut entries = Vec::new();
    if let Some((a, b)) = rep.window {
        entries.push((
            Key::Swatch(GREEN),
            format!("all of Table 1 prints as in the paper (steps {a}–{b})"),
        ));
    }
    entries.extend([
        (Key::Line(BLUE), "W₂₂".to_string()),
        (Key::Dashed(ORANGE), "W₃₃".to_string()),
        (
            Key::Dashed(INK),
            format!("printed eigenvalues {}", shortest(printed)),
        ),
        (
            Key::Line(VERMILION),
            format!("the network of Table 1 and Fig. 1 (step {})", rep.steps),
        ),
    ]);
    let row = 24;
    let size = (SIZE.0, SIZE.1 + Legend::height(row, entries.len(), 1));
    svg_sized(name, size, |root| {
        let (plot, foot) = root.split_vertically(SIZE.1);
        let smax = rep.trace.last().map_or(1, |t| t.step) as f64;
        let dmin = rep
            .trace
            .iter()
            .map(|t| t.diag.0.min(t.diag.1))
            .fold(f64::INFINITY, f64::min);
        let dmax = rep
            .trace
            .iter()
            .map(|t| t.diag.0.max(t.diag.1))
            .fold(printed, f64::max);
        let mut chart =
            chart(&plot, 70).build_cartesian_2d(0.0..smax, (dmin - 0.05)..(dmax + 0.05))?;
        mesh(
            &mut chart,
            "SGD step",
            "W₂₂, W₃₃ = eigenvalues of the Jacobian at 0",
            18,
        )
        .x_label_formatter(&|v| fixed(*v, 0))
        .y_label_formatter(&|v| fixed(*v, 2))
        .draw()?;
        if let Some((a, b)) = rep.window {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(a as f64, dmin - 0.05), (b as f64, dmax + 0.05)],
                GREEN.mix(0.18).filled(),
            )))?;
        }
        // W₃₃ dashed over W₂₂: by the mirror symmetry the two often coincide.
        chart.draw_series(LineSeries::new(
            rep.trace.iter().map(|t| (t.step as f64, t.diag.0)),
            BLUE.stroke_width(3),
        ))?;
        chart.draw_series(DashedLineSeries::new(
            rep.trace.iter().map(|t| (t.step as f64, t.diag.1)),
            8,
            6,
            ORANGE.stroke_width(2),
        ))?;
        chart.draw_series(DashedLineSeries::new(
            [(0.0, printed), (smax, printed)],
            10,
            6,
            INK.stroke_width(2),
        ))?;
        let s = rep.steps as f64;
        chart.draw_series(std::iter::once(PathElement::new(
            [(s, dmin - 0.05), (s, dmax + 0.05)],
            VERMILION.stroke_width(2),
        )))?;
        Legend {
            at: (80, 8 + row / 2),
            column: 600,
            row,
            font: 16,
            keys: COMPACT,
        }
        .by_rows(&foot, 1, &entries)
    })
}

/// N6: φ and φ' of both activations over the pre-activations the networks use, the windows
/// where linearity is measured, and the pre-activations of the eight patterns.
fn activations(out: &Output) -> Result<Svg> {
    let name = "nonlinear activations";
    svg_sized(name, (1000, 660), |root| {
        let (body, foot) = root.split_vertically(460);
        let panels = body.split_evenly((1, 2));
        let feet = foot.split_evenly((1, 2));
        let h = out.linearity.halfwidth;
        for ((panel, foot), curve) in panels
            .iter()
            .zip(&feet)
            .zip([&out.linearity.curves.tanh, &out.linearity.curves.sigmoid])
        {
            let (lo, hi) = (
                curve.points.first().map_or(-1.0, |p| p.0),
                curve.points.last().map_or(1.0, |p| p.0),
            );
            let (ymin, ymax) = curve.points.iter().fold((0.0_f64, 1.0_f64), |a, p| {
                (a.0.min(p.1).min(p.2), a.1.max(p.1).max(p.2))
            });
            let (act, title) = if curve.activation == ActivationKind::Tanh {
                (
                    out.tanh,
                    format!("tanh(z − c), c = {}", shortest(out.params.tanh_c)),
                )
            } else {
                (
                    out.sigmoid,
                    format!("1/(1 + e⁻ᶜᶻ), c = {}", shortest(out.params.sigmoid_c)),
                )
            };
            let mut chart = chart(panel, 64)
                .caption(title, (FONT, 26))
                .margin(14)
                .x_label_area_size(56)
                .build_cartesian_2d(lo..hi, (ymin - 0.05)..(ymax + 0.05))?;
            chart
                .configure_mesh()
                .x_desc("pre-activation z = (Wx)ᵢ")
                .axis_desc_style((FONT, 21))
                .label_style((FONT, 19))
                .light_line_style(GREY.mix(0.1))
                .x_label_formatter(&|v| {
                    fixed(*v, 2)
                        .trim_end_matches('0')
                        .trim_end_matches('.')
                        .to_string()
                })
                .y_label_formatter(&|v| fixed(*v, 2))
                .draw()?;
            let mut entries = Vec::new();
            for p in out.linearity.points.get(curve.activation) {
                let color = if p.target == 0 { GREEN } else { ORANGE };
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(p.z - h, ymin - 0.05), (p.z + h, ymax + 0.05)],
                    color.mix(0.16).filled(),
                )))?;
                entries.push((
                    Key::Swatch(color),
                    format!(
                        "z ± {} where it outputs {}: φ′ varies ×{}",
                        shortest(h),
                        p.target,
                        fixed(p.slope_ratio, 2)
                    ),
                ));
            }
            chart.draw_series(LineSeries::new(
                curve.points.iter().map(|p| (p.0, p.1)),
                BLUE.stroke_width(3),
            ))?;
            chart.draw_series(DashedLineSeries::new(
                curve.points.iter().map(|p| (p.0, p.2)),
                8,
                5,
                VERMILION.stroke_width(2),
            ))?;
            let dots: Vec<(f64, f64)> = curve
                .pattern_z
                .iter()
                .flatten()
                .map(|&z| (z, act.apply(z)))
                .collect();
            chart.draw_series(dots.iter().map(|&p| Circle::new(p, 4, INK.filled())))?;
            entries.push((Key::Line(BLUE), "φ(z)".to_string()));
            entries.push((Key::Dashed(VERMILION), "φ′(z)".to_string()));
            entries.push((
                Key::Dot(INK),
                format!("the {} units of Table 1's patterns", dots.len()),
            ));
            Legend {
                at: (40, 20),
                column: 480,
                row: 34,
                font: 19,
                keys: LARGE,
            }
            .by_rows(foot, 1, &entries)?;
        }
        Ok(())
    })
}
