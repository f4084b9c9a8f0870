//! Chapter "The atlas": the paper's question asked of every class of training sets.
pub mod rows;
