-- A sale past one of the shop's offline limits keeps the owner's approval
-- (who, which limit) as JSON: it goes to the server with the sale, and a
-- resubmitted edit keeps it.
ALTER TABLE sales ADD COLUMN approval TEXT;
