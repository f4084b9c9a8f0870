//! The library's one error type. Every variant carries the offending value, so a message
//! read on its own says what was wrong (BurntSushi/linfa style).

use thiserror::Error;

/// Everything the library can refuse. The binary wraps it with `anyhow` for context.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// A pattern string contained something other than `0` and `1`.
    #[error("pattern {pattern:?} contains {found:?}: only the characters 0 and 1 are allowed")]
    NonBinary { pattern: String, found: char },
    /// An empty pattern string.
    #[error("empty pattern: a pattern needs at least one bit")]
    EmptyPattern,
    /// A set of patterns with no patterns in it.
    #[error("empty pattern set: give at least one pattern")]
    EmptySet,
    /// Patterns of different lengths in one set.
    #[error("pattern {pattern:?} has length {found}, but the first pattern has length {expected}")]
    LengthMismatch {
        pattern: String,
        expected: usize,
        found: usize,
    },
    /// The same pattern given twice.
    #[error("pattern {pattern:?} is given more than once: a training set lists each pattern once")]
    DuplicatePattern { pattern: String },
    /// Pattern length beyond what the exact group computations support.
    #[error("pattern length {n} is above the supported maximum of {max}")]
    TooLarge { n: usize, max: usize },
    /// Something that is not a permutation of 0..n.
    #[error("{images:?} is not a permutation of {n} points")]
    NotAPermutation { images: Vec<usize>, n: usize },
    /// Cycle notation that cannot be parsed.
    #[error("cannot read {text:?} as a permutation in cycle notation: {why}")]
    BadCycleNotation { text: String, why: String },
    /// Two objects whose sizes must agree do not.
    #[error("dimension mismatch: {what} has size {found}, expected {expected}")]
    DimensionMismatch {
        what: String,
        expected: usize,
        found: usize,
    },
    /// A parameter outside its allowed range.
    #[error("invalid parameter {name} = {value}: {why}")]
    InvalidParameter {
        name: String,
        value: String,
        why: String,
    },
    /// A figure that plotters could not draw.
    #[error("cannot draw figure {figure}: {why}")]
    Plot { figure: String, why: String },
    /// An input data file that cannot be read or does not hold what it should (an atlas file
    /// given with `--atlas-data`): the message names the file and what is wrong.
    #[error("{why}")]
    Data { why: String },
    /// A numerical method that did not converge.
    #[error("{method} did not converge after {iterations} iterations (residual {residual:e})")]
    NoConvergence {
        method: String,
        iterations: usize,
        residual: f64,
    },
}

impl Error {
    /// An [`Error::InvalidParameter`] from its three parts.
    pub fn invalid(name: &str, value: impl ToString, why: &str) -> Error {
        Error::InvalidParameter {
            name: name.into(),
            value: value.to_string(),
            why: why.into(),
        }
    }
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;
