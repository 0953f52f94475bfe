//! The wire's codes read back from a column (both backends store `code()`,
//! so a database copied from one to the other reads the same): a code the
//! wire does not know is a damaged row, not a default.

use super::StorageError;

pub fn read_code<T>(from_code: fn(&str) -> Option<T>, code: &str) -> Result<T, StorageError> {
    from_code(code).ok_or_else(|| StorageError::stored(format!("code {code:?}")))
}
