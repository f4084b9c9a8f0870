//! Figures of the nonlinear chapter (paper §3.2): the flow fields of Fig. 1 (middle and right)
//! in 3D and seen along x₁, the paper's three-panel Fig. 1 recomposed, the sigmoid's fall onto
//! the line between its attractors, the tanh diagonal along training, and φ, φ' where the
//! networks work.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    BLUE, FONT, GREEN, GREY, ORANGE, PURPLE, Svg, VERMILION, exp_tick, plot_err, svg_sized,
};
use crate::Result;
use crate::chapters::nonlinear::{ActivationKind, FixedPointInfo, Flow, LineStat, Output};
use crate::dynamics::Stability;

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
/// Trajectories and the fixed points to mark, of one panel.
type Panel<'a> = (&'a [Vec<Vec<f64>>], Vec<(Vec<f64>, Stability)>);
/// A curve of the line figure: label, colour, dashed?, and the statistic it draws.
type LineSeriesSpec = (&'static str, RGBColor, bool, fn(&LineStat) -> f64);

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
fn style_of(s: Stability) -> (RGBColor, &'static str) {
    match s {
        Stability::Attractor => (BLACK, "attracting fixed point"),
        Stability::Saddle => (VERMILION, "saddle"),
        Stability::Repeller => (ORANGE, "repelling fixed point"),
        Stability::Marginal => (GREY, "marginal fixed point"),
    }
}

/// Colours of the basins, in the order of the fixed points.
const BASIN: [RGBColor; 5] = [BLUE, GREEN, PURPLE, ORANGE, GREY];

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
fn basin_color(fps: &[FixedPointInfo], k: usize) -> RGBColor {
    let rank = fps[..k].iter().filter(|f| f.basin > 0).count();
    BASIN[rank % BASIN.len()]
}

/// One 3D flow panel: trajectories (x₂, x₁, x₃) with x₁ vertical, so the training plane
/// x₁ = 0 is the floor; fixed points in the cube marked by type.
fn flow_panel(
    area: &Area<'_>,
    name: &str,
    trajectories: &[Vec<Vec<f64>>],
    fixed: &[(Vec<f64>, Stability)],
    font: u32,
    scale: f64,
) -> Result<()> {
    let e = plot_err(name);
    let at = |v: &[f64]| {
        (
            v.get(1).copied().unwrap_or(0.0),
            v.first().copied().unwrap_or(0.0),
            v.get(2).copied().unwrap_or(0.0),
        )
    };
    let max_of = |i: usize| {
        trajectories
            .iter()
            .flatten()
            .filter_map(|v| v.get(i).copied())
            .fold(1.0, f64::max)
    };
    let (m1, m2, m3) = (max_of(0), max_of(1), max_of(2));
    let mut chart = ChartBuilder::on(area)
        .margin(8)
        .build_cartesian_3d(-0.1..m2 + 0.1, -0.05..m1 + 0.05, -0.1..m3 + 0.1)
        .map_err(&e)?;
    chart.with_projection(|mut p| {
        p.yaw = 0.45;
        p.pitch = 0.35;
        p.scale = scale;
        p.into_matrix()
    });
    chart
        .configure_axes()
        .label_style((FONT, font - 3))
        .light_grid_style(GREY.mix(0.12))
        .bold_grid_style(GREY.mix(0.3))
        .max_light_lines(1)
        .x_labels(5)
        .y_labels(3)
        .z_labels(4)
        .draw()
        .map_err(&e)?;
    let floor = vec![
        (0.0, 0.0, 0.0),
        (m2, 0.0, 0.0),
        (m2, 0.0, m3),
        (0.0, 0.0, m3),
    ];
    chart
        .draw_series(std::iter::once(Polygon::new(
            floor,
            PURPLE.mix(0.15).filled(),
        )))
        .map_err(&e)?;
    for traj in trajectories {
        chart
            .draw_series(LineSeries::new(
                traj.iter().map(|v| at(v)),
                BLUE.mix(0.4).stroke_width(1),
            ))
            .map_err(&e)?;
        if let Some(s) = traj.first() {
            chart
                .draw_series(std::iter::once(Circle::new(at(s), 2, BLUE.filled())))
                .map_err(&e)?;
        }
    }
    for (x, s) in fixed {
        let (color, _) = style_of(*s);
        let p = at(x);
        match s {
            Stability::Attractor => chart
                .draw_series(std::iter::once(Circle::new(p, 8, color.filled())))
                .map(|_| ()),
            _ => chart
                .draw_series(std::iter::once(TriangleMarker::new(p, 9, color.filled())))
                .map(|_| ()),
        }
        .map_err(&e)?;
    }
    let (xm, ym, zm) = ((m2 - 0.1) / 2.0, m1 / 2.0, (m3 - 0.1) / 2.0);
    for (label, pos) in [
        ("x₂", (xm, -0.05, m3 + 0.55)),
        ("x₁", (-0.1, ym, m3 + 0.45)),
        ("x₃", (m2 + 0.6, -0.05, zm)),
    ] {
        chart
            .draw_series(std::iter::once(Text::new(
                label,
                pos,
                (FONT, font + 3).into_font().color(&BLACK),
            )))
            .map_err(&e)?;
    }
    Ok(())
}

fn in_cube_points(flow: &Flow) -> Vec<(Vec<f64>, Stability)> {
    flow.fixed_points
        .iter()
        .filter(|f| f.in_cube)
        .map(|f| (f.x.clone(), f.stability))
        .collect()
}

/// The marker of a legend entry.
#[derive(Clone, Copy)]
enum Key {
    Line(RGBColor),
    Dashed(RGBColor),
    Swatch(RGBColor),
    Dot(RGBColor),
    Triangle(RGBColor),
    /// A basin's colour behind a fixed point's marker.
    SwatchDot(RGBColor, RGBColor),
    SwatchTriangle(RGBColor, RGBColor),
}

/// Legend entries laid out row by row in `columns` columns of `width` pixels, rows of `row`
/// pixels, starting at pixel `origin` of `area` (outside the plotting area, so it never hides
/// data).
fn legend(
    area: &Area<'_>,
    name: &str,
    origin: (i32, i32),
    (width, row, columns): (i32, i32, usize),
    entries: &[(Key, String)],
    font: u32,
) -> Result<()> {
    let e = plot_err(name);
    let style = (FONT, font)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (k, (key, text)) in entries.iter().enumerate() {
        let x = origin.0 + width * (k % columns.max(1)) as i32;
        let y = origin.1 + row * (k / columns.max(1)) as i32;
        match *key {
            Key::Line(c) => area.draw(&PathElement::new([(x, y), (x + 24, y)], c.stroke_width(3))),
            Key::Dashed(c) => area.draw(&DashedPathElement::new(
                vec![(x, y), (x + 24, y)],
                6,
                3,
                c.stroke_width(2),
            )),
            Key::Swatch(c) => area.draw(&Rectangle::new(
                [(x, y - 7), (x + 24, y + 7)],
                c.mix(0.45).filled(),
            )),
            Key::Dot(c) => area.draw(&Circle::new((x + 12, y), 6, c.filled())),
            Key::Triangle(c) => area.draw(&TriangleMarker::new((x + 12, y), 8, c.filled())),
            Key::SwatchDot(b, c) => area
                .draw(&Rectangle::new(
                    [(x, y - 7), (x + 24, y + 7)],
                    b.mix(0.6).filled(),
                ))
                .and_then(|_| area.draw(&Circle::new((x + 12, y), 6, c.filled()))),
            Key::SwatchTriangle(b, c) => area
                .draw(&Rectangle::new(
                    [(x, y - 7), (x + 24, y + 7)],
                    b.mix(0.6).filled(),
                ))
                .and_then(|_| area.draw(&TriangleMarker::new((x + 12, y), 8, c.filled()))),
        }
        .map_err(&e)?;
        area.draw(&Text::new(text.clone(), (x + 32, y), style.clone()))
            .map_err(&e)?;
    }
    Ok(())
}

/// Two decimals, never "-0.00".
fn f2(x: f64) -> String {
    let s = format!("{x:.2}");
    if s == "-0.00" { "0.00".into() } else { s }
}

/// The paper's Fig. 1 recomposed: linear | sigmoid | tanh, the same grid and iterations.
fn fig1(out: &Output) -> Result<Svg> {
    let name = "nonlinear fig1";
    svg_sized(name, (1200, 530), |root| {
        let e = plot_err(name);
        let (body, foot) = root.split_vertically(450);
        // Room on the right for the last panel's axis name.
        let body = body.margin(0, 0, 0, 30);
        let panels = body.split_evenly((1, 3));
        let titles = [
            "linear".to_string(),
            format!("sigmoid (c = {})", out.params.sigmoid_c),
            format!("tanh (c = {})", out.params.tanh_c),
        ];
        let (sig, tanh) = (&out.flows.sigmoid, &out.flows.tanh);
        let data: [Panel<'_>; 3] = [
            (&out.linear_flow.trajectories, Vec::new()),
            (&sig.trajectories, in_cube_points(sig)),
            (&tanh.trajectories, in_cube_points(tanh)),
        ];
        for ((panel, title), (traj, fixed)) in panels.iter().zip(&titles).zip(&data) {
            let inner = panel.titled(title, (FONT, 30)).map_err(&e)?;
            flow_panel(&inner, name, traj, fixed, 19, 0.74)?;
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
            (Key::Dot(BLACK), "attracting fixed point".to_string()),
            (Key::Triangle(VERMILION), "saddle".to_string()),
            (Key::Swatch(PURPLE), "training plane x₁ = 0".to_string()),
        ];
        legend(&foot, name, (30, 24), (640, 34, 2), &entries, 21)?;
        Ok(())
    })
}

/// One network's flow in 3D with its fixed points in the cube, by type.
fn flow_single(out: &Output, flow: &Flow) -> Result<Svg> {
    let name = "nonlinear flow 3d";
    svg_sized(name, (760, 560), |root| {
        let fixed = in_cube_points(flow);
        flow_panel(root, name, &flow.trajectories, &fixed, 15, 0.8)?;
        let mut kinds: Vec<Stability> = fixed.iter().map(|f| f.1).collect();
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
        legend(root, name, (16, 22), (300, 26, 1), &entries, 17)?;
        Ok(())
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
        let e = plot_err(name);
        let (body, foot) = root.split_vertically(600);
        let mut chart = ChartBuilder::on(&body)
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
            .light_line_style(GREY.mix(0.1))
            .draw()
            .map_err(&e)?;
        for (traj, end) in flow.trajectories.iter().zip(&flow.endpoints) {
            let k = nearest(fps, end);
            let color = basin_color(fps, k);
            chart
                .draw_series(LineSeries::new(
                    traj.iter().map(|v| (v[1], v[2])),
                    color.mix(0.45).stroke_width(1),
                ))
                .map_err(&e)?;
            if let Some(s) = traj.first() {
                chart
                    .draw_series(std::iter::once(Circle::new(
                        (s[1], s[2]),
                        3,
                        color.mix(0.8).filled(),
                    )))
                    .map_err(&e)?;
            }
        }
        let mut entries = Vec::new();
        for &(k, f) in &shown {
            let (color, label) = style_of(f.stability);
            let p = (f.x[1], f.x[2]);
            let basin = if f.basin > 0 {
                basin_color(fps, k)
            } else {
                WHITE
            };
            if f.stability == Stability::Attractor {
                chart
                    .draw_series(std::iter::once(Circle::new(p, 9, color.filled())))
                    .map_err(&e)?;
                entries.push((Key::SwatchDot(basin, color), String::new()));
            } else {
                chart
                    .draw_series(std::iter::once(TriangleMarker::new(p, 10, color.filled())))
                    .map_err(&e)?;
                entries.push((Key::SwatchTriangle(basin, color), String::new()));
            }
            if let Some(last) = entries.last_mut() {
                last.1 = format!(
                    "{label} at ({}, {}, {}): reached by {} of the {} grid starts",
                    f2(f.x[0]),
                    f2(f.x[1]),
                    f2(f.x[2]),
                    f.basin,
                    flow.endpoints.len()
                );
            }
        }
        legend(&foot, name, (70, 18), (680, 30, 1), &entries, 16)?;
        Ok(())
    })
}

/// N4: distance of the sigmoid's iterates from the line through its two attractors and from
/// the nearest attractor, against n (log₁₀ on a linear axis).
fn line(out: &Output) -> Result<Svg> {
    let name = "nonlinear line";
    let floor: f64 = 1e-17;
    let lg = |v: f64| v.max(floor).log10();
    let flow = [&out.flows.sigmoid, &out.flows.tanh]
        .into_iter()
        .find(|f| !f.line.is_empty());
    svg_sized(name, (760, 520), |root| {
        let e = plot_err(name);
        let Some(flow) = flow else {
            return Ok(());
        };
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
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(78)
            .build_cartesian_2d(0.0..nmax, lg(bottom).floor() - 0.3..lg(top) + 0.6)
            .map_err(&e)?;
        chart
            .configure_mesh()
            .x_desc("iteration n")
            .y_desc("distance")
            .axis_desc_style((FONT, 19))
            .label_style((FONT, 15))
            .y_labels(14)
            .max_light_lines(1)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| exp_tick(*v))
            .draw()
            .map_err(&e)?;
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
        for (label, color, dashed, get) in series {
            let pts: Vec<(f64, f64)> = flow.line.iter().map(|l| (l.n as f64, lg(get(l)))).collect();
            if dashed {
                chart
                    .draw_series(DashedLineSeries::new(pts, 8, 5, color.stroke_width(2)))
                    .map_err(&e)?
                    .label(label)
                    .legend(move |(x, y)| {
                        DashedPathElement::new(
                            vec![(x, y), (x + 22, y)],
                            6,
                            3,
                            color.stroke_width(2),
                        )
                    });
            } else {
                chart
                    .draw_series(LineSeries::new(pts.clone(), color.stroke_width(3)))
                    .map_err(&e)?
                    .label(label)
                    .legend(move |(x, y)| {
                        PathElement::new([(x, y), (x + 22, y)], color.stroke_width(3))
                    });
                chart
                    .draw_series(pts.iter().map(|&p| Circle::new(p, 3, color.filled())))
                    .map_err(&e)?;
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .margin(12)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font((FONT, 15))
            .draw()
            .map_err(&e)?;
        Ok(())
    })
}

/// N5: the tanh network's diagonal W₂₂, W₃₃ (the eigenvalues at the origin) along training,
/// the steps at which all of Table 1 prints as in the paper, and the printed eigenvalue.
fn trace(out: &Output) -> Result<Svg> {
    let name = "nonlinear trace";
    let rep = &out.reproductions.tanh;
    svg_sized(name, (760, 520), |root| {
        let e = plot_err(name);
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
            .fold(out.tanh_eigen.printed[0], f64::max);
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..smax, (dmin - 0.05)..(dmax + 0.05))
            .map_err(&e)?;
        chart
            .configure_mesh()
            .x_desc("SGD step")
            .y_desc("W₂₂, W₃₃ = eigenvalues of the Jacobian at 0")
            .axis_desc_style((FONT, 18))
            .label_style((FONT, 15))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.2}"))
            .draw()
            .map_err(&e)?;
        if let Some((a, b)) = rep.window {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(a as f64, dmin - 0.05), (b as f64, dmax + 0.05)],
                    GREEN.mix(0.18).filled(),
                )))
                .map_err(&e)?
                .label(format!(
                    "all of Table 1 prints as in the paper (steps {a}–{b})"
                ))
                .legend(|(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 22, y + 6)], GREEN.mix(0.4).filled())
                });
        }
        for (k, color) in [(0usize, BLUE), (1, ORANGE)] {
            chart
                .draw_series(LineSeries::new(
                    rep.trace
                        .iter()
                        .map(|t| (t.step as f64, if k == 0 { t.diag.0 } else { t.diag.1 })),
                    color.stroke_width(2),
                ))
                .map_err(&e)?
                .label(if k == 0 { "W₂₂" } else { "W₃₃" })
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 22, y)], color.stroke_width(2))
                });
        }
        let printed = out.tanh_eigen.printed[0];
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, printed), (smax, printed)],
                10,
                6,
                BLACK.stroke_width(2),
            ))
            .map_err(&e)?
            .label(format!("printed eigenvalues {printed}"))
            .legend(|(x, y)| {
                DashedPathElement::new(vec![(x, y), (x + 22, y)], 6, 3, BLACK.stroke_width(2))
            });
        let s = rep.steps as f64;
        chart
            .draw_series(std::iter::once(PathElement::new(
                [(s, dmin - 0.05), (s, dmax + 0.05)],
                VERMILION.stroke_width(2),
            )))
            .map_err(&e)?
            .label(format!(
                "the network of Table 1 and Fig. 1 (step {})",
                rep.steps
            ))
            .legend(|(x, y)| {
                PathElement::new(
                    [(x + 11, y - 7), (x + 11, y + 7)],
                    VERMILION.stroke_width(2),
                )
            });
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .margin(12)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font((FONT, 15))
            .draw()
            .map_err(&e)?;
        Ok(())
    })
}

