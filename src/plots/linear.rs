//! Figures of the linear chapter (paper §3.1, Fig. 1 left).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::common::{COMPACT, Key, Legend, chart, mesh};
use super::{
    BLUE, Colour, FONT, GREEN, GREY, INK, ORANGE, PINK, SIZE, SKY, Svg, VERMILION, svg_figure,
    svg_sized,
};
use crate::Result;
use crate::chapters::linear::{Output, PaperInit, SetId};
use crate::fmt::{exponent_tick, fixed, log_tick, ten_to};

/// The colours the captions name: where the iteration converges and where it does not (the
/// stability figure); the printed matrices' crosses and the trained invariant runs are ink.
pub const CONVERGES: Colour = GREEN;
pub const DIVERGES: Colour = VERMILION;
pub const PRINTED_BAND: Colour = PINK;

/// A printed matrix's name as the paper typesets it: "W0^SGD" → "W₀ (SGD)",
/// "Wrnd^SGD (first example)" → "W from a random start (SGD, first example)".
pub(crate) fn matrix_name(name: &str) -> String {
    let (head, rest) = name.split_once(' ').unwrap_or((name, ""));
    let Some((base, method)) = head.split_once('^') else {
        return name.to_string();
    };
    let method = match method {
        "ADAM" => "Adam",
        m => m,
    };
    let rest = rest.trim_start_matches('(').trim_end_matches(')');
    let extra = if rest.is_empty() {
        String::new()
    } else {
        format!(", {rest}")
    };
    match base.strip_prefix('W') {
        Some("rnd") => format!("W from a random start ({method}{extra})"),
        Some(digits) if digits.chars().all(|c| c.is_ascii_digit()) => {
            let sub: String = digits
                .chars()
                .filter_map(|c| c.to_digit(10))
                .filter_map(|d| char::from_u32(0x2080 + d))
                .collect();
            format!("W{sub} ({method}{extra})")
        }
        _ => name.to_string(),
    }
}

/// The training set and the initialisation whose loss curves are drawn.
const CURVE_SET: SetId = SetId::X;
const CURVE_INIT: PaperInit = PaperInit::SmallNormal;

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
        (
            "linear-flow-3d".to_string(),
            super::linear_flow::flow_3d(out)?,
        ),
        (
            "linear-flow-distance".to_string(),
            super::linear_flow::flow_distance(out)?,
        ),
    ])
}

/// The colour of the i-th initialisation (in `out.init_labels` order).
fn init_color(k: usize) -> Colour {
    [BLUE, ORANGE, GREEN, VERMILION, PINK][k % 5]
}

/// F1: training loss against update step, every optimiser set-up, one set and one init.
fn loss_curves(out: &Output) -> Result<Svg> {
    let name = "linear loss curves";
    let floor: f64 = 1e-32;
    svg_figure(name, |root| {
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
        let mut chart = chart(&upper, 78)
            .margin_bottom(4)
            .x_label_area_size(48)
            .build_cartesian_2d(
                (1.0..max_step * 1.5).log_scale(),
                libm::log10(floor) - 0.5..libm::log10(max_loss) + 0.5,
            )?;
        mesh(&mut chart, "update step", "training loss (eq. 7)", 19)
            .y_labels(9)
            .x_label_formatter(&|v| log_tick(*v))
            .y_label_formatter(&|v| exponent_tick(*v))
            .draw()?;
        // Gradient-descent set-ups get a colour each (solid); an Adam set-up is dashed and takes
        // the colour of the SGD set-up with the same batching, so colour reads as batching.
        let palette = [BLUE, ORANGE, GREEN, VERMILION, PINK, SKY, GREY, INK];
        let mut next = 0;
        let mut colors: Vec<(String, Colour)> = Vec::new();
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
                .map(|&(k, l)| (k as f64 + 1.0, libm::log10(l.max(floor))))
                .collect();
            if s.gradient_family {
                chart.draw_series(LineSeries::new(pts, color.stroke_width(2)))?;
                solid.push((Key::Line(color), s.label()));
            } else {
                chart.draw_series(DashedLineSeries::new(pts, 7, 4, color.stroke_width(2)))?;
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
                ten_to(libm::log10(floor).round() as i64)
            ),
        ));
        Legend {
            at: (80, 15),
            column: 340,
            row: 19,
            font: 15,
            keys: COMPACT,
        }
        .boxed_columns(&lower, &[solid, dashed])
    })
}

