//! What the atlas chapter says about one length N: rates of generalisation by |Σ_X| and by
//! |X|, the agreement of the paper's criterion with the span set, and the classes where the
//! claim H2 fails. A [`SectionBuilder`] takes the rows one at a time and keeps only counts
//! (and the first few failures), so a section costs the same memory for 79 classes as for
//! the 37 333 247 of the full atlas at N = 5 read back from a file.

use std::collections::BTreeMap;

use serde::Serialize;

use super::rows::{ActivationRow, Row, Selection};

/// Rates of one activation's networks over a group of classes. Each rate is over networks
/// (classes × seeds) of the classes where it can be tested.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rates {
    /// Networks reproducing the whole span set, among classes with a non-empty span set.
    pub span: Option<f64>,
    /// Networks reproducing the whole criterion set, among classes with a non-empty one.
    pub criterion: Option<f64>,
    /// Networks reproducing no pattern outside X, over all classes.
    pub items_only: f64,
    /// Mean invariance defect of the trained W.
    pub defect: f64,
}

/// The counts behind [`Rates`], added to class by class.
#[derive(Clone, Debug, Default)]
struct RatesCount {
    span_hits: usize,
    span_networks: usize,
    criterion_hits: usize,
    criterion_networks: usize,
    items_only: usize,
    networks: usize,
    defect_sum: f64,
    classes: usize,
}

impl RatesCount {
    fn add(&mut self, r: &Row, a: &ActivationRow) {
        if !r.span_set.is_empty() {
            self.span_hits += a.span;
            self.span_networks += r.seeds;
        }
        if !r.criterion_set.is_empty() {
            self.criterion_hits += a.criterion;
            self.criterion_networks += r.seeds;
        }
        self.items_only += a.items_only;
        self.networks += r.seeds;
        self.defect_sum += a.defect;
        self.classes += 1;
    }

    fn rates(&self) -> Rates {
        let ratio = |num: usize, den: usize| (den > 0).then(|| num as f64 / den as f64);
        Rates {
            span: ratio(self.span_hits, self.span_networks),
            criterion: ratio(self.criterion_hits, self.criterion_networks),
            items_only: ratio(self.items_only, self.networks).unwrap_or(0.0),
            defect: if self.classes == 0 {
                0.0
            } else {
                self.defect_sum / self.classes as f64
            },
        }
    }
}

/// The three activations' rates over one group of classes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    /// The group's key: |Σ_X| or |X| (0 for "all classes").
    pub key: usize,
    pub classes: usize,
    /// Classes with a non-empty span set / criterion set.
    pub with_span: usize,
    pub with_criterion: usize,
    pub identity: Rates,
    pub tanh: Rates,
    pub sigmoid: Rates,
}

/// The counts behind a [`Group`].
#[derive(Clone, Debug, Default)]
struct GroupCount {
    classes: usize,
    with_span: usize,
    with_criterion: usize,
    identity: RatesCount,
    tanh: RatesCount,
    sigmoid: RatesCount,
}

impl GroupCount {
    fn add(&mut self, r: &Row) {
        self.classes += 1;
        self.with_span += usize::from(!r.span_set.is_empty());
        self.with_criterion += usize::from(!r.criterion_set.is_empty());
        self.identity.add(r, &r.identity);
        self.tanh.add(r, &r.tanh);
        self.sigmoid.add(r, &r.sigmoid);
    }

    fn group(&self, key: usize) -> Group {
        Group {
            key,
            classes: self.classes,
            with_span: self.with_span,
            with_criterion: self.with_criterion,
            identity: self.identity.rates(),
            tanh: self.tanh.rates(),
            sigmoid: self.sigmoid.rates(),
        }
    }
}

/// How the paper's criterion set compares with the span set, over classes.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Agreement {
    pub equal: usize,
    /// Criterion set strictly inside the span set.
    pub criterion_inside_span: usize,
    /// Span set strictly inside the criterion set.
    pub span_inside_criterion: usize,
    /// Neither contains the other.
    pub neither: usize,
    /// `equal / classes`.
    pub fraction_equal: f64,
}

impl Agreement {
    fn add(&mut self, r: &Row) {
        let inside = |a: &[String], b: &[String]| a.iter().all(|p| b.contains(p));
        match (
            inside(&r.criterion_set, &r.span_set),
            inside(&r.span_set, &r.criterion_set),
        ) {
            (true, true) => self.equal += 1,
            (true, false) => self.criterion_inside_span += 1,
            (false, true) => self.span_inside_criterion += 1,
            (false, false) => self.neither += 1,
        }
    }
}

/// Whether a class supports "linear networks learn relations, nonlinear ones learn items":
/// testable when its span set is non-empty (else there is nothing to generalise to);
/// supported when most of its linear networks (more than half of the seeds) reproduce the
/// whole span set and most of its sigmoid networks reproduce no pattern outside X. "Most"
/// rather than "all" so that the answer does not hinge on one unlucky seed, nor on K.
pub fn supports_claim(r: &Row) -> Option<bool> {
    (!r.span_set.is_empty())
        .then(|| 2 * r.identity.span > r.seeds && 2 * r.sigmoid.items_only > r.seeds)
}

/// A class where the claim fails, as listed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Failure {
    pub set: String,
    pub group_order: usize,
    pub span_set: String,
    /// What failed: the linear networks that missed part of the span set, the sigmoid ones
    /// that reproduced a pattern outside X (with what they all reproduced).
    pub why: String,
    /// The set as the command line takes it (`000,001,010`).
    pub patterns: String,
    /// The `analyze` command that shows this class's detail in the terminal.
    pub analyze: String,
    /// The `report` command that writes this class's report (page, notebook, data).
    pub report: String,
}

