-- Version 3: what the till needs to sync with its shop's server.

-- The link to the shop's server, set by enrolment. The device token is the
-- till's password to the server and must be presented, so it is kept here
-- (the file is readable by its user only); the server keeps only its hash.
CREATE TABLE sync_link (
    singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
    server_url    TEXT NOT NULL,
    device_token  TEXT NOT NULL,
    tenant_id     TEXT NOT NULL,
    tenant_name   TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('till', 'owner')),
    enrolled_at   TEXT NOT NULL,
    -- The opaque pull position; NULL means "from the beginning".
    pull_cursor   TEXT,
    acked_seq     INTEGER NOT NULL DEFAULT 0,
    last_success  TEXT,
    last_error    TEXT,           -- JSON {code, detail, at}, cleared by a success
    -- Set when the server refused this till for good (401/403/426): the
    -- engine stops until someone acts.
    stopped       TEXT
);

-- The outbox learns two more end states: `rejected` (the server refused the
-- op as malformed or obsolete) and `voided` (a conflicted sale cancelled by
-- the owner). SQLite cannot alter a CHECK, so the table is rebuilt.
CREATE TABLE outbox_v3 (
    seq          INTEGER PRIMARY KEY,
    op_id        TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    device_time  TEXT NOT NULL,
    base         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'acked', 'conflict', 'rejected', 'voided')),
    result       TEXT,
    acked_at     TEXT
);
INSERT INTO outbox_v3 SELECT seq, op_id, kind, entity_id, device_time, base, payload, state, result, acked_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v3 RENAME TO outbox;
CREATE INDEX outbox_by_state ON outbox (state, seq);
CREATE INDEX outbox_by_entity ON outbox (entity_id);
CREATE TRIGGER outbox_keep_pending BEFORE DELETE ON outbox
WHEN OLD.state = 'pending'
BEGIN
    SELECT RAISE(ABORT, 'a pending outbox op cannot be deleted');
END;

-- Conflicts of the whole shop, as the server reported them: this till's own
-- (from push results, with its op in the outbox) and other tills' (from
-- pull), so the owner can settle any of them at any till.
CREATE TABLE conflicts (
    op_id         TEXT PRIMARY KEY,      -- the op in conflict
    conflict_id   TEXT,                  -- the server's id, once pulled
    device_id     TEXT NOT NULL,
    device_name   TEXT,
    op_kind       TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    conflict      TEXT NOT NULL,         -- JSON: kind, message key, server state, options
    open          INTEGER NOT NULL CHECK (open IN (0, 1)),
    created_at    TEXT NOT NULL,
    resolution    TEXT,                  -- JSON: what was decided, by whom, when, why
    -- A resolution decided here and not yet answered by the server.
    pending_resolution_op TEXT,
    -- The server's last refusal of a resolution from this till, if any.
    last_refusal  TEXT
);
CREATE INDEX conflicts_open ON conflicts (open, created_at);

-- Pulled changes held back because the row has an unacknowledged local op;
-- applied once that op is answered. The latest version of each row wins.
CREATE TABLE pull_deferred (
    entity   TEXT NOT NULL,
    id       TEXT NOT NULL,
    version  INTEGER NOT NULL,
    data     TEXT NOT NULL,
    PRIMARY KEY (entity, id)
);

-- The server's version of each row, so an older pulled change never
-- overwrites a newer one.
ALTER TABLE items ADD COLUMN server_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN server_version INTEGER NOT NULL DEFAULT 0;
