-- The tenant sync server's database. Every row names its tenant; every
-- query a device can cause filters on the tenant its token belongs to.
-- Amounts, weights and rates are decimal strings, exactly as on the wire.

CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    -- Pull cursors below this change position were pruned: answer 410.
    change_floor INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tenant_settings (
    tenant_id   TEXT PRIMARY KEY REFERENCES tenants(id),
    data        TEXT NOT NULL,      -- zargar_wire::TenantSettings as JSON
    version     INTEGER NOT NULL
);

CREATE TABLE enrol_codes (
    code_hash   BLOB PRIMARY KEY,   -- SHA-256 of the code; the code is shown once
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    role        TEXT NOT NULL CHECK (role IN ('till', 'owner')),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    used_by     TEXT
);

CREATE TABLE devices (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('till', 'owner')),
    token_hash   BLOB NOT NULL UNIQUE,  -- SHA-256 of the token; the token is never stored
    enrolled_at  TEXT NOT NULL,
    revoked_at   TEXT,
    last_seq     INTEGER NOT NULL DEFAULT 0,
    journal_index INTEGER NOT NULL DEFAULT 0,
    journal_hash TEXT,
    last_seen_at TEXT
);
CREATE INDEX devices_tenant ON devices(tenant_id);

-- One row per op ever applied: the idempotency record and the stored answer.
CREATE TABLE op_results (
    device_id   TEXT NOT NULL REFERENCES devices(id),
    op_id       TEXT NOT NULL,
    tenant_id   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    result      TEXT NOT NULL,      -- zargar_wire::OpResult as JSON
    received_at TEXT NOT NULL,
    PRIMARY KEY (device_id, op_id),
    UNIQUE (device_id, seq)
) WITHOUT ROWID;

CREATE TABLE items (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    id          TEXT NOT NULL,
    tag         TEXT NOT NULL,
    data        TEXT NOT NULL,      -- zargar_wire::ItemPayload as JSON (status kept in its column)
    status      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    sale_id     TEXT,               -- the sale that holds the piece
    sold_by     TEXT,               -- and the till that made it
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, tag)
) WITHOUT ROWID;

CREATE TABLE gold_prices (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    id          TEXT NOT NULL,
    per_gram_18k TEXT NOT NULL,
    mazaneh     TEXT,
    set_at      TEXT NOT NULL,
    origin      TEXT NOT NULL CHECK (origin IN ('server', 'till')),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX gold_prices_time ON gold_prices(tenant_id, origin, set_at);

CREATE TABLE customers (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    mobile      TEXT,
    national_id TEXT,
    version     INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX customers_mobile ON customers(tenant_id, mobile);
CREATE INDEX customers_national_id ON customers(tenant_id, national_id);

CREATE TABLE sales (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    id          TEXT NOT NULL,
    device_id   TEXT NOT NULL REFERENCES devices(id),
    op_id       TEXT NOT NULL,
    invoice_no  INTEGER NOT NULL,
    sold_at     TEXT NOT NULL,
    per_gram_18k TEXT NOT NULL,
    total       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('applied', 'conflict', 'accepted', 'voided')),
    payload     TEXT NOT NULL,      -- zargar_wire::SalePayload as JSON, as pushed
    received_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX sales_time ON sales(tenant_id, sold_at);

CREATE TABLE sale_lines (
    tenant_id   TEXT NOT NULL,
    sale_id     TEXT NOT NULL,
    line_no     INTEGER NOT NULL,
    item_id     TEXT NOT NULL,
    tag         TEXT NOT NULL,
    name        TEXT NOT NULL,
    weight      TEXT NOT NULL,
    purity      TEXT NOT NULL,
    gold        TEXT NOT NULL,
    wage        TEXT NOT NULL,
    profit      TEXT NOT NULL,
    vat         TEXT NOT NULL,
    stones      TEXT NOT NULL,
    total       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, sale_id, line_no),
    FOREIGN KEY (tenant_id, sale_id) REFERENCES sales(tenant_id, id)
) WITHOUT ROWID;

CREATE TABLE returns (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    id          TEXT NOT NULL,
    sale_id     TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    payload     TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE conflicts (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    id          TEXT NOT NULL,
    op_id       TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    open        INTEGER NOT NULL,
    state       TEXT NOT NULL,      -- zargar_wire::ConflictState as JSON
    op          TEXT NOT NULL,      -- the parked zargar_wire::Op as JSON
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, op_id)
);
CREATE INDEX conflicts_open ON conflicts(tenant_id, open);

-- The per-tenant change log that pull pages through; the cursor is `pos`.
CREATE TABLE changes (
    pos         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   TEXT NOT NULL,
    change      TEXT NOT NULL       -- zargar_wire::Change as JSON
);
CREATE INDEX changes_tenant ON changes(tenant_id, pos);

-- Who did what, when: every override, resolution and admin action.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   TEXT NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX audit_tenant ON audit(tenant_id, id);

-- The audit log is append-only.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
