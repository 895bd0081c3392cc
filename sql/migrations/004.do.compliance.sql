-- Compliance reports: who engaged with which official post, matched when the
-- engagement is written rather than at every read.
--
-- engagement_post holds each fetched post's likers/commenters reduced to normalised
-- handles; engagement_match holds one row per (post, member) that engaged. Triggers on
-- insta_like, tiktok_comment, insta_post, tiktok_post and "user" keep both exact
-- whoever writes those tables (collectors, imports, operators, plain SQL).

-- How strict a client's sudah/belum split is: 'half' = the legacy rule (at least
-- ceil(N/2) of the day's posts), 'all' = every post.
ALTER TABLE clients ADD COLUMN absensi_threshold text NOT NULL DEFAULT 'half'
  CONSTRAINT clients_absensi_threshold_check CHECK (absensi_threshold IN ('half', 'all'));

-- The comparable form of a handle, exactly as src/compliance/handle.ts computes it
-- (a test holds the two equal): trimmed, lower-case, no '@', no profile URL, and
-- valid for the platform, else NULL. Called through cicero_handle below.
CREATE FUNCTION cicero_handle_parse(raw text, platform text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  -- Exactly JavaScript's String.prototype.trim() set (a regex \s class depends on the build).
  ws constant text := '[' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || ' ' || chr(160) || chr(5760)
                      || chr(8192) || '-' || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287)
                      || chr(12288) || chr(65279) || ']';
  -- ASCII letters only: lower() of other letters depends on the locale (İ becomes i).
  t text := translate(regexp_replace(raw, '^' || ws || '+|' || ws || '+$', '', 'g'),
                      'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
  m text[];
  first text;
BEGIN
  IF t = '' OR t = '-' THEN
    RETURN NULL;
  END IF;
  -- Without a '/' there is no URL to parse.
  IF t !~ '/' THEN
    t := regexp_replace(t, '^@+', '');
  ELSE
    m := regexp_match(t, '^(?:https?://)?(?:[a-z]+\.)?(instagram\.com|tiktok\.com)/([^?#]*)');
    IF m IS NOT NULL THEN
      IF (m[1] = 'instagram.com') <> (platform = 'instagram') THEN
        RETURN NULL;
      END IF;
      first := coalesce((SELECT s FROM unnest(string_to_array(m[2], '/')) WITH ORDINALITY AS x (s, i)
                          WHERE s <> '' ORDER BY i LIMIT 1), '');
      IF platform = 'tiktok' THEN
        IF left(first, 1) <> '@' THEN
          RETURN NULL;
        END IF;
        t := substr(first, 2);
      ELSIF first IN ('p', 'reel', 'reels', 'tv', 'stories', 'explore', 'accounts', 'direct') THEN
        RETURN NULL;
      ELSE
        t := first;
      END IF;
    END IF;
    t := regexp_replace(regexp_replace(t, '^@+', ''), '/+$', '');
  END IF;
  IF platform = 'instagram' AND t ~ '^[a-z0-9._]{1,30}$' THEN
    RETURN t;
  ELSIF platform = 'tiktok' AND t ~ '^[a-z0-9._]{2,24}$' THEN
    RETURN t;
  END IF;
  RETURN NULL;
END
$$;

-- The common case, a stored username already in normal form, without the cost of
-- a PL/pgSQL call (a post can have tens of thousands of likers). Schema-qualified:
-- index maintenance runs with a search_path that holds only pg_catalog.
CREATE FUNCTION cicero_handle(raw text, platform text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN platform = 'instagram' AND raw ~ '^[a-z0-9._]{1,30}$' THEN raw
    WHEN platform = 'tiktok' AND raw ~ '^[a-z0-9._]{2,24}$' THEN raw
    ELSE public.cicero_handle_parse(raw, platform)
  END
$$;

-- The handle in one stored liker/commenter entry: a string, or an object with
-- username, unique_id, user.unique_id or user.username (the first one present).
-- One expression, no sub-select, not STRICT: PostgreSQL then inlines it per element.
CREATE FUNCTION cicero_entry_handle(entry jsonb, platform text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE jsonb_typeof(entry)
    WHEN 'string' THEN public.cicero_handle(entry #>> '{}', platform)
    WHEN 'object' THEN public.cicero_handle(
      CASE WHEN jsonb_typeof(coalesce(nullif(entry -> 'username', 'null'), nullif(entry -> 'unique_id', 'null'),
                                      nullif(entry #> '{user,unique_id}', 'null'), nullif(entry #> '{user,username}', 'null'))) = 'string'
           THEN coalesce(nullif(entry -> 'username', 'null'), nullif(entry -> 'unique_id', 'null'),
                         nullif(entry #> '{user,unique_id}', 'null'), nullif(entry #> '{user,username}', 'null')) #>> '{}' END,
      platform)
  END
$$;

-- The distinct handles in a stored array.
CREATE FUNCTION cicero_handles(entries jsonb, platform text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT h), '{}')
    FROM (SELECT public.cicero_entry_handle(e.entry, platform) AS h FROM jsonb_array_elements(entries) AS e (entry)) AS x
   WHERE h IS NOT NULL
$$;

-- Fetched posts and the handles that engaged with them.
CREATE TABLE engagement_post (
  platform text NOT NULL CHECK (platform IN ('instagram', 'tiktok')),
  post_id  text NOT NULL,
  handles  text[] NOT NULL,
  PRIMARY KEY (platform, post_id)
);
-- A member whose handle changes is matched against every post that holds it.
CREATE INDEX engagement_post_handles_idx ON engagement_post USING gin (handles);

-- One row per (post, member) that engaged with it.
CREATE TABLE engagement_match (
  platform text        NOT NULL CHECK (platform IN ('instagram', 'tiktok')),
  post_id  text        NOT NULL,
  user_id  varchar(32) NOT NULL REFERENCES "user" (user_id) ON UPDATE CASCADE ON DELETE CASCADE,
  PRIMARY KEY (platform, post_id, user_id)
);
CREATE INDEX engagement_match_user_idx ON engagement_match (user_id);

-- Members are found by client and normalised handle when likes arrive.
CREATE INDEX user_insta_handle_idx ON "user" (client_id, cicero_handle(insta, 'instagram'));
CREATE INDEX user_tiktok_handle_idx ON "user" (client_id, cicero_handle(tiktok, 'tiktok'));

-- The client a post belongs to.
CREATE FUNCTION cicero_post_client(platform text, post text) RETURNS varchar
LANGUAGE sql STABLE AS $$
  SELECT CASE platform
    WHEN 'instagram' THEN (SELECT client_id FROM insta_post WHERE shortcode = post)
    ELSE (SELECT client_id FROM tiktok_post WHERE video_id = post)
  END
$$;

-- Serialises matching per client. A likes write and a handle change in two concurrent
-- transactions would otherwise each miss the other's uncommitted row and leave a match
-- out; behind this lock the later one reads (in a fresh snapshot) what the earlier one wrote.
CREATE FUNCTION cicero_lock_client(owner varchar) RETURNS void
LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtext('cicero.engagement'), hashtext(owner))
$$;

-- Recomputes one post's matches from its stored handles.
CREATE FUNCTION cicero_match_post(plat text, post text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  owner varchar := cicero_post_client(plat, post);
  hs text[];
  engaged varchar[];
BEGIN
  IF owner IS NOT NULL THEN
    PERFORM cicero_lock_client(owner);
  END IF;
  hs := (SELECT handles FROM engagement_post WHERE platform = plat AND post_id = post);
  IF hs IS NULL OR owner IS NULL THEN
    DELETE FROM engagement_match WHERE platform = plat AND post_id = post;
    RETURN;
  END IF;
  IF plat = 'instagram' THEN
    engaged := ARRAY(SELECT DISTINCT u.user_id FROM unnest(hs) AS h (handle)
                       JOIN "user" u ON u.client_id = owner AND cicero_handle(u.insta, 'instagram') = h.handle);
  ELSE
    engaged := ARRAY(SELECT DISTINCT u.user_id FROM unnest(hs) AS h (handle)
                       JOIN "user" u ON u.client_id = owner AND cicero_handle(u.tiktok, 'tiktok') = h.handle);
  END IF;
  -- Only the difference is written: a refresh adds a few likers to thousands.
  DELETE FROM engagement_match
   WHERE platform = plat AND post_id = post AND user_id NOT IN (SELECT unnest(engaged));
  INSERT INTO engagement_match (platform, post_id, user_id)
  SELECT plat, post, unnest(engaged)
  ON CONFLICT DO NOTHING;
END
$$;

-- Stores a post's engagement (NULL = no longer fetched) and rematches it.
CREATE FUNCTION cicero_engagement_store(plat text, post text, entries jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF entries IS NULL THEN
    DELETE FROM engagement_post WHERE platform = plat AND post_id = post;
  ELSE
    INSERT INTO engagement_post (platform, post_id, handles)
    VALUES (plat, post, cicero_handles(entries, plat))
    ON CONFLICT (platform, post_id) DO UPDATE SET handles = EXCLUDED.handles;
  END IF;
  PERFORM cicero_match_post(plat, post);
END
$$;

-- TG_ARGV: platform, the post id column, the engagement array column.
CREATE FUNCTION cicero_engagement_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  old_id text := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) ->> TG_ARGV[1] END;
  new_id text := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) ->> TG_ARGV[1] END;
BEGIN
  IF old_id IS DISTINCT FROM new_id AND old_id IS NOT NULL THEN
    PERFORM cicero_engagement_store(TG_ARGV[0], old_id, NULL);
  END IF;
  IF new_id IS NOT NULL THEN
    PERFORM cicero_engagement_store(TG_ARGV[0], new_id, to_jsonb(NEW) -> TG_ARGV[2]);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER insta_like_engagement_sync AFTER INSERT OR DELETE OR UPDATE OF shortcode, likes ON insta_like
  FOR EACH ROW EXECUTE FUNCTION cicero_engagement_sync('instagram', 'shortcode', 'likes');
CREATE TRIGGER tiktok_comment_engagement_sync AFTER INSERT OR DELETE OR UPDATE OF video_id, comments ON tiktok_comment
  FOR EACH ROW EXECUTE FUNCTION cicero_engagement_sync('tiktok', 'video_id', 'comments');

-- TRUNCATE fires no row triggers.
CREATE FUNCTION cicero_engagement_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM engagement_match WHERE platform = TG_ARGV[0];
  DELETE FROM engagement_post WHERE platform = TG_ARGV[0];
  RETURN NULL;
END
$$;
CREATE TRIGGER insta_like_engagement_truncate AFTER TRUNCATE ON insta_like
  FOR EACH STATEMENT EXECUTE FUNCTION cicero_engagement_truncate('instagram');
CREATE TRIGGER tiktok_comment_engagement_truncate AFTER TRUNCATE ON tiktok_comment
  FOR EACH STATEMENT EXECUTE FUNCTION cicero_engagement_truncate('tiktok');

-- A post moved to another client is rematched. TG_ARGV: platform, the post id column.
CREATE FUNCTION cicero_post_client_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.client_id IS DISTINCT FROM OLD.client_id THEN
    PERFORM cicero_lock_client(c) FROM unnest(ARRAY[OLD.client_id, NEW.client_id]) AS c WHERE c IS NOT NULL ORDER BY c;
    PERFORM cicero_match_post(TG_ARGV[0], to_jsonb(NEW) ->> TG_ARGV[1]);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER insta_post_engagement_sync AFTER UPDATE OF client_id ON insta_post
  FOR EACH ROW EXECUTE FUNCTION cicero_post_client_sync('instagram', 'shortcode');
CREATE TRIGGER tiktok_post_engagement_sync AFTER UPDATE OF client_id ON tiktok_post
  FOR EACH ROW EXECUTE FUNCTION cicero_post_client_sync('tiktok', 'video_id');

-- Rematches one member on one platform: every post of their client holding their handle.
CREATE FUNCTION cicero_match_member(plat text, member varchar, owner varchar, raw_handle text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  h text := cicero_handle(raw_handle, plat);
BEGIN
  IF owner IS NOT NULL THEN
    PERFORM cicero_lock_client(owner);
  END IF;
  DELETE FROM engagement_match WHERE platform = plat AND user_id = member;
  IF h IS NULL OR owner IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO engagement_match (platform, post_id, user_id)
  SELECT plat, e.post_id, member
    FROM engagement_post e
   WHERE e.platform = plat AND e.handles @> ARRAY[h] AND cicero_post_client(plat, e.post_id) = owner;
END
$$;

-- A member whose handle or client changes is rematched.
CREATE FUNCTION cicero_user_engagement_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.client_id IS DISTINCT FROM OLD.client_id THEN
    -- The old client's posts are being written too; both locks, in one order.
    PERFORM cicero_lock_client(c) FROM unnest(ARRAY[OLD.client_id, NEW.client_id]) AS c WHERE c IS NOT NULL ORDER BY c;
  END IF;
  IF TG_OP = 'INSERT' OR NEW.insta IS DISTINCT FROM OLD.insta OR NEW.client_id IS DISTINCT FROM OLD.client_id THEN
    PERFORM cicero_match_member('instagram', NEW.user_id, NEW.client_id, NEW.insta);
  END IF;
  IF TG_OP = 'INSERT' OR NEW.tiktok IS DISTINCT FROM OLD.tiktok OR NEW.client_id IS DISTINCT FROM OLD.client_id THEN
    PERFORM cicero_match_member('tiktok', NEW.user_id, NEW.client_id, NEW.tiktok);
  END IF;
  RETURN NULL;
END
$$;
-- Named so it fires after the foreign-key cascade that renames a member's matches.
CREATE TRIGGER user_engagement_sync AFTER INSERT OR UPDATE OF insta, tiktok, client_id ON "user"
  FOR EACH ROW EXECUTE FUNCTION cicero_user_engagement_sync();

-- The report says when engagement data was last updated: keep updated_at honest
-- when a writer changes the likes/comments without touching it.
CREATE FUNCTION cicero_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
CREATE TRIGGER insta_like_touch BEFORE UPDATE ON insta_like
  FOR EACH ROW WHEN (NEW.likes IS DISTINCT FROM OLD.likes AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at)
  EXECUTE FUNCTION cicero_touch_updated_at();
CREATE TRIGGER tiktok_comment_touch BEFORE UPDATE ON tiktok_comment
  FOR EACH ROW WHEN (NEW.comments IS DISTINCT FROM OLD.comments AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at)
  EXECUTE FUNCTION cicero_touch_updated_at();
