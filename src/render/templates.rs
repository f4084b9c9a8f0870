//! The tera side of rendering: the embedded templates, the number-formatting filters over
//! [`crate::fmt`] (no template ever prints a raw float) and the `code` function that shows the
//! code that ran.

use std::collections::HashMap;

use serde_json::{Value, json};
use tera::{Context, Tera};

use super::markdown::md_escape;
use super::{Computed, Options, RenderError, Result, sources};
use crate::claims::ClaimRow;
use crate::compute::REGISTRY;
use crate::fmt::{fixed, sci};

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// The book's configuration, compiled in (the repository's `book.toml`).
pub const BOOK_TOML: &str = include_str!("../../book.toml");

/// Static files copied into `chapters/assets/`: MathML styles and fonts, the book's CSS, the
/// hover previews of references.
pub const ASSETS: &[(&str, &[u8])] = &[
    (
        "book.css",
        include_bytes!("../../templates/assets/book.css"),
    ),
    (
        "figures.css",
        include_bytes!("../../templates/assets/figures.css"),
    ),
    (
        "preview.js",
        include_bytes!("../../templates/assets/preview.js"),
    ),
    (
        "figures.js",
        include_bytes!("../../templates/assets/figures.js"),
    ),
    (
        "mathml.css",
        include_bytes!("../../templates/assets/mathml.css"),
    ),
    (
        "font/latinmodern-math.woff2",
        include_bytes!("../../templates/assets/font/latinmodern-math.woff2"),
    ),
    (
        "font/lmroman12-regular.woff2",
        include_bytes!("../../templates/assets/font/lmroman12-regular.woff2"),
    ),
    (
        "font/lmroman12-bold.woff2",
        include_bytes!("../../templates/assets/font/lmroman12-bold.woff2"),
    ),
    (
        "font/lmroman12-italic.woff2",
        include_bytes!("../../templates/assets/font/lmroman12-italic.woff2"),
    ),
    (
        "font/LICENSE-pulldown-latex",
        include_bytes!("../../templates/assets/font/LICENSE-pulldown-latex"),
    ),
];

fn num_arg(args: &HashMap<String, Value>, name: &str, default: usize) -> tera::Result<usize> {
    match args.get(name) {
        None => Ok(default),
        Some(v) => v.as_u64().map(|d| d as usize).ok_or_else(|| {
            tera::Error::msg(format!("argument {name} must be a non-negative integer"))
        }),
    }
}

fn as_f64(v: &Value, filter: &str) -> tera::Result<f64> {
    match v {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| tera::Error::msg(format!("{filter}: bad number"))),
        // serde_json writes non-finite floats as null
        Value::Null => Ok(f64::NAN),
        other => Err(tera::Error::msg(format!(
            "{filter} expects a number, got {other}"
        ))),
    }
}

/// A matrix (rows of numbers or of symbols) as a LaTeX pmatrix.
fn pmatrix(rows: &Value, d: usize) -> tera::Result<String> {
    let rows = rows
        .as_array()
        .ok_or_else(|| tera::Error::msg("pmatrix expects an array of rows"))?;
    let mut lines = Vec::new();
    for row in rows {
        let cells = row
            .as_array()
            .ok_or_else(|| tera::Error::msg("pmatrix expects rows to be arrays"))?;
        let cells: Vec<String> = cells
            .iter()
            .map(|c| match c {
                Value::String(s) => Ok(s.clone()),
                v if d == usize::MAX => as_f64(v, "pmatrix").map(|x| format!("{x}")),
                v => as_f64(v, "pmatrix").map(|x| fixed(x, d)),
            })
            .collect::<tera::Result<_>>()?;
        lines.push(cells.join(" & "));
    }
    Ok(format!(
        "\\begin{{pmatrix}} {} \\end{{pmatrix}}",
        lines.join(" \\\\ ")
    ))
}

/// A binary pattern "101" as a LaTeX column vector... written as a row tuple (1,0,1).
fn tuple(v: &Value) -> tera::Result<String> {
    let s = v
        .as_str()
        .ok_or_else(|| tera::Error::msg("tuple expects a pattern string"))?;
    Ok(format!(
        "({})",
        s.chars().map(String::from).collect::<Vec<_>>().join(",")
    ))
}

