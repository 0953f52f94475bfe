-- The shop's people (owner, managers, cashiers): the server keeps them and
-- every till pulls them, PIN hashes included, so a person signs in at any
-- till, online or not.
CREATE TABLE people (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    id          TEXT NOT NULL,
    data        TEXT NOT NULL,      -- zargar_wire::PersonPayload as JSON
    role        TEXT NOT NULL,
    active      INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
