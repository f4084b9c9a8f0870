//! The drawing toolkit the chapters' figures share: the book's 2-D chart frame, mesh and
//! series-label box; legends drawn outside the plotting area; and the 3-D flow panel of
//! Fig. 1 (paper §3), which the linear and the nonlinear chapter both draw.

use plotters::chart::{ChartContext, MeshStyle};
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Area, BLUE, Colour, DrawResult, FONT, GREY, INK, PINK};

/// A 2-D chart of the book's figures.
pub(crate) type Chart2d<'a, 's, X, Y> = ChartContext<'a, SVGBackend<'s>, Cartesian2d<X, Y>>;

/// The book's 2-D chart frame: a 16 px margin, 52 px under the plot for the x tick labels and
/// `y_label_area` px left of it for the y ones. Chain further settings, then build.
pub(crate) fn chart<'a, 'b, 's>(
    area: &'a Area<'s>,
    y_label_area: u32,
) -> ChartBuilder<'a, 'b, SVGBackend<'s>> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(16)
        .x_label_area_size(52)
        .y_label_area_size(y_label_area);
    builder
}

/// The book's mesh: axis names at `desc_font` px, tick labels at 15 px. Chain formatters and
/// the like, then `draw()`.
pub(crate) fn mesh<'a, 'b, 's, X, Y, XT, YT>(
    chart: &'b mut Chart2d<'a, 's, X, Y>,
    x_desc: &str,
    y_desc: &str,
    desc_font: u32,
) -> MeshStyle<'a, 'b, X, Y, SVGBackend<'s>>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
{
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style((FONT, desc_font))
        .label_style((FONT, 15));
    mesh
}

/// The plot of the unit square in the coordinates (x₂, x₃): the prelude's and the nonlinear
/// chapter's flows seen along x₁. The mesh is left to the caller.
pub(crate) fn x2_x3_chart<'a, 's>(
    area: &'a Area<'s>,
) -> DrawResult<Chart2d<'a, 's, RangedCoordf64, RangedCoordf64>> {
    Ok(chart(area, 64).build_cartesian_2d(-0.05..1.05, -0.05..1.05)?)
}

/// A legend of coloured dots, one row of 26 px per entry, the first dot's centre at `origin`
/// (pixels of `area`) and the text to its right.
pub(crate) fn dot_legend(
    area: &Area<'_>,
    origin: (i32, i32),
    font: u32,
    rows: &[(Colour, String)],
) -> DrawResult {
    for (k, (color, text)) in rows.iter().enumerate() {
        let y = origin.1 + 26 * k as i32;
        area.draw(&Circle::new((origin.0, y), 7, color.filled()))?;
        area.draw(&Text::new(
            text.clone(),
            (origin.0 + 16, y - 10),
            (FONT, font).into_font().color(&INK),
        ))?;
    }
    Ok(())
}

/// The marker of a legend row.
#[derive(Clone, Copy)]
pub(crate) enum Key {
    /// A solid line.
    Line(Colour),
    /// A dashed line.
    Dashed(Colour),
    /// A small filled square.
    Square(Colour),
    /// A wide pale swatch (a shaded region).
    Swatch(Colour),
    /// A filled dot.
    Dot(Colour),
    /// A filled triangle.
    Triangle(Colour),
    /// A cross.
    Cross(Colour),
    /// An open circle.
    Ring(Colour),
    /// A basin's colour behind a fixed point's dot.
    SwatchDot(Colour, Colour),
    /// A basin's colour behind a fixed point's triangle.
    SwatchTriangle(Colour, Colour),
    /// No marker: a continuation line of the previous entry.
    None,
}

/// Sizes of the legend markers: where a dot or a triangle sits in the 24 px of a key, the
/// width of a line, the size of a triangle.
#[derive(Clone, Copy)]
pub(crate) struct KeySize {
    centre: i32,
    line: u32,
    triangle: u32,
}

/// The compact markers of the linear chapter's legends.
pub(crate) const COMPACT: KeySize = KeySize {
    centre: 11,
    line: 2,
    triangle: 7,
};
/// The larger markers of the nonlinear chapter's legends.
pub(crate) const LARGE: KeySize = KeySize {
    centre: 12,
    line: 3,
    triangle: 8,
};

/// A legend of key-and-text rows, drawn outside the plotting area so it never hides data.
pub(crate) struct Legend {
    /// Pixel of the first key's left end, at the middle of its row.
    pub at: (i32, i32),
    /// Width of a column and height of a row, in pixels.
    pub column: i32,
    pub row: i32,
    /// Text size in pixels.
    pub font: u32,
    pub keys: KeySize,
}

