//! Figures of the linear chapter (paper §3.1, Fig. 1 left).

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    BLUE, FONT, GREEN, GREY, ORANGE, PURPLE, SIZE, Svg, VERMILION, exp_tick, plot_err, svg_figure,
    ten_to,
};
use crate::Result;
use crate::chapters::linear::{InitId, Output, SetId};

/// Okabe–Ito sky blue, the sixth colour of the loss curves.
const SKY: RGBColor = RGBColor(86, 180, 233);

/// The training set and the initialisation whose loss curves are drawn.
const CURVE_SET: SetId = SetId::X;
const CURVE_INIT: InitId = InitId::SmallNormal;

/// The linear chapter's figures: (file stem, drawing).
pub fn linear_figures(out: &Output) -> Result<Vec<(String, Svg)>> {
    Ok(vec![
        ("linear-loss-curves".to_string(), loss_curves(out)?),
        ("linear-family".to_string(), family(out)?),
        (
            "linear-symmetry-breaking".to_string(),
            symmetry_breaking(out)?,
        ),
        ("linear-stability".to_string(), stability(out)?),
        ("linear-flow-3d".to_string(), flow_3d(out)?),
        ("linear-flow-distance".to_string(), flow_distance(out)?),
    ])
}

/// A tick label for a logarithmic axis: powers of ten as 10 with a superscript exponent.
fn pow10(v: f64) -> String {
    let e = v.log10();
    if (e - e.round()).abs() > 1e-6 {
        return format!("{v:.0e}");
    }
    ten_to(e.round() as i64)
}

/// A tick label with one decimal that never reads "-0.0".
fn tick1(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" { "0.0".to_string() } else { s }
}

/// The marker of a row of a hand-drawn legend.
#[derive(Clone, Copy)]
enum Key {
    Line(RGBColor),
    Dashed(RGBColor),
    Square(RGBColor),
    Dot(RGBColor),
    Triangle(RGBColor),
    Cross(RGBColor),
    /// A continuation line of the previous entry.
    None,
}

/// A legend drawn outside the plotting area: a white box with a black border at `origin`
/// (pixels of `area`), rows of `row` pixels in `columns` columns of `width` pixels each.
fn legend_box(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    name: &str,
    origin: (i32, i32),
    (width, row, columns): (i32, i32, usize),
    entries: &[Vec<(Key, String)>],
    font: u32,
) -> Result<()> {
    let e = plot_err(name);
    let rows = entries.iter().map(Vec::len).max().unwrap_or(0) as i32;
    let (x0, y0) = origin;
    let w = width * columns.max(1) as i32 + 8;
    let h = rows * row + 12;
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + w, y0 + h)],
        WHITE.mix(0.9).filled(),
    ))
    .map_err(&e)?;
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + w, y0 + h)],
        BLACK.stroke_width(1),
    ))
    .map_err(&e)?;
    let style = (FONT, font)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (c, column) in entries.iter().enumerate() {
        for (r, (key, text)) in column.iter().enumerate() {
            let x = x0 + 10 + width * c as i32;
            let y = y0 + 6 + row * r as i32 + row / 2;
            match *key {
                Key::Line(color) => area.draw(&PathElement::new(
                    [(x, y), (x + 24, y)],
                    color.stroke_width(2),
                )),
                Key::Dashed(color) => area.draw(&DashedPathElement::new(
                    vec![(x, y), (x + 24, y)],
                    6,
                    3,
                    color.stroke_width(2),
                )),
                Key::Square(color) => area.draw(&Rectangle::new(
                    [(x + 5, y - 6), (x + 17, y + 6)],
                    color.filled(),
                )),
                Key::Dot(color) => area.draw(&Circle::new((x + 11, y), 6, color.filled())),
                Key::Triangle(color) => {
                    area.draw(&TriangleMarker::new((x + 11, y), 7, color.filled()))
                }
                Key::Cross(color) => area.draw(&Cross::new((x + 11, y), 6, color.stroke_width(2))),
                Key::None => Ok(()),
            }
            .map_err(&e)?;
            area.draw(&Text::new(text.clone(), (x + 32, y), style.clone()))
                .map_err(&e)?;
        }
    }
    Ok(())
}

