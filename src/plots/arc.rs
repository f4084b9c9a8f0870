//! Figures of the ARC chapter (paper §4, Fig. 2): the training items, the test item and the
//! answers as triangles with coloured edges, and the repertoire of answers per symmetry group.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Area, Colour, DrawError, DrawResult, FONT, GREEN, GREY, INK, ON_COLOUR, ORANGE, Svg, VERMILION,
    svg_sized,
};
use crate::Result;
use crate::chapters::arc::{Applied, Output};
use crate::pattern::Pattern;

/// Edge colours of a 0 and of a 1: green and red in the paper's Fig. 2, green and vermilion
/// (Okabe–Ito's red) here. The caption names them from these constants.
pub const EDGE_0: Colour = GREEN;
pub const EDGE_1: Colour = VERMILION;

/// The colours of the repertoire figure's classes: no answer, a unique one, several.
pub const NO_ANSWER: Colour = GREY;
pub const UNIQUE_ANSWER: Colour = GREEN;
pub const SEVERAL_ANSWERS: Colour = ORANGE;

fn edge_color(bit: u8) -> Colour {
    if bit == 1 { EDGE_1 } else { EDGE_0 }
}

/// The ARC chapter's figures: (file stem, drawing).
pub fn arc_figures(out: &Output) -> Result<Vec<(String, Svg)>> {
    Ok(vec![
        ("arc-triangles".to_string(), triangles(out)?),
        ("arc-repertoire".to_string(), repertoire(out)?),
    ])
}

/// Text of `size` px whose middle (vertically) is at `at`, aligned horizontally by `h`.
fn text(area: &Area<'_>, s: &str, at: (i32, i32), size: u32, color: Colour, h: HPos) -> DrawResult {
    let style = (FONT, size)
        .into_font()
        .color(&color)
        .pos(Pos::new(h, VPos::Center));
    area.draw(&Text::new(s.to_string(), at, style))?;
    Ok(())
}

/// The corners of the triangle centred at `c` with side `side`: (top, bottom right, bottom
/// left). Edge 1 is the bottom edge, edge 2 the right edge, edge 3 the left edge, so the
/// transposition (23) is the mirror image in the vertical axis and a 3-cycle is a rotation.
fn corners(c: (i32, i32), side: f64) -> [(i32, i32); 3] {
    let h = side * 3f64.sqrt() / 2.0;
    let (cx, cy) = (f64::from(c.0), f64::from(c.1));
    let top = (cx, cy - 2.0 * h / 3.0);
    let right = (cx + side / 2.0, cy + h / 3.0);
    let left = (cx - side / 2.0, cy + h / 3.0);
    let r = |p: (f64, f64)| (p.0.round() as i32, p.1.round() as i32);
    [r(top), r(right), r(left)]
}

/// One pattern of length 3 as a triangle: edge i coloured by x_i, the pattern written below;
/// with `numbers`, each edge carries its index i.
fn triangle(area: &Area<'_>, x: &Pattern, c: (i32, i32), numbers: bool) -> DrawResult {
    let side = 96.0;
    let [top, right, left] = corners(c, side);
    let bits = x.bits();
    if bits.len() != 3 {
        return Err(DrawError(format!(
            "a triangle needs a pattern of length 3, got {x}"
        )));
    }
    // Edge 1 bottom (left–right), edge 2 right (right–top), edge 3 left (top–left).
    let edges = [(left, right), (right, top), (top, left)];
    // Each edge is shortened at both ends so that the three colours stay apart at the corners.
    let shrink = |a: (i32, i32), b: (i32, i32)| {
        let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
        let f = 7.0 / libm::hypot(dx, dy).max(1.0);
        let at = |p: (i32, i32), sx: f64, sy: f64| {
            (
                (f64::from(p.0) + sx * dx * f).round() as i32,
                (f64::from(p.1) + sy * dy * f).round() as i32,
            )
        };
        vec![at(a, 1.0, 1.0), at(b, -1.0, -1.0)]
    };
    for (k, (a, b)) in edges.iter().enumerate() {
        area.draw(&PathElement::new(
            shrink(*a, *b),
            edge_color(bits[k]).stroke_width(8),
        ))?;
    }
    if numbers {
        let mid = |a: (i32, i32), b: (i32, i32)| ((a.0 + b.0) / 2, (a.1 + b.1) / 2);
        let (b, r, l) = (mid(left, right), mid(right, top), mid(top, left));
        text(area, "1", (b.0 + 14, b.1 + 18), 18, GREY, HPos::Center)?;
        text(area, "2", (r.0 + 16, r.1 - 4), 18, GREY, HPos::Center)?;
        text(area, "3", (l.0 - 16, l.1 - 4), 18, GREY, HPos::Center)?;
    }
    let label_y = c.1 + (side * 3f64.sqrt() / 6.0) as i32 + if numbers { 40 } else { 26 };
    text(area, &x.to_string(), (c.0, label_y), 20, INK, HPos::Center)
}

