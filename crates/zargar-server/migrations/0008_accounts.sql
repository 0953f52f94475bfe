-- Customers' accounts: the shop's authoritative ledger. Every movement a
-- till sent (its own `account.move`, or the part of a sale or return on
-- account), with its status; a balance is the sum of the applied and
-- accepted ones. Rials and milligrams of 750 are whole numbers.
ALTER TABLE customers ADD COLUMN credit_limit INTEGER NOT NULL DEFAULT 0;

CREATE TABLE account_moves (
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    id           TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    rial         INTEGER NOT NULL,
    gold_mg      INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('applied', 'conflict', 'accepted', 'voided')),
    moved_at     TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    op_id        TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    data         TEXT NOT NULL,      -- zargar_wire::AccountMoveChange as JSON
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX account_moves_customer ON account_moves (tenant_id, customer_id, moved_at);

-- Installment plans (a sale's part on account split into dated payments)
-- and layaways (pieces put aside against a deposit), as the tills sent them.
CREATE TABLE installment_plans (
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    id           TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    data         TEXT NOT NULL,      -- zargar_wire::InstallmentPlanPayload as JSON
    op_id        TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE layaways (
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    id           TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    data         TEXT NOT NULL,      -- zargar_wire::LayawayPayload as JSON
    op_id        TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
