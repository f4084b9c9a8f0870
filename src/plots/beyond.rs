//! Figures of the chapter beyond the paper: the regularisation sweeps (D2) as curves and as
//! small multiples of every measure, the path from the linear to the tanh network, and the
//! average of many linear solutions becoming invariant (D1).

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::common::{COMPACT, Key, Legend, chart, mesh};
use super::{
    Area, BLUE, Colour, DrawResult, FONT, GREEN, GREY, INK, ORANGE, PINK, SIZE, Svg, VERMILION,
    svg_sized,
};
use crate::Result;
use crate::chapters::beyond::{Output, Penalty, RegRow, RegSweep};
use crate::fmt::{exponent_tick, fixed, log_tick};

/// The beyond chapter's figures: (file stem, drawing).
pub fn beyond_figures(out: &Output) -> Result<Vec<(String, Svg)>> {
    Ok(vec![
        ("beyond-reg-tanh".to_string(), regularisation(&out.tanh)?),
        (
            "beyond-reg-sigmoid".to_string(),
            regularisation(&out.sigmoid)?,
        ),
        ("beyond-path".to_string(), path(out)?),
        ("beyond-invariance".to_string(), invariance(out)?),
        ("beyond-reg-grid".to_string(), regularisation_grid(out)?),
    ])
}

/// The colour of a penalty's curves (the captions name them from here); λ = 0 is grey.
pub fn penalty_colour(p: Penalty) -> Colour {
    match p {
        Penalty::L2 => BLUE,
        Penalty::L1 => VERMILION,
        Penalty::FiringRate => GREEN,
        Penalty::HalfRate => PINK,
        Penalty::None => GREY,
    }
}

/// Bounds of a log axis around positive values: a decade-aligned range with room.
fn log_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| *v > 0.0 && v.is_finite())
        .fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        return (1e-3, 1.0);
    }
    (
        libm::pow(10.0, libm::log10(lo).floor()),
        libm::pow(10.0, libm::log10(hi).ceil()),
    )
}

/// The λ > 0 of a sweep: (smallest, largest).
fn lambda_range(sweep: &RegSweep) -> (f64, f64) {
    sweep
        .rows
        .iter()
        .filter(|r| r.penalty != Penalty::None)
        .map(|r| r.lambda)
        .fold((f64::INFINITY, 0.0f64), |(a, b), l| (a.min(l), b.max(l)))
}

