//! The linear chapter's flow figures (paper §3.1, Fig. 1 left): the trajectories of the flow
//! network in 3D, and their distance to the training plane against the iteration.

use plotters::prelude::*;

use super::common::{
    COMPACT, FlowStyle, Key, Legend, Mark, Shape, chart, dot_legend, flow_3d_panel, mesh,
};
use super::{BLUE, INK, PINK, SIZE, Svg, VERMILION, svg_figure, svg_sized};
use crate::Result;
use crate::chapters::linear::Output;
use crate::fmt::{exponent_tick, fixed};

/// F5 (Fig. 1 left): trajectories x ← W x of the flow network in 3D, with the training plane
/// of X' and its items.
pub(super) fn flow_3d(out: &Output) -> Result<Svg> {
    let name = "linear flow 3d";
    let fl = &out.flow;
    svg_figure(name, |root| {
        let items: Vec<Mark> = out
            .x_prime
            .patterns
            .patterns()
            .iter()
            .map(|item| Mark {
                x: item.bits().iter().map(|&b| f64::from(b)).collect(),
                shape: Shape::Dot(9, VERMILION),
                label: Some(item.to_string()),
            })
            .collect();
        let style = FlowStyle {
            margin: 10,
            scale: 0.8,
            tick_font: 15,
            axis_font: 22,
            mark_font: 18,
            floor_alpha: 0.2,
            line_alpha: 0.45,
            extent: None,
        };
        flow_3d_panel(root, &fl.trajectories, &items, &style)?;
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
            (PINK, "training plane of X′ (x₁ = 0)".to_string()),
            (
                VERMILION,
                format!("training items X′ = {}", out.x_prime.patterns),
            ),
        ];
        dot_legend(root, (22, 22), 17, &legend)
    })
}

/// F6: the distance to the training plane against the iteration, with the eigenvalue's rate;
/// the legend under the plot.
pub(super) fn flow_distance(out: &Output) -> Result<Svg> {
    let name = "linear flow distance";
    let fl = &out.flow;
    let floor: f64 = 1e-17;
    let lg = |v: f64| libm::log10(v.max(floor));
    let entries = vec![
        (
            Key::Line(BLUE),
            format!(
                "{} starts (grid in the unit cube); a distance of 0 is drawn at {}",
                fl.plane_distance.len(),
                exponent_tick(lg(floor))
            ),
        ),
        (
            Key::Dashed(INK),
            format!("|λ₃|ⁿ, λ₃ = {}", fixed(fl.lambda3, 3)),
        ),
    ];
    let row = 24;
    let size = (SIZE.0, SIZE.1 + Legend::height(row, entries.len(), 1));
    svg_sized(name, size, |root| {
        let (plot, foot) = root.split_vertically(SIZE.1);
        let kmax = fl.fixed_step as f64;
        let top = fl
            .plane_distance
            .iter()
            .flatten()
            .copied()
            .fold(1.0, f64::max);
        let mut chart =
            chart(&plot, 78).build_cartesian_2d(0.0..kmax, lg(floor) - 0.3..lg(top) + 0.6)?;
        mesh(
            &mut chart,
            "iteration n",
            "distance to the training plane",
            19,
        )
        .y_labels(12)
        .max_light_lines(1)
        .x_label_formatter(&|v| fixed(*v, 0))
        .y_label_formatter(&|v| exponent_tick(*v))
        .draw()?;
        for d in &fl.plane_distance {
            chart.draw_series(LineSeries::new(
                d.iter()
                    .take(fl.fixed_step + 1)
                    .enumerate()
                    .map(|(k, &v)| (k as f64, lg(v))),
                BLUE.mix(0.3).stroke_width(1),
            ))?;
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
        chart.draw_series(DashedLineSeries::new(
            prediction,
            10,
            6,
            INK.stroke_width(3),
        ))?;
        Legend {
            at: (92, 8 + row / 2),
            column: 600,
            row,
            font: 16,
            keys: COMPACT,
        }
        .by_rows(&foot, 1, &entries)
    })
}
