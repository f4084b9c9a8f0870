//! A training set with a name, as chapters list them in their `Params`: the ARC chapter's
//! chains of nested groups (D4) and the sets of the group study beyond the paper (D1).

use serde::Serialize;

/// A training set with a name. The set is kept as typed (`"010,001"`) and parsed by the
/// chapter that uses it, so that `Params` serialise as the user wrote them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NamedSet {
    /// What the set is, in a few words; the book's tables show it.
    pub name: String,
    /// The patterns, comma-separated, as `PatternSet::parse` reads them.
    pub set: String,
}

impl NamedSet {
    pub fn new(name: &str, set: &str) -> NamedSet {
        NamedSet {
            name: name.into(),
            set: set.into(),
        }
    }
}
