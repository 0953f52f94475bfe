-- Legal invoices. A buyer's ids beside the national id; the shop's tax
-- identity (its legal block, Moadian memory id, goods codes, certificate,
-- and its private key sealed under the server's secret, never in clear);
-- the gapless serials per memory id; and every Moadian invoice with where
-- it stands (the whole row as JSON, the columns the queue reads beside it).
ALTER TABLE customers ADD COLUMN economic_code TEXT;
ALTER TABLE customers ADD COLUMN postal_code TEXT;

CREATE TABLE tax_identities (
    tenant_id   TEXT PRIMARY KEY REFERENCES tenants(id),
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE tax_serials (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    memory_id   TEXT NOT NULL,
    last        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, memory_id)
);

CREATE TABLE tax_invoices (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    id          TEXT NOT NULL,
    subject     TEXT NOT NULL,
    subject_id  TEXT NOT NULL,
    tax_id      TEXT NOT NULL,
    memory_id   TEXT NOT NULL,
    serial      INTEGER NOT NULL,
    status      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    next_at     TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, memory_id, serial),
    UNIQUE (tenant_id, tax_id)
);
CREATE INDEX tax_invoices_subject ON tax_invoices (tenant_id, subject, subject_id, serial);
CREATE INDEX tax_invoices_due ON tax_invoices (tenant_id, status, next_at);
