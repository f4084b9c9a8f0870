//! One matrix type for results: a matrix in code, its rows in JSON.
//!
//! Every `Output` of the book and [`crate::train::TrainResult`] hold their matrices as
//! [`Matrix`], so code does arithmetic on an `nalgebra` matrix directly (it dereferences to
//! `DMatrix<f64>`) while the templates, the data files and the notebooks read a list of rows,
//! `[[w11, w12, …], [w21, …], …]`. There is no round trip through nested vectors and no
//! ragged case to handle.

use std::ops::{Deref, DerefMut};

use nalgebra::DMatrix;
use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

/// A real matrix that serialises as the list of its rows (top to bottom).
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix(pub DMatrix<f64>);

impl Matrix {
    /// The rows, top to bottom, as plain vectors (what the matrix serialises as).
    pub fn rows(&self) -> Vec<Vec<f64>> {
        self.0
            .row_iter()
            .map(|r| r.iter().copied().collect())
            .collect()
    }

    /// The matrix itself.
    pub fn into_inner(self) -> DMatrix<f64> {
        self.0
    }
}

impl Deref for Matrix {
    type Target = DMatrix<f64>;
    fn deref(&self) -> &DMatrix<f64> {
        &self.0
    }
}

impl DerefMut for Matrix {
    fn deref_mut(&mut self) -> &mut DMatrix<f64> {
        &mut self.0
    }
}

impl From<DMatrix<f64>> for Matrix {
    fn from(m: DMatrix<f64>) -> Self {
        Matrix(m)
    }
}

impl From<&DMatrix<f64>> for Matrix {
    fn from(m: &DMatrix<f64>) -> Self {
        Matrix(m.clone())
    }
}

impl Serialize for Matrix {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.nrows()))?;
        for r in self.0.row_iter() {
            let row: Vec<f64> = r.iter().copied().collect();
            seq.serialize_element(&row)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests;