fn failure(r: &Row) -> Failure {
    let mut why = Vec::new();
    if 2 * r.identity.span <= r.seeds {
        why.push(format!(
            "{} of {} linear networks miss part of the span set",
            r.seeds - r.identity.span,
            r.seeds
        ));
    }
    if 2 * r.sigmoid.items_only <= r.seeds {
        let all = if r.sigmoid.reproduced_by_all.is_empty() {
            String::new()
        } else {
            format!(
                " ({} by all of them)",
                r.sigmoid.reproduced_by_all.join(", ")
            )
        };
        why.push(format!(
            "{} of {} sigmoid networks reproduce patterns outside X{all}",
            r.seeds - r.sigmoid.items_only,
            r.seeds
        ));
    }
    Failure {
        set: r.set.join(", "),
        group_order: r.group_order,
        span_set: r.span_set.join(", "),
        why: why.join("; "),
        patterns: r.set.join(","),
        analyze: format!("items-or-relations analyze --patterns {}", r.set.join(",")),
        report: format!("items-or-relations report --patterns {}", r.set.join(",")),
    }
}

/// One length N of the atlas.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Section {
    pub n: usize,
    /// Classes studied, and all classes at this N (Burnside).
    pub classes: usize,
    pub total_classes: u64,
    /// `None` for every class; the sample's seed otherwise.
    pub sample_seed: Option<u64>,
    /// The training settings of this section's networks
    /// ([`crate::maths::study::StudySettings::description`]).
    pub settings: String,
    /// The file the rows were read from (its name), or `None` when this build computed them.
    pub source: Option<String>,
    pub all: Group,
    pub by_group_order: Vec<Group>,
    pub by_items: Vec<Group>,
    pub agreement: Agreement,
    /// Classes where the claim can be tested (non-empty span set), and where it holds.
    pub testable: usize,
    pub supporting: usize,
    /// The classes where it fails (at most `listed`), and how many there are.
    pub failures: Vec<Failure>,
    pub failure_count: usize,
    /// The largest final training loss of any linear network (how far training got).
    pub max_linear_train_loss: f64,
    /// Testable classes where most linear networks reproduce the whole span set (the
    /// claim's first half), and where most sigmoid networks reproduce no pattern outside X
    /// (its second half).
    pub linear_majority: usize,
    pub sigmoid_majority: usize,
}

/// Builds a [`Section`] from its rows, given one at a time in class order.
#[derive(Clone, Debug)]
pub struct SectionBuilder {
    n: usize,
    total_classes: u64,
    sample_seed: Option<u64>,
    settings: String,
    source: Option<String>,
    listed: usize,
    all: GroupCount,
    by_group_order: BTreeMap<usize, GroupCount>,
    by_items: BTreeMap<usize, GroupCount>,
    agreement: Agreement,
    testable: usize,
    failures: Vec<Failure>,
    failure_count: usize,
    max_linear_train_loss: f64,
    linear_majority: usize,
    sigmoid_majority: usize,
}

impl SectionBuilder {
    /// A section of length `n` of `total_classes` classes in all, its rows selected by
    /// `selection` and trained with `settings`, read from `source` (or computed, `None`),
    /// listing at most `listed` failures.
    pub fn new(
        n: usize,
        total_classes: u64,
        selection: &Selection,
        settings: String,
        source: Option<String>,
        listed: usize,
    ) -> Self {
        SectionBuilder {
            n,
            total_classes,
            sample_seed: match selection {
                Selection::All => None,
                Selection::Sample { seed, .. } => Some(*seed),
            },
            settings,
            source,
            listed,
            all: GroupCount::default(),
            by_group_order: BTreeMap::new(),
            by_items: BTreeMap::new(),
            agreement: Agreement::default(),
            testable: 0,
            failures: Vec::new(),
            failure_count: 0,
            max_linear_train_loss: 0.0,
            linear_majority: 0,
            sigmoid_majority: 0,
        }
    }

    /// Counts one row in.
    pub fn add(&mut self, r: &Row) {
        self.all.add(r);
        self.by_group_order.entry(r.group_order).or_default().add(r);
        self.by_items.entry(r.items()).or_default().add(r);
        self.agreement.add(r);
        if supports_claim(r).is_some() {
            self.linear_majority += usize::from(2 * r.identity.span > r.seeds);
            self.sigmoid_majority += usize::from(2 * r.sigmoid.items_only > r.seeds);
        }
        match supports_claim(r) {
            Some(true) => self.testable += 1,
            Some(false) => {
                self.testable += 1;
                self.failure_count += 1;
                if self.failures.len() < self.listed {
                    self.failures.push(failure(r));
                }
            }
            None => {}
        }
        self.max_linear_train_loss = self.max_linear_train_loss.max(r.identity.train_loss);
    }

    /// The section.
    pub fn finish(self) -> Section {
        let classes = self.all.classes;
        let groups = |m: &BTreeMap<usize, GroupCount>| {
            m.iter().map(|(&k, g)| g.group(k)).collect::<Vec<Group>>()
        };
        let agreement = Agreement {
            fraction_equal: self.agreement.equal as f64 / classes.max(1) as f64,
            ..self.agreement
        };
        Section {
            n: self.n,
            classes,
            total_classes: self.total_classes,
            sample_seed: self.sample_seed,
            settings: self.settings,
            source: self.source,
            all: self.all.group(0),
            by_group_order: groups(&self.by_group_order),
            by_items: groups(&self.by_items),
            agreement,
            testable: self.testable,
            supporting: self.testable - self.failure_count,
            failures: self.failures,
            failure_count: self.failure_count,
            max_linear_train_loss: self.max_linear_train_loss,
            linear_majority: self.linear_majority,
            sigmoid_majority: self.sigmoid_majority,
        }
    }
}
