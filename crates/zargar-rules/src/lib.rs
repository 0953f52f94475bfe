//! The business rules the till and the server must agree on to the Rial:
//! whole-Rial money, weights and purities, the price of a piece, the
//! settlement of a sale (trade-ins, payments, change) and the journal's
//! link formula. Pure functions of validated values, no IO.
//!
//! A crate of its own because it has two users that must not depend on
//! each other: `zargar-core` (the till) prices sales with it, and
//! `zargar-server` re-prices every pushed sale with the same code.

pub mod account;
pub mod discount;
pub mod journal;
pub mod measure;
pub mod money;
pub mod policy;
pub mod pricing;
pub mod roles;
pub mod settle;
pub mod tax_id;

pub use measure::{Purity, Weight};
pub use money::{Percent, Rial};

/// Arithmetic that left the range of `Decimal`: no real sale gets here, so
/// it is refused rather than wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("amount out of range")]
    Overflow,
    /// A discount of more Rials than the part it is taken from, or one that
    /// is not a percent nor a whole number of Rials.
    #[error("a discount is a percent, or at most the making charge or profit it comes off")]
    DiscountPastPart,
}
