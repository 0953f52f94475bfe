-- Each till's closed shifts with their Z reports, as the till sent them:
-- the owner's view of the shop reads them per day and till. Behind the
-- wall like every shop's table.
CREATE TABLE shifts (
    tenant_id   uuid NOT NULL REFERENCES tenants(id),
    id          uuid NOT NULL,
    device_id   uuid NOT NULL,
    z_no        bigint NOT NULL,
    closed_at   timestamptz NOT NULL,
    data        text NOT NULL,      -- zargar_wire::ShiftPayload as JSON
    op_id       uuid NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX shifts_z_no ON shifts (tenant_id, device_id, z_no);
ALTER TABLE shifts ENABLE ROW LEVEL SECURITY;
ALTER TABLE shifts FORCE ROW LEVEL SECURITY;
CREATE POLICY shop_wall ON shifts USING (tenant_id = zargar_tenant()) WITH CHECK (tenant_id = zargar_tenant());
