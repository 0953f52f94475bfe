-- The tenant sync server's database on PostgreSQL: the same tables as on
-- SQLite, in native types, behind a wall of row-level security.
--
-- Run by `zargar-server migrate` as the role that owns the tables. The
-- server itself connects as another role (see `grants.sql`) that owns
-- nothing and cannot bypass a policy: every row it can see or write is of
-- the shop set for the transaction (`zargar.tenant`), whatever a query says.
-- JSON is kept as text, exactly as on the wire: the server never looks inside.
-- Only the rarely written tables point at `tenants` by a foreign key: on a
-- hot table each insert would lock the shop's row (FOR KEY SHARE) against
-- every other till's; the policies already hold every row to the shop set
-- for its transaction, which comes from a device that belongs to it.

-- The shop of the current transaction; none outside one.
CREATE FUNCTION zargar_tenant() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('zargar.tenant', true), '')::uuid $$;

-- The two doors before a shop is known: a device's token hash (to
-- authenticate) and an enrolment code's hash (to enrol). Knowing the hash
-- means holding the secret; each opens exactly the one row it names.
CREATE FUNCTION zargar_token_hash() RETURNS bytea LANGUAGE sql STABLE AS
$$ SELECT decode(nullif(current_setting('zargar.token_hash', true), ''), 'hex') $$;
CREATE FUNCTION zargar_code_hash() RETURNS bytea LANGUAGE sql STABLE AS
$$ SELECT decode(nullif(current_setting('zargar.code_hash', true), ''), 'hex') $$;

CREATE TABLE tenants (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    created_at   timestamptz NOT NULL,
    -- Pull cursors below this change position were pruned: answer 410.
    change_floor bigint NOT NULL DEFAULT 0
);

-- The shop's last change position. A transaction takes its positions here
-- as its last act before COMMIT, holding this row's lock until then: the
-- shop's changes commit in position order, so no change ever commits behind
-- a cursor a till already holds. A table of its own, so that this hot row
-- is not the one every other row's key points at.
CREATE TABLE change_seqs (
    tenant_id   uuid PRIMARY KEY,
    last        bigint NOT NULL
);

CREATE TABLE tenant_settings (
    tenant_id   uuid PRIMARY KEY REFERENCES tenants(id),
    data        text NOT NULL,
    version     bigint NOT NULL
);

CREATE TABLE enrol_codes (
    code_hash   bytea PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants(id),
    role        text NOT NULL CHECK (role IN ('till', 'owner')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    used_by     uuid
);

CREATE TABLE devices (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants(id),
    name          text NOT NULL,
    role          text NOT NULL CHECK (role IN ('till', 'owner')),
    token_hash    bytea NOT NULL UNIQUE,
    enrolled_at   timestamptz NOT NULL,
    revoked_at    timestamptz,
    last_seq      bigint NOT NULL DEFAULT 0,
    journal_index bigint NOT NULL DEFAULT 0,
    journal_hash  text,
    last_seen_at  timestamptz
);
CREATE INDEX devices_tenant ON devices(tenant_id);

CREATE TABLE op_results (
    device_id   uuid NOT NULL REFERENCES devices(id),
    op_id       uuid NOT NULL,
    tenant_id   uuid NOT NULL,
    seq         bigint NOT NULL,
    kind        text NOT NULL,
    entity_id   uuid NOT NULL,
    result      text NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (device_id, op_id),
    UNIQUE (device_id, seq)
);

CREATE TABLE items (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    tag         text NOT NULL,
    data        text NOT NULL,
    status      text NOT NULL,
    version     bigint NOT NULL,
    sale_id     uuid,
    sold_by     uuid,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, tag)
) WITH (fillfactor = 80);  -- room on the page: a sale's status change stays a HOT update

CREATE TABLE gold_prices (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    per_gram_18k numeric NOT NULL,
    mazaneh      numeric,
    set_at       timestamptz NOT NULL,
    origin       text NOT NULL CHECK (origin IN ('server', 'till')),
    set_by       text,
    device_id    uuid,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX gold_prices_time ON gold_prices(tenant_id, origin, set_at);

CREATE TABLE customers (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    name        text NOT NULL,
    mobile      text,
    national_id text,
    version     bigint NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX customers_mobile ON customers(tenant_id, mobile);
CREATE INDEX customers_national_id ON customers(tenant_id, national_id);

CREATE TABLE sales (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    device_id    uuid NOT NULL REFERENCES devices(id),
    op_id        uuid NOT NULL,
    invoice_no   bigint NOT NULL,
    sold_at      timestamptz NOT NULL,
    per_gram_18k numeric NOT NULL,
    total        numeric NOT NULL,
    status       text NOT NULL CHECK (status IN ('applied', 'conflict', 'accepted', 'voided')),
    payload      text NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX sales_time ON sales(tenant_id, sold_at);

CREATE TABLE sale_lines (
    tenant_id   uuid NOT NULL,
    sale_id     uuid NOT NULL,
    line_no     integer NOT NULL,
    item_id     uuid NOT NULL,
    tag         text NOT NULL,
    name        text NOT NULL,
    weight      numeric NOT NULL,
    purity      numeric NOT NULL,
    gold        numeric NOT NULL,
    wage        numeric NOT NULL,
    profit      numeric NOT NULL,
    vat         numeric NOT NULL,
    stones      numeric NOT NULL,
    total       numeric NOT NULL,
    PRIMARY KEY (tenant_id, sale_id, line_no),
    FOREIGN KEY (tenant_id, sale_id) REFERENCES sales(tenant_id, id)
);

CREATE TABLE returns (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    sale_id     uuid NOT NULL,
    device_id   uuid NOT NULL,
    payload     text NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE conflicts (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    op_id       uuid NOT NULL,
    device_id   uuid NOT NULL,
    open        boolean NOT NULL,
    state       text NOT NULL,
    op          text NOT NULL,
    version     bigint NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, op_id)
);
CREATE INDEX conflicts_open ON conflicts(tenant_id, open);

-- The shop's change log that pull pages through; the cursor is `pos`,
-- counted per shop (`tenants.change_seq`). Changes copied from SQLite keep
-- their positions.
CREATE TABLE changes (
    tenant_id   uuid NOT NULL,
    pos         bigint NOT NULL,
    change      text NOT NULL,
    PRIMARY KEY (tenant_id, pos)
);

CREATE TABLE audit (
    id          bigserial PRIMARY KEY,
    tenant_id   uuid NOT NULL,
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    subject     text NOT NULL,
    detail      text NOT NULL
);
CREATE INDEX audit_tenant ON audit(tenant_id, id);

-- The wall. FORCE: the owner is held by it too, so even a migration or a
-- copy writes only the shop it has set.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenant_settings', 'enrol_codes', 'devices', 'op_results', 'items', 'gold_prices',
        'customers', 'sales', 'sale_lines', 'returns', 'conflicts', 'changes', 'change_seqs', 'audit']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY shop_wall ON %I USING (tenant_id = zargar_tenant())
            WITH CHECK (tenant_id = zargar_tenant())', t);
    END LOOP;
END $$;
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY shop_wall ON tenants USING (id = zargar_tenant()) WITH CHECK (id = zargar_tenant());
CREATE POLICY by_token ON devices FOR SELECT USING (token_hash = zargar_token_hash());
CREATE POLICY by_code ON enrol_codes FOR SELECT USING (code_hash = zargar_code_hash());