/// F2: the trained solutions on X in the paper's coordinates (b, c), the Σ-invariant family
/// b = c of eq. 6 and the printed matrices.
fn family(out: &Output) -> Result<Svg> {
    let name = "linear family";
    svg_figure(name, |root| {
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
        let mut chart = chart(&left, 64).build_cartesian_2d(lo..hi, lo..hi)?;
        mesh(&mut chart, "b", "c", 20)
            .max_light_lines(1)
            .x_label_formatter(&|v| fixed(*v, 1))
            .y_label_formatter(&|v| fixed(*v, 1))
            .draw()?;
        chart.draw_series(LineSeries::new([(lo, lo), (hi, hi)], GREY.stroke_width(2)))?;
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
            chart.draw_series(of(true).map(|p| Circle::new(p, 7, color.mix(0.85).filled())))?;
            chart.draw_series(of(false).map(|p| TriangleMarker::new(p, 7, color.filled())))?;
            legend.push((Key::Square(color), format!("init {init}")));
        }
        let n_gd = out.setups.iter().filter(|s| s.gradient_family).count();
        let n_adam = out.setups.len() - n_gd;
        legend.extend([
            (Key::Dot(INK), "gradient-descent family:".to_string()),
            (
                Key::None,
                format!("all {n_gd} set-ups give one point per init"),
            ),
            (Key::Triangle(INK), format!("Adam ({n_adam} set-ups)")),
            (Key::Cross(INK), "printed matrices (paper)".to_string()),
        ]);
        // Printed matrices: crosses with their names. They lie near the diagonal, so labels
        // alternate (in order of b) between above-left and below-right of it.
        let mut printed: Vec<(String, (f64, f64))> = out
            .printed
            .iter()
            .map(|p| {
                (
                    matrix_name(&p.name),
                    (p.printed_described.abc[1], p.printed_described.abc[2]),
                )
            })
            .collect();
        printed.sort_by(|p, q| p.1.0.total_cmp(&q.1.0));
        // Each name sits at the end of a thin leader, away from the diagonal and the markers
        // near it: alternately up-left and down-right, the leaders of neighbours of one side
        // of different lengths.
        for (k, (label, p)) in printed.iter().enumerate() {
            let reach = 34 + 22 * ((k / 2) % 2) as i32;
            let (end, pos) = if k % 2 == 0 {
                ((-reach, -reach / 2), Pos::new(HPos::Right, VPos::Center))
            } else {
                ((reach, reach / 2), Pos::new(HPos::Left, VPos::Center))
            };
            let gap = (end.0 + end.0.signum() * 4, end.1);
            chart.draw_series(std::iter::once(
                EmptyElement::at(*p)
                    + PathElement::new([(0, 0), end], INK.mix(0.6).stroke_width(1))
                    + Cross::new((0, 0), 7, INK.stroke_width(2))
                    + Text::new(
                        label.clone(),
                        gap,
                        (FONT, 15).into_font().color(&INK).pos(pos),
                    ),
            ))?;
        }
        Legend {
            at: (10, 34),
            column: 266,
            row: 24,
            font: 15,
            keys: COMPACT,
        }
        .boxed_columns(&right, &[legend])
    })
}

