//! Showing results in a notebook: small HTML views that evcxr displays inline (its display
//! protocol: a value with an `evcxr_display` method prints a MIME-typed block). The book shows
//! the same numbers through its templates; these exist so a notebook cell can end in a value.
//!
//! The build calls these same functions to write each notebook cell's output before any kernel
//! runs it, and CI runs the notebooks and compares: so a view must depend only on its
//! arguments (no clock, no addresses, no hash-map order).

use serde::Serialize;
use serde_json::Value;

use crate::claims::Finding;
use crate::maths::inference::Inference;
use crate::plots::Svg;

/// A piece of HTML that evcxr displays as such.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Html(pub String);

/// A value a notebook cell can end in: what it shows, as (MIME type, text) pairs. evcxr prints
/// them through its display protocol; the book's build writes the same pairs into the
/// notebook as the cell's stored output.
pub trait Shown {
    fn mime_bundle(&self) -> Vec<(&'static str, String)>;
}

/// evcxr's display protocol: each MIME block between `EVCXR_BEGIN_CONTENT` and
/// `EVCXR_END_CONTENT`. evcxr joins the lines in between with `\n`, so the text arrives
/// unchanged (a trailing newline included).
fn print_bundle(value: &dyn Shown) {
    for (mime, text) in value.mime_bundle() {
        println!("EVCXR_BEGIN_CONTENT {mime}\n{text}\nEVCXR_END_CONTENT");
    }
}

impl Shown for Html {
    fn mime_bundle(&self) -> Vec<(&'static str, String)> {
        vec![("text/html", self.0.clone())]
    }
}

impl Html {
    /// evcxr's display protocol: a cell ending in an `Html` shows it.
    pub fn evcxr_display(&self) {
        print_bundle(self);
    }
}

/// A figure shows as the SVG itself and again as an HTML `<img>` holding it as a data URL:
/// JupyterLab draws no `image/svg+xml` output of a notebook the reader has not trusted (an SVG
/// may carry script), but it does show sanitised HTML, and an image in an `<img>` cannot run
/// script. So a notebook opened fresh shows every figure.
impl Shown for Svg {
    fn mime_bundle(&self) -> Vec<(&'static str, String)> {
        vec![
            ("image/svg+xml", self.0.clone()),
            (
                "text/html",
                format!(
                    "<img alt=\"figure\" src=\"data:image/svg+xml;base64,{}\">",
                    base64(self.0.as_bytes())
                ),
            ),
        ]
    }
}

impl Svg {
    /// evcxr's display protocol: a notebook cell whose value is an `Svg` shows the picture.
    pub fn evcxr_display(&self) {
        print_bundle(self);
    }
}

/// Standard base64 (RFC 4648, with padding).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A matrix as an HTML table with `digits` decimals (a `&Matrix` of an output converts).
pub fn matrix(m: &nalgebra::DMatrix<f64>, digits: usize) -> Html {
    let mut s = String::from("<table>");
    for row in m.row_iter() {
        s.push_str("<tr>");
        for v in row.iter() {
            s.push_str(&format!("<td style=\"text-align:right\">{v:.digits$}</td>"));
        }
        s.push_str("</tr>");
    }
    s.push_str("</table>");
    Html(s)
}

/// A table from a header and rows of text cells.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> Html {
    let mut s = String::from("<table><tr>");
    for h in header {
        s.push_str(&format!("<th>{}</th>", escape(h)));
    }
    s.push_str("</tr>");
    for row in rows {
        s.push_str("<tr>");
        for cell in row {
            s.push_str(&format!(
                "<td style=\"text-align:left\">{}</td>",
                escape(cell)
            ));
        }
        s.push_str("</tr>");
    }
    s.push_str("</table>");
    Html(s)
}

/// A chapter's findings, as the scorecard shows them.
pub fn findings(findings: &[Finding]) -> Html {
    let rows: Vec<Vec<String>> = findings
        .iter()
        .map(|f| {
            vec![
                f.id.clone(),
                f.verdict.as_str().to_string(),
                if f.holds { "yes".into() } else { "NO".into() },
                f.ours.clone(),
            ]
        })
        .collect();
    table(&["claim", "verdict", "checks pass", "ours"], &rows)
}