/// The colour of the i-th initialisation (in `out.init_labels` order).
fn init_color(k: usize) -> RGBColor {
    [BLUE, ORANGE, GREEN, VERMILION, PURPLE][k % 5]
}

/// F1: training loss against update step, every optimiser set-up, one set and one init.
fn loss_curves(out: &Output) -> Result<Svg> {
    let name = "linear loss curves";
    let floor: f64 = 1e-32;
    svg_figure(name, |root| {
        let e = plot_err(name);
        let (upper, lower) = root.split_vertically(SIZE.1 - 128);
        let runs: Vec<_> = out
            .setups
            .iter()
            .filter_map(|s| {
                out.runs
                    .iter()
                    .find(|r| r.set == CURVE_SET && r.init == CURVE_INIT && r.setup == *s)
                    .map(|r| (s, r))
            })
            .collect();
        let max_step = runs
            .iter()
            .flat_map(|(_, r)| r.loss_curve.iter().map(|p| p.0))
            .max()
            .unwrap_or(1) as f64
            + 1.0;
        let max_loss = runs
            .iter()
            .flat_map(|(_, r)| r.loss_curve.iter().map(|p| p.1))
            .fold(1.0, f64::max);
        let mut chart = ChartBuilder::on(&upper)
            .margin(16)
            .margin_bottom(4)
            .x_label_area_size(48)
            .y_label_area_size(78)
            .build_cartesian_2d(
                (1.0..max_step * 1.5).log_scale(),
                floor.log10() - 0.5..max_loss.log10() + 0.5,
            )
            .map_err(&e)?;
        chart
            .configure_mesh()
            .x_desc("update step")
            .y_desc("training loss (eq. 7)")
            .axis_desc_style((FONT, 19))
            .label_style((FONT, 15))
            .y_labels(9)
            .x_label_formatter(&|v| pow10(*v))
            .y_label_formatter(&|v| exp_tick(*v))
            .draw()
            .map_err(&e)?;
        // Gradient-descent set-ups get a colour each (solid); an Adam set-up is dashed and takes
        // the colour of the SGD set-up with the same batching, so colour reads as batching.
        let palette = [BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, GREY, BLACK];
        let mut next = 0;
        let mut colors: Vec<(String, RGBColor)> = Vec::new();
        for (s, _) in runs.iter().filter(|(s, _)| s.gradient_family) {
            colors.push((s.label(), palette[next % palette.len()]));
            next += 1;
        }
        let mut solid = Vec::new();
        let mut dashed = Vec::new();
        for (s, run) in &runs {
            let color = match colors.iter().find(|(l, _)| *l == s.label()) {
                Some((_, c)) => *c,
                None => {
                    let twin = s.label().replacen("Adam", "SGD", 1);
                    match colors.iter().find(|(l, _)| *l == twin) {
                        Some((_, c)) => *c,
                        None => {
                            next += 1;
                            palette[(next - 1) % palette.len()]
                        }
                    }
                }
            };
            let pts: Vec<(f64, f64)> = run
                .loss_curve
                .iter()
                .map(|&(k, l)| (k as f64 + 1.0, l.max(floor).log10()))
                .collect();
            if s.gradient_family {
                chart
                    .draw_series(LineSeries::new(pts, color.stroke_width(2)))
                    .map_err(&e)?;
                solid.push((Key::Line(color), s.label()));
            } else {
                chart
                    .draw_series(DashedLineSeries::new(pts, 7, 4, color.stroke_width(2)))
                    .map_err(&e)?;
                dashed.push((Key::Dashed(color), s.label()));
            }
        }
        dashed.push((Key::None, String::new()));
        dashed.push((
            Key::None,
            format!("init {CURVE_INIT}, training set {CURVE_SET};"),
        ));
        dashed.push((
            Key::None,
            format!(
                "a loss of 0 is drawn at {}",
                ten_to(floor.log10().round() as i64)
            ),
        ));
        legend_box(&lower, name, (82, 0), (330, 19, 2), &[solid, dashed], 14)?;
        Ok(())
    })
}

