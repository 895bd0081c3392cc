-- Compliance reports keep a client's member list in the process between reports
-- (src/compliance/roster.ts) and ask here whether it changed: one row per client whose
-- `version` moves, in the writer's own transaction, with every write to "user" that a
-- report could see (any statement, from any process or tool, while the triggers are on:
-- session_replication_role = replica or DISABLE TRIGGER skip them, as they skip matching). A version is a random
-- UUID: never used twice, not for a client whose row was removed, nor in another
-- database (a process that keeps lists for two databases cannot mistake one for the other).
CREATE TABLE roster_version (
  client_id varchar(64) PRIMARY KEY,
  version   uuid        NOT NULL
);

INSERT INTO roster_version (client_id, version)
SELECT client_id, gen_random_uuid() FROM (SELECT DISTINCT client_id FROM "user" WHERE client_id IS NOT NULL) c;

-- Replaces the versions of `owners` (once each, in one order). The client's matching lock
-- first, as user_engagement_sync takes it: a writer holding a version row never waits for
-- that lock while another holds it and waits for the row.
CREATE FUNCTION cicero_roster_touch(owners varchar[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  owner varchar;
BEGIN
  FOR owner IN SELECT DISTINCT o FROM unnest(owners) AS o WHERE o IS NOT NULL ORDER BY o LOOP
    PERFORM cicero_lock_client(owner);
    INSERT INTO roster_version (client_id, version) VALUES (owner, gen_random_uuid())
    ON CONFLICT (client_id) DO UPDATE SET version = EXCLUDED.version;
  END LOOP;
END
$$;

-- Once per statement, not per row: a 10,000-member import writes each client's row once,
-- not 10,000 times over (each update of one row in one transaction leaves a version behind
-- that the next must step over).
CREATE FUNCTION cicero_user_roster_written() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cicero_roster_touch(ARRAY(SELECT client_id FROM written));
  RETURN NULL;
END
$$;
CREATE TRIGGER user_roster_insert AFTER INSERT ON "user"
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION cicero_user_roster_written();
CREATE TRIGGER user_roster_delete AFTER DELETE ON "user"
  REFERENCING OLD TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION cicero_user_roster_written();

-- An update counts for the clients of the rows whose columns read by the reports changed
-- (roster.ts reads these, and nothing else, of "user"), before or after: a member moved
-- between clients changes both; binding a WhatsApp number changes none.
CREATE FUNCTION cicero_user_roster_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cicero_roster_touch(ARRAY(
    SELECT client_id FROM (
      (SELECT user_id, client_id, status, nama, title, divisi, jabatan, exception, insta, tiktok FROM after_rows
       EXCEPT ALL
       SELECT user_id, client_id, status, nama, title, divisi, jabatan, exception, insta, tiktok FROM before_rows)
      UNION ALL
      (SELECT user_id, client_id, status, nama, title, divisi, jabatan, exception, insta, tiktok FROM before_rows
       EXCEPT ALL
       SELECT user_id, client_id, status, nama, title, divisi, jabatan, exception, insta, tiktok FROM after_rows)
    ) AS changed));
  RETURN NULL;
END
$$;
CREATE TRIGGER user_roster_update AFTER UPDATE ON "user"
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cicero_user_roster_updated();

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
