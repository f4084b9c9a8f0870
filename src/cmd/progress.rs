//! The progress bar of the long commands (the book, the report, a seed sweep, the atlas), on
//! stderr: one style, written once.

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `len` steps: a spinner, the bar (30 wide, `=> `), `pos/len`, then `rest` (an
/// indicatif template, e.g. `"{msg}"`). An unparsable template gives indicatif's default bar.
pub fn bar(len: u64, rest: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template(&format!("{{spinner}} [{{bar:30}}] {{pos}}/{{len}} {rest}"))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}
