//! Tables for people: a pass over generated chapter markdown (pulldown-cmark) that right-aligns
//! every column whose cells are all numbers, and keeps a number, a tuple or a cycle product on
//! one line. The book's CSS sets tabular figures and `nowrap` on right-aligned cells.
//!
//! It returns edits (byte range → replacement) for [`super::markdown::resolve_for`], which
//! applies them with its own; the edits touch only a table's delimiter row and single spaces
//! inside cell text, never math, code or a reference.

use std::ops::Range;

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};

/// Is a table cell's markdown a number as the book prints them ("0.4251", "−1.2 × 10⁻⁴",
/// "62 of 64" is not), a tuple of numbers "(0.50, 0.25)", or a dash for "none"?
pub fn is_numeric(cell: &str) -> bool {
    let s = cell.trim().trim_matches('*').trim();
    if s.is_empty() || s.contains('$') || s.contains('<') {
        return false;
    }
    let allowed = |c: char| {
        c.is_ascii_digit()
            || matches!(
                c,
                '.' | ','
                    | '-'
                    | '−'
                    | '+'
                    | ' '
                    | '\u{a0}'
                    | '×'
                    | '⁻'
                    | '%'
                    | '≈'
                    | '≤'
                    | '≥'
                    | '('
                    | ')'
                    | '–'
                    | '—'
                    | '⁰'..='⁹' | '¹' | '²' | '³'
            )
    };
    // A list ("010, 001") may wrap between its items: not one number.
    let mut depth = 0i32;
    let mut list = false;
    let mut prev = ' ';
    for c in s.chars() {
        match c {
            '(' | '{' => depth += 1,
            ')' | '}' => depth -= 1,
            ' ' if prev == ',' && depth == 0 => list = true,
            _ => {}
        }
        prev = c;
    }
    !list && s.chars().all(allowed)
}

/// The edits for every table of `md`: the delimiter row rewritten with numeric columns
/// right-aligned; inside cell text, a space within parentheses or next to "×" becomes a
/// no-break space, and a word joiner goes between ")(" (a cycle product such as (13)(24)).
pub fn table_edits(md: &str) -> Vec<(Range<usize>, String)> {
    let mut edits = Vec::new();
    let mut table: Option<(usize, Vec<Alignment>)> = None;
    let mut in_head = false;
    let mut column = 0;
    let mut numeric: Vec<(bool, bool)> = Vec::new(); // (all numeric so far, some digit seen)
    // Body rows of the current table: (byte range, cell sources).
    let mut rows: Vec<(Range<usize>, Vec<String>)> = Vec::new();
    for (event, range) in Parser::new_ext(md, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(aligns)) => {
                numeric = vec![(true, false); aligns.len()];
                table = Some((range.start, aligns));
            }
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => {
                column = 0;
                rows.push((range.clone(), Vec::new()));
            }
            Event::Start(Tag::TableCell) => {
                if !in_head && let Some(row) = rows.last_mut() {
                    row.1.push(
                        md[range.clone()]
                            .trim()
                            .trim_matches('|')
                            .trim()
                            .to_string(),
                    );
                }
                if !in_head && let Some(n) = numeric.get_mut(column) {
                    let cell = md[range.clone()].trim().trim_matches('|');
                    let cell = cell.trim();
                    if !cell.is_empty() && cell != "—" {
                        n.0 &= is_numeric(cell);
                        n.1 |= cell.chars().any(|c| c.is_ascii_digit());
                    }
                }
            }
            Event::End(TagEnd::TableCell) => column += 1,
            Event::Text(text) if table.is_some() && md[range.clone()] == *text => {
                let chars: Vec<(usize, char)> = text.char_indices().collect();
                let tuple = tuple_spans(&chars);
                for (k, &(at, c)) in chars.iter().enumerate() {
                    if c == '(' && k > 0 && chars[k - 1].1 == ')' {
                        edits.push((range.start + at..range.start + at, "\u{2060}".into()));
                    }
                    if c == ' ' {
                        let near_times = chars.get(k + 1).is_some_and(|n| n.1 == '×')
                            || (k > 0 && matches!(chars[k - 1].1, '×' | ':'));
                        if near_times || tuple.iter().any(|r| r.contains(&k)) {
                            edits.push((range.start + at..range.start + at + 1, "\u{a0}".into()));
                        }
                    }
                }
            }
            Event::End(TagEnd::Table) => {
                let Some((start, aligns)) = table.take() else {
                    continue;
                };
                collapse_rows(md, &std::mem::take(&mut rows), &mut edits);
                let Some(header_end) = md[start..range.end].find('\n') else {
                    continue;
                };
                let delim_start = start + header_end + 1;
                let delim_end = md[delim_start..range.end]
                    .find('\n')
                    .map_or(range.end, |e| delim_start + e);
                let cells: Vec<String> = aligns
                    .iter()
                    .zip(&numeric)
                    .map(|(a, &(all, digit))| {
                        match (a, all && digit) {
                            (_, true) | (Alignment::Right, _) => "---:",
                            (Alignment::Center, _) => ":---:",
                            (Alignment::Left, _) => ":---",
                            (Alignment::None, _) => "---",
                        }
                        .to_string()
                    })
                    .collect();
                let indent = &md[delim_start..delim_end][..md[delim_start..delim_end].len()
                    - md[delim_start..delim_end].trim_start().len()];
                edits.push((
                    delim_start..delim_end,
                    format!("{indent}|{}|", cells.join("|")),
                ));
            }
            _ => {}
        }
    }
    edits.sort_by_key(|e| e.0.start);
    edits
}