/// A source listing, folded: a `<details>` whose one-line summary names the items it defines
/// and the file, with the code inside (closed by default, as Quarto's `code-fold`; no script).
/// Blank lines around the fenced block let markdown parse it inside the HTML block.
fn listing(file: &str, text: &str) -> String {
    let lines = text.lines().count();
    let names = sources::item_names(text);
    let shown: Vec<String> = names
        .iter()
        .take(3)
        .map(|n| format!("<code>{n}</code>"))
        .collect();
    let what = match (shown.is_empty(), names.len().saturating_sub(3)) {
        (true, _) => "code".to_string(),
        (false, 0) => shown.join(", "),
        (false, more) => format!("{} and {more} more", shown.join(", ")),
    };
    format!(
        "<details class=\"listing\">\n<summary>Source: {what} in <code>{file}</code> ({lines} lines)</summary>\n\n\
         ```rust\n{text}\n```\n\n<p class=\"source\">From <code>{file}</code>, compiled into this build.</p>\n\n</details>\n"
    )
}

/// The tera engine with every template, filter and function.
pub fn engine() -> Result<Tera> {
    let mut tera = Tera::default();
    tera.add_raw_templates(TEMPLATES.iter().copied())
        .map_err(|e| RenderError::Template {
            template: "(parsing)".into(),
            why: chain(&e),
        })?;
    tera.register_filter("fixed", |v: &Value, args: &HashMap<String, Value>| {
        Ok(Value::String(fixed(
            as_f64(v, "fixed")?,
            num_arg(args, "d", 4)?,
        )))
    });
    tera.register_filter("sci", |v: &Value, args: &HashMap<String, Value>| {
        // No-break spaces: "1.6 × 10⁻¹⁵" is one number and never breaks across lines.
        Ok(Value::String(
            sci(as_f64(v, "sci")?, num_arg(args, "d", 1)?).replace(' ', "\u{a0}"),
        ))
    });
    tera.register_filter("pmatrix", |v: &Value, args: &HashMap<String, Value>| {
        Ok(Value::String(pmatrix(v, num_arg(args, "d", 4)?)?))
    });
    tera.register_filter("percent", |v: &Value, args: &HashMap<String, Value>| {
        Ok(Value::String(format!(
            "{}%",
            fixed(100.0 * as_f64(v, "percent")?, num_arg(args, "d", 1)?)
        )))
    });
    tera.register_filter("scale", |v: &Value, args: &HashMap<String, Value>| {
        let by = args
            .get("by")
            .and_then(Value::as_f64)
            .ok_or_else(|| tera::Error::msg("scale: number `by` missing"))?;
        Ok(serde_json::json!(as_f64(v, "scale")? * by))
    });
    // Text from data with its ASCII notation (`W0^SGD`, `φ_W`, `1e-12`) made real notation.
    tera.register_filter("notation", |v: &Value, _: &HashMap<String, Value>| {
        let s = v
            .as_str()
            .ok_or_else(|| tera::Error::msg("notation expects a string"))?;
        Ok(Value::String(super::notation::notation(s)))
    });
    tera.register_filter("mdtext", |v: &Value, _: &HashMap<String, Value>| {
        let s = v
            .as_str()
            .ok_or_else(|| tera::Error::msg("mdtext expects a string"))?;
        Ok(Value::String(md_escape(s)))
    });
    // A printed number as the paper printed it: shortest round-trip text, no added digits.
    tera.register_filter(
        "pmatrix_printed",
        |v: &Value, _: &HashMap<String, Value>| Ok(Value::String(pmatrix(v, usize::MAX)?)),
    );
    tera.register_filter("tuple", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(tuple(v)?))
    });
    tera.register_function("code", |args: &HashMap<String, Value>| {
        let file = args
            .get("file")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("code: file missing"))?;
        let anchor = args
            .get("anchor")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("code: anchor missing"))?;
        let text = sources::excerpt(file, anchor).map_err(tera::Error::msg)?;
        Ok(Value::String(listing(file, &text)))
    });
    Ok(tera)
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        cur = inner.source();
    }
    s
}

