-- Whose gold price: the shop's (set by the owner, here or on the server; sent
-- to every till and judged against) or this till's own; and who set it.
ALTER TABLE gold_prices ADD COLUMN scope TEXT NOT NULL DEFAULT 'till' CHECK (scope IN ('shop', 'till'));
ALTER TABLE gold_prices ADD COLUMN set_by TEXT;
UPDATE gold_prices SET scope = 'shop' WHERE origin = 'server';