impl Legend {
    /// The height in pixels of `n` entries in `columns` columns, with 8 px above and below.
    pub(crate) fn height(row: i32, n: usize, columns: usize) -> u32 {
        (row * n.div_ceil(columns.max(1)) as i32 + 16) as u32
    }

    /// Entries laid out row by row in `columns` columns.
    pub(crate) fn by_rows(
        &self,
        area: &Area<'_>,
        columns: usize,
        entries: &[(Key, String)],
    ) -> DrawResult {
        let columns = columns.max(1);
        for (k, (key, text)) in entries.iter().enumerate() {
            let x = self.at.0 + self.column * (k % columns) as i32;
            let y = self.at.1 + self.row * (k / columns) as i32;
            self.entry(area, (x, y), *key, text)?;
        }
        Ok(())
    }

    /// Each list of entries as a column.
    pub(crate) fn boxed_columns(
        &self,
        area: &Area<'_>,
        columns: &[Vec<(Key, String)>],
    ) -> DrawResult {
        for (c, column) in columns.iter().enumerate() {
            for (r, (key, text)) in column.iter().enumerate() {
                let x = self.at.0 + self.column * c as i32;
                let y = self.at.1 + self.row * r as i32;
                self.entry(area, (x, y), *key, text)?;
            }
        }
        Ok(())
    }

    /// One row: the key from x to x + 24 around the row's middle y, the text from x + 32.
    fn entry(&self, area: &Area<'_>, (x, y): (i32, i32), key: Key, text: &str) -> DrawResult {
        let KeySize {
            centre,
            line,
            triangle,
        } = self.keys;
        let mid = (x + centre, y);
        let swatch = |c: Colour, alpha: f64| {
            Rectangle::new([(x, y - 7), (x + 24, y + 7)], c.mix(alpha).filled())
        };
        match key {
            Key::Line(c) => area.draw(&PathElement::new(
                [(x, y), (x + 24, y)],
                c.stroke_width(line),
            )),
            Key::Dashed(c) => area.draw(&DashedPathElement::new(
                vec![(x, y), (x + 24, y)],
                6,
                3,
                c.stroke_width(2),
            )),
            Key::Square(c) => area.draw(&Rectangle::new(
                [(mid.0 - 6, y - 6), (mid.0 + 6, y + 6)],
                c.filled(),
            )),
            Key::Swatch(c) => area.draw(&swatch(c, 0.45)),
            Key::Dot(c) => area.draw(&Circle::new(mid, 6, c.filled())),
            Key::Triangle(c) => area.draw(&TriangleMarker::new(mid, triangle, c.filled())),
            Key::Cross(c) => area.draw(&Cross::new(mid, 6, c.stroke_width(2))),
            Key::Ring(c) => area.draw(&Circle::new(mid, 6, c.stroke_width(2))),
            Key::SwatchDot(b, c) => area
                .draw(&swatch(b, 0.6))
                .and_then(|()| area.draw(&Circle::new(mid, 6, c.filled()))),
            Key::SwatchTriangle(b, c) => area
                .draw(&swatch(b, 0.6))
                .and_then(|()| area.draw(&TriangleMarker::new(mid, triangle, c.filled()))),
            Key::None => Ok(()),
        }?;
        let style = (FONT, self.font)
            .into_font()
            .color(&INK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(text.to_string(), (x + 32, y), style))?;
        Ok(())
    }
}

/// How a 3-D flow panel is drawn: a panel of the three-panel Fig. 1 is smaller than a figure
/// of its own.
pub(crate) struct FlowStyle {
    /// Margin around the chart, in pixels.
    pub margin: u32,
    /// Zoom of the projection.
    pub scale: f64,
    /// Text sizes of the tick labels and the axis names, and of a mark's label.
    pub tick_font: u32,
    pub axis_font: u32,
    pub mark_font: u32,
    /// Opacity of the floor (the training plane x₁ = 0) and of the trajectories.
    pub floor_alpha: f64,
    pub line_alpha: f64,
    /// The largest (x₁, x₂, x₃) the axes show; None: the panel's own trajectories' (at least 1).
    pub extent: Option<(f64, f64, f64)>,
}

