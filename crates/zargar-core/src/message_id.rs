//! The Fluent id that names a coded value: `<subject>-<code>`, in one place
//! for every screen, invoice and command.

use zargar_wire::{AccountMoveKind, ItemStatus, PaymentMethod, Resolution};

pub trait MessageId {
    /// The Fluent id of the value's name.
    fn message_id(self) -> String;
}

impl MessageId for ItemStatus {
    fn message_id(self) -> String {
        format!("item-status-{}", self.code())
    }
}

impl MessageId for PaymentMethod {
    fn message_id(self) -> String {
        format!("payment-{}", self.code())
    }
}

impl MessageId for Resolution {
    fn message_id(self) -> String {
        format!("resolution-{}", self.code())
    }
}

impl MessageId for AccountMoveKind {
    fn message_id(self) -> String {
        format!("account-move-{}", self.code().replace('_', "-"))
    }
}
