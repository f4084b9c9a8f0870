//! Real notation for text that comes from data: claim texts, findings, errata and row labels
//! are plain strings (the `claims` command prints them in a terminal), written in a small
//! ASCII notation (`W0^SGD`, `W_ab`, `φ_W`, `[[a,b],[c,d]]`, `1e-12`). The book shows them
//! through this pass, which turns that notation into LaTeX (then MathML, with the prose) or
//! into Unicode, and escapes the rest for markdown.
//!
//! - `W0^SGD`, `Wrnd^ADAM`, `W_rnd^SGD`, `E Wrnd^SGD` → $W_0^{\mathrm{SGD}}$, $\mathbb{E}\,W_{\mathrm{rnd}}^{\mathrm{SGD}}$;
//! - `X_ab`, `W'_ab`, `φ_W`, `Σ_X'` → $W_{ab}$, $W'_{ab}$, $\varphi_W$, $\Sigma_{X'}$;
//! - `[[1−a,a,a],[−b,1+b,b],…]` → a pmatrix (a row `…` becomes vertical dots);
//! - `W^n`, `|λ₃|^n` → superscripts; `1e-12`, `4.5e-16` → 10⁻¹², 4.5 × 10⁻¹⁶;
//! - `λ3` → λ₃, `X'` → X′.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::markdown::md_escape;

/// Superscript digits and signs for exponents (the digits from [`crate::fmt::SUPERSCRIPT`]).
fn superscript(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '-' | '−' => '⁻',
            '+' => '⁺',
            c => c
                .to_digit(10)
                .map_or(c, |d| crate::fmt::SUPERSCRIPT[d as usize]),
        })
        .collect()
}

fn subscript_digit(c: char) -> char {
    match c {
        '0' => '₀',
        '1' => '₁',
        '2' => '₂',
        '3' => '₃',
        '4' => '₄',
        '5' => '₅',
        '6' => '₆',
        '7' => '₇',
        '8' => '₈',
        '9' => '₉',
        c => c,
    }
}

/// `1e-12` → `10⁻¹²`, `4.5e-16` → `4.5 × 10⁻¹⁶` (no-break spaces: one number, one line).
pub fn e_notation(mantissa: &str, exponent: &str) -> String {
    let exponent = exponent.trim_start_matches('+');
    let (sign, digits) = match exponent.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", exponent),
    };
    let digits = digits.trim_start_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let power = format!("10{}", superscript(&format!("{sign}{digits}")));
    if mantissa == "1" {
        power
    } else {
        format!("{mantissa}\u{a0}×\u{a0}{power}")
    }
}

fn tex_name(s: &str) -> String {
    let s = s.trim_start_matches('_');
    let s = s
        .replace('φ', r"\varphi ")
        .replace('Σ', r"\Sigma ")
        .replace('λ', r"\lambda ")
        .replace('′', "'");
    if s.chars().count() > 1 && s.chars().all(|c| c.is_ascii_alphabetic()) && s.len() > 2 {
        format!(r"\mathrm{{{s}}}")
    } else {
        s
    }
}

fn matrix_cell(c: &str) -> String {
    let c = c.trim();
    if c == "…" {
        r"\dots".into()
    } else {
        c.to_string()
    }
}

static MATRIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[\[[^\[\]]*\](?:,\s*(?:\[[^\[\]]*\]|…))*\]").unwrap());
static OPTIMISED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(E\s?)?W(0|1|₀|₁|_?rnd)?\^(SGD|SDG|ADAM|Adam)").unwrap());
static SUBSCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b|^)([A-Za-zΣφλ])('?)_([A-Za-z0-9]+(?:,[a-z])?|\{[^}]*\})('?)").unwrap()
});
static POWER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([A-Za-z]|\|[^|\s]{1,4}\|)\^(\{[^}]*\}|\(?[A-Za-z0-9−-]+\)?)").unwrap()
});
static SCI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d+(?:\.\d+)?)e([-+]?\d+)\b").unwrap());
static LAMBDA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"λ([0-9])").unwrap());
static PRIME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b([XW])'").unwrap());

