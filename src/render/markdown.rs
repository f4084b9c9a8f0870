//! The structural pass over generated chapter markdown, done with `pulldown-cmark`: it numbers
//! figures, tables and equations, resolves references to them across the whole book, and
//! replaces LaTeX with MathML. A reference to a label that does not exist fails the build.
//!
//! Syntax used by the templates (never inside code, which is left alone):
//! - `%%fig:NAME%%`, `%%tab:NAME%%`: defines a figure or table label; replaced by its
//!   number ("Figure 2.1"). The element itself carries `id="fig-NAME"` (the macros do that).
//! - `\label{NAME}` inside `$$…$$`: numbers a display equation. `\label{paper-K}` keeps the
//!   paper's number `(K)`; any other name is numbered `(chapter.k)`.
//! - `@fig:NAME`, `@tab:NAME`, `@eq:NAME`: a link to the label, showing its number.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

use super::latex::to_mathml;
use super::notebook::NOTEBOOK_INFO;

/// Plain text placed into markdown (a table cell, a sentence): escape every character that
/// markdown would read as markup, so data can never open an emphasis or end a table cell.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '_' | '*' | '|' | '<' | '>' | '[' | ']' | '`' | '$' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The kinds of numbered things.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Figure,
    Table,
    Equation,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Figure => "fig",
            Kind::Table => "tab",
            Kind::Equation => "eq",
        }
    }
    fn from_prefix(p: &str) -> Option<Kind> {
        match p {
            "fig" => Some(Kind::Figure),
            "tab" => Some(Kind::Table),
            "eq" => Some(Kind::Equation),
            _ => None,
        }
    }
}

/// One numbered label: where it lives and what it is called in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub kind: Kind,
    pub name: String,
    /// The HTML page of the chapter that defines it, e.g. `prelude.html`.
    pub page: String,
    /// "Figure 2.1", "Table 2.3", "(3)" or "(2.1)".
    pub text: String,
}

impl Label {
    /// The HTML id of the labelled element.
    pub fn anchor(&self) -> String {
        format!("{}-{}", self.kind.prefix(), self.name)
    }
}

/// All labels of the book, keyed by `(kind, name)`.
pub type Labels = BTreeMap<(Kind, String), Label>;

/// Byte ranges of code (left untouched) and of math (replaced by MathML) in a chapter.
struct Spans {
    code: Vec<Range<usize>>,
    math: Vec<(Range<usize>, String, bool)>,
    /// Fenced blocks marked as notebook cells (```` ```rust,notebook ````): they run in the
    /// notebook and show there what the page already shows (the parameters, a figure, the
    /// findings), so the HTML page leaves them out.
    notebook: Vec<Range<usize>>,
}

fn spans(md: &str) -> Spans {
    let mut code = Vec::new();
    let mut math = Vec::new();
    let mut notebook = Vec::new();
    let mut in_code: Option<(usize, bool)> = None;
    for (event, range) in Parser::new_ext(md, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let cell =
                    matches!(&kind, CodeBlockKind::Fenced(info) if info.as_ref() == NOTEBOOK_INFO);
                in_code = Some((range.start, cell));
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                if let Some((start, cell)) = in_code.take() {
                    code.push(start..range.end);
                    if cell {
                        notebook.push(start..range.end);
                    }
                }
            }
            Event::Code(_) => code.push(range),
            Event::InlineMath(tex) => math.push((range, tex.to_string(), false)),
            Event::DisplayMath(tex) => math.push((range, tex.to_string(), true)),
            _ => {}
        }
    }
    Spans {
        code,
        math,
        notebook,
    }
}

