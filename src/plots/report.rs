//! The report's figures (`items-or-relations report`): the flow of one trained network per
//! activation, in 3-D for N = 3 (the paper's Fig. 1 panel, [`flow_3d_panel`]) and projected
//! onto the flow's two leading principal directions for N > 3; the per-pattern loss of every
//! trained network on all 2^N patterns.

use plotters::prelude::*;

use super::common::{FlowStyle, Mark, Shape, chart, flow_3d_panel, flow_extent, mesh};
use super::{Area, BLUE, DrawResult, FONT, GREY, INK, ORANGE, Svg, VERMILION, svg_sized};
use crate::Result;
use crate::fmt::log_tick;
use crate::pattern::Pattern;
use crate::report::{Flow, Output};

/// The report's figures, by name: `report-loss` (every trained network's loss on every
/// pattern) and `report-flow` (one network per activation).
pub fn report_figures(out: &Output) -> Result<Vec<(String, Svg)>> {
    let mut figures = Vec::new();
    if !out.networks.networks.is_empty() {
        figures.push(("report-loss".to_string(), loss_figure(out)?));
    }
    if !out.flows.is_empty() {
        figures.push(("report-flow".to_string(), flow_figure(out)?));
    }
    Ok(figures)
}

/// Is a point of a 3-D panel inside the unit cube (up to the panel's margin)?
fn in_cube(x: &[f64]) -> bool {
    x.iter().all(|v| (-0.05..=1.05).contains(v))
}

/// The marks of a 3-D panel: the training items, and the saddles and attractors inside the
/// unit cube (the panel shows the cube; tanh's fixed points outside it are in the table).
fn marks(flow: &Flow) -> Vec<Mark> {
    let mut m: Vec<Mark> = flow
        .items
        .iter()
        .map(|x| Mark {
            x: x.clone(),
            shape: Shape::Triangle(8, GREY),
            label: None,
        })
        .collect();
    m.extend(flow.saddles.iter().filter(|x| in_cube(x)).map(|x| Mark {
        x: x.clone(),
        shape: Shape::Triangle(7, VERMILION),
        label: None,
    }));
    m.extend(flow.attractors.iter().filter(|x| in_cube(x)).map(|x| Mark {
        x: x.clone(),
        shape: Shape::Dot(6, INK),
        label: None,
    }));
    m
}

fn flow_figure(out: &Output) -> Result<Svg> {
    let name = "report-flow";
    let panels = out.flows.len() as u32;
    // One panel under the other, so that the text is legible at the column's width.
    svg_sized(name, (560, 460 * panels), |root| {
        let areas = root.split_evenly((out.flows.len(), 1));
        // One extent for every panel, so that the panels can be compared.
        let trajectories: Vec<&[Vec<Vec<f64>>]> = out
            .flows
            .iter()
            .map(|f| f.trajectories.as_slice())
            .collect();
        let extent = flow_extent(&trajectories);
        for (area, flow) in areas.iter().zip(&out.flows) {
            let inner = area.titled(&flow.activation, (FONT, 24))?;
            if out.n == 3 {
                let style = FlowStyle {
                    margin: 10,
                    scale: 0.74,
                    tick_font: 18,
                    axis_font: 20,
                    mark_font: 18,
                    floor_alpha: 0.0,
                    line_alpha: 0.35,
                    extent: Some(extent),
                };
                flow_3d_panel(&inner, &flow.trajectories, &marks(flow), &style)?;
            } else {
                projected_panel(&inner, flow)?;
            }
        }
        Ok(())
    })
}

/// A flow projected onto its two leading principal directions.
fn projected_panel(area: &Area<'_>, flow: &Flow) -> DrawResult {
    let all = flow
        .trajectories
        .iter()
        .flatten()
        .chain(&flow.items)
        .chain(&flow.attractors);
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in all {
        x0 = x0.min(p[0]);
        x1 = x1.max(p[0]);
        y0 = y0.min(p[1]);
        y1 = y1.max(p[1]);
    }
    let pad = |a: f64, b: f64| 0.05 * (b - a).max(1e-6);
    // A flow without directions is the line of N = 1, drawn as (x₁, 0): its vertical axis
    // carries nothing, so it gets a fixed range and no tick labels (a range of ±1e-7 printed
    // as "0.0, 0.0, -0.0").
    let line = flow.directions.is_none();
    let (px, py) = (pad(x0, x1), pad(y0, y1));
    let (ylo, yhi) = if line {
        (-1.0, 1.0)
    } else {
        (y0 - py, y1 + py)
    };
    let mut c = chart(area, 56).build_cartesian_2d(x0 - px..x1 + px, ylo..yhi)?;
    let (x_name, y_name) = if line {
        ("x₁", "")
    } else {
        ("first direction", "second direction")
    };
    mesh(&mut c, x_name, y_name, 18)
        .x_labels(4)
        .y_labels(if line { 0 } else { 4 })
        .draw()?;
    for t in &flow.trajectories {
        c.draw_series(LineSeries::new(
            t.iter().map(|p| (p[0], p[1])),
            BLUE.mix(0.35).stroke_width(1),
        ))?;
        if let Some(s) = t.first() {
            c.draw_series(std::iter::once(Circle::new((s[0], s[1]), 2, BLUE.filled())))?;
        }
    }
    c.draw_series(
        flow.items
            .iter()
            .map(|p| TriangleMarker::new((p[0], p[1]), 8, GREY.filled())),
    )?;
    c.draw_series(
        flow.saddles
            .iter()
            .map(|p| TriangleMarker::new((p[0], p[1]), 7, VERMILION.filled())),
    )?;
    c.draw_series(
        flow.attractors
            .iter()
            .map(|p| Circle::new((p[0], p[1]), 6, INK.filled())),
    )?;
    Ok(())
}

