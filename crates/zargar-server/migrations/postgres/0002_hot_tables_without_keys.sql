-- The tables a push appends to lose their foreign keys. Each key was a
-- trigger run per inserted row (three per sale: its device, its result's
-- device, its lines' sale), a fifth of the database's work on a push, and
-- it locked the row it pointed at. What they guarded still holds without
-- them: a sale, its lines and its result are written by one push, in one
-- transaction, for the device whose row that push holds locked, and the
-- row-level security keeps each to its shop. Devices are revoked, never
-- deleted, and a sale is deleted only together with its lines.
ALTER TABLE op_results DROP CONSTRAINT op_results_device_id_fkey;
ALTER TABLE sales DROP CONSTRAINT sales_device_id_fkey;
ALTER TABLE sale_lines DROP CONSTRAINT sale_lines_tenant_id_sale_id_fkey;
