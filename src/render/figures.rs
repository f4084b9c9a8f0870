//! Figures inline in the HTML, so they follow the theme: mdBook writes each figure as an
//! `<img>` (which cannot see the page's CSS); after mdBook has run, each of those becomes the
//! SVG itself, whose ink is `currentColor` (see [`crate::plots`]), so the figure takes the
//! text colour of the light, rust, coal, navy or ayu theme and has no white card behind it.
//! Click-to-zoom (mdBook's checkbox) keeps working with one copy of the drawing; its styles are
//! in `templates/assets/figures.css`. The markdown sources and the notebooks keep the `<img>`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::{RenderError, Result, io_err};
use crate::plots::Svg;

/// What mdBook 0.5 writes for `![alt](figures/NAME.svg)`: a zoom checkbox, the image, and a
/// second copy of the image for the zoomed view.
const OPEN: &str = "<label class=\"checkbox-label\"><input class=\"checkbox-img\" type=\"checkbox\"><img src=\"figures/";

/// Replace every figure `<img>` of one HTML page by its SVG. Errors name the page and what
/// was not as expected, so a change in mdBook's markup fails the build instead of leaving
/// white cards.
pub fn inline_page(html: &str, page: &str, figures: &BTreeMap<&str, &Svg>) -> Result<String> {
    let bad = |why: String| RenderError::Markup(format!("{page}: {why}"));
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let (name, after) = after
            .split_once(".svg\" alt=\"")
            .ok_or_else(|| bad("a figure <img> without alt text".into()))?;
        let (alt, after) = after
            .split_once("\">")
            .ok_or_else(|| bad(format!("figure {name}: unterminated <img>")))?;
        let zoomed = format!(
            "<span class=\"img-wrapper\"><img src=\"figures/{name}.svg\" alt=\"{alt}\"></span></label>"
        );
        let after = after
            .strip_prefix(zoomed.as_str())
            .ok_or_else(|| bad(format!("figure {name}: not mdBook's zoomable image")))?;
        let svg = figures
            .get(name)
            .ok_or_else(|| bad(format!("figures/{name}.svg was not drawn by this build")))?;
        let body = svg
            .0
            .trim()
            .strip_prefix("<svg ")
            .ok_or_else(|| bad(format!("figures/{name}.svg does not start with <svg")))?;
        out.push_str(&format!(
            "<label class=\"checkbox-label figure-zoom\"><input class=\"checkbox-img\" type=\"checkbox\" aria-label=\"Enlarge the figure\"><svg class=\"figure-svg\" role=\"img\" aria-label=\"{alt}\" {body}</label>"
        ));
        rest = after;
    }
    out.push_str(rest);
    if out.contains("src=\"figures/") {
        return Err(bad(
            "a figure <img> in a form the inlining does not know".into()
        ));
    }
    Ok(out)
}

/// Inline the figures of every HTML page under `book`.
pub fn inline_book(book: &Path, figures: &BTreeMap<&str, &Svg>) -> Result<()> {
    let entries = fs::read_dir(book).map_err(io_err(book))?;
    let mut pages: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    for path in pages {
        let html = fs::read_to_string(&path).map_err(io_err(&path))?;
        if !html.contains(OPEN) && !html.contains("src=\"figures/") {
            continue;
        }
        let page = path
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
        let inlined = inline_page(&html, &page, figures)?;
        fs::write(&path, inlined).map_err(io_err(&path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig() -> Svg {
        Svg("<svg width=\"10\" height=\"5\" viewBox=\"0 0 10 5\" xmlns=\"http://www.w3.org/2000/svg\">\n<text fill=\"currentColor\">1</text>\n</svg>\n".into())
    }

    #[test]
    fn an_image_becomes_its_svg_once() {
        let svg = fig();
        let figures = BTreeMap::from([("a", &svg)]);
        let html = "<p>x</p><p><label class=\"checkbox-label\"><input class=\"checkbox-img\" type=\"checkbox\"><img src=\"figures/a.svg\" alt=\"The A\"><span class=\"img-wrapper\"><img src=\"figures/a.svg\" alt=\"The A\"></span></label></p><p>y</p>";
        let out = inline_page(html, "p.html", &figures).unwrap();
        assert!(!out.contains("<img"), "{out}");
        assert_eq!(out.matches("<svg ").count(), 1, "{out}");
        assert!(
            out.contains("role=\"img\" aria-label=\"The A\" width=\"10\""),
            "{out}"
        );
        assert!(out.starts_with("<p>x</p><p><label class=\"checkbox-label figure-zoom\">"));
        assert!(out.ends_with("</svg></label></p><p>y</p>"), "{out}");
    }

    #[test]
    fn an_unknown_figure_or_markup_fails() {
        let svg = fig();
        let figures = BTreeMap::from([("a", &svg)]);
        let unknown = "<label class=\"checkbox-label\"><input class=\"checkbox-img\" type=\"checkbox\"><img src=\"figures/b.svg\" alt=\"B\"><span class=\"img-wrapper\"><img src=\"figures/b.svg\" alt=\"B\"></span></label>";
        assert!(inline_page(unknown, "p.html", &figures).is_err());
        let plain = "<img src=\"figures/a.svg\" alt=\"A\">";
        assert!(inline_page(plain, "p.html", &figures).is_err());
        assert_eq!(
            inline_page("<p>none</p>", "p.html", &figures).unwrap(),
            "<p>none</p>"
        );
    }
}
