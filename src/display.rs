//! Showing results in a notebook: small HTML views that evcxr displays inline (its display
//! protocol: a value with an `evcxr_display` method prints a MIME-typed block). The book shows
//! the same numbers through its templates; these exist so a notebook cell can end in a value.

use serde::Serialize;

use crate::claims::Finding;

/// A piece of HTML that evcxr displays as such.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Html(pub String);

impl Html {
    /// evcxr's display protocol.
    pub fn evcxr_display(&self) {
        println!(
            "EVCXR_BEGIN_CONTENT text/html\n{}\nEVCXR_END_CONTENT",
            self.0
        );
    }
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

/// The line a notebook prints so that CI can compare the notebook's findings with the book's
/// data for the same chapter: `FINDINGS <json>`.
pub fn findings_line(findings: &[Finding]) -> String {
    format!(
        "FINDINGS {}",
        serde_json::to_string(findings).unwrap_or_else(|e| format!("error: {e}"))
    )
}
