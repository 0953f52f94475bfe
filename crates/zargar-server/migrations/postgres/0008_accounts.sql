-- Customers' accounts: the shop's authoritative ledger. Every movement a
-- till sent (its own `account.move`, or the part of a sale or return on
-- account), with its status; a balance is the sum of the applied and
-- accepted ones. Behind the wall like every shop's table.
ALTER TABLE customers ADD COLUMN credit_limit bigint NOT NULL DEFAULT 0;

CREATE TABLE account_moves (
    tenant_id    uuid NOT NULL REFERENCES tenants(id),
    id           uuid NOT NULL,
    customer_id  uuid NOT NULL,
    kind         text NOT NULL,
    rial         bigint NOT NULL,
    gold_mg      bigint NOT NULL,
    status       text NOT NULL CHECK (status IN ('applied', 'conflict', 'accepted', 'voided')),
    moved_at     timestamptz NOT NULL,
    device_id    uuid NOT NULL,
    op_id        uuid NOT NULL,
    received_at  timestamptz NOT NULL,
    data         text NOT NULL,      -- zargar_wire::AccountMoveChange as JSON
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX account_moves_customer ON account_moves (tenant_id, customer_id, moved_at);
ALTER TABLE account_moves ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_moves FORCE ROW LEVEL SECURITY;
CREATE POLICY shop_wall ON account_moves USING (tenant_id = zargar_tenant()) WITH CHECK (tenant_id = zargar_tenant());

-- Installment plans (a sale's part on account split into dated payments)
-- and layaways (pieces put aside against a deposit), as the tills sent them.
CREATE TABLE installment_plans (
    tenant_id    uuid NOT NULL REFERENCES tenants(id),
    id           uuid NOT NULL,
    customer_id  uuid NOT NULL,
    data         text NOT NULL,      -- zargar_wire::InstallmentPlanPayload as JSON
    op_id        uuid NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE layaways (
    tenant_id    uuid NOT NULL REFERENCES tenants(id),
    id           uuid NOT NULL,
    customer_id  uuid NOT NULL,
    data         text NOT NULL,      -- zargar_wire::LayawayPayload as JSON
    op_id        uuid NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE installment_plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE installment_plans FORCE ROW LEVEL SECURITY;
CREATE POLICY shop_wall ON installment_plans USING (tenant_id = zargar_tenant()) WITH CHECK (tenant_id = zargar_tenant());
ALTER TABLE layaways ENABLE ROW LEVEL SECURITY;
ALTER TABLE layaways FORCE ROW LEVEL SECURITY;
CREATE POLICY shop_wall ON layaways USING (tenant_id = zargar_tenant()) WITH CHECK (tenant_id = zargar_tenant());