/// The largest (x₁, x₂, x₃), at least 1 each, over the trajectories of several panels: one
/// extent for panels that must share their axes.
pub(crate) fn flow_extent(panels: &[&[Vec<Vec<f64>>]]) -> (f64, f64, f64) {
    let max_of = |i: usize| {
        panels
            .iter()
            .flat_map(|p| p.iter())
            .flatten()
            .filter_map(|v| v.get(i).copied())
            .fold(1.0, f64::max)
    };
    (max_of(0), max_of(1), max_of(2))
}

/// The shape of a point marked in a flow panel: size in pixels and colour.
#[derive(Clone, Copy)]
pub(crate) enum Shape {
    Dot(u32, Colour),
    Triangle(u32, Colour),
}

/// A point marked in a flow panel (a fixed point, a training item), in the network's
/// coordinates (x₁, x₂, x₃), with an optional label beside it.
pub(crate) struct Mark {
    pub x: Vec<f64>,
    pub shape: Shape,
    pub label: Option<String>,
}

/// One 3-D flow panel (Fig. 1): trajectories x ← φ(Wx) drawn in the plot coordinates
/// (x₂, x₁, x₃), so x₁, the distance to the training plane x₁ = 0, is vertical and the plane is
/// the floor the trajectories fall onto; then the marks, then the axis names.
pub(crate) fn flow_3d_panel(
    area: &Area<'_>,
    trajectories: &[Vec<Vec<f64>>],
    marks: &[Mark],
    style: &FlowStyle,
) -> DrawResult {
    let at = |v: &[f64]| {
        (
            v.get(1).copied().unwrap_or(0.0),
            v.first().copied().unwrap_or(0.0),
            v.get(2).copied().unwrap_or(0.0),
        )
    };
    let (m1, m2, m3) = style.extent.unwrap_or_else(|| flow_extent(&[trajectories]));
    let mut chart = ChartBuilder::on(area)
        .margin(style.margin)
        .build_cartesian_3d(-0.1..m2 + 0.1, -0.05..m1 + 0.05, -0.1..m3 + 0.1)?;
    chart.with_projection(|mut p| {
        p.yaw = 0.45;
        p.pitch = 0.35;
        p.scale = style.scale;
        p.into_matrix()
    });
    chart
        .configure_axes()
        .label_style((FONT, style.tick_font))
        .light_grid_style(GREY.mix(0.12))
        .bold_grid_style(GREY.mix(0.3))
        .max_light_lines(1)
        .x_labels(5)
        .y_labels(3)
        .z_labels(4)
        .draw()?;
    let floor = vec![
        (0.0, 0.0, 0.0),
        (m2, 0.0, 0.0),
        (m2, 0.0, m3),
        (0.0, 0.0, m3),
    ];
    chart.draw_series(std::iter::once(Polygon::new(
        floor,
        PINK.mix(style.floor_alpha).filled(),
    )))?;
    for traj in trajectories {
        chart.draw_series(LineSeries::new(
            traj.iter().map(|v| at(v)),
            BLUE.mix(style.line_alpha).stroke_width(1),
        ))?;
        if let Some(s) = traj.first() {
            chart.draw_series(std::iter::once(Circle::new(at(s), 2, BLUE.filled())))?;
        }
    }
    for mark in marks {
        let p = at(&mark.x);
        match mark.shape {
            Shape::Dot(size, color) => {
                chart.draw_series(std::iter::once(Circle::new(p, size, color.filled())))?;
            }
            Shape::Triangle(size, color) => {
                chart.draw_series(std::iter::once(TriangleMarker::new(
                    p,
                    size,
                    color.filled(),
                )))?;
            }
        }
        if let Some(label) = &mark.label {
            chart.draw_series(std::iter::once(Text::new(
                label.clone(),
                (p.0 + 0.04, p.1 + 0.12, p.2),
                (FONT, style.mark_font).into_font().color(&INK),
            )))?;
        }
    }
    // Axis names beside the edges that carry the tick labels (the front ones at this yaw).
    let (xm, ym, zm) = ((m2 - 0.1) / 2.0, 0.75 * m1, (m3 - 0.1) / 2.0);
    for (label, pos) in [
        ("x₂", (xm, -0.05, m3 + 0.75)),
        ("x₁", (-0.3, ym, m3 + 0.45)),
        ("x₃", (m2 + 0.3, -0.05, zm)),
    ] {
        chart.draw_series(std::iter::once(Text::new(
            label,
            pos,
            (FONT, style.axis_font).into_font().color(&INK),
        )))?;
    }
    Ok(())
}
