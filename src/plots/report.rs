//! The report's figures (`items-or-relations report`): the flow of one trained network per
//! activation, in 3-D for N = 3 (the paper's Fig. 1 panel, [`flow_3d_panel`]) and projected
//! onto the flow's two leading principal directions for N > 3; the per-pattern loss of every
//! trained network on all 2^N patterns.

use plotters::prelude::*;

use super::common::{FlowStyle, Mark, Shape, chart, flow_3d_panel, mesh};
use super::{Area, BLUE, DrawResult, FONT, GREY, Svg, VERMILION, svg_sized};
use crate::Result;
use crate::report::{Flow, Output};

/// The report's figures, by name: `report-flow` (when networks were trained).
pub fn report_figures(out: &Output) -> Result<Vec<(String, Svg)>> {
    let mut figures = Vec::new();
    if !out.flows.is_empty() {
        figures.push(("report-flow".to_string(), flow_figure(out)?));
    }
    Ok(figures)
}

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
    m.extend(flow.saddles.iter().map(|x| Mark {
        x: x.clone(),
        shape: Shape::Triangle(7, VERMILION),
        label: None,
    }));
    m.extend(flow.attractors.iter().map(|x| Mark {
        x: x.clone(),
        shape: Shape::Dot(6, BLACK),
        label: None,
    }));
    m
}

fn flow_figure(out: &Output) -> Result<Svg> {
    let name = "report-flow";
    let panels = out.flows.len() as u32;
    svg_sized(name, (400 * panels, 440), |root| {
        let areas = root.split_evenly((1, out.flows.len()));
        for (area, flow) in areas.iter().zip(&out.flows) {
            let inner = area.titled(&flow.activation, (FONT, 24))?;
            if out.n == 3 {
                let style = FlowStyle {
                    margin: 10,
                    scale: 0.74,
                    tick_font: 13,
                    axis_font: 17,
                    mark_font: 14,
                    floor_alpha: 0.0,
                    line_alpha: 0.35,
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
    let (px, py) = (pad(x0, x1), pad(y0, y1));
    let mut c = chart(area, 56).build_cartesian_2d(x0 - px..x1 + px, y0 - py..y1 + py)?;
    mesh(&mut c, "first direction", "second direction", 15)
        .x_labels(4)
        .y_labels(4)
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
            .map(|p| Circle::new((p[0], p[1]), 6, BLACK.filled())),
    )?;
    Ok(())
}
