//! Figures of the atlas chapter: how often each network generalises to the span set and to
//! the paper's criterion set, against |Σ_X| and against |X|, one line per network and N; and
//! how the criterion set compares with the span set, per N.

use plotters::prelude::*;

use super::common::{COMPACT, Key, Legend, chart, mesh};
use super::{Area, BLUE, Colour, DrawResult, FONT, GREEN, GREY, INK, ORANGE, PINK, Svg, svg_sized};
use crate::Result;
use crate::chapters::atlas::{Group, Output, Rates};

/// The atlas chapter's figures: (file stem, drawing).
pub fn atlas_figures(out: &Output) -> Result<Vec<(String, Svg)>> {
    Ok(vec![
        (
            "atlas-group-order".to_string(),
            rates_figure(out, "order of the symmetry group", true, |s| {
                &s.by_group_order
            })?,
        ),
        (
            "atlas-items".to_string(),
            rates_figure(out, "training items |X|", false, |s| &s.by_items)?,
        ),
        ("atlas-agreement".to_string(), agreement(out)?),
    ])
}

type Pick = fn(&Rates) -> Option<f64>;

/// A network's rates within a group of classes.
type RatesOf = fn(&Group) -> &Rates;

const NETWORKS: [(&str, Colour, RatesOf); 3] = [
    ("linear", BLUE, |g| &g.identity),
    ("tanh", ORANGE, |g| &g.tanh),
    ("sigmoid", PINK, |g| &g.sigmoid),
];

/// Two panels (span set, criterion set): the fraction of networks reproducing all of it,
/// against a key of the class (log₂ axis for |Σ_X|), one colour per network, one marker
/// per N (circle, triangle, square, cross for N = 3, 4, 5, other).
fn rates_figure(
    out: &Output,
    x_desc: &str,
    log2: bool,
    groups: fn(&crate::chapters::atlas::Section) -> &Vec<Group>,
) -> Result<Svg> {
    svg_sized(
        &format!("atlas rates against {x_desc}"),
        (1200, 610),
        |root| {
            let (top, bottom) = root.split_vertically(550);
            legend(&bottom, out)?;
            let panels = top.split_evenly((1, 2));
            let picks: [(&str, Pick); 2] =
                [("span set", |r| r.span), ("criterion set", |r| r.criterion)];
            for (area, (what, pick)) in panels.iter().zip(picks) {
                panel(area, out, x_desc, log2, groups, what, pick)?;
            }
            Ok(())
        },
    )
}

fn panel(
    area: &Area<'_>,
    out: &Output,
    x_desc: &str,
    log2: bool,
    groups: fn(&crate::chapters::atlas::Section) -> &Vec<Group>,
    what: &str,
    pick: Pick,
) -> DrawResult {
    let xv = |k: usize| if log2 { libm::log2(k as f64) } else { k as f64 };
    let xmax = out
        .sections
        .iter()
        .flat_map(|s| groups(s).iter().map(|g| xv(g.key)))
        .fold(1.0, f64::max);
    let xmin = if log2 { -0.3 } else { 0.5 };
    let mut c = chart(area, 60)
        .caption(format!("networks reproducing the whole {what}"), (FONT, 24))
        .build_cartesian_2d(xmin..xmax + 0.5, -0.02..1.02)?;
    let x_label = if log2 {
        format!("{x_desc} (log scale)")
    } else {
        x_desc.to_string()
    };
    mesh(&mut c, &x_label, "fraction of networks", 23)
        // The figure is 1200 px wide, shown at 750: ticks larger than the book's 15 px.
        .label_style((FONT, 23))
        .x_label_formatter(&|v| {
            if log2 {
                // Ticks only at powers of two: 1, 2, 4, 8, …
                if (v - v.round()).abs() < 1e-6 && *v >= 0.0 {
                    format!("{:.0}", libm::exp2(v.round()))
                } else {
                    String::new()
                }
            } else {
                format!("{v:.0}")
            }
        })
        .draw()?;
    for (_, colour, rates) in NETWORKS {
        for (k, s) in out.sections.iter().enumerate() {
            let points: Vec<(f64, f64)> = groups(s)
                .iter()
                .filter_map(|g| pick(rates(g)).map(|v| (xv(g.key), v)))
                .collect();
            let line = ShapeStyle::from(&colour).stroke_width(2);
            let dot = ShapeStyle::from(&colour).filled();
            c.draw_series(LineSeries::new(points.clone(), line))?;
            // One marker shape per N: circle, triangle, square, cross (legend under the panels).
            match k {
                0 => {
                    c.draw_series(points.iter().map(|&p| Circle::new(p, 4, dot)))?;
                }
                1 => {
                    c.draw_series(points.iter().map(|&p| TriangleMarker::new(p, 5, dot)))?;
                }
                2 => {
                    c.draw_series(
                        points.iter().map(|&p| {
                            EmptyElement::at(p) + Rectangle::new([(-4, -4), (4, 4)], dot)
                        }),
                    )?;
                }
                _ => {
                    c.draw_series(points.iter().map(|&p| Cross::new(p, 4, line)))?;
                }
            }
        }
    }
    Ok(())
}

