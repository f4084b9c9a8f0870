//! LaTeX → MathML at build time (pulldown-latex), so the book needs no CDN and no JavaScript.
//!
//! pulldown-latex renders a parse error in red instead of failing; a book with a red formula is
//! a broken book, so every error is collected and turned into a build failure naming the formula.

use pulldown_latex::{Parser, RenderConfig, Storage, config::DisplayMode, mathml::push_mathml};

/// Render one formula. `display` selects block layout. Errors name the offending LaTeX.
pub fn to_mathml(latex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(latex, &storage).collect();
    let errors: Vec<String> = events
        .iter()
        .filter_map(|e| e.as_ref().err().map(|err| err.to_string()))
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "LaTeX error in `{}`: {}",
            latex.trim(),
            errors.join("; ")
        ));
    }
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        ..RenderConfig::default()
    };
    let mut out = String::new();
    push_mathml(
        &mut out,
        events.into_iter().map(|e| e.map_err(|_| std::fmt::Error)),
        config,
    )
    .map_err(|e| format!("MathML rendering failed for `{}`: {e}", latex.trim()))?;
    // The MathML is pasted into markdown. Keep it on one line (a blank line would end an HTML
    // block) and escape the characters markdown would read as emphasis inside inline HTML.
    // `|` would end a table cell; `[`, `]`, `` ` ``, `~` and `\\` are markdown syntax too.
    let mut escaped = String::with_capacity(out.len());
    for c in out.chars() {
        match c {
            '\n' => escaped.push(' '),
            '*' | '_' | '|' | '[' | ']' | '`' | '~' | '\\' => {
                escaped.push_str(&format!("&#{};", u32::from(c)));
            }
            c => escaped.push(c),
        }
    }
    // pulldown-latex writes the operators < and > unescaped (`<mo><</mo>`), and sized
    // delimiters (\big, \Big, …) without a space between two attributes
    // (`stretchy="true"minsize="1.2em"`); HTML parsers forgive both, mdBook's checker does not
    // (it then reports a stray `</mo>`). An element whose whole text is < or > is escaped and
    // the space is put back.
    Ok(escaped
        .replace("><</", ">&lt;</")
        .replace(">></", ">&gt;</")
        .replace("\"minsize=", "\" minsize="))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_matrices_and_fails_on_bad_latex() {
        let ok = to_mathml(r"W=\begin{pmatrix}a&b\\c&d\end{pmatrix}", true).unwrap();
        assert!(
            ok.starts_with("<math") && ok.contains("display=\"block\""),
            "{ok}"
        );
        assert!(to_mathml(r"\frac{1}{", false).is_err());
        let lt = to_mathml(r"a < b > c", false).unwrap();
        assert!(
            lt.contains("&lt;") && lt.contains("&gt;") && !lt.contains("><</"),
            "{lt}"
        );
        assert!(to_mathml(r"\notacommand x", false).is_err());
        let big = to_mathml(r"\big[ x \big] + \Big\{ y \Big\}", false).unwrap();
        assert!(
            big.contains("minsize") && !big.contains("\"minsize"),
            "{big}"
        );
    }
}
