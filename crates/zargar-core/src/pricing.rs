//! The price of a gold piece: the rules live in `zargar-rules`, shared with
//! the server so that both price a sale to the same Rial.

pub use zargar_rules::pricing::*;
