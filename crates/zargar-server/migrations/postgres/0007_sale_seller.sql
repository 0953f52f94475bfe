-- Who made each sale and each return, as its op named them ({"id", "name"}
-- as JSON; none for a shop its owner runs alone), and when a return was
-- made: the owner's report counts per day and person.
ALTER TABLE sales ADD COLUMN seller text;
ALTER TABLE returns ADD COLUMN seller text;
ALTER TABLE returns ADD COLUMN returned_at timestamptz;
UPDATE returns SET returned_at = (payload::jsonb ->> 'returned_at')::timestamptz;
CREATE INDEX returns_time ON returns (tenant_id, returned_at);
