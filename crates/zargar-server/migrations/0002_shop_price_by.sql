-- A gold price the owner set at a till is the shop's price (origin 'server',
-- which every sale is judged against); it records who set it and at which till.
-- A price a till set for itself stays origin 'till' and is not sent to others.
ALTER TABLE gold_prices ADD COLUMN set_by TEXT;
ALTER TABLE gold_prices ADD COLUMN device_id TEXT;
