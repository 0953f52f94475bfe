-- Who made each sale and each return, as its op named them ({"id", "name"}
-- as JSON; none for a shop its owner runs alone), and when a return was
-- made: the owner's report counts per day and person. A return recorded
-- before this version counts on the day the server received it.
ALTER TABLE sales ADD COLUMN seller TEXT;
ALTER TABLE returns ADD COLUMN seller TEXT;
ALTER TABLE returns ADD COLUMN returned_at TEXT;
UPDATE returns SET returned_at = received_at;
CREATE INDEX returns_time ON returns (tenant_id, returned_at);