/// Render one chapter's template with its output and the book-wide context.
pub fn render_chapter(
    tera: &Tera,
    c: &Computed,
    all: &[Computed],
    rows: &[ClaimRow],
    opts: &Options,
) -> Result<String> {
    let mut ctx = Context::new();
    ctx.insert("out", &c.data);
    ctx.insert("meta", c.meta);
    let present: Vec<&str> = all.iter().map(|c| c.meta.id).collect();
    let chapters: Vec<Value> = REGISTRY
        .iter()
        .map(|e| &e.meta)
        .filter(|m| present.contains(&m.id))
        .map(|m| json!({"id": m.id, "title": m.title, "section": m.section, "number": m.number, "page": format!("{}.md", m.id)}))
        .collect();
    ctx.insert("chapters", &chapters);
    let claims: serde_json::Map<String, Value> = rows
        .iter()
        .map(|r| (r.id.clone(), serde_json::to_value(r).unwrap_or(Value::Null)))
        .collect();
    ctx.insert("claims", &claims);
    ctx.insert("claim_list", rows);
    ctx.insert("build", &json!({"quick": opts.quick, "seed": opts.seed}));
    ctx.insert("colours", &crate::plots::caption_colours());
    // The first block of a chapter's notebook: its parameters as this build ran them.
    if let Some(seed) = c.seed {
        ctx.insert(
            "notebook_params",
            &super::notebook::params_cell(c.meta.id, opts.quick, seed, c.data.get("params")),
        );
    }
    let name = format!("{}.md", c.meta.id);
    tera.render(&name, &ctx).map_err(|e| RenderError::Template {
        template: name,
        why: chain(&e),
    })
}

/// Render the report's template (`report.md`) with its output, its claim rows (the badges)
/// and its notebook's parameters cell; the same filters, macros and functions as a chapter.
pub fn render_report(
    tera: &Tera,
    c: &Computed,
    rows: &[ClaimRow],
    notebook_params: &str,
    quick: bool,
) -> Result<String> {
    let mut ctx = Context::new();
    ctx.insert("out", &c.data);
    ctx.insert("meta", c.meta);
    let claims: serde_json::Map<String, Value> = rows
        .iter()
        .map(|r| (r.id.clone(), serde_json::to_value(r).unwrap_or(Value::Null)))
        .collect();
    ctx.insert("claims", &claims);
    ctx.insert("claim_list", rows);
    ctx.insert("build", &json!({"quick": quick, "seed": c.seed}));
    ctx.insert("notebook_params", notebook_params);
    let name = format!("{}.md", c.meta.id);
    tera.render(&name, &ctx).map_err(|e| RenderError::Template {
        template: name,
        why: chain(&e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Adding a chapter is a module, a template and one registry line: every registry entry
    /// has a template and every chapter template a registry entry (the report's template
    /// belongs to the `report` command, not to the book).
    #[test]
    fn templates_and_registry_match() {
        let mut templates: Vec<&str> = TEMPLATES
            .iter()
            .filter_map(|(name, _)| name.strip_suffix(".md"))
            .filter(|name| *name != "report")
            .collect();
        templates.sort_unstable();
        let mut ids: Vec<&str> = REGISTRY.iter().map(|e| e.meta.id).collect();
        ids.sort_unstable();
        assert_eq!(templates, ids);
        assert!(TEMPLATES.iter().any(|(name, _)| *name == "macros.tera"));
    }

    #[test]
    fn number_formats() {
        assert_eq!(fixed(-0.00001, 4), "0.0000");
        assert_eq!(fixed(-0.25, 2), "-0.25");
        assert_eq!(sci(1.234e-16, 1), "1.2 × 10⁻¹⁶");
        assert_eq!(sci(0.0, 1), "0");
        assert_eq!(
            pmatrix(&json!([[1.0, -0.5], ["a", "b"]]), 2).unwrap(),
            "\\begin{pmatrix} 1.00 & -0.50 \\\\ a & b \\end{pmatrix}"
        );
    }
}