/// N6: φ and φ' of both activations over the pre-activations the networks use, the windows
/// where linearity is measured, and the pre-activations of the eight patterns.
fn activations(out: &Output) -> Result<Svg> {
    let name = "nonlinear activations";
    svg_sized(name, (1200, 720), |root| {
        let e = plot_err(name);
        let (body, foot) = root.split_vertically(500);
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
                (out.tanh, format!("tanh(z − c), c = {}", out.params.tanh_c))
            } else {
                (
                    out.sigmoid,
                    format!("1/(1 + e^(−cz)), c = {}", out.params.sigmoid_c),
                )
            };
            let mut chart = ChartBuilder::on(panel)
                .caption(title, (FONT, 28))
                .margin(14)
                .x_label_area_size(56)
                .y_label_area_size(64)
                .build_cartesian_2d(lo..hi, (ymin - 0.05)..(ymax + 0.05))
                .map_err(&e)?;
            chart
                .configure_mesh()
                .x_desc("pre-activation z = (Wx)ᵢ")
                .axis_desc_style((FONT, 22))
                .label_style((FONT, 18))
                .light_line_style(GREY.mix(0.1))
                .x_label_formatter(&|v| {
                    f2(*v)
                        .trim_end_matches('0')
                        .trim_end_matches('.')
                        .to_string()
                })
                .y_label_formatter(&|v| f2(*v))
                .draw()
                .map_err(&e)?;
            let mut entries = Vec::new();
            for p in out.linearity.points.get(curve.activation) {
                let color = if p.target == 0 { GREEN } else { ORANGE };
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(p.z - h, ymin - 0.05), (p.z + h, ymax + 0.05)],
                        color.mix(0.16).filled(),
                    )))
                    .map_err(&e)?;
                entries.push((
                    Key::Swatch(color),
                    format!(
                        "z ± {h} where it outputs {}: φ' varies ×{:.2}",
                        p.target, p.slope_ratio
                    ),
                ));
            }
            chart
                .draw_series(LineSeries::new(
                    curve.points.iter().map(|p| (p.0, p.1)),
                    BLUE.stroke_width(3),
                ))
                .map_err(&e)?;
            chart
                .draw_series(DashedLineSeries::new(
                    curve.points.iter().map(|p| (p.0, p.2)),
                    8,
                    5,
                    VERMILION.stroke_width(2),
                ))
                .map_err(&e)?;
            let dots: Vec<(f64, f64)> = curve
                .pattern_z
                .iter()
                .flatten()
                .map(|&z| (z, act.apply(z)))
                .collect();
            chart
                .draw_series(dots.iter().map(|&p| Circle::new(p, 4, BLACK.filled())))
                .map_err(&e)?;
            entries.push((Key::Line(BLUE), "φ(z)".to_string()));
            entries.push((Key::Dashed(VERMILION), "φ'(z)".to_string()));
            entries.push((
                Key::Dot(BLACK),
                format!("the {} units of Table 1's patterns", dots.len()),
            ));
            legend(foot, name, (40, 20), (540, 36, 1), &entries, 20)?;
        }
        Ok(())
    })
}
