//! The figures as a reader sees them: every text large enough at the displayed size, real
//! notation in every label, ink that follows the page's theme and no background card, and
//! caption colour names that name colours the figure really draws.

use items_or_relations::compute::{self, Computed, Options};
use items_or_relations::plots::{self, COLUMN_PX, MIN_TEXT_PX};

fn computed() -> Vec<Computed> {
    let opts = Options {
        quick: true,
        chapter: None,
        seed: None,
        sweep: None,
        atlas_data: Vec::new(),
    };
    compute::compute_all(&opts, &mut |_, _, _| {}).unwrap()
}

/// The value of attribute `name` in the tag that starts `tag`.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    tag[at..].split('"').next()
}

/// (font size, text) of every `<text>` element of an SVG.
fn texts(svg: &str) -> Vec<(f64, String)> {
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let (tag, rest) = t.split_once('>').unwrap();
            let size: f64 = attr(tag, "font-size").unwrap().parse().unwrap();
            let body = rest.split("</text>").next().unwrap().to_string();
            (size, body)
        })
        .collect()
}

#[test]
fn every_figure_reads_well_in_every_theme() {
    let all = computed();
    let mut problems = Vec::new();
    let mut n_figures = 0;
    for c in &all {
        for (name, svg) in &c.figures {
            n_figures += 1;
            let svg = &svg.0;
            let width: f64 = attr(svg.lines().next().unwrap(), "width")
                .unwrap()
                .parse()
                .unwrap();
            // Scaled to the content column when wider; never enlarged.
            let scale = (COLUMN_PX / width).min(1.0);
            let texts = texts(svg);
            assert!(!texts.is_empty(), "{name} has no text");
            for (size, text) in &texts {
                if size * scale < MIN_TEXT_PX - 1e-9 {
                    problems.push(format!(
                        "{name}: \"{text}\" is {:.1} px as displayed",
                        size * scale
                    ));
                }
                let text = text.trim().replace("&apos;", "'");
                let chars: Vec<char> = text.chars().collect();
                // An ASCII quote for a prime (X', φ'), not an apostrophe (paper's).
                let ascii_prime = chars
                    .windows(2)
                    .any(|w| w[0] == '\'' && !w[1].is_alphabetic())
                    || text.ends_with('\'');
                let ascii_math = text.contains('^')
                    || text.contains('_')
                    || text.contains("[[")
                    || ascii_prime
                    || text.as_bytes().windows(3).any(|w| {
                        w[0].is_ascii_digit()
                            && w[1] == b'e'
                            && (w[2] == b'-' || w[2].is_ascii_digit())
                    });
                if ascii_math {
                    problems.push(format!("{name}: pseudo-notation in \"{text}\""));
                }
            }
            for bad in ["#000000", "black"] {
                if svg.contains(&format!("\"{bad}\"")) {
                    problems.push(format!(
                        "{name}: {bad} does not follow the theme (ink must be currentColor)"
                    ));
                }
            }
            // No card behind the drawing: no white rectangle, and no rectangle as large as
            // the figure.
            let height = attr(svg.lines().next().unwrap(), "height").unwrap();
            for rect in svg.split("<rect").skip(1) {
                let tag = rect.split('>').next().unwrap();
                let white = matches!(attr(tag, "fill"), Some("#FFFFFF" | "white"));
                let full = attr(tag, "width").and_then(|w| w.parse::<f64>().ok()) == Some(width)
                    && attr(tag, "height") == Some(height);
                if white || full {
                    problems.push(format!("{name}: a background rectangle <rect{tag}>"));
                }
            }
            if !svg.contains("\"currentColor\"") {
                problems.push(format!("{name}: no ink in the text colour"));
            }
        }
    }
    assert!(n_figures >= 20, "only {n_figures} figures");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn caption_colour_names_name_colours_the_figure_draws() {
    let all = computed();
    let names = plots::caption_colours();
    for (role, figure, colour) in plots::caption_colour_roles() {
        let svg = all
            .iter()
            .flat_map(|c| &c.figures)
            .find(|(n, _)| n == figure)
            .map(|(_, s)| &s.0)
            .unwrap_or_else(|| panic!("no figure {figure}"));
        let written = plots::svg_colour(colour);
        assert!(
            svg.contains(&format!("\"{written}\"")),
            "{role}: the caption says {}, but {figure} draws nothing in {written}",
            colour.name
        );
        assert_eq!(names[role], colour.name);
    }
    // Distinct colours have distinct names, so a caption's name picks out one colour.
    let roles = plots::caption_colour_roles();
    for (_, _, a) in &roles {
        for (_, _, b) in &roles {
            assert_eq!(a.rgb == b.rgb, a.name == b.name, "{} / {}", a.name, b.name);
        }
    }
}
