-- The change log counts positions per shop (a till's cursor says nothing
-- of other shops), and each position carries the epoch of the commit that
-- wrote it (see `storage/log.rs`). `retention_key` names what a change is
-- of, and `at` when it was logged, so that retention can drop a change a
-- later one of the same thing replaces. Positions are renumbered per shop
-- under fresh epochs, so every till's old cursor is answered 410 once and
-- the till pulls the shop again from the start.

CREATE TABLE changes_by_shop (
    tenant_id     TEXT NOT NULL,
    pos           INTEGER NOT NULL,
    epoch         INTEGER NOT NULL,
    retention_key TEXT NOT NULL,
    at            TEXT NOT NULL,
    change        TEXT NOT NULL,     -- zargar_wire::Change as JSON
    PRIMARY KEY (tenant_id, pos)
) WITHOUT ROWID;

INSERT INTO changes_by_shop (tenant_id, pos, epoch, retention_key, at, change)
SELECT tenant_id,
       ROW_NUMBER() OVER (PARTITION BY tenant_id ORDER BY pos),
       random() | 1,
       CASE json_extract(change, '$.entity') WHEN 'gold_price' THEN 'gold_price'
            ELSE json_extract(change, '$.entity') || ':' || json_extract(change, '$.id') END,
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
       change
FROM changes;

DROP TABLE changes;
ALTER TABLE changes_by_shop RENAME TO changes;

UPDATE tenants SET change_floor = 0;

-- Answers to ops are pruned by age.
CREATE INDEX op_results_age ON op_results(tenant_id, received_at);
