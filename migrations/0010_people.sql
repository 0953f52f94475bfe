-- The shop's people as the server keeps them (pulled), or as set up at this
-- till and not yet sent. A PIN is kept only as its argon2id hash; every
-- till has them all, so a person signs in at any till, online or not.
CREATE TABLE people (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role = 'owner' OR role = 'manager' OR role = 'cashier'),
    pin_hash        TEXT NOT NULL,
    active          INTEGER NOT NULL CHECK (active = 0 OR active = 1),
    discount_limit  TEXT NOT NULL DEFAULT '0',
    server_version  INTEGER NOT NULL DEFAULT 0,
    updated_at      TEXT NOT NULL
);

-- Who recorded each op, when the shop has people: {"id", "name"} as JSON.
ALTER TABLE outbox ADD COLUMN by TEXT;