/// Identical rows collapsed: a run of adjacent body rows that agree in every cell but the first
/// becomes one row whose first cell lists the run's first cells ("SGD, SGD online, Adam …").
/// Rows holding math, references or HTML are left alone (their markup is edited elsewhere).
fn collapse_rows(
    md: &str,
    rows: &[(Range<usize>, Vec<String>)],
    edits: &mut Vec<(Range<usize>, String)>,
) {
    let plain = |cells: &[String]| {
        cells.len() > 1
            && cells
                .iter()
                .all(|c| !c.contains(['$', '@', '<', '%']) && !c.is_empty())
    };
    let mut k = 0;
    while k < rows.len() {
        let mut end = k + 1;
        while end < rows.len()
            && plain(&rows[k].1)
            && plain(&rows[end].1)
            && rows[end].1[1..] == rows[k].1[1..]
        {
            end += 1;
        }
        if end - k > 1 {
            let whole = rows[k].0.start..rows[end - 1].0.end;
            edits.retain(|(r, _)| r.end <= whole.start || r.start >= whole.end);
            let names: Vec<&str> = rows[k..end].iter().map(|r| r.1[0].as_str()).collect();
            let mut cells = vec![names.join("; ")];
            cells.extend(rows[k].1[1..].iter().map(|c| keep_together(c)));
            let trailing = if md[whole.clone()].ends_with('\n') {
                "\n"
            } else {
                ""
            };
            edits.push((whole, format!("| {} |{trailing}", cells.join(" | "))));
        }
        k = end;
    }
}

/// The character ranges (indices into `chars`) of the tuples in a text: a parenthesis whose
/// content is numbers, or short ("(0.5, 0.25)", "(a, b, c)", "(13)"), not a parenthetical remark.
fn tuple_spans(chars: &[(usize, char)]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (k, &(_, c)) in chars.iter().enumerate() {
        if c != '(' {
            continue;
        }
        let Some(len) = chars[k + 1..]
            .iter()
            .position(|&(_, d)| d == ')' || d == '(')
        else {
            continue;
        };
        if chars[k + 1 + len].1 != ')' {
            continue;
        }
        let inner = &chars[k + 1..k + 1 + len];
        let letters = inner.iter().filter(|(_, d)| d.is_alphabetic()).count();
        if letters == 0 || inner.len() <= 16 {
            out.push(k..k + 1 + len);
        }
    }
    out
}

/// No-break spaces inside tuples (a tuple stays on one line).
fn keep_together(cell: &str) -> String {
    let chars: Vec<(usize, char)> = cell.char_indices().collect();
    let tuple = tuple_spans(&chars);
    chars
        .iter()
        .enumerate()
        .map(|(k, &(_, c))| {
            if c == ' ' && tuple.iter().any(|r| r.contains(&k)) {
                '\u{a0}'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(md: &str) -> String {
        let mut out = String::new();
        let mut at = 0;
        for (r, t) in table_edits(md) {
            out.push_str(&md[at..r.start]);
            out.push_str(&t);
            at = r.end;
        }
        out.push_str(&md[at..]);
        out
    }

    #[test]
    fn numeric_columns_go_right_and_tuples_stay_whole() {
        let md = "| Name | Value | Point |\n|---|---|---|\n| a | 1.5 × 10⁻⁴ | (0.1, 0.2) |\n| b (x y) (not from the random starts) | −2 | (13)(24) |\n";
        let out = apply(md);
        assert!(out.contains("\n|---|---:|---:|\n"), "{out}");
        assert!(out.contains("1.5\u{a0}×\u{a0}10⁻⁴"), "{out}");
        assert!(out.contains("(0.1,\u{a0}0.2)"), "{out}");
        assert!(out.contains("(13)\u{2060}(24)"), "{out}");
        assert!(out.contains("b (x\u{a0}y)"), "{out}");
        assert!(out.contains("(not from the random starts)"), "{out}");
    }

    #[test]
    fn identical_rows_collapse() {
        let md = "| Set-up | 0 | 1 |\n|---|---|---|\n| SGD | (1, 2) | 3 |\n| Momentum | (1, 2) | 3 |\n| Adam | (4, 5) | 3 |\n";
        let out = apply(md);
        assert!(
            out.contains("| SGD; Momentum | (1,\u{a0}2) | 3 |\n| Adam |"),
            "{out}"
        );
        assert_eq!(out.matches("(1,").count(), 1, "{out}");
    }

    #[test]
    fn what_is_a_number() {
        for yes in [
            "0.4251",
            "**3**",
            "−1.2 × 10⁻⁴",
            "(0.50, 0.25, 0.25)",
            "12%",
            "≈ 3",
        ] {
            assert!(is_numeric(yes), "{yes}");
        }
        for no in ["62 of 64", "$x$", "yes", "", "W<sub>0</sub>", "010, 001"] {
            assert!(!is_numeric(no), "{no}");
        }
    }
}
