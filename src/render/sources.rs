//! The source files whose code the book shows, compiled into the binary, so that what the book
//! shows is exactly the code that ran. Regions are marked as in mdBook:
//! `// ANCHOR: name` … `// ANCHOR_END: name`.

/// (path in the repository, contents)
pub const SOURCES: &[(&str, &str)] = &[
    (
        "src/chapters/prelude.rs",
        include_str!("../chapters/prelude.rs"),
    ),
    ("src/maths/group.rs", include_str!("../maths/group.rs")),
    (
        "src/chapters/linear.rs",
        include_str!("../chapters/linear.rs"),
    ),
    ("src/maths/linear.rs", include_str!("../maths/linear.rs")),
    ("src/chapters/arc.rs", include_str!("../chapters/arc.rs")),
    ("src/analyze.rs", include_str!("../analyze.rs")),
    (
        "src/chapters/beyond.rs",
        include_str!("../chapters/beyond.rs"),
    ),
    (
        "src/chapters/nonlinear/mod.rs",
        include_str!("../chapters/nonlinear/mod.rs"),
    ),
    (
        "src/chapters/nonlinear/grid.rs",
        include_str!("../chapters/nonlinear/grid.rs"),
    ),
    (
        "src/chapters/nonlinear/reproduction.rs",
        include_str!("../chapters/nonlinear/reproduction.rs"),
    ),
    (
        "src/chapters/nonlinear/eq8.rs",
        include_str!("../chapters/nonlinear/eq8.rs"),
    ),
    (
        "src/chapters/nonlinear/fixed_points.rs",
        include_str!("../chapters/nonlinear/fixed_points.rs"),
    ),
    ("src/maths/perm.rs", include_str!("../maths/perm.rs")),
    ("src/maths/network.rs", include_str!("../maths/network.rs")),
    ("src/maths/train.rs", include_str!("../maths/train.rs")),
    (
        "src/maths/dynamics.rs",
        include_str!("../maths/dynamics.rs"),
    ),
    ("src/maths/tanh.rs", include_str!("../maths/tanh.rs")),
];

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