fn inside(ranges: &[Range<usize>], pos: usize) -> bool {
    ranges.iter().any(|r| r.contains(&pos))
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// Pull `\label{NAME}` out of a display formula.
fn split_label(tex: &str) -> Result<(String, Option<String>), String> {
    match tex.find(r"\label{") {
        None => Ok((tex.to_string(), None)),
        Some(start) => {
            let rest = &tex[start + 7..];
            let end = rest
                .find('}')
                .ok_or_else(|| format!("unterminated \\label in `{tex}`"))?;
            let name = rest[..end].to_string();
            if name.is_empty() || !name.chars().all(is_name_char) {
                return Err(format!("bad equation label {name:?}"));
            }
            let cleaned = format!("{}{}", &tex[..start], &rest[end + 1..]);
            Ok((cleaned, Some(name)))
        }
    }
}

/// Find `%%kind:name%%` definitions outside code, in order.
fn definitions(md: &str, code: &[Range<usize>]) -> Vec<(Range<usize>, Kind, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(off) = md[from..].find("%%") {
        let start = from + off;
        let rest = &md[start + 2..];
        let parsed = rest.find("%%").and_then(|end| {
            let body = &rest[..end];
            let (prefix, name) = body.split_once(':')?;
            let kind = Kind::from_prefix(prefix)?;
            (kind != Kind::Equation && !name.is_empty() && name.chars().all(is_name_char))
                .then(|| (kind, name.to_string(), start + 2 + end + 2))
        });
        match parsed {
            Some((kind, name, end)) if !inside(code, start) => {
                out.push((start..end, kind, name));
                from = end;
            }
            _ => from = start + 2,
        }
    }
    out
}

/// Find `@kind:name` references outside code and math.
fn references(md: &str, skip: &[Range<usize>]) -> Vec<(Range<usize>, Kind, String)> {
    let mut out = Vec::new();
    for (start, _) in md.match_indices('@') {
        if inside(skip, start) {
            continue;
        }
        let rest = &md[start + 1..];
        let Some((prefix, tail)) = rest.split_once(':') else {
            continue;
        };
        let Some(kind) = Kind::from_prefix(prefix) else {
            continue;
        };
        let name: String = tail.chars().take_while(|&c| is_name_char(c)).collect();
        // A trailing hyphen is punctuation ("@fig:a-"), not part of the name.
        let name = name.trim_end_matches('-').to_string();
        if name.is_empty() {
            continue;
        }
        let end = start + 1 + prefix.len() + 1 + name.len();
        out.push((start..end, kind, name));
    }
    out
}

/// First pass: collect the labels a chapter defines. `number` is the chapter's number in the
/// book; `page` its HTML file name.
pub fn collect_labels(md: &str, number: usize, page: &str) -> Result<Vec<Label>, String> {
    let sp = spans(md);
    let mut labels = Vec::new();
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut defs: Vec<(usize, Kind, String)> = definitions(md, &sp.code)
        .into_iter()
        .map(|(r, k, n)| (r.start, k, n))
        .collect();
    for (range, tex, display) in &sp.math {
        if *display && let (_, Some(name)) = split_label(tex)? {
            defs.push((range.start, Kind::Equation, name));
        }
    }
    defs.sort_by_key(|d| d.0);
    for (_, kind, name) in defs {
        let text = match (kind, name.strip_prefix("paper-")) {
            (Kind::Equation, Some(k)) => format!("({k})"),
            _ => {
                let c = counts.entry(kind).or_insert(0);
                *c += 1;
                match kind {
                    Kind::Figure => format!("Figure {number}.{c}"),
                    Kind::Table => format!("Table {number}.{c}"),
                    Kind::Equation => format!("({number}.{c})"),
                }
            }
        };
        labels.push(Label {
            kind,
            name,
            page: page.to_string(),
            text,
        });
    }
    Ok(labels)
}

/// Merge chapters' labels into one map; a name defined twice is an error.
pub fn merge_labels(all: impl IntoIterator<Item = Label>) -> Result<Labels, String> {
    let mut map = Labels::new();
    for label in all {
        let key = (label.kind, label.name.clone());
        if let Some(old) = map.get(&key) {
            return Err(format!(
                "label {}:{} is defined twice (in {} and {})",
                label.kind.prefix(),
                label.name,
                old.page,
                label.page
            ));
        }
        map.insert(key, label);
    }
    Ok(map)
}

/// Who reads the resolved markdown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// mdBook: LaTeX becomes MathML, references become HTML links within the book.
    Book,
    /// A Jupyter notebook beside the book's sources: LaTeX stays LaTeX (Jupyter typesets it),
    /// equation labels become `\tag{…}`, references link to the HTML book in `../book/`.
    Notebook,
}

/// Second pass: numbers in, references resolved, LaTeX rendered. `page` is the chapter's own
/// HTML file (references to it become plain `#anchor` links).
pub fn resolve(md: &str, labels: &Labels, page: &str) -> Result<String, String> {
    resolve_for(md, labels, page, Target::Book)
}

