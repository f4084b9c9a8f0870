//! Figures of the chapter beyond the paper: the regularisation sweeps (D2), the path from the
//! linear to the tanh network, and the average of many linear solutions becoming invariant (D1).

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::common::{chart, mesh, series_labels};
use super::{BLUE, FONT, GREEN, GREY, ORANGE, PURPLE, Svg, VERMILION, svg_figure};
use crate::Result;
use crate::chapters::beyond::{Output, Penalty, RegSweep};
use crate::fmt::{fixed, sci_e, shortest};

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
    ])
}

fn penalty_colour(p: Penalty) -> RGBColor {
    match p {
        Penalty::L2 => BLUE,
        Penalty::L1 => VERMILION,
        Penalty::FiringRate => GREEN,
        Penalty::HalfRate => PURPLE,
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
        10f64.powf(lo.log10().floor()),
        10f64.powf(hi.log10().ceil()),
    )
}

/// D2: span loss (solid) and 011 loss (dashed) against λ, one colour per penalty (the legend
/// names the colours; the caption, the line styles); λ = 0 as grey horizontal lines.
fn regularisation(sweep: &RegSweep) -> Result<Svg> {
    let name = format!("regularisation {}", sweep.name);
    let name = name.as_str();
    svg_figure(name, |root| {
        let lambdas: Vec<f64> = sweep
            .rows
            .iter()
            .filter(|r| r.penalty != Penalty::None)
            .map(|r| r.lambda)
            .collect();
        let lmin = lambdas.iter().copied().fold(f64::INFINITY, f64::min);
        let lmax = lambdas.iter().copied().fold(0.0, f64::max);
        let (ylo, yhi) = log_range(sweep.rows.iter().flat_map(|r| [r.mean.span, r.mean.sum]));
        let mut chart = chart(root, 78)
            .caption(
                format!("{}: generalisation against penalty strength", sweep.name),
                (FONT, 20),
            )
            .build_cartesian_2d((lmin / 1.5..lmax * 1.5).log_scale(), (ylo..yhi).log_scale())?;
        mesh(&mut chart, "penalty strength λ", "loss (eq. 7)", 18)
            .x_label_formatter(&|v| sci_e(*v, 0))
            .y_label_formatter(&|v| sci_e(*v, 0))
            .draw()?;
        let base = &sweep.rows[0].mean;
        for (value, label) in [(base.span, "λ = 0, span points"), (base.sum, "λ = 0, 011")] {
            if value <= 0.0 {
                continue;
            }
            chart.draw_series(LineSeries::new(
                [(lmin / 1.5, value), (lmax * 1.5, value)],
                GREY.stroke_width(2),
            ))?;
            chart.draw_series(std::iter::once(Text::new(
                label,
                (lmin / 1.4, value * 1.08),
                (FONT, 14).into_font().color(&GREY),
            )))?;
        }
        for penalty in sweep.best.iter().map(|b| b.penalty) {
            let colour = penalty_colour(penalty);
            let rows: Vec<_> = sweep.rows.iter().filter(|r| r.penalty == penalty).collect();
            let span: Vec<(f64, f64)> = rows.iter().map(|r| (r.lambda, r.mean.span)).collect();
            let sum: Vec<(f64, f64)> = rows
                .iter()
                .filter(|r| r.mean.sum > 0.0)
                .map(|r| (r.lambda, r.mean.sum))
                .collect();
            chart
                .draw_series(LineSeries::new(span.clone(), colour.stroke_width(3)))?
                .label(penalty.label())
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(3))
                });
            chart.draw_series(span.iter().map(|&p| Circle::new(p, 4, colour.filled())))?;
            chart.draw_series(std::iter::once(DashedPathElement::new(
                sum,
                6,
                4,
                colour.stroke_width(2),
            )))?;
        }
        series_labels(&mut chart, SeriesLabelPosition::LowerRight, 14).draw()?;
        Ok(())
    })
}

/// From linear to tanh: span loss after training (dots) and in the limit (lines) against k
/// (φ_k) and g (φ_g).
fn path(out: &Output) -> Result<Svg> {
    let name = "path to tanh";
    // k = 0 is exactly linear (span loss 0): below the axis, as is everything under the floor.
    let floor = 1e-8;
    svg_figure(name, |root| {
        let (_, yhi) = log_range(
            out.mix
                .iter()
                .chain(&out.gain)
                .flat_map(|q| [q.trained.span, q.span_limit]),
        );
        let mut chart =
            chart(root, 78).build_cartesian_2d(-0.02..1.02, (floor..yhi).log_scale())?;
        mesh(
            &mut chart,
            "nonlinearity k of φ_k, gain g of φ_g  (0: linear, 1: tanh)",
            "mean loss on span points",
            18,
        )
        .y_label_formatter(&|v| sci_e(*v, 0))
        .draw()?;
        for (points, colour, label) in [
            (&out.mix, BLUE, "φ_k = (1 − k) z + k tanh z"),
            (&out.gain, ORANGE, "φ_g = tanh(g z) / g"),
        ] {
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
            chart
                .draw_series(LineSeries::new(limit, colour.stroke_width(2)))?
                .label(format!("{label}: limit (closed form)"))
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2))
                });
            chart
                .draw_series(
                    trained
                        .iter()
                        .map(|&p| Circle::new(p, 5, colour.stroke_width(2))),
                )?
                .label(format!("{label}: trained"))
                .legend(move |(x, y)| Circle::new((x + 10, y), 5, colour.stroke_width(2)));
        }
        series_labels(&mut chart, SeriesLabelPosition::LowerRight, 14).draw()?;
        Ok(())
    })
}

/// D1: distance from invariance of the average of n solutions, relative to one solution's,
/// against n, with the 1/√n of independent draws.
fn invariance(out: &Output) -> Result<Svg> {
    let name = "invariance of the average";
    svg_figure(name, |root| {
        let nmax = out
            .groups
            .iter()
            .flat_map(|g| g.defect_of_mean.iter().map(|(n, _)| *n))
            .max()
            .unwrap_or(1) as f64;
        let mut chart = chart(root, 78)
            .build_cartesian_2d((0.8..nmax * 1.25).log_scale(), (0.01..2.0).log_scale())?;
        mesh(
            &mut chart,
            "number of solutions averaged",
            "defect of the average / mean defect of one",
            18,
        )
        .x_label_formatter(&|v| fixed(*v, 0))
        .y_label_formatter(&|v| shortest(*v))
        .draw()?;
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                [(1.0, 1.0), (nmax, 1.0 / nmax.sqrt())],
                6,
                4,
                BLACK.stroke_width(2),
            )))?
            .label("1/√n")
            .legend(|(x, y)| {
                DashedPathElement::new([(x, y), (x + 20, y)], 4, 3, BLACK.stroke_width(2))
            });
        let palette = [BLUE, VERMILION, GREEN, PURPLE, ORANGE];
        for (k, g) in out.groups.iter().enumerate() {
            let colour = palette[k % palette.len()];
            let pts: Vec<(f64, f64)> = g
                .defect_of_mean
                .iter()
                .map(|(n, d)| (*n as f64, (d / g.defect_per_seed).max(0.01)))
                .collect();
            chart
                .draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))?
                .label(format!("{} ({}, N = {})", g.name, g.kind, g.n))
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2))
                });
            chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, colour.filled())))?;
        }
        series_labels(&mut chart, SeriesLabelPosition::LowerLeft, 14).draw()?;
        Ok(())
    })
}
