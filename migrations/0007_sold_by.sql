-- A piece sold at another till keeps that till's name, so a scan here says
-- where it went ("sold at صندوق ۲").
ALTER TABLE items ADD COLUMN sold_by TEXT;
