-- Shifts at this till: opened with a counted float (or by a sale, with
-- none counted), cash moved in and out with a reason, closed with the cash
-- counted by note and a Z report whose number is gapless. One shift is
-- open at a time; every sale and return belongs to the shift it was made in.
CREATE TABLE shifts (
    id             TEXT PRIMARY KEY,
    opened_at      TEXT NOT NULL,
    opened_by      TEXT,            -- {"id", "name"} as JSON
    float          INTEGER,         -- Rials counted at opening; NULL: not counted
    closed_at      TEXT,
    closed_by      TEXT,
    z_no           INTEGER UNIQUE,
    z              TEXT,            -- the Z report as JSON, as in the journal
    journal_index  INTEGER UNIQUE,
    CHECK ((closed_at IS NULL) = (z_no IS NULL) AND (z_no IS NULL) = (z IS NULL))
);
CREATE UNIQUE INDEX shifts_one_open ON shifts ((closed_at IS NULL)) WHERE closed_at IS NULL;

CREATE TABLE cash_moves (
    id        TEXT PRIMARY KEY,
    shift_id  TEXT NOT NULL REFERENCES shifts (id),
    at        TEXT NOT NULL,
    amount    INTEGER NOT NULL CHECK (amount <> 0),  -- in above zero, out below
    reason    TEXT NOT NULL,
    by        TEXT
);

ALTER TABLE sales ADD COLUMN shift_id TEXT REFERENCES shifts (id);
ALTER TABLE returns ADD COLUMN shift_id TEXT REFERENCES shifts (id);
CREATE INDEX sales_shift ON sales (shift_id);
CREATE INDEX returns_shift ON returns (shift_id);

INSERT INTO counters (name, value) VALUES ('z_no', 0);

-- A closed shift is history, as the journal is.
CREATE TRIGGER shifts_closed_stay BEFORE UPDATE ON shifts WHEN OLD.closed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed shift is not changed'); END;
CREATE TRIGGER shifts_never_deleted BEFORE DELETE ON shifts
BEGIN SELECT RAISE(ABORT, 'a shift is not deleted'); END;
