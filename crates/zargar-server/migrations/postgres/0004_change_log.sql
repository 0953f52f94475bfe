-- Each position of the change log (already counted per shop here) carries
-- the epoch of the commit that wrote it (see `storage/log.rs`); the
-- changes logged before have epoch 0, which is what a cursor written
-- before epochs existed holds, so those cursors go on. `retention_key`
-- names what a change is of, and `at` when it was logged, so that
-- retention can drop a change a later one of the same thing replaces.
ALTER TABLE changes
    ADD COLUMN epoch bigint NOT NULL DEFAULT 0,
    ADD COLUMN retention_key text,
    ADD COLUMN at timestamptz NOT NULL DEFAULT now();

-- Every shop's rows, once: the wall is lowered for the owner for this
-- statement only, inside the migration's transaction.
ALTER TABLE changes NO FORCE ROW LEVEL SECURITY;
UPDATE changes SET retention_key =
    CASE change::json->>'entity' WHEN 'gold_price' THEN 'gold_price'
         ELSE (change::json->>'entity') || ':' || (change::json->>'id') END;
ALTER TABLE changes FORCE ROW LEVEL SECURITY;
ALTER TABLE changes ALTER COLUMN retention_key SET NOT NULL;

CREATE INDEX op_results_age ON op_results(tenant_id, received_at);
