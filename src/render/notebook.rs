//! Chapter markdown → Jupyter notebook (nbformat 4.5) for the evcxr Rust kernel.
//!
//! The notebook is cut from the same rendered markdown as the book page, with pulldown-cmark:
//! every fenced block whose info string is `rust,notebook` becomes a code cell, everything
//! between them becomes markdown cells (split before each `##` heading). A first code cell adds
//! the crate as an evcxr dependency by relative path, without the book machinery.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_json::{Value, json};

/// The info string that marks a code block as a notebook cell.
pub const NOTEBOOK_INFO: &str = "rust,notebook";

/// A cell before it becomes JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Markdown(String),
    Code(String),
}

/// Split resolved chapter markdown into cells.
pub fn cells(md: &str) -> Vec<Cell> {
    let mut out = Vec::new();
    let mut cut_points: Vec<(usize, usize, Option<String>)> = Vec::new(); // (start, end, code)
    let mut in_cell: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(md, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.as_ref() == NOTEBOOK_INFO =>
            {
                in_cell = Some((range.start, String::new()));
            }
            Event::Text(t) if in_cell.is_some() => {
                if let Some((_, code)) = in_cell.as_mut() {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((start, code)) = in_cell.take() {
                    cut_points.push((start, range.end, Some(code)));
                }
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => {
                cut_points.push((range.start, range.start, None));
            }
            _ => {}
        }
    }
    let mut at = 0;
    let push_md = |text: &str, out: &mut Vec<Cell>| {
        let t = text.trim();
        if !t.is_empty() {
            out.push(Cell::Markdown(t.to_string()));
        }
    };
    for (start, end, code) in cut_points {
        push_md(&md[at..start], &mut out);
        if let Some(code) = code {
            out.push(Cell::Code(code.trim_end().to_string()));
        }
        at = end;
    }
    push_md(&md[at..], &mut out);
    out
}

/// Does this chapter have anything to run?
pub fn has_code(md: &str) -> bool {
    cells(md).iter().any(|c| matches!(c, Cell::Code(_)))
}

fn source_lines(text: &str) -> Value {
    let lines: Vec<String> = text.split_inclusive('\n').map(String::from).collect();
    json!(lines)
}

/// The whole notebook. `crate_path` is the crate's folder relative to the notebook's folder.
pub fn notebook(chapter: &str, md: &str, crate_path: &str) -> Value {
    // evcxr reads `:dep` only as a cell's first line, so the explanation is a markdown cell.
    let note = "The first cell adds this book's library as a dependency, without the book machinery \
                (templates, mdBook): only the maths and the plots. The first run compiles it, about a \
                minute; later runs reuse the build."
        .to_string();
    let setup = format!(
        ":dep items-or-relations = {{ path = \"{crate_path}\", default-features = false }}"
    );
    let mut all = vec![Cell::Markdown(note), Cell::Code(setup)];
    all.extend(cells(md));
    let cells: Vec<Value> = all
        .iter()
        .enumerate()
        .map(|(k, cell)| {
            let id = format!("{chapter}-{k:03}");
            match cell {
                Cell::Markdown(text) => json!({
                    "cell_type": "markdown", "id": id, "metadata": {}, "source": source_lines(text)
                }),
                Cell::Code(code) => json!({
                    "cell_type": "code", "id": id, "metadata": {}, "execution_count": null,
                    "outputs": [], "source": source_lines(code)
                }),
            }
        })
        .collect();
    json!({
        "cells": cells,
        "metadata": {
            "kernelspec": { "display_name": "Rust", "language": "rust", "name": "rust" },
            "language_info": {
                "codemirror_mode": "rust", "file_extension": ".rs",
                "mimetype": "text/rust", "name": "Rust", "pygment_lexer": "rust", "version": ""
            }
        },
        "nbformat": 4,
        "nbformat_minor": 5
    })
}

/// The relative path from folder `from` to folder `to` (both absolute), `..`-style.
pub fn relative_path(from: &std::path::Path, to: &std::path::Path) -> String {
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), a.len() - common).collect();
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().to_string()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_prose_code_and_headings() {
        let md = "# T\n\nIntro $x$.\n\n```rust,notebook\nlet a = 1;\n```\n\n```rust\nshown();\n```\n\n## Next\n\nMore.\n";
        let c = cells(md);
        assert_eq!(
            c,
            vec![
                Cell::Markdown("# T\n\nIntro $x$.".into()),
                Cell::Code("let a = 1;".into()),
                Cell::Markdown("```rust\nshown();\n```".into()),
                Cell::Markdown("## Next\n\nMore.".into()),
            ]
        );
        let nb = notebook("t", md, "..");
        assert_eq!(nb["nbformat"], 4);
        assert_eq!(nb["cells"][1]["cell_type"], "code");
        assert!(
            nb["cells"][1]["source"][0]
                .as_str()
                .unwrap()
                .starts_with(":dep ")
        );
    }

    #[test]
    fn relative_paths() {
        use std::path::Path;
        assert_eq!(
            relative_path(Path::new("/a/b/chapters"), Path::new("/a/b")),
            ".."
        );
        assert_eq!(
            relative_path(Path::new("/tmp/x/chapters"), Path::new("/work/main")),
            "../../../work/main"
        );
    }
}