/// A chapter's parameters, one row per field in name order, each value written as Rust would
/// write it (`0.001`, `1e-6`, `"010,001"`), so the notebook's parameters cell shows every knob
/// the chapter has. Fields are sorted here rather than trusting the JSON map's order, which
/// depends on a serde_json feature another crate in the build could switch on.
pub fn params<P: Serialize>(params: &P) -> Html {
    let rows: Vec<Vec<String>> = match serde_json::to_value(params) {
        Ok(Value::Object(fields)) => {
            let mut fields: Vec<(&String, &Value)> = fields.iter().collect();
            fields.sort_by(|a, b| a.0.cmp(b.0));
            fields
                .into_iter()
                .map(|(name, value)| vec![name.clone(), rust_literal(value)])
                .collect()
        }
        Ok(other) => vec![vec!["(value)".into(), rust_literal(&other)]],
        Err(e) => vec![vec!["(error)".into(), e.to_string()]],
    };
    let mut s = String::from(
        "<table><tr><th style=\"text-align:left\">field</th><th style=\"text-align:left\">value</th></tr>",
    );
    for row in rows {
        s.push_str(&format!(
            "<tr><td style=\"text-align:left\"><code>{}</code></td><td style=\"text-align:left\"><code>{}</code></td></tr>",
            escape(&row[0]),
            escape(&row[1])
        ));
    }
    s.push_str("</table>");
    Html(s)
}

/// A JSON value as Rust source: floats by `{:?}` (shortest round trip, `1e-6` for small ones),
/// strings quoted and escaped, arrays in brackets, structs as `{ field: value }`.
fn rust_literal(v: &Value) -> String {
    match v {
        Value::Null => "NaN".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => u.to_string(),
            (None, Some(i), _) => i.to_string(),
            (None, None, Some(f)) => format!("{f:?}"),
            _ => n.to_string(),
        },
        Value::String(s) => format!("{s:?}"),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(rust_literal)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(fields) => {
            let mut fields: Vec<(&String, &Value)> = fields.iter().collect();
            fields.sort_by(|a, b| a.0.cmp(b.0));
            format!(
                "{{ {} }}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", rust_literal(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

/// §4's rule inference: the order of `Σ_X`, the candidate answers `A(t)` and whether the
/// answer is unique, then every non-trivial rule with its image of the test item.
pub fn inference(inference: &Inference) -> Html {
    let join = |items: &[crate::pattern::Pattern]| {
        items
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let candidates = if inference.candidates.is_empty() {
        "none".to_string()
    } else {
        join(&inference.candidates)
    };
    let rows: Vec<Vec<String>> = inference
        .rules
        .iter()
        .map(|r| vec![r.rule.to_string(), r.image.to_string()])
        .collect();
    let table = table(&["rule s", "s·t"], &rows);
    Html(format!(
        "<p>X = {}, t = {}: |Σ_X| = {}, candidate answers A(t) = {{{}}} ({})</p>{}",
        escape(&inference.training.to_string()),
        escape(&inference.test.to_string()),
        inference.group_order,
        escape(&candidates),
        inference.status(),
        table.0
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4648's test vectors.
    #[test]
    fn base64_matches_rfc_4648() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }

    /// Every field of a struct, sorted by name, written as Rust literals.
    #[test]
    fn params_rows_are_sorted_rust_literals() {
        #[derive(Serialize)]
        struct P {
            seed: u64,
            lr: f64,
            tol: f64,
            set: String,
            ks: Vec<f64>,
        }
        let html = params(&P {
            seed: 7,
            lr: 0.5,
            tol: 1e-6,
            set: "010,001".into(),
            ks: vec![0.0, 1.0],
        })
        .0;
        let order: Vec<usize> = ["ks", "lr", "seed", "set", "tol"]
            .iter()
            .map(|k| html.find(&format!("<code>{k}</code>")).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{html}");
        for v in ["7", "0.5", "1e-6", "[0.0, 1.0]", "\"010,001\""] {
            assert!(html.contains(&format!("<code>{v}</code>")), "{v} in {html}");
        }
    }
}