/// F2: the trained solutions on X in the paper's coordinates (b, c), the Σ-invariant family
/// b = c of eq. 6 and the printed matrices.
fn family(out: &Output) -> Result<Svg> {
    let name = "linear family";
    svg_figure(name, |root| {
        let e = plot_err(name);
        // A square plot on the left (b and c on the same scale), the legend on the right.
        let (left, right) = root.split_horizontally(SIZE.1 - 40);
        let runs: Vec<_> = out.runs.iter().filter(|r| r.set == SetId::X).collect();
        let pts = runs
            .iter()
            .map(|r| (r.trained.abc[1], r.trained.abc[2]))
            .chain(
                out.printed
                    .iter()
                    .map(|p| (p.printed_described.abc[1], p.printed_described.abc[2])),
            );
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for (b, c) in pts {
            lo = lo.min(b.min(c));
            hi = hi.max(b.max(c));
        }
        if !lo.is_finite() {
            (lo, hi) = (-1.0, 1.0);
        }
        let pad = 0.08 * (hi - lo).max(0.1);
        let (lo, hi) = (lo - pad, hi + pad);
        let mut chart = ChartBuilder::on(&left)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(64)
            .build_cartesian_2d(lo..hi, lo..hi)
            .map_err(&e)?;
        chart
            .configure_mesh()
            .x_desc("b")
            .y_desc("c")
            .axis_desc_style((FONT, 20))
            .label_style((FONT, 15))
            .max_light_lines(1)
            .x_label_formatter(&|v| tick1(*v))
            .y_label_formatter(&|v| tick1(*v))
            .draw()
            .map_err(&e)?;
        chart
            .draw_series(LineSeries::new([(lo, lo), (hi, hi)], GREY.stroke_width(2)))
            .map_err(&e)?;
        let mut legend = vec![(
            Key::Line(GREY),
            "Σ-invariant solutions (b = c, eq. 6)".to_string(),
        )];
        for (k, init) in out.inits.iter().enumerate() {
            let color = init_color(k);
            let of = |gd: bool| {
                runs.iter()
                    .filter(move |r| r.init == *init && r.gradient_family == gd)
                    .map(|r| (r.trained.abc[1], r.trained.abc[2]))
            };
            chart
                .draw_series(of(true).map(|p| Circle::new(p, 7, color.mix(0.85).filled())))
                .map_err(&e)?;
            chart
                .draw_series(of(false).map(|p| TriangleMarker::new(p, 7, color.filled())))
                .map_err(&e)?;
            legend.push((Key::Square(color), format!("init {init}")));
        }
        let n_gd = out.setups.iter().filter(|s| s.gradient_family).count();
        let n_adam = out.setups.len() - n_gd;
        legend.extend([
            (Key::Dot(BLACK), "gradient-descent family:".to_string()),
            (
                Key::None,
                format!("all {n_gd} set-ups give one point per init"),
            ),
            (Key::Triangle(BLACK), format!("Adam ({n_adam} set-ups)")),
            (Key::Cross(BLACK), "printed matrices (paper)".to_string()),
        ]);
        // Printed matrices: crosses with their names. They lie near the diagonal, so labels
        // alternate (in order of b) between above-left and below-right of it.
        let mut printed: Vec<(String, (f64, f64))> = out
            .printed
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    (p.printed_described.abc[1], p.printed_described.abc[2]),
                )
            })
            .collect();
        printed.sort_by(|p, q| p.1.0.total_cmp(&q.1.0));
        for (k, (label, p)) in printed.iter().enumerate() {
            let (offset, pos) = if k % 2 == 0 {
                ((-9, -7), Pos::new(HPos::Right, VPos::Bottom))
            } else {
                ((9, 7), Pos::new(HPos::Left, VPos::Top))
            };
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at(*p)
                        + Cross::new((0, 0), 7, BLACK.stroke_width(2))
                        + Text::new(
                            label.clone(),
                            offset,
                            (FONT, 15).into_font().color(&BLACK).pos(pos),
                        ),
                ))
                .map_err(&e)?;
        }
        legend_box(&right, name, (0, 16), (266, 24, 1), &[legend], 14)?;
        Ok(())
    })
}

