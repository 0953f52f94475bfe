-- The shop's people (owner, managers, cashiers): the server keeps them and
-- every till pulls them, PIN hashes included, so a person signs in at any
-- till, online or not. Behind the wall like every shop's table.
CREATE TABLE people (
    tenant_id   uuid NOT NULL REFERENCES tenants(id),
    id          uuid NOT NULL,
    data        text NOT NULL,      -- zargar_wire::PersonPayload as JSON
    role        text NOT NULL,
    active      boolean NOT NULL,
    version     bigint NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE people ENABLE ROW LEVEL SECURITY;
ALTER TABLE people FORCE ROW LEVEL SECURITY;
CREATE POLICY shop_wall ON people USING (tenant_id = zargar_tenant()) WITH CHECK (tenant_id = zargar_tenant());
