use super::*;

#[test]
fn serialises_as_rows() {
    let m = Matrix(DMatrix::from_row_slice(
        2,
        3,
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.5],
    ));
    assert_eq!(
        serde_json::to_string(&m).unwrap(),
        "[[1.0,2.0,3.0],[4.0,5.0,6.5]]"
    );
    assert_eq!(m.rows(), vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.5]]);
    assert_eq!(m[(1, 2)], 6.5);
    let empty = Matrix(DMatrix::zeros(0, 0));
    assert_eq!(serde_json::to_string(&empty).unwrap(), "[]");
}

/// Both conversions keep every entry; writing through the `DerefMut` view changes the
/// matrix; `into_inner` gives it back unchanged.
#[test]
fn conversions_and_mutable_access_keep_the_entries() {
    let d = DMatrix::from_row_slice(2, 2, &[1.0, -2.0, 3.5, 4.0]);
    let mut m = Matrix::from(&d);
    assert_eq!(m, Matrix::from(d.clone()));
    m[(0, 1)] = 7.0;
    m.transpose_mut();
    let back = m.into_inner();
    assert_eq!(back, DMatrix::from_row_slice(2, 2, &[1.0, 3.5, 7.0, 4.0]));
}