/// F3: the per-seed distance from invariance of SGD (full batch) from the random inits.
fn symmetry_breaking(out: &Output) -> Result<Svg> {
    let name = "linear symmetry breaking";
    let (lo_exp, hi_exp, bins) = (-4.0_f64, 1.0_f64, 40usize);
    svg_figure(name, |root| {
        let e = plot_err(name);
        let edges: Vec<f64> = (0..=bins)
            .map(|k| 10f64.powf(lo_exp + (hi_exp - lo_exp) * k as f64 / bins as f64))
            .collect();
        let averages: Vec<_> = out.averages.sgd().to_vec();
        let hists: Vec<Vec<usize>> = averages
            .iter()
            .map(|a| {
                let mut h = vec![0usize; bins];
                for &d in &a.defects {
                    let t = ((d.max(1e-300).log10() - lo_exp) / (hi_exp - lo_exp) * bins as f64)
                        .floor();
                    let k = if t.is_finite() {
                        t.clamp(0.0, (bins - 1) as f64) as usize
                    } else {
                        0
                    };
                    h[k] += 1;
                }
                h
            })
            .collect();
        let top = hists.iter().flatten().copied().max().unwrap_or(1) as f64 * 1.15;
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(70)
            .build_cartesian_2d(
                (edges[0] * 0.97..edges[bins] * 1.03).log_scale(),
                0.0..top.max(1.0),
            )
            .map_err(&e)?;
        chart
            .configure_mesh()
            .x_desc("distance from invariance  max_s ‖W − s·W‖ (per seed)")
            .y_desc("number of seeds")
            .axis_desc_style((FONT, 18))
            .label_style((FONT, 15))
            .x_label_formatter(&|v| pow10(*v))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()
            .map_err(&e)?;
        let inits: Vec<&InitId> = out.inits.iter().collect();
        for (a, h) in averages.iter().zip(&hists) {
            let k = inits.iter().position(|l| **l == a.init).unwrap_or(0);
            let color = init_color(k);
            chart
                .draw_series(
                    h.iter()
                        .enumerate()
                        .filter(|(_, c)| **c > 0)
                        .map(|(j, &c)| {
                            Rectangle::new(
                                [(edges[j], 0.0), (edges[j + 1], c as f64)],
                                color.mix(0.22).filled(),
                            )
                        }),
                )
                .map_err(&e)?;
            let mut outline = vec![(edges[0], 0.0)];
            for (j, &c) in h.iter().enumerate() {
                outline.push((edges[j], c as f64));
                outline.push((edges[j + 1], c as f64));
            }
            outline.push((edges[bins], 0.0));
            chart
                .draw_series(LineSeries::new(outline, color.stroke_width(2)))
                .map_err(&e)?
                .label(format!(
                    "init {} ({} seeds, median {:.3})",
                    a.init, a.seeds, a.median_defect
                ))
                .legend(move |(x, y)| {
                    Rectangle::new([(x + 2, y - 6), (x + 20, y + 6)], color.mix(0.5).filled())
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .margin(12)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font((FONT, 15))
            .draw()
            .map_err(&e)?;
        Ok(())
    })
}

/// F4: where the plane attractor of X's invariant family W_ab is stable, measured, against the
/// corrected and the printed criterion.
fn stability(out: &Output) -> Result<Svg> {
    let name = "linear stability";
    let st = &out.stability;
    let (lo, hi) = st.range;
    svg_figure(name, |root| {
        let e = plot_err(name);
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(64)
            .build_cartesian_2d(lo..hi, lo..hi)
            .map_err(&e)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("a")
            .y_desc("b")
            .axis_desc_style((FONT, 20))
            .label_style((FONT, 15))
            .draw()
            .map_err(&e)?;
        let half = 0.36 * (hi - lo) / (st.grid.max(2) - 1) as f64;
        for (conv, color, label) in [
            (true, GREEN, "iteration converges to the plane"),
            (false, VERMILION, "iteration does not converge"),
        ] {
            let fill = color.mix(0.35).filled();
            chart
                .draw_series(
                    st.points
                        .iter()
                        .filter(|p| p.3 == conv)
                        .map(|&(a, b, _, _)| {
                            Rectangle::new([(a - half, b - half), (a + half, b + half)], fill)
                        }),
                )
                .map_err(&e)?
                .label(label)
                .legend(move |(x, y)| Rectangle::new([(x + 5, y - 6), (x + 17, y + 6)], fill));
        }
        // The line a − 2b = c, i.e. b = (a − c)/2, clipped to the square.
        let line = |c: f64| {
            let a0 = (c + 2.0 * lo).max(lo);
            let a1 = (c + 2.0 * hi).min(hi);
            vec![(a0, (a0 - c) / 2.0), (a1, (a1 - c) / 2.0)]
        };
        for (k, c) in [0.0, 2.0].into_iter().enumerate() {
            let s = chart
                .draw_series(LineSeries::new(line(c), BLACK.stroke_width(3)))
                .map_err(&e)?;
            if k == 0 {
                s.label("corrected: 0 < a − 2b < 2").legend(|(x, y)| {
                    PathElement::new([(x, y), (x + 22, y)], BLACK.stroke_width(3))
                });
            }
        }
        for (k, c) in [-1.0, 1.0].into_iter().enumerate() {
            let s = chart
                .draw_series(DashedLineSeries::new(
                    line(c),
                    10,
                    6,
                    PURPLE.stroke_width(3),
                ))
                .map_err(&e)?;
            if k == 0 {
                s.label("printed: |a − 2b| < 1").legend(|(x, y)| {
                    DashedPathElement::new(vec![(x, y), (x + 22, y)], 8, 4, PURPLE.stroke_width(3))
                });
            }
        }
        let invariant: Vec<(f64, f64)> = out
            .runs
            .iter()
            .filter(|r| r.set == SetId::X && (r.trained.abc[1] - r.trained.abc[2]).abs() < 1e-6)
            .map(|r| (r.trained.abc[0], r.trained.abc[1]))
            .collect();
        chart
            .draw_series(invariant.iter().map(|&p| Circle::new(p, 5, BLACK.filled())))
            .map_err(&e)?
            .label("trained runs on X with b = c (|b − c| < 10⁻⁶)")
            .legend(|(x, y)| Circle::new((x + 11, y), 5, BLACK.filled()));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .margin(12)
            .background_style(WHITE.mix(0.92))
            .border_style(BLACK)
            .label_font((FONT, 15))
            .draw()
            .map_err(&e)?;
        Ok(())
    })
}

/// F5 (Fig. 1 left): trajectories x ← W x of the flow network in 3D, with the training plane
/// of X' and its items.
fn flow_3d(out: &Output) -> Result<Svg> {
    let name = "linear flow 3d";
    let fl = &out.flow;
    svg_figure(name, |root| {
        let e = plot_err(name);
        // Plot coordinates (x, y, z) = (x₂, x₁, x₃): x₁, the distance to the training plane
        // x₁ = 0, is vertical, so trajectories fall onto the plane, which is the floor.
        let at = |v: &[f64]| {
            (
                v.get(1).copied().unwrap_or(0.0),
                v.first().copied().unwrap_or(0.0),
                v.get(2).copied().unwrap_or(0.0),
            )
        };
        let max_of = |i: usize| {
            fl.trajectories
                .iter()
                .flatten()
                .filter_map(|v| v.get(i).copied())
                .fold(1.0, f64::max)
        };
        let (m1, m2, m3) = (max_of(0), max_of(1), max_of(2));
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .build_cartesian_3d(-0.1..m2 + 0.1, -0.05..m1 + 0.05, -0.1..m3 + 0.1)
            .map_err(&e)?;
        chart.with_projection(|mut p| {
            p.yaw = 0.45;
            p.pitch = 0.35;
            p.scale = 0.8;
            p.into_matrix()
        });
        chart
            .configure_axes()
            .label_style((FONT, 14))
            .light_grid_style(GREY.mix(0.12))
            .bold_grid_style(GREY.mix(0.3))
            .max_light_lines(1)
            .x_labels(5)
            .y_labels(3)
            .z_labels(4)
            .draw()
            .map_err(&e)?;
        let plane = vec![
            (0.0, 0.0, 0.0),
            (m2, 0.0, 0.0),
            (m2, 0.0, m3),
            (0.0, 0.0, m3),
        ];
        chart
            .draw_series(std::iter::once(Polygon::new(
                plane,
                PURPLE.mix(0.2).filled(),
            )))
            .map_err(&e)?;
        for traj in &fl.trajectories {
            chart
                .draw_series(LineSeries::new(
                    traj.iter().map(|v| at(v)),
                    BLUE.mix(0.45).stroke_width(1),
                ))
                .map_err(&e)?;
            if let Some(s) = traj.first() {
                chart
                    .draw_series(std::iter::once(Circle::new(at(s), 2, BLUE.filled())))
                    .map_err(&e)?;
            }
        }
        for item in out.x_prime.patterns.patterns() {
            let v: Vec<f64> = item.bits().iter().map(|&b| f64::from(b)).collect();
            let p = at(&v);
            chart
                .draw_series(std::iter::once(Circle::new(p, 9, VERMILION.filled())))
                .map_err(&e)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    item.to_string(),
                    (p.0 + 0.04, p.1 + 0.12, p.2),
                    (FONT, 18).into_font().color(&BLACK),
                )))
                .map_err(&e)?;
        }
        // Axis names beside the edges that carry the tick labels (the front ones at this yaw).
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
                    (FONT, 22).into_font().color(&BLACK),
                )))
                .map_err(&e)?;
        }
        let legend = [
            (
                BLUE,
                format!(
                    "{} trajectories x ← W x ({} steps)",
                    fl.trajectories.len(),
                    fl.trajectories
                        .first()
                        .map_or(0, |t| t.len().saturating_sub(1))
                ),
            ),
            (PURPLE, "training plane of X' (x₁ = 0)".to_string()),
            (
                VERMILION,
                format!("training items X' = {}", out.x_prime.patterns),
            ),
        ];
        for (k, (color, text)) in legend.iter().enumerate() {
            let y = 22 + 26 * k as i32;
            root.draw(&Circle::new((22, y), 7, color.filled()))
                .map_err(&e)?;
            root.draw(&Text::new(
                text.clone(),
                (38, y - 10),
                (FONT, 17).into_font().color(&BLACK),
            ))
            .map_err(&e)?;
        }
        Ok(())
    })
}

