-- Each till's closed shifts with their Z reports, as the till sent them:
-- the owner's view of the shop reads them per day and till.
CREATE TABLE shifts (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    id          TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    z_no        INTEGER NOT NULL,
    closed_at   TEXT NOT NULL,
    data        TEXT NOT NULL,      -- zargar_wire::ShiftPayload as JSON
    op_id       TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX shifts_z_no ON shifts (tenant_id, device_id, z_no);
