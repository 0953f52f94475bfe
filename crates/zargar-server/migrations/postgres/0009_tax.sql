-- Legal invoices (see the SQLite migration of the same number). Behind the
-- wall like every shop's table; the queue finds the shops that send
-- invoices through one narrow door that names them and nothing else.
ALTER TABLE customers ADD COLUMN economic_code text;
ALTER TABLE customers ADD COLUMN postal_code text;

CREATE TABLE tax_identities (
    tenant_id   uuid PRIMARY KEY REFERENCES tenants(id),
    data        text NOT NULL,      -- the identity as JSON; its key sealed
    updated_at  timestamptz NOT NULL
);

CREATE TABLE tax_serials (
    tenant_id   uuid NOT NULL REFERENCES tenants(id),
    memory_id   text NOT NULL,
    last        bigint NOT NULL,
    PRIMARY KEY (tenant_id, memory_id)
);

CREATE TABLE tax_invoices (
    tenant_id   uuid NOT NULL REFERENCES tenants(id),
    id          uuid NOT NULL,
    subject     text NOT NULL,
    subject_id  uuid NOT NULL,
    tax_id      text NOT NULL,
    memory_id   text NOT NULL,
    serial      bigint NOT NULL,
    status      text NOT NULL CHECK (status IN ('queued', 'sent', 'accepted', 'rejected')),
    version     bigint NOT NULL,
    next_at     timestamptz NOT NULL,
    data        text NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, memory_id, serial),
    UNIQUE (tenant_id, tax_id)
);
CREATE INDEX tax_invoices_subject ON tax_invoices (tenant_id, subject, subject_id, serial);
CREATE INDEX tax_invoices_due ON tax_invoices (tenant_id, status, next_at);

ALTER TABLE tax_identities ENABLE ROW LEVEL SECURITY;
ALTER TABLE tax_identities FORCE ROW LEVEL SECURITY;
CREATE POLICY shop_wall ON tax_identities USING (tenant_id = zargar_tenant()) WITH CHECK (tenant_id = zargar_tenant());
ALTER TABLE tax_serials ENABLE ROW LEVEL SECURITY;
ALTER TABLE tax_serials FORCE ROW LEVEL SECURITY;
CREATE POLICY shop_wall ON tax_serials USING (tenant_id = zargar_tenant()) WITH CHECK (tenant_id = zargar_tenant());
ALTER TABLE tax_invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE tax_invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY shop_wall ON tax_invoices USING (tenant_id = zargar_tenant()) WITH CHECK (tenant_id = zargar_tenant());

-- The shops with invoices waiting: only their ids, for the sending queue.
CREATE FUNCTION zargar_tax_tenants() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT DISTINCT tenant_id FROM tax_invoices WHERE status IN ('queued', 'sent') $$;
-- The function runs as the tables' owner, whom the wall holds too (FORCE):
-- this policy lets the owner, and so only the function, read across shops.
CREATE POLICY queue_door ON tax_invoices FOR SELECT TO CURRENT_USER USING (true);