/// The smallest loss the log axis shows; smaller ones (a linear network's exact 0) sit on it.
const LOSS_FLOOR: f64 = 1e-12;

/// Per-pattern loss (eq. 7) of every trained network on all 2^N patterns, one panel per
/// activation: one dot per seed and pattern; the patterns of X in blue, those of span X (every
/// linear solution reproduces them) in orange, a dot filled when that network reproduces the
/// pattern (output within 0.5 of every bit).
fn loss_figure(out: &Output) -> Result<Svg> {
    let name = "report-loss";
    let all = Pattern::all(out.n)?;
    let names: Vec<String> = all.iter().map(Pattern::to_string).collect();
    let total = names.len();
    let acts: Vec<String> = out
        .networks
        .summaries
        .iter()
        .map(|s| s.activation.clone())
        .collect();
    svg_sized(name, (820, 270 * acts.len() as u32 + 44), |root| {
        let (body, foot) = root.split_vertically(270 * acts.len() as u32);
        let rows = body.split_evenly((acts.len(), 1));
        for (area, act) in rows.iter().zip(&acts) {
            let mut c = chart(area, 70)
                .caption(act.as_str(), (FONT, 22))
                .build_cartesian_2d(-0.5..total as f64 - 0.5, (LOSS_FLOOR..2.0).log_scale())?;
            let label_every = total.div_ceil(16).max(1);
            mesh(&mut c, "pattern", "loss", 17)
                .x_labels(total.min(17))
                .x_label_formatter(&|v| {
                    let k = v.round();
                    if (v - k).abs() < 1e-9
                        && k >= 0.0
                        && (k as usize) < total
                        && (k as usize).is_multiple_of(label_every)
                    {
                        if out.n <= 4 {
                            names[k as usize].clone()
                        } else {
                            format!("{}", k as usize)
                        }
                    } else {
                        String::new()
                    }
                })
                .y_labels(5)
                .y_label_formatter(&|v| log_tick(*v))
                .draw()?;
            for t in out
                .networks
                .networks
                .iter()
                .filter(|t| t.activation.name() == act)
            {
                let reproduced: Vec<String> = t.reproduced.iter().map(Pattern::to_string).collect();
                for (k, (p, loss)) in names.iter().zip(&t.loss_per_pattern).enumerate() {
                    let color = if out.patterns.contains(p) {
                        BLUE
                    } else if out.linear.span.contains(p) {
                        ORANGE
                    } else {
                        GREY
                    };
                    let y = loss.max(LOSS_FLOOR);
                    let filled = out.patterns.contains(p) || reproduced.contains(p);
                    let style = if filled {
                        color.filled()
                    } else {
                        color.stroke_width(1)
                    };
                    c.draw_series(std::iter::once(Circle::new((k as f64, y), 3, style)))?;
                }
            }
        }
        let entries = [
            (BLUE, "pattern of X"),
            (ORANGE, "in span X, outside X"),
            (GREY, "other pattern"),
        ];
        for (k, (color, text)) in entries.iter().enumerate() {
            let x = 30 + 190 * k as i32;
            foot.draw(&Circle::new((x, 18), 6, color.filled()))?;
            foot.draw(&Text::new(
                text.to_string(),
                (x + 12, 8),
                (FONT, 16).into_font().color(&INK),
            ))?;
        }
        foot.draw(&Circle::new((600, 18), 6, INK.stroke_width(1)))?;
        foot.draw(&Text::new(
            "open: not reproduced".to_string(),
            (612, 8),
            (FONT, 16).into_font().color(&INK),
        ))?;
        Ok(())
    })
}
