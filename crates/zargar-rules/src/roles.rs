//! What each role may do: one table, read by the till before it acts and
//! by the server when an op arrives.

use zargar_wire::Role;

zargar_wire::coded! {
    /// Something done at the till that a person's role must allow. Its code
    /// names it in messages (`act-<code>`).
    pub enum Act {
        /// Record a sale, with a discount within one's own limit.
        Sell = "sell",
        /// Take back pieces of a sale made the same day, up to the shop's
        /// limit for a cashier.
        ReturnSameDay = "return_same_day",
        /// Take back pieces of an older sale, or past the cashier's limit.
        ReturnAny = "return_any",
        AddCustomer = "add_customer",
        /// Open and close one's shift, move cash in and out, read the X report.
        Shift = "shift",
        /// Let a discount past a cashier's limit.
        ApproveDiscount = "approve_discount",
        SetPrice = "set_price",
        EditInventory = "edit_inventory",
        Settings = "settings",
        Conflicts = "conflicts",
        People = "people",
        /// The whole shop's figures.
        Reports = "reports",
        /// Let a sale past the shop's offline limits.
        OverrideLimit = "override_limit",
        /// Take a payment against a customer's account, keep old gold as
        /// their credit, hand credit back.
        CustomerAccount = "customer_account",
        /// Convert a customer's gold to Rials or back at the day's price.
        ConvertGold = "convert_gold",
        /// Set how far a customer may owe.
        CreditLimit = "credit_limit",
    }
}

/// Whether `role` may do `act`. A manager does what a cashier does and
/// more; the owner does everything.
pub fn may(role: Role, act: Act) -> bool {
    match role {
        Role::Owner => true,
        Role::Manager => matches!(
            act,
            Act::Sell
                | Act::ReturnSameDay
                | Act::ReturnAny
                | Act::AddCustomer
                | Act::Shift
                | Act::ApproveDiscount
                | Act::SetPrice
                | Act::EditInventory
                | Act::CustomerAccount
                | Act::ConvertGold
                | Act::CreditLimit
        ),
        Role::Cashier => {
            matches!(act, Act::Sell | Act::ReturnSameDay | Act::AddCustomer | Act::Shift | Act::CustomerAccount)
        }
    }
}

/// The least role that may do `act`: whose PIN to ask for.
pub fn least_role_for(act: Act) -> Role {
    [Role::Cashier, Role::Manager, Role::Owner].into_iter().find(|&r| may(r, act)).unwrap_or(Role::Owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table as the shop reads it: one row per act, a mark per role
    /// (cashier, manager, owner).
    const TABLE: &[(&str, [bool; 3])] = &[
        ("sell", [true, true, true]),
        ("return_same_day", [true, true, true]),
        ("return_any", [false, true, true]),
        ("add_customer", [true, true, true]),
        ("shift", [true, true, true]),
        ("approve_discount", [false, true, true]),
        ("set_price", [false, true, true]),
        ("edit_inventory", [false, true, true]),
        ("settings", [false, false, true]),
        ("conflicts", [false, false, true]),
        ("people", [false, false, true]),
        ("reports", [false, false, true]),
        ("override_limit", [false, false, true]),
        ("customer_account", [true, true, true]),
        ("convert_gold", [false, true, true]),
        ("credit_limit", [false, true, true]),
    ];

    #[test]
    fn every_role_may_do_exactly_what_the_table_says() {
        assert_eq!(TABLE.len(), Act::ALL.len(), "every act has its row");
        for (code, marks) in TABLE {
            let act = Act::from_code(code).unwrap_or_else(|| panic!("{code} is not an act"));
            for (role, expected) in [Role::Cashier, Role::Manager, Role::Owner].into_iter().zip(marks) {
                assert_eq!(may(role, act), *expected, "{role} / {code}");
            }
        }
    }

    #[test]
    fn a_higher_role_may_do_all_a_lower_one_may_and_the_pin_asked_for_is_the_least_role() {
        for act in Act::ALL {
            assert!(!may(Role::Cashier, act) || may(Role::Manager, act), "{act}");
            assert!(!may(Role::Manager, act) || may(Role::Owner, act), "{act}");
        }
        assert_eq!(least_role_for(Act::Sell), Role::Cashier);
        assert_eq!(least_role_for(Act::ApproveDiscount), Role::Manager);
        assert_eq!(least_role_for(Act::People), Role::Owner);
    }
}