/// F3: the per-seed distance from invariance of SGD (full batch) from the random inits; the
/// legend under the plot.
fn symmetry_breaking(out: &Output) -> Result<Svg> {
    let name = "linear symmetry breaking";
    let (lo_exp, hi_exp, bins) = (-4.0_f64, 1.0_f64, 40usize);
    let averages: Vec<_> = out.averages.sgd().to_vec();
    let inits: Vec<&PaperInit> = out.inits.iter().collect();
    let colour_of =
        |init: &PaperInit| init_color(inits.iter().position(|l| *l == init).unwrap_or(0));
    let entries: Vec<(Key, String)> = averages
        .iter()
        .map(|a| {
            (
                Key::Swatch(colour_of(&a.init)),
                format!(
                    "init {} ({} seeds, median {})",
                    a.init,
                    a.seeds,
                    fixed(a.median_defect, 3)
                ),
            )
        })
        .collect();
    let row = 24;
    let size = (SIZE.0, SIZE.1 + Legend::height(row, entries.len(), 1));
    svg_sized(name, size, |root| {
        let (plot, foot) = root.split_vertically(SIZE.1);
        let edges: Vec<f64> = (0..=bins)
            .map(|k| libm::pow(10.0, lo_exp + (hi_exp - lo_exp) * k as f64 / bins as f64))
            .collect();
        let hists: Vec<Vec<usize>> = averages
            .iter()
            .map(|a| {
                let mut h = vec![0usize; bins];
                for &d in &a.defects {
                    let t = ((libm::log10(d.max(1e-300)) - lo_exp) / (hi_exp - lo_exp)
                        * bins as f64)
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
        let mut chart = chart(&plot, 70).build_cartesian_2d(
            (edges[0] * 0.97..edges[bins] * 1.03).log_scale(),
            0.0..top.max(1.0),
        )?;
        mesh(
            &mut chart,
            "distance from invariance  maxₛ ‖W − s·W‖ (per seed)",
            "number of seeds",
            18,
        )
        .x_label_formatter(&|v| log_tick(*v))
        .y_label_formatter(&|v| fixed(*v, 0))
        .draw()?;
        for (a, h) in averages.iter().zip(&hists) {
            let color = colour_of(&a.init);
            chart.draw_series(
                h.iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .map(|(j, &c)| {
                        Rectangle::new(
                            [(edges[j], 0.0), (edges[j + 1], c as f64)],
                            color.mix(0.22).filled(),
                        )
                    }),
            )?;
            let mut outline = vec![(edges[0], 0.0)];
            for (j, &c) in h.iter().enumerate() {
                outline.push((edges[j], c as f64));
                outline.push((edges[j + 1], c as f64));
            }
            outline.push((edges[bins], 0.0));
            chart.draw_series(LineSeries::new(outline, color.stroke_width(2)))?;
        }
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

/// F4: where the plane attractor of X's invariant family W_ab is stable, measured, against the
/// corrected and the printed criterion. The grid's cells are drawn edge to edge, each run of
/// equal cells along a as one rectangle; the legend under the plot.
fn stability(out: &Output) -> Result<Svg> {
    let name = "linear stability";
    let st = &out.stability;
    let (lo, hi) = st.range;
    let entries = vec![
        (
            Key::Swatch(CONVERGES),
            "iteration converges to the plane".to_string(),
        ),
        (
            Key::Swatch(DIVERGES),
            "iteration does not converge".to_string(),
        ),
        (Key::Line(INK), "corrected: 0 < a − 2b < 2".to_string()),
        (
            Key::Dashed(PRINTED_BAND),
            "printed: |a − 2b| < 1".to_string(),
        ),
        (
            Key::Dot(INK),
            "trained runs on X with b = c (|b − c| < 10⁻⁶)".to_string(),
        ),
    ];
    let row = 24;
    let size = (SIZE.0, SIZE.1 + Legend::height(row, entries.len(), 2));
    svg_sized(name, size, |root| {
        let (plot, foot) = root.split_vertically(SIZE.1);
        let mut chart = chart(&plot, 64).build_cartesian_2d(lo..hi, lo..hi)?;
        mesh(&mut chart, "a", "b", 20).disable_mesh().draw()?;
        let step = (hi - lo) / (st.grid.max(2) - 1) as f64;
        let half = step / 2.0;
        // Runs of equal cells along a, for each b (the points are a grid).
        let mut cells: Vec<(f64, f64, bool)> = st.points.iter().map(|p| (p.1, p.0, p.3)).collect();
        cells.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.total_cmp(&q.1)));
        let mut runs: Vec<(f64, f64, f64, bool)> = Vec::new();
        for (b, a, conv) in cells {
            match runs.last_mut() {
                Some(r) if r.0 == b && r.3 == conv && (a - r.2 - step).abs() < half => r.2 = a,
                _ => runs.push((b, a, a, conv)),
            }
        }
        for (conv, color) in [(true, CONVERGES), (false, DIVERGES)] {
            let fill = color.mix(0.3).filled();
            chart.draw_series(runs.iter().filter(|r| r.3 == conv).map(|&(b, a0, a1, _)| {
                Rectangle::new(
                    [
                        ((a0 - half).max(lo), (b - half).max(lo)),
                        ((a1 + half).min(hi), (b + half).min(hi)),
                    ],
                    fill,
                )
            }))?;
        }
        // The line a − 2b = c, i.e. b = (a − c)/2, clipped to the square.
        let line = |c: f64| {
            let a0 = (c + 2.0 * lo).max(lo);
            let a1 = (c + 2.0 * hi).min(hi);
            vec![(a0, (a0 - c) / 2.0), (a1, (a1 - c) / 2.0)]
        };
        for c in [0.0, 2.0] {
            chart.draw_series(LineSeries::new(line(c), INK.stroke_width(3)))?;
        }
        for c in [-1.0, 1.0] {
            chart.draw_series(DashedLineSeries::new(
                line(c),
                10,
                6,
                PRINTED_BAND.stroke_width(3),
            ))?;
        }
        let invariant: Vec<(f64, f64)> = out
            .runs
            .iter()
            .filter(|r| r.set == SetId::X && (r.trained.abc[1] - r.trained.abc[2]).abs() < 1e-6)
            .map(|r| (r.trained.abc[0], r.trained.abc[1]))
            .collect();
        chart.draw_series(invariant.iter().map(|&p| Circle::new(p, 5, INK.filled())))?;
        Legend {
            at: (72, 8 + row / 2),
            column: 330,
            row,
            font: 16,
            keys: COMPACT,
        }
        .by_rows(&foot, 2, &entries)
    })
}