/// An arrow from `a` to `b` with a label above its middle.
fn arrow(area: &Area<'_>, a: (i32, i32), b: (i32, i32), label: &str, color: Colour) -> DrawResult {
    area.draw(&PathElement::new(
        vec![a, (b.0 - 10, b.1)],
        color.stroke_width(3),
    ))?;
    area.draw(&Polygon::new(
        vec![(b.0, b.1), (b.0 - 14, b.1 - 7), (b.0 - 14, b.1 + 7)],
        color.filled(),
    ))?;
    text(
        area,
        label,
        ((a.0 + b.0) / 2, a.1 - 18),
        19,
        color,
        HPos::Center,
    )
}

/// A dashed vertical mirror axis through the triangle centred at `c`.
fn mirror(area: &Area<'_>, c: (i32, i32)) -> DrawResult {
    area.draw(&DashedPathElement::new(
        vec![(c.0, c.1 - 74), (c.0, c.1 + 34)],
        5,
        4,
        GREY.stroke_width(2),
    ))?;
    Ok(())
}

fn set_text(ps: &[Pattern]) -> String {
    let items: Vec<String> = ps.iter().map(Pattern::to_string).collect();
    format!("{{{}}}", items.join(", "))
}

/// Fig. 2 recreated: X' as triangles, the rule (23) mapping the test triangle to its answer,
/// and the rotation (231) that maps X' off itself.
fn triangles(out: &Output) -> Result<Svg> {
    let name = "arc triangles";
    let items = out.training.patterns();
    let rule: &Applied = &out.rule;
    let rot: &Applied = &out.rotation;
    svg_sized(name, (960, 610), |root| {
        let panel_title = |s: &str, at: (i32, i32)| text(root, s, at, 20, INK, HPos::Left);
        // Panel frames.
        for (x0, y0, x1, y1) in [(8, 8, 474, 330), (486, 8, 952, 330), (8, 342, 952, 602)] {
            root.draw(&Rectangle::new(
                [(x0, y0), (x1, y1)],
                GREY.mix(0.5).stroke_width(1),
            ))?;
        }

        // (a) The training items and the rule between them.
        panel_title("(a) training items X′", (22, 32))?;
        let (c1, c2) = ((120, 170), (360, 170));
        if let [first, second, ..] = items {
            triangle(root, first, c1, true)?;
            triangle(root, second, c2, true)?;
            mirror(root, c1)?;
            mirror(root, c2)?;
        }
        let verdict = if rule.is_symmetry {
            "maps X′ onto X′"
        } else {
            "does not map X′ onto X′"
        };
        arrow(root, (190, 170), (290, 170), &rule.sigma.to_string(), INK)?;
        text(
            root,
            &format!("{} = {}: {}", rule.printed, rule.sigma, verdict),
            (241, 300),
            18,
            INK,
            HPos::Center,
        )?;

        // (b) The test item and the inferred answer.
        panel_title("(b) test item and the inferred answer", (500, 32))?;
        let (t, a) = ((600, 170), (840, 170));
        triangle(root, &out.test, t, true)?;
        mirror(root, t)?;
        triangle(root, &rule.test_image, a, true)?;
        arrow(root, (670, 170), (770, 170), &rule.sigma.to_string(), INK)?;
        text(
            root,
            &format!(
                "test {} → answer {} = {}·{}",
                out.test, rule.test_image, rule.sigma, out.test
            ),
            (719, 300),
            18,
            INK,
            HPos::Center,
        )?;

        // (c) The rotation is not a symmetry.
        panel_title(
            &format!(
                "(c) the rotation {} = {} is not a symmetry",
                rot.printed, rot.sigma
            ),
            (22, 366),
        )?;
        let y = 470;
        let xs_in = [110, 290];
        let xs_out = [620, 800];
        for (k, x) in items.iter().enumerate().take(2) {
            triangle(root, x, (xs_in[k], y), false)?;
        }
        for (k, x) in rot.image.iter().enumerate().take(2) {
            triangle(root, x, (xs_out[k], y), false)?;
        }
        arrow(root, (380, y), (530, y), &rot.printed, VERMILION)?;
        let outside: Vec<Pattern> = rot
            .image
            .iter()
            .filter(|p| !out.training.contains(p))
            .cloned()
            .collect();
        let verdict = if rot.is_symmetry {
            format!("{}·X′ = X′", rot.printed)
        } else {
            format!(
                "{}·X′ = {} ≠ X′ = {}: {} ∉ X′",
                rot.printed,
                set_text(&rot.image),
                set_text(items),
                outside
                    .iter()
                    .map(Pattern::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        text(
            root,
            &verdict,
            (480, 572),
            18,
            if rot.is_symmetry { INK } else { VERMILION },
            HPos::Center,
        )?;
        // Key.
        for (k, (bit, label)) in [
            (0u8, format!("0: {} edge", EDGE_0.name)),
            (1u8, format!("1: {} edge", EDGE_1.name)),
        ]
        .iter()
        .enumerate()
        {
            let x = 600 + 175 * k as i32;
            root.draw(&PathElement::new(
                vec![(x, 372), (x + 26, 372)],
                edge_color(*bit).stroke_width(8),
            ))?;
            text(root, label, (x + 32, 372), 18, INK, HPos::Left)?;
        }
        Ok(())
    })
}

/// D4: for each training set, the share of test items (all patterns outside the set) with no
/// candidate answer, a unique one, or several; sets ordered by the order of their group.
fn repertoire(out: &Output) -> Result<Svg> {
    let name = "arc repertoire";
    let rows = &out.repertoire;
    let height = 130 + 50 * rows.len() as u32;
    svg_sized(name, (960, height), |root| {
        let (left, right) = (450, 940);
        let top = 64;
        let bar = 32;
        let span = f64::from(right - left);
        // Axis: 0 … 100 % of the test items.
        let axis_y = top + 50 * rows.len() as i32 + 4;
        root.draw(&PathElement::new(
            vec![(left, axis_y), (right, axis_y)],
            INK.stroke_width(1),
        ))?;
        for k in 0..=4 {
            let x = left + (span * f64::from(k) / 4.0).round() as i32;
            root.draw(&PathElement::new(
                vec![(x, top - 6), (x, axis_y + 5)],
                GREY.mix(0.3).stroke_width(1),
            ))?;
            text(
                root,
                &format!("{}%", 25 * k),
                (x, axis_y + 18),
                18,
                INK,
                HPos::Center,
            )?;
        }
        text(
            root,
            "share of the test items (all patterns outside X)",
            ((left + right) / 2, axis_y + 44),
            18,
            INK,
            HPos::Center,
        )?;
        let classes = [
            (NO_ANSWER, "no answer"),
            (UNIQUE_ANSWER, "a unique answer"),
            (SEVERAL_ANSWERS, "several candidate answers"),
        ];
        for (k, (color, label)) in classes.iter().enumerate() {
            let x = [150, 330, 560][k];
            root.draw(&Rectangle::new([(x, 18), (x + 18, 36)], color.filled()))?;
            text(root, label, (x + 26, 27), 18, INK, HPos::Left)?;
        }
        for (i, r) in rows.iter().enumerate() {
            let y = top + 50 * i as i32;
            text(
                root,
                &format!("{}, N = {}", r.name, r.set.n()),
                (left - 12, y + bar / 2 - 9),
                18,
                INK,
                HPos::Right,
            )?;
            text(
                root,
                &format!("|Σ| = {}", r.order),
                (left - 12, y + bar / 2 + 12),
                18,
                GREY,
                HPos::Right,
            )?;
            let total = r.tests.max(1) as f64;
            let mut x = left;
            for (count, (color, _)) in [r.none, r.unique, r.ambiguous].iter().zip(&classes) {
                let w = (span * *count as f64 / total).round() as i32;
                if w > 0 {
                    root.draw(&Rectangle::new([(x, y), (x + w, y + bar)], color.filled()))?;
                    if w > 26 {
                        text(
                            root,
                            &count.to_string(),
                            (x + w / 2, y + bar / 2),
                            18,
                            ON_COLOUR,
                            HPos::Center,
                        )?;
                    }
                }
                x += w;
            }
        }
        Ok(())
    })
}