/// D2: span loss (solid) and 011 loss (dashed) against λ, one colour per penalty; λ = 0 as grey
/// horizontal lines, solid and dashed likewise. The legend, under the plot, says all of it.
fn regularisation(sweep: &RegSweep) -> Result<Svg> {
    let name = format!("regularisation {}", sweep.name);
    let penalties: Vec<Penalty> = sweep.best.iter().map(|b| b.penalty).collect();
    let mut entries: Vec<(Key, String)> = penalties
        .iter()
        .map(|p| (Key::Line(penalty_colour(*p)), p.label().to_string()))
        .collect();
    entries.extend([
        (Key::Line(GREY), "no penalty (λ = 0)".to_string()),
        (
            Key::Line(INK),
            "solid: mean loss on the span points".to_string(),
        ),
        (Key::Dashed(INK), "dashed: loss on 011".to_string()),
    ]);
    let row = 24;
    let columns = 2;
    let size = (SIZE.0, SIZE.1 + Legend::height(row, entries.len(), columns));
    svg_sized(&name, size, |root| {
        let (plot, foot) = root.split_vertically(SIZE.1);
        let (lmin, lmax) = lambda_range(sweep);
        let (ylo, yhi) = log_range(sweep.rows.iter().flat_map(|r| [r.mean.span, r.mean.sum]));
        let mut chart = chart(&plot, 78)
            .caption(
                format!("{}: generalisation against penalty strength", sweep.name),
                (FONT, 20),
            )
            .build_cartesian_2d((lmin / 1.5..lmax * 1.5).log_scale(), (ylo..yhi).log_scale())?;
        mesh(&mut chart, "penalty strength λ", "loss (eq. 7)", 18)
            .y_labels(12)
            .x_label_formatter(&|v| log_tick(*v))
            .y_label_formatter(&|v| log_tick(*v))
            .draw()?;
        let base = &sweep.rows[0].mean;
        for (value, dashed) in [(base.span, false), (base.sum, true)] {
            if value <= 0.0 {
                continue;
            }
            let line = [(lmin / 1.5, value), (lmax * 1.5, value)];
            if dashed {
                chart.draw_series(std::iter::once(DashedPathElement::new(
                    line,
                    6,
                    4,
                    GREY.stroke_width(2),
                )))?;
            } else {
                chart.draw_series(LineSeries::new(line, GREY.stroke_width(2)))?;
            }
        }
        for &penalty in &penalties {
            let colour = penalty_colour(penalty);
            let rows: Vec<_> = sweep.rows.iter().filter(|r| r.penalty == penalty).collect();
            let span: Vec<(f64, f64)> = rows.iter().map(|r| (r.lambda, r.mean.span)).collect();
            let sum: Vec<(f64, f64)> = rows
                .iter()
                .filter(|r| r.mean.sum > 0.0)
                .map(|r| (r.lambda, r.mean.sum))
                .collect();
            chart.draw_series(LineSeries::new(span.clone(), colour.stroke_width(3)))?;
            chart.draw_series(span.iter().map(|&p| Circle::new(p, 4, colour.filled())))?;
            chart.draw_series(std::iter::once(DashedPathElement::new(
                sum,
                6,
                4,
                colour.stroke_width(2),
            )))?;
        }
        Legend {
            at: (92, 8 + row / 2),
            column: 300,
            row,
            font: 16,
            keys: COMPACT,
        }
        .by_rows(&foot, columns, &entries)
    })
}

/// One measure of the regularisation table: its panel title and how to read it off a row.
type Measure = (&'static str, fn(&RegRow) -> f64);

/// The measures of the regularisation table that the small multiples draw, one row of panels
/// each (the loss on 000 is left out: 0 for tanh and ½·N/4 for the sigmoid at every λ, as the
/// text says).
const MEASURES: [Measure; 6] = [
    ("loss on the training items", |r| r.mean.train),
    ("mean loss on the span points", |r| r.mean.span),
    ("loss on 011", |r| r.mean.sum),
    ("mean loss on the patterns with x₁ = 1", |r| {
        r.mean.outside
    }),
    ("weight norm ‖W‖", |r| r.mean.w_norm),
    ("norm of the column no item reaches", |r| r.mean.dead_norm),
];

/// Height of one panel of the small multiples, in pixels.
const PANEL_H: u32 = 210;

/// D2, the whole regularisation table as small multiples: one column of panels per activation,
/// one row per measure; in each panel the measure against λ (log-log), one line per penalty,
/// λ = 0 as a grey horizontal line. A value of exactly 0 is drawn at the panel's floor.
fn regularisation_grid(out: &Output) -> Result<Svg> {
    let name = "regularisation grid";
    let sweeps = [&out.tanh, &out.sigmoid];
    let mut penalties: Vec<Penalty> = Vec::new();
    for s in sweeps {
        for b in &s.best {
            if !penalties.contains(&b.penalty) {
                penalties.push(b.penalty);
            }
        }
    }
    let mut entries: Vec<(Key, String)> = penalties
        .iter()
        .map(|p| (Key::Line(penalty_colour(*p)), p.label().to_string()))
        .collect();
    entries.push((Key::Line(GREY), "no penalty (λ = 0)".to_string()));
    let row = 24;
    let columns = 3;
    let legend_h = Legend::height(row, entries.len(), columns);
    let title_h = 34;
    let height = title_h + PANEL_H * MEASURES.len() as u32 + legend_h;
    svg_sized(name, (SIZE.0, height), |root| {
        let (head, rest) = root.split_vertically(title_h);
        let (grid, foot) = rest.split_vertically(PANEL_H * MEASURES.len() as u32);
        let heads = head.split_evenly((1, 2));
        for (area, sweep) in heads.iter().zip(sweeps) {
            let style =
                (FONT, 20)
                    .into_font()
                    .color(&INK)
                    .pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Center,
                    ));
            let (w, h) = area.dim_in_pixel();
            area.draw(&Text::new(
                sweep.name.clone(),
                (w as i32 / 2 + 20, h as i32 / 2 + 4),
                style,
            ))?;
        }
        let panels = grid.split_evenly((MEASURES.len(), 2));
        for (k, panel) in panels.iter().enumerate() {
            let (measure, sweep) = (&MEASURES[k / 2], sweeps[k % 2]);
            reg_panel(
                panel,
                sweep,
                measure,
                &penalties,
                k / 2 + 1 == MEASURES.len(),
            )?;
        }
        Legend {
            at: (70, 8 + row / 2),
            column: 220,
            row,
            font: 16,
            keys: COMPACT,
        }
        .by_rows(&foot, columns, &entries)
    })
}

