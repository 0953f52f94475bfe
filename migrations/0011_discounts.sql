-- What a discount took off each line's making charge and profit (Rials; the
-- line's wage and profit are what is left), and the manager or owner whose
-- PIN let a cashier's discount past their limit ({"id", "name"} as JSON).
ALTER TABLE sale_lines ADD COLUMN wage_discount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sale_lines ADD COLUMN profit_discount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sales ADD COLUMN discount_approved_by TEXT;
