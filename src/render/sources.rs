//! The source files whose code the book shows, compiled into the binary, so that what the book
//! shows is exactly the code that ran. Regions are marked as in mdBook:
//! `// ANCHOR: name` … `// ANCHOR_END: name`.

include!(concat!(env!("OUT_DIR"), "/sources.rs"));

/// The lines of `file` between `ANCHOR: anchor` and `ANCHOR_END: anchor`, with other anchor
/// markers dropped and the common indentation removed.
pub fn excerpt(file: &str, anchor: &str) -> Result<String, String> {
    let (_, text) = SOURCES
        .iter()
        .find(|(path, _)| *path == file)
        .ok_or_else(|| format!("no source file {file:?} is compiled in (see render/sources.rs)"))?;
    let start = format!("ANCHOR: {anchor}");
    let end = format!("ANCHOR_END: {anchor}");
    let mut inside = false;
    let mut found = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        let marker = line.trim_start().strip_prefix("//").map(str::trim);
        if marker == Some(start.as_str()) {
            inside = true;
            found = true;
            continue;
        }
        if marker == Some(end.as_str()) {
            inside = false;
            continue;
        }
        if inside && !marker.is_some_and(|m| m.starts_with("ANCHOR")) {
            lines.push(line);
        }
    }
    if !found || lines.is_empty() {
        return Err(format!("anchor {anchor:?} not found in {file}"));
    }
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    Ok(lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n"))
}

/// The names of the top-level items an excerpt defines, in order (`fn infer_first_column`,
/// `struct Run`, …): what its folded summary says. Items nested in a body are left out.
pub fn item_names(text: &str) -> Vec<String> {
    const KINDS: [&str; 6] = ["fn", "struct", "enum", "impl", "trait", "const"];
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with(char::is_whitespace) {
            continue;
        }
        let line = line
            .strip_prefix("pub(crate) ")
            .or_else(|| line.strip_prefix("pub(super) "))
            .unwrap_or(line);
        let mut words = line
            .split(|c: char| c.is_whitespace() || c == '(' || c == '<' || c == ':' || c == '{')
            .filter(|w| !w.is_empty())
            .skip_while(|w| matches!(*w, "pub" | "const" | "async" | "unsafe"));
        let (Some(kind), Some(name)) = (words.next(), words.next()) else {
            continue;
        };
        if KINDS.contains(&kind) {
            out.push(format!("{kind} {name}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `// ANCHOR:` regions that no template shows, each with the reason it stays marked.
    pub const NOT_SHOWN: &[(&str, &str, &str)] = &[];

    /// Every `(file, anchor)` a template asks for with `code(file=…, anchor=…)`.
    fn shown() -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (_, text) in super::super::templates::TEMPLATES {
            for call in text.split("code(file=\"").skip(1) {
                let file = call.split('"').next().unwrap_or_default();
                let anchor = call
                    .split("anchor=\"")
                    .nth(1)
                    .and_then(|a| a.split('"').next())
                    .unwrap_or_default();
                out.push((file.to_string(), anchor.to_string()));
            }
        }
        out
    }

    #[test]
    fn item_names_are_the_top_level_definitions() {
        let text = "/// doc\npub fn search(x: u8) -> u8 {\n    fn inner() {}\n    x\n}\n\npub(crate) struct Run<T> {\n}\nimpl Run<u8> {\n}";
        assert_eq!(
            item_names(text),
            vec!["fn search", "struct Run", "impl Run"]
        );
    }

    #[test]
    fn every_anchor_is_shown_or_listed_as_not_shown() {
        let shown = shown();
        assert!(shown.len() >= 10, "only {} excerpts found", shown.len());
        for (file, text) in SOURCES {
            for line in text.lines() {
                let Some(anchor) = line.trim_start().strip_prefix("// ANCHOR: ") else {
                    continue;
                };
                let anchor = anchor.trim();
                let is_shown = shown.iter().any(|(f, a)| f == file && a == anchor);
                let listed = NOT_SHOWN.iter().any(|(f, a, _)| f == file && *a == anchor);
                assert!(
                    is_shown || listed,
                    "{file}: anchor {anchor:?} is shown by no template; show it, remove it, or list it in NOT_SHOWN with a reason"
                );
                assert!(
                    !(is_shown && listed),
                    "{file}: {anchor:?} is shown and listed"
                );
            }
        }
        for (file, anchor) in &shown {
            assert!(
                excerpt(file, anchor).is_ok(),
                "{file}: {anchor} does not resolve"
            );
        }
    }
}