/// F6: the distance to the training plane against the iteration, with the eigenvalue's rate.
fn flow_distance(out: &Output) -> Result<Svg> {
    let name = "linear flow distance";
    let fl = &out.flow;
    let floor: f64 = 1e-17;
    let lg = |v: f64| v.max(floor).log10();
    svg_figure(name, |root| {
        let e = plot_err(name);
        let kmax = fl.fixed_step as f64;
        let top = fl
            .plane_distance
            .iter()
            .flatten()
            .copied()
            .fold(1.0, f64::max);
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(78)
            .build_cartesian_2d(0.0..kmax, lg(floor) - 0.3..lg(top) + 0.6)
            .map_err(&e)?;
        chart
            .configure_mesh()
            .x_desc("iteration n")
            .y_desc("distance to the training plane")
            .axis_desc_style((FONT, 19))
            .label_style((FONT, 15))
            .y_labels(12)
            .max_light_lines(1)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| exp_tick(*v))
            .draw()
            .map_err(&e)?;
        for (i, d) in fl.plane_distance.iter().enumerate() {
            let s = chart
                .draw_series(LineSeries::new(
                    d.iter()
                        .take(fl.fixed_step + 1)
                        .enumerate()
                        .map(|(k, &v)| (k as f64, lg(v))),
                    BLUE.mix(0.3).stroke_width(1),
                ))
                .map_err(&e)?;
            if i == 0 {
                s.label(format!(
                    "{} starts (grid in the unit cube)",
                    fl.plane_distance.len()
                ))
                .legend(|(x, y)| PathElement::new([(x, y), (x + 22, y)], BLUE.stroke_width(2)));
            }
        }
        let d0 = fl
            .plane_distance
            .iter()
            .filter_map(|d| d.first().copied())
            .fold(0.0, f64::max);
        let l3 = fl.lambda3.abs();
        let prediction: Vec<(f64, f64)> = (0..=fl.fixed_step)
            .map(|k| (k as f64, lg(d0 * l3.powi(k as i32))))
            .collect();
        chart
            .draw_series(DashedLineSeries::new(
                prediction,
                10,
                6,
                BLACK.stroke_width(3),
            ))
            .map_err(&e)?
            .label(format!("|λ₃|^n, λ₃ = {:.3}", fl.lambda3))
            .legend(|(x, y)| {
                DashedPathElement::new(vec![(x, y), (x + 22, y)], 8, 4, BLACK.stroke_width(3))
            });
        chart
            .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
            .map_err(&e)?
            .label(format!(
                "(a distance of 0 is drawn at {})",
                exp_tick(lg(floor))
            ))
            .legend(|(x, y)| EmptyElement::at((x, y)));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .margin(12)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font((FONT, 16))
            .draw()
            .map_err(&e)?;
        Ok(())
    })
}
