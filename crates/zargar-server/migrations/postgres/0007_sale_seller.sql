-- Who made each sale, as its op named them ({"id", "name"} as JSON; none
-- for a shop its owner runs alone): the owner's report counts per person.
ALTER TABLE sales ADD COLUMN seller text;