/// The legend strip under the panels: one colour per network, one marker per N.
fn legend(area: &Area<'_>, out: &Output) -> DrawResult {
    let text = (FONT, 23).into_font().color(&INK);
    let y = 28;
    let mut x = 80;
    for (name, colour, _) in NETWORKS {
        area.draw(&Rectangle::new(
            [(x, y - 2), (x + 26, y + 2)],
            colour.filled(),
        ))?;
        area.draw(&Text::new(name, (x + 32, y - 10), text.clone()))?;
        x += 150;
    }
    x += 40;
    let black = ShapeStyle::from(&INK).filled();
    for (k, s) in out.sections.iter().enumerate() {
        let at = (x + 6, y);
        match k {
            0 => area.draw(&Circle::new(at, 4, black))?,
            1 => area.draw(&TriangleMarker::new(at, 5, black))?,
            2 => area.draw(&(EmptyElement::at(at) + Rectangle::new([(-4, -4), (4, 4)], black)))?,
            _ => area.draw(&Cross::new(at, 4, ShapeStyle::from(&INK).stroke_width(2)))?,
        }
        area.draw(&Text::new(
            format!("N = {}", s.n),
            (x + 16, y - 10),
            text.clone(),
        ))?;
        x += 110;
    }
    Ok(())
}

/// Per N, the fraction of classes whose criterion set equals the span set, lies strictly
/// inside it, strictly contains it, or neither: stacked bars.
fn agreement(out: &Output) -> Result<Svg> {
    svg_sized("atlas criterion against span", (860, 460), |root| {
        let n = out.sections.len();
        // The bars on the left, their legend in a column of its own on the right.
        let (plot, key) = root.split_horizontally(500);
        let mut c = chart(&plot, 60)
            .caption("criterion set against span set", (FONT, 19))
            .build_cartesian_2d(-0.6..(n as f64) - 0.4, 0.0..1.0)?;
        mesh(&mut c, "pattern length N", "fraction of classes", 17)
            .label_style((FONT, 17))
            .disable_x_mesh()
            .x_labels(n.max(1))
            .x_label_formatter(&|v| {
                let k = v.round();
                if (v - k).abs() < 0.01 && k >= 0.0 && (k as usize) < n {
                    format!("N = {}", out.sections[k as usize].n)
                } else {
                    String::new()
                }
            })
            .draw()?;
        let parts: [(&str, Colour); 4] = [
            ("equal", GREEN),
            ("criterion set inside span set", BLUE),
            ("span set inside criterion set", ORANGE),
            ("neither contains the other", GREY),
        ];
        for (p, (label, colour)) in parts.iter().enumerate() {
            let bars: Vec<Rectangle<(f64, f64)>> = out
                .sections
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    let a = &s.agreement;
                    let counts = [
                        a.equal,
                        a.criterion_inside_span,
                        a.span_inside_criterion,
                        a.neither,
                    ];
                    let total = counts.iter().sum::<usize>().max(1) as f64;
                    let below: usize = counts[..p].iter().sum();
                    let (y0, y1) = (below as f64 / total, (below + counts[p]) as f64 / total);
                    Rectangle::new(
                        [(k as f64 - 0.3, y0), (k as f64 + 0.3, y1)],
                        colour.filled(),
                    )
                })
                .collect();
            let _ = label;
            c.draw_series(bars)?;
        }
        // Top to bottom as the bars stack bottom to top.
        let entries: Vec<(Key, String)> = parts
            .iter()
            .rev()
            .map(|(label, colour)| (Key::Square(*colour), label.to_string()))
            .collect();
        Legend {
            at: (10, 120),
            column: 340,
            row: 30,
            font: 17,
            keys: COMPACT,
        }
        .by_rows(&key, 1, &entries)
    })
}
