-- A CHECK of the form `x IN (a, b, c, …)` with more than two values makes
-- SQLite build a temporary b-tree of the list each time a statement writes
-- the column: half the cost of moving a piece to sold, and a part of every
-- sale and every acknowledgement. The same checks written as comparisons
-- are evaluated in place. SQLite cannot alter a CHECK, so the three tables
-- written on every sale are rebuilt (the runner turns foreign keys off
-- around a migration and checks them before it commits). Same columns,
-- same order, same rowids, same indexes and trigger.

CREATE TABLE items_v9 (
    id          TEXT PRIMARY KEY,
    tag         TEXT NOT NULL UNIQUE,
    barcode     TEXT UNIQUE,
    name        TEXT NOT NULL,
    category    TEXT,
    weight_mg   INTEGER NOT NULL CHECK (weight_mg > 0),
    purity      TEXT NOT NULL,
    wage_kind   TEXT NOT NULL CHECK (wage_kind IN ('percent', 'per_gram')),
    wage_value  TEXT NOT NULL,
    stones      INTEGER NOT NULL DEFAULT 0 CHECK (stones >= 0),
    status      TEXT NOT NULL CHECK (status = 'in_stock' OR status = 'sold_pending' OR status = 'sold'
                                     OR status = 'reserved' OR status = 'repair' OR status = 'returned'),
    version     INTEGER NOT NULL DEFAULT 1,
    search_key  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    server_version INTEGER NOT NULL DEFAULT 0,
    sold_by     TEXT
);
INSERT INTO items_v9 (rowid, id, tag, barcode, name, category, weight_mg, purity, wage_kind, wage_value, stones,
                      status, version, search_key, updated_at, server_version, sold_by)
SELECT rowid, id, tag, barcode, name, category, weight_mg, purity, wage_kind, wage_value, stones,
       status, version, search_key, updated_at, server_version, sold_by FROM items;
DROP TABLE items;
ALTER TABLE items_v9 RENAME TO items;
CREATE INDEX items_by_status ON items (status);

CREATE TABLE outbox_v9 (
    seq          INTEGER PRIMARY KEY,
    op_id        TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    device_time  TEXT NOT NULL,
    base         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state = 'pending' OR state = 'acked' OR state = 'conflict' OR state = 'rejected'
                        OR state = 'voided'),
    result       TEXT,
    acked_at     TEXT
);
INSERT INTO outbox_v9 SELECT seq, op_id, kind, entity_id, device_time, base, payload, state, result, acked_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v9 RENAME TO outbox;
CREATE INDEX outbox_by_state ON outbox (state, seq);
CREATE INDEX outbox_by_entity ON outbox (entity_id);
CREATE TRIGGER outbox_keep_pending BEFORE DELETE ON outbox
WHEN OLD.state = 'pending'
BEGIN
    SELECT RAISE(ABORT, 'a pending outbox op cannot be deleted');
END;

CREATE TABLE payments_v9 (
    sale_id  TEXT NOT NULL REFERENCES sales (id),
    line_no  INTEGER NOT NULL,
    method   TEXT NOT NULL CHECK (method = 'cash' OR method = 'card' OR method = 'transfer' OR method = 'cheque'
                                  OR method = 'exchange_credit'),
    amount   INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (sale_id, line_no)
);
INSERT INTO payments_v9 SELECT sale_id, line_no, method, amount FROM payments;
DROP TABLE payments;
ALTER TABLE payments_v9 RENAME TO payments;