/// Text from data → markdown: the notation above as `$…$` math or Unicode, every other
/// character escaped for markdown ([`md_escape`]), so data can never open emphasis or end a
/// table cell. Math never holds `|` (it would end a table cell).
pub fn notation(text: &str) -> String {
    // Each match becomes a piece of math; the text between is escaped.
    let mut spans: Vec<(usize, usize, String)> = Vec::new();
    let free = |spans: &Vec<(usize, usize, String)>, a: usize, b: usize| {
        spans.iter().all(|&(s, e, _)| b <= s || a >= e)
    };
    for m in MATRIX.find_iter(text) {
        let inner = &m.as_str()[1..m.as_str().len() - 1];
        let mut rows = Vec::new();
        for row in inner.split("],").map(|r| r.trim().trim_matches(['[', ']'])) {
            rows.push(
                row.split(',')
                    .map(matrix_cell)
                    .collect::<Vec<_>>()
                    .join(" & "),
            );
        }
        let tex = format!(r"\begin{{pmatrix}} {} \end{{pmatrix}}", rows.join(r" \\ "));
        spans.push((m.start(), m.end(), tex));
    }
    for c in OPTIMISED.captures_iter(text) {
        let m = c.get(0).expect("match");
        if !free(&spans, m.start(), m.end()) {
            continue;
        }
        let sub = match c.get(2).map(|s| s.as_str().trim_start_matches('_')) {
            Some("0" | "₀") => "_0",
            Some("1" | "₁") => "_1",
            Some(_) => r"_{\mathrm{rnd}}",
            None => "",
        };
        let opt = match &c[3] {
            "SDG" => "SDG",
            "SGD" => "SGD",
            _ => "ADAM",
        };
        let e = if c.get(1).is_some() {
            r"\mathbb{E}\,"
        } else {
            ""
        };
        spans.push((
            m.start(),
            m.end(),
            format!(r"{e}W{sub}^{{\mathrm{{{opt}}}}}"),
        ));
    }
    for c in SUBSCRIPT.captures_iter(text) {
        let (whole, base) = (c.get(0).expect("match"), c.get(1).expect("base"));
        if !free(&spans, base.start(), whole.end()) {
            continue;
        }
        let sub = c[3].trim_matches(['{', '}']);
        let prime_before = &c[2];
        let prime_after = &c[4];
        spans.push((
            base.start(),
            whole.end(),
            format!(
                "{}{prime_before}_{{{}{prime_after}}}",
                tex_name(&c[1]),
                tex_name(sub)
            ),
        ));
    }
    for c in POWER.captures_iter(text) {
        let m = c.get(0).expect("match");
        if !free(&spans, m.start(), m.end()) {
            continue;
        }
        let base = c[1]
            .replace('|', r"\lvert ")
            .replace('λ', r"\lambda ")
            .replace('₃', "_3");
        let base = if base.starts_with(r"\lvert") {
            format!(r"{}\rvert", base.trim_end_matches(r"\lvert "))
        } else {
            base
        };
        let exp = c[2].trim_matches(['(', ')', '{', '}']).replace('−', "-");
        spans.push((m.start(), m.end(), format!("{base}^{{{exp}}}")));
    }
    spans.sort_by_key(|s| s.0);
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    let plain = |s: &str| -> String {
        let s = SCI.replace_all(s, |c: &Captures| e_notation(&c[1], &c[2]));
        let s = LAMBDA.replace_all(&s, |c: &Captures| {
            format!("λ{}", subscript_digit(c[1].chars().next().unwrap_or('0')))
        });
        let s = PRIME.replace_all(&s, "$1′");
        md_escape(&s)
    };
    for (start, end, tex) in spans {
        if start < at {
            continue;
        }
        out.push_str(&plain(&text[at..start]));
        out.push('$');
        out.push_str(&tex);
        out.push('$');
        at = end;
    }
    out.push_str(&plain(&text[at..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudo_notation_becomes_math_or_unicode() {
        assert_eq!(
            notation("E Wrnd^SGD ≈ W0^SGD"),
            r"$\mathbb{E}\,W_{\mathrm{rnd}}^{\mathrm{SGD}}$ ≈ $W_0^{\mathrm{SGD}}$"
        );
        assert_eq!(notation("W_ab and W'_ab"), "$W_{ab}$ and $W'_{ab}$");
        assert_eq!(notation("φ_W is fine"), r"$\varphi _{W}$ is fine");
        assert_eq!(
            notation("[[a,b,b],[c,d,e],[c,e,d]]"),
            r"$\begin{pmatrix} a & b & b \\ c & d & e \\ c & e & d \end{pmatrix}$"
        );
        assert_eq!(
            notation("[[0.6667, 0.333, 0.333], …]"),
            r"$\begin{pmatrix} 0.6667 & 0.333 & 0.333 \\ \dots \end{pmatrix}$"
        );
        assert_eq!(
            notation("to 1e-12 and 4.5e-16"),
            "to 10⁻¹² and 4.5\u{a0}×\u{a0}10⁻¹⁶"
        );
        assert_eq!(notation("λ3 ≪ 1 on X'"), "λ₃ ≪ 1 on X′");
        assert_eq!(notation("W^n x"), "$W^{n}$ x");
        assert_eq!(notation("|λ₃|^n"), r"$\lvert \lambda _3\rvert^{n}$");
        assert_eq!(notation("a_b|c"), "$a_{b}$\\|c");
        assert_eq!(notation("train 1e-2"), "train 10⁻²");
        assert_eq!(notation("1/(1 + e^{−cx})"), "1/(1 + $e^{-cx}$)");
    }
}