/// One panel of the small multiples: `measure` of `sweep` against λ; the x tick labels only
/// under the last row.
fn reg_panel(
    area: &Area<'_>,
    sweep: &RegSweep,
    (title, get): &Measure,
    penalties: &[Penalty],
    last_row: bool,
) -> DrawResult {
    let (lmin, lmax) = lambda_range(sweep);
    let values: Vec<f64> = sweep.rows.iter().map(get).collect();
    let positive = values.iter().copied().filter(|v| *v > 0.0 && v.is_finite());
    let (lo, hi) = positive.fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let (lo, hi) = if lo.is_finite() {
        (libm::log10(lo).floor(), libm::log10(hi).ceil())
    } else {
        (-1.0, 0.0)
    };
    // At least one decade, and room under the smallest value for exact zeros.
    let (lo, hi) = (lo.min(hi - 1.0) - 0.3, hi + 0.1);
    let lg = |v: f64| if v > 0.0 { libm::log10(v).max(lo) } else { lo };
    let mut chart = ChartBuilder::on(area)
        .margin(6)
        .margin_right(14)
        .caption(*title, (FONT, 16))
        .x_label_area_size(if last_row { 30 } else { 8 })
        .y_label_area_size(58)
        .build_cartesian_2d((lmin / 1.5..lmax * 1.5).log_scale(), lo..hi)?;
    let decades = (hi - lo).round().max(1.0) as usize;
    chart
        .configure_mesh()
        .label_style((FONT, 15))
        .max_light_lines(1)
        .x_labels(4)
        .y_labels(decades.min(5) + 1)
        .x_label_formatter(&|v| {
            if last_row {
                log_tick(*v)
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|v| exponent_tick(*v))
        .draw()?;
    if let Some(base) = sweep.rows.iter().find(|r| r.penalty == Penalty::None) {
        let y = lg(get(base));
        chart.draw_series(LineSeries::new(
            [(lmin / 1.5, y), (lmax * 1.5, y)],
            GREY.stroke_width(2),
        ))?;
    }
    for &penalty in penalties {
        let colour = penalty_colour(penalty);
        let pts: Vec<(f64, f64)> = sweep
            .rows
            .iter()
            .filter(|r| r.penalty == penalty)
            .map(|r| (r.lambda, lg(get(r))))
            .collect();
        chart.draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))?;
        chart.draw_series(pts.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
    }
    Ok(())
}

/// From linear to tanh: span loss after training (rings) and in the limit (lines) against k
/// (φₖ) and g (tanh(g z)/g); the legend under the plot.
fn path(out: &Output) -> Result<Svg> {
    let name = "path to tanh";
    // k = 0 is exactly linear (span loss 0): below the axis, as is everything under the floor.
    let floor = 1e-8;
    let curves = [
        (&out.mix, BLUE, "φₖ(z) = (1 − k) z + k tanh z"),
        (&out.gain, ORANGE, "tanh(g z) / g"),
    ];
    let mut entries = Vec::new();
    for (_, colour, label) in curves {
        entries.push((Key::Line(colour), format!("{label}: limit (closed form)")));
        entries.push((Key::Ring(colour), format!("{label}: trained")));
    }
    let row = 24;
    let size = (SIZE.0, SIZE.1 + Legend::height(row, entries.len(), 1));
    svg_sized(name, size, |root| {
        let (plot, foot) = root.split_vertically(SIZE.1);
        let (_, yhi) = log_range(
            out.mix
                .iter()
                .chain(&out.gain)
                .flat_map(|q| [q.trained.span, q.span_limit]),
        );
        let mut chart =
            chart(&plot, 78).build_cartesian_2d(-0.02..1.02, (floor..yhi).log_scale())?;
        mesh(
            &mut chart,
            "nonlinearity k of φₖ, gain g of tanh(g z) / g  (0: linear, 1: tanh)",
            "mean loss on span points",
            18,
        )
        .y_label_formatter(&|v| log_tick(*v))
        .draw()?;
        for (points, colour, _) in curves {
            let limit: Vec<(f64, f64)> = points
                .iter()
                .filter(|q| q.span_limit >= floor)
                .map(|q| (q.t, q.span_limit))
                .collect();
            let trained: Vec<(f64, f64)> = points
                .iter()
                .filter(|q| q.trained.span >= floor)
                .map(|q| (q.t, q.trained.span))
                .collect();
            chart.draw_series(LineSeries::new(limit, colour.stroke_width(2)))?;
            chart.draw_series(
                trained
                    .iter()
                    .map(|&p| Circle::new(p, 5, colour.stroke_width(2))),
            )?;
        }
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

/// The colours of the training sets of the invariance figure, in the order of `out.groups`.
pub const GROUP_COLOURS: [Colour; 5] = [BLUE, VERMILION, GREEN, PINK, ORANGE];

/// D1: distance from invariance of the average of n solutions, relative to one solution's,
/// against n, with the 1/√n of independent draws; the legend under the plot.
fn invariance(out: &Output) -> Result<Svg> {
    let name = "invariance of the average";
    let mut entries = vec![(Key::Dashed(INK), "1/√n".to_string())];
    for (k, g) in out.groups.iter().enumerate() {
        entries.push((
            Key::Line(GROUP_COLOURS[k % GROUP_COLOURS.len()]),
            format!("{} ({}, N = {})", g.name, g.kind, g.n),
        ));
    }
    let row = 24;
    let size = (SIZE.0, SIZE.1 + Legend::height(row, entries.len(), 1));
    svg_sized(name, size, |root| {
        let (plot, foot) = root.split_vertically(SIZE.1);
        let nmax = out
            .groups
            .iter()
            .flat_map(|g| g.defect_of_mean.iter().map(|(n, _)| *n))
            .max()
            .unwrap_or(1) as f64;
        let mut chart = chart(&plot, 78)
            .build_cartesian_2d((0.8..nmax * 1.25).log_scale(), (0.01..2.0).log_scale())?;
        mesh(
            &mut chart,
            "number of solutions averaged",
            "defect of the average / mean defect of one",
            18,
        )
        .x_label_formatter(&|v| fixed(*v, 0))
        .y_label_formatter(&|v| log_tick(*v))
        .draw()?;
        chart.draw_series(std::iter::once(DashedPathElement::new(
            [(1.0, 1.0), (nmax, 1.0 / nmax.sqrt())],
            6,
            4,
            INK.stroke_width(2),
        )))?;
        for (k, g) in out.groups.iter().enumerate() {
            let colour = GROUP_COLOURS[k % GROUP_COLOURS.len()];
            let pts: Vec<(f64, f64)> = g
                .defect_of_mean
                .iter()
                .map(|(n, d)| (*n as f64, (d / g.defect_per_seed).max(0.01)))
                .collect();
            chart.draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))?;
            chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, colour.filled())))?;
        }
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
