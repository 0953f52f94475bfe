-- Legal invoices: where each of the shop's Moadian invoices stands, as the
-- server tells (its tax id is printed on the sale's invoice once the tax
-- organisation accepted it; the owner sees the rejected ones).
-- A buyer's ids beside the national id, for the buyer's block.
ALTER TABLE customers ADD COLUMN economic_code TEXT;
ALTER TABLE customers ADD COLUMN postal_code TEXT;

CREATE TABLE tax_invoices (
    id        TEXT PRIMARY KEY,
    sale_id   TEXT NOT NULL,
    subject   TEXT NOT NULL,
    serial    INTEGER NOT NULL,
    status    TEXT NOT NULL,
    data      TEXT NOT NULL      -- zargar_wire::TaxInvoiceState as JSON
);
CREATE INDEX tax_invoices_sale ON tax_invoices (sale_id, serial);
