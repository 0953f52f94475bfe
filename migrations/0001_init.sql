-- The till's store, version 1.
-- Amounts are whole Rials (INTEGER); weights are milligrams (INTEGER);
-- purities and rates are decimal strings (TEXT); instants are RFC 3339 UTC.

CREATE TABLE device (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    device_id   TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- Gapless per-till counters: outbox seq, invoice and return numbers, journal
-- index. Each is bumped inside the transaction that uses it, so a rolled-back
-- sale leaves no hole.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL CHECK (value >= 0)
);
INSERT INTO counters (name, value) VALUES ('outbox_seq', 0), ('invoice_no', 0), ('return_no', 0), ('journal', 0);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE vat_rates (
    effective_from TEXT PRIMARY KEY,   -- a Tehran calendar day, YYYY-MM-DD
    percent        TEXT NOT NULL
);
INSERT INTO vat_rates (effective_from, percent) VALUES ('2020-03-20', '9'), ('2024-03-20', '10');

CREATE TABLE gold_prices (
    id            TEXT PRIMARY KEY,
    per_gram_18k  INTEGER NOT NULL CHECK (per_gram_18k > 0),
    mazaneh       INTEGER CHECK (mazaneh IS NULL OR mazaneh > 0),
    set_at        TEXT NOT NULL,
    origin        TEXT NOT NULL CHECK (origin IN ('till', 'server'))
);
CREATE INDEX gold_prices_by_time ON gold_prices (set_at, id);

CREATE TABLE customers (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    mobile       TEXT UNIQUE,
    national_id  TEXT UNIQUE,
    search_key   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE items (
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
    status      TEXT NOT NULL CHECK (status IN ('in_stock', 'sold_pending', 'sold', 'reserved', 'repair', 'returned')),
    version     INTEGER NOT NULL DEFAULT 1,
    search_key  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX items_by_status ON items (status);

CREATE TABLE sales (
    id             TEXT PRIMARY KEY,
    invoice_no     INTEGER NOT NULL UNIQUE,
    sold_at        TEXT NOT NULL,
    customer_id    TEXT REFERENCES customers (id),
    gold_price_id  TEXT NOT NULL REFERENCES gold_prices (id),
    per_gram_18k   INTEGER NOT NULL,
    vat_percent    TEXT NOT NULL,
    gold           INTEGER NOT NULL,
    wage           INTEGER NOT NULL,
    profit         INTEGER NOT NULL,
    vat            INTEGER NOT NULL,
    stones         INTEGER NOT NULL,
    total          INTEGER NOT NULL,
    trade_in       INTEGER NOT NULL,
    due            INTEGER NOT NULL,
    paid           INTEGER NOT NULL,
    change_given   INTEGER NOT NULL,
    op_id          TEXT NOT NULL UNIQUE,
    journal_index  INTEGER NOT NULL UNIQUE
);
CREATE INDEX sales_by_time ON sales (sold_at);

CREATE TABLE sale_lines (
    sale_id         TEXT NOT NULL REFERENCES sales (id),
    line_no         INTEGER NOT NULL,
    item_id         TEXT NOT NULL REFERENCES items (id),
    tag             TEXT NOT NULL,
    name            TEXT NOT NULL,
    weight_mg       INTEGER NOT NULL,
    purity          TEXT NOT NULL,
    wage_kind       TEXT NOT NULL,
    wage_value      TEXT NOT NULL,
    profit_percent  TEXT NOT NULL,
    gold            INTEGER NOT NULL,
    wage            INTEGER NOT NULL,
    profit          INTEGER NOT NULL,
    vat             INTEGER NOT NULL,
    stones          INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    returned        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (sale_id, line_no)
);
CREATE INDEX sale_lines_by_item ON sale_lines (item_id);

CREATE TABLE payments (
    sale_id  TEXT NOT NULL REFERENCES sales (id),
    line_no  INTEGER NOT NULL,
    method   TEXT NOT NULL CHECK (method IN ('cash', 'card', 'transfer', 'cheque')),
    amount   INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (sale_id, line_no)
);

CREATE TABLE trade_ins (
    sale_id            TEXT NOT NULL REFERENCES sales (id),
    line_no            INTEGER NOT NULL,
    weight_mg          INTEGER NOT NULL CHECK (weight_mg > 0),
    purity             TEXT NOT NULL,
    deduction_percent  TEXT NOT NULL,
    buy_price_18k      INTEGER NOT NULL,
    value              INTEGER NOT NULL,
    PRIMARY KEY (sale_id, line_no)
);

CREATE TABLE returns (
    id             TEXT PRIMARY KEY,
    return_no      INTEGER NOT NULL UNIQUE,
    sale_id        TEXT NOT NULL REFERENCES sales (id),
    returned_at    TEXT NOT NULL,
    refund         INTEGER NOT NULL,
    refund_method  TEXT NOT NULL,
    reason         TEXT,
    op_id          TEXT NOT NULL UNIQUE,
    journal_index  INTEGER NOT NULL UNIQUE
);

CREATE TABLE return_lines (
    return_id  TEXT NOT NULL REFERENCES returns (id),
    sale_id    TEXT NOT NULL,
    line_no    INTEGER NOT NULL,
    PRIMARY KEY (return_id, line_no),
    FOREIGN KEY (sale_id, line_no) REFERENCES sale_lines (sale_id, line_no)
);

-- Every op to be pushed, in seq order. `state` moves pending → acked or
-- conflict when the server answers.
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY,
    op_id        TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    device_time  TEXT NOT NULL,
    base         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked', 'conflict')),
    result       TEXT,
    acked_at     TEXT
);
CREATE INDEX outbox_by_state ON outbox (state, seq);

CREATE TABLE journal (
    idx           INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    content       TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
