-- Returns refund by method, and exchanges: a return whose value goes to a
-- new sale of the same transaction, paid there as 'exchange_credit'.

-- How each return was refunded, by method; sums to returns.refund.
CREATE TABLE return_refunds (
    return_id  TEXT NOT NULL REFERENCES returns (id),
    line_no    INTEGER NOT NULL,
    method     TEXT NOT NULL CHECK (method IN ('cash', 'card', 'transfer', 'cheque', 'exchange_credit')),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (return_id, line_no)
);
INSERT INTO return_refunds (return_id, line_no, method, amount)
    SELECT id, 1, refund_method, refund FROM returns WHERE refund > 0;

ALTER TABLE returns ADD COLUMN exchange_sale_id TEXT REFERENCES sales (id);
CREATE INDEX returns_by_time ON returns (returned_at);
CREATE INDEX returns_by_sale ON returns (sale_id);

-- A sale of an exchange is paid in part by the returned pieces' value.
-- SQLite cannot alter a CHECK, so the table is rebuilt (nothing refers to it).
CREATE TABLE payments_new (
    sale_id  TEXT NOT NULL REFERENCES sales (id),
    line_no  INTEGER NOT NULL,
    method   TEXT NOT NULL CHECK (method IN ('cash', 'card', 'transfer', 'cheque', 'exchange_credit')),
    amount   INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (sale_id, line_no)
);
INSERT INTO payments_new SELECT sale_id, line_no, method, amount FROM payments;
DROP TABLE payments;
ALTER TABLE payments_new RENAME TO payments;
