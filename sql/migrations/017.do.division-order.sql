-- A client's own division order for its reports (`urutandivisi`): the divisions listed
-- come first, in this order; the rest follow in the default order (PIMPINAN, BAG, SAT,
-- SI, SPKT, POLSEK, then alphabetical). Empty: the default order alone.
ALTER TABLE clients ADD COLUMN division_order text[] NOT NULL DEFAULT '{}';