/// [`resolve`] for either reader.
pub fn resolve_for(
    md: &str,
    labels: &Labels,
    page: &str,
    target: Target,
) -> Result<String, String> {
    let sp = spans(md);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for (range, kind, name) in definitions(md, &sp.code) {
        let label = labels
            .get(&(kind, name.clone()))
            .ok_or_else(|| format!("label {}:{name} was not collected", kind.prefix()))?;
        edits.push((range, label.text.clone()));
    }
    if target == Target::Book {
        edits.extend(super::tables::table_edits(md));
        for range in &sp.notebook {
            // The block and the newline after it: no empty paragraph is left behind.
            let end = if md[range.end..].starts_with('\n') {
                range.end + 1
            } else {
                range.end
            };
            edits.push((range.start..end, String::new()));
        }
    }
    let math_ranges: Vec<Range<usize>> = sp.math.iter().map(|m| m.0.clone()).collect();
    let mut skip = sp.code.clone();
    skip.extend(math_ranges.iter().cloned());
    for (range, kind, name) in references(md, &skip) {
        let label = labels.get(&(kind, name.clone())).ok_or_else(|| {
            format!(
                "{page}: reference @{}:{name} points to no label",
                kind.prefix()
            )
        })?;
        let link = match target {
            Target::Book if label.page == page => {
                format!("<a href=\"#{}\">{}</a>", label.anchor(), label.text)
            }
            Target::Book => format!(
                "<a href=\"{}#{}\">{}</a>",
                label.page,
                label.anchor(),
                label.text
            ),
            Target::Notebook => format!(
                "[{}](../book/{}#{})",
                label.text,
                label.page,
                label.anchor()
            ),
        };
        edits.push((range, link));
    }
    for (range, tex, display) in &sp.math {
        if target == Target::Notebook {
            if *display {
                let (clean, name) = split_label(tex)?;
                let tag = match name {
                    Some(name) => {
                        let label = labels
                            .get(&(Kind::Equation, name.clone()))
                            .ok_or_else(|| format!("equation label {name} was not collected"))?;
                        format!(
                            " \\tag{{{}}}",
                            label.text.trim_matches(|c| c == '(' || c == ')')
                        )
                    }
                    None => String::new(),
                };
                edits.push((range.clone(), format!("$${}{tag}$$", clean.trim())));
            }
            continue;
        }
        let html = if *display {
            let (tex, name) = split_label(tex)?;
            let math = to_mathml(&tex, true).map_err(|e| format!("{page}: {e}"))?;
            match name {
                Some(name) => {
                    let label = labels
                        .get(&(Kind::Equation, name.clone()))
                        .ok_or_else(|| format!("equation label {name} was not collected"))?;
                    format!(
                        "<span class=\"equation\" id=\"{}\"><span class=\"eq-body\">{math}</span><span class=\"eqno\">{}</span></span>",
                        label.anchor(),
                        label.text
                    )
                }
                None => {
                    format!("<span class=\"equation\"><span class=\"eq-body\">{math}</span></span>")
                }
            }
        } else {
            let math = to_mathml(tex, false).map_err(|e| format!("{page}: {e}"))?;
            // Punctuation right after inline math stays on its line: a browser may break
            // between a <math> element and the period after it, leaving the period alone at
            // the start of the next line.
            let punct = md[range.end..]
                .chars()
                .take_while(|c| matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')'))
                .map(char::len_utf8)
                .sum::<usize>();
            if punct > 0 {
                let end = range.end + punct;
                edits.push((
                    range.start..end,
                    format!(
                        "<span class=\"math-punct\">{math}{}</span>",
                        &md[range.end..end]
                    ),
                ));
                continue;
            }
            math
        };
        edits.push((range.clone(), html));
    }
    edits.sort_by_key(|e| e.0.start);
    let mut out = String::with_capacity(md.len() * 2);
    let mut at = 0;
    for (range, text) in edits {
        if range.start < at {
            return Err(format!(
                "{page}: overlapping markup at byte {}",
                range.start
            ));
        }
        out.push_str(&md[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&md[at..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MD: &str = "# T\n\nSee @fig:orbits and @eq:paper-3, also @eq:mine.\n\n\
        $$W = s\\cdot W \\label{paper-3}$$\n\n$$x^2 \\label{mine}$$\n\n\
        <figure id=\"fig-orbits\"><figcaption>%%fig:orbits%%: orbits</figcaption></figure>\n\n\
        ```\n@fig:none %%fig:no%% $x$\n```\n";

    /// Inline math keeps the punctuation after it on its line; math followed by a word or a
    /// space is left as it is.
    #[test]
    fn inline_math_holds_its_punctuation() {
        let labels = merge_labels(Vec::new()).unwrap();
        let out = resolve("Take $x$, then $y$.) and $z$ here.\n", &labels, "p.html").unwrap();
        assert_eq!(
            out.matches("<span class=\"math-punct\"><math").count(),
            2,
            "{out}"
        );
        assert!(out.contains("</math>,</span> then"), "{out}");
        assert!(out.contains("</math>.)</span> and"), "{out}");
        assert!(out.contains("</math> here."), "{out}");
    }

    #[test]
    fn numbers_resolves_and_renders() {
        let labels = merge_labels(collect_labels(MD, 2, "prelude.html").unwrap()).unwrap();
        assert_eq!(labels.len(), 3);
        let out = resolve(MD, &labels, "prelude.html").unwrap();
        assert!(
            out.contains("<a href=\"#fig-orbits\">Figure 2.1</a>"),
            "{out}"
        );
        assert!(out.contains("<a href=\"#eq-paper-3\">(3)</a>"));
        assert!(out.contains("<a href=\"#eq-mine\">(2.1)</a>"));
        assert!(out.contains("Figure 2.1: orbits"));
        assert!(
            out.contains("@fig:none %%fig:no%% $x$"),
            "code must stay untouched"
        );
        assert!(!out.contains("\\label"));
    }

    #[test]
    fn dangling_reference_fails() {
        let md = "See @fig:nowhere.";
        let labels = Labels::new();
        let err = resolve(md, &labels, "a.html").unwrap_err();
        assert!(err.contains("@fig:nowhere"), "{err}");
    }

    #[test]
    fn duplicate_label_fails() {
        let md = "%%fig:a%% %%fig:a%%";
        let err = merge_labels(collect_labels(md, 1, "a.html").unwrap()).unwrap_err();
        assert!(err.contains("twice"));
    }
}
