-- Compliance reports keep a client's member list in the process between reports
-- (src/compliance/roster.ts) and ask here whether it changed: one row per client whose
-- `version` moves, in the writer's own transaction, with every write to "user" that a
-- report could see (any statement, from any process or tool). A version is a random
-- UUID: never used twice, not for a client whose row was removed, nor in another
-- database (a process that keeps lists for two databases cannot mistake one for the other).
CREATE TABLE roster_version (
  client_id varchar(64) PRIMARY KEY,
  version   uuid        NOT NULL
);

INSERT INTO roster_version (client_id, version)
SELECT client_id, gen_random_uuid() FROM (SELECT DISTINCT client_id FROM "user" WHERE client_id IS NOT NULL) c;

CREATE FUNCTION cicero_roster_touch(owner varchar) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO roster_version (client_id, version) VALUES (owner, gen_random_uuid())
  ON CONFLICT (client_id) DO UPDATE SET version = EXCLUDED.version
$$;

CREATE FUNCTION cicero_user_roster_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Both clients of a member moved between them, in one order (two writers never wait on each other crosswise).
  IF TG_OP = 'UPDATE' AND NEW.client_id IS DISTINCT FROM OLD.client_id THEN
    PERFORM cicero_roster_touch(c) FROM unnest(ARRAY[OLD.client_id, NEW.client_id]) AS c WHERE c IS NOT NULL ORDER BY c;
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.client_id IS NOT NULL THEN PERFORM cicero_roster_touch(OLD.client_id); END IF;
  ELSIF NEW.client_id IS NOT NULL THEN
    PERFORM cicero_roster_touch(NEW.client_id);
  END IF;
  RETURN NULL;
END
$$;

-- An update counts when it changes a column some report reads (roster.ts reads these,
-- and nothing else, of "user"); binding a WhatsApp number, say, does not.
CREATE TRIGGER user_roster_sync AFTER INSERT OR DELETE ON "user"
  FOR EACH ROW EXECUTE FUNCTION cicero_user_roster_sync();
CREATE TRIGGER user_roster_update AFTER UPDATE ON "user"
  FOR EACH ROW
  WHEN ((OLD.user_id, OLD.client_id, OLD.status, OLD.nama, OLD.title, OLD.divisi, OLD.jabatan, OLD.exception, OLD.insta, OLD.tiktok)
        IS DISTINCT FROM
        (NEW.user_id, NEW.client_id, NEW.status, NEW.nama, NEW.title, NEW.divisi, NEW.jabatan, NEW.exception, NEW.insta, NEW.tiktok))
  EXECUTE FUNCTION cicero_user_roster_sync();

-- TRUNCATE fires no row triggers: every client's list is then stale.
CREATE FUNCTION cicero_user_roster_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE roster_version SET version = gen_random_uuid();
  RETURN NULL;
END
$$;
CREATE TRIGGER user_roster_truncate AFTER TRUNCATE ON "user"
  FOR EACH STATEMENT EXECUTE FUNCTION cicero_user_roster_truncate();
