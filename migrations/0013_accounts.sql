-- Customers' accounts. Every movement of Rials and of gold (whole
-- milligrams of 750) of a registered customer, made at this till (its own
-- op, or the part of a sale paid on account) or pulled from the server.
-- A balance is the sum of the movements that count: pending here, applied
-- or accepted by the server. The server's status wins when it is pulled.
ALTER TABLE customers ADD COLUMN credit_limit INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit >= 0);

CREATE TABLE account_moves (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind = 'sale' OR kind = 'refund' OR kind = 'payment' OR kind = 'payout'
                                      OR kind = 'gold_in' OR kind = 'gold_out' OR kind = 'convert'),
    rial         INTEGER NOT NULL,
    gold_mg      INTEGER NOT NULL,
    moved_at     TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state = 'pending' OR state = 'applied' OR state = 'conflict'
                                      OR state = 'accepted' OR state = 'voided'),
    op_id        TEXT,            -- the op that carries it, when made here
    device_name  TEXT,            -- the till that made it, when pulled
    by           TEXT,            -- {"id", "name"} as JSON
    method       TEXT,            -- a payment's or payout's
    weight       TEXT,            -- gold in or out: grams and per mille, as weighed
    purity       TEXT,
    per_gram_18k INTEGER,         -- a conversion's price
    invoice_no   INTEGER,         -- a sale's or return's part: its number at its till
    plan_id      TEXT,            -- the installment plan it finances or pays
    layaway_id   TEXT,            -- the layaway a deposit is for
    note         TEXT
);
CREATE INDEX account_moves_plan ON account_moves (plan_id) WHERE plan_id IS NOT NULL;

-- Installment plans: a sale's part on account split into dated payments, in
-- Rials or in milligrams of 750 (`total`, `installments` as JSON).
CREATE TABLE installment_plans (
    id            TEXT PRIMARY KEY,
    customer_id   TEXT NOT NULL,
    sale_id       TEXT NOT NULL,
    invoice_no    INTEGER NOT NULL,
    unit          TEXT NOT NULL CHECK (unit = 'rial' OR unit = 'gold'),
    total         INTEGER NOT NULL CHECK (total > 0),
    per_gram_18k  INTEGER,
    installments  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    device_name   TEXT             -- the till that made it, when pulled
);
CREATE INDEX installment_plans_customer ON installment_plans (customer_id);

-- Pieces put aside for a customer against a deposit.
CREATE TABLE layaways (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL,
    item_ids     TEXT NOT NULL,    -- JSON array
    tags         TEXT NOT NULL,    -- JSON array
    created_at   TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state = 'open' OR state = 'cancelled' OR state = 'completed'),
    sale_id      TEXT,
    device_name  TEXT
);
CREATE INDEX layaways_customer ON layaways (customer_id);
CREATE INDEX layaways_sale ON layaways (sale_id) WHERE sale_id IS NOT NULL;
CREATE INDEX account_moves_customer ON account_moves (customer_id, moved_at, id);
CREATE INDEX account_moves_op ON account_moves (op_id) WHERE op_id IS NOT NULL;

-- A sale may leave part of what is due on the customer's account.
CREATE TABLE payments_v13 (
    sale_id  TEXT NOT NULL REFERENCES sales (id),
    line_no  INTEGER NOT NULL,
    method   TEXT NOT NULL CHECK (method = 'cash' OR method = 'card' OR method = 'transfer' OR method = 'cheque'
                                  OR method = 'exchange_credit' OR method = 'account'),
    amount   INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (sale_id, line_no)
);
INSERT INTO payments_v13 SELECT sale_id, line_no, method, amount FROM payments;
DROP TABLE payments;
ALTER TABLE payments_v13 RENAME TO payments;

-- A piece bought on account and brought back pays off the account first.
CREATE TABLE return_refunds_v13 (
    return_id  TEXT NOT NULL REFERENCES returns (id),
    line_no    INTEGER NOT NULL,
    method     TEXT NOT NULL CHECK (method = 'cash' OR method = 'card' OR method = 'transfer' OR method = 'cheque'
                                    OR method = 'exchange_credit' OR method = 'account'),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (return_id, line_no)
);
INSERT INTO return_refunds_v13 SELECT return_id, line_no, method, amount FROM return_refunds;
DROP TABLE return_refunds;
ALTER TABLE return_refunds_v13 RENAME TO return_refunds;
