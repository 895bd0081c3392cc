-- Storing what the RapidAPI fetch brings (issue 13): posts that disappear from an
-- account, likers/commenters merged run after run, and the write-time matching of
-- 004 made cheap for a refresh that adds a few handles to tens of thousands.

-- A post no longer in a complete listing of its account's day is kept, with its
-- likes and link reports, but left out of reports. NULL = present; the time is when
-- a complete listing first missed it. A later listing holding it clears it again.
ALTER TABLE insta_post ADD COLUMN removed_at timestamptz;
ALTER TABLE tiktok_post ADD COLUMN removed_at timestamptz;

-- updated_at is now the time of the last COMPLETE fetch of the post's likers or
-- commenters; NULL = only ever fetched partly (the stored handles are real, but not
-- all of them: reports count the post with them and mark it incomplete). The default stays
-- for other writers (imports, plain SQL), whose rows count as complete. No trigger
-- moves it any more: a partial fetch that adds handles must leave it alone.
DROP TRIGGER insta_like_touch ON insta_like;
DROP TRIGGER tiktok_comment_touch ON tiktok_comment;
DROP FUNCTION cicero_touch_updated_at();
ALTER TABLE insta_like ALTER COLUMN updated_at DROP NOT NULL;
ALTER TABLE tiktok_comment ALTER COLUMN updated_at DROP NOT NULL;

-- A post's handles in chunks: a full write (any writer) replaces them with one chunk,
-- a merge (cicero_engagement_merge) appends one chunk of only the new handles, so the
-- GIN index takes a few hundred keys per refresh instead of the whole array again.
-- Chunks of a post never share a handle.
ALTER TABLE engagement_post ADD COLUMN chunk integer NOT NULL DEFAULT 0;
ALTER TABLE engagement_post ALTER COLUMN chunk DROP DEFAULT;
ALTER TABLE engagement_post DROP CONSTRAINT engagement_post_pkey;
ALTER TABLE engagement_post ADD PRIMARY KEY (platform, post_id, chunk);

CREATE OR REPLACE FUNCTION cicero_match_post(plat text, post text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  owner varchar := cicero_post_client(plat, post);
  engaged varchar[];
BEGIN
  IF owner IS NOT NULL THEN
    PERFORM cicero_lock_client(owner);
  END IF;
  IF owner IS NULL THEN
    DELETE FROM engagement_match WHERE platform = plat AND post_id = post;
    RETURN;
  END IF;
  IF plat = 'instagram' THEN
    engaged := ARRAY(SELECT DISTINCT u.user_id FROM engagement_post e CROSS JOIN unnest(e.handles) AS h (handle)
                       JOIN "user" u ON u.client_id = owner AND cicero_handle(u.insta, 'instagram') = h.handle
                      WHERE e.platform = plat AND e.post_id = post);
  ELSE
    engaged := ARRAY(SELECT DISTINCT u.user_id FROM engagement_post e CROSS JOIN unnest(e.handles) AS h (handle)
                       JOIN "user" u ON u.client_id = owner AND cicero_handle(u.tiktok, 'tiktok') = h.handle
                      WHERE e.platform = plat AND e.post_id = post);
  END IF;
  -- Only the difference is written: a refresh adds a few likers to thousands.
  DELETE FROM engagement_match
   WHERE platform = plat AND post_id = post AND user_id NOT IN (SELECT unnest(engaged));
  INSERT INTO engagement_match (platform, post_id, user_id)
  SELECT plat, post, unnest(engaged)
  ON CONFLICT DO NOTHING;
END
$$;

CREATE OR REPLACE FUNCTION cicero_engagement_store(plat text, post text, entries jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM engagement_post WHERE platform = plat AND post_id = post;
  IF entries IS NOT NULL THEN
    INSERT INTO engagement_post (platform, post_id, chunk, handles)
    VALUES (plat, post, 0, cicero_handles(entries, plat));
  END IF;
  PERFORM cicero_match_post(plat, post);
END
$$;

-- A row written by cicero_engagement_merge is skipped: the merge keeps engagement_post
-- and engagement_match itself, for only the new handles. It names the one post it is
-- writing in a transaction-local setting and clears it right after; every other write
-- (and a merge's write of any other row) is handled here in full.
CREATE OR REPLACE FUNCTION cicero_engagement_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  old_id text := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) ->> TG_ARGV[1] END;
  new_id text := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) ->> TG_ARGV[1] END;
BEGIN
  IF (TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND old_id = new_id))
     AND current_setting('cicero.engagement_merge', true) = TG_ARGV[0] || ':' || new_id THEN
    RETURN NULL;
  END IF;
  IF old_id IS DISTINCT FROM new_id AND old_id IS NOT NULL THEN
    PERFORM cicero_engagement_store(TG_ARGV[0], old_id, NULL);
  END IF;
  IF new_id IS NOT NULL THEN
    PERFORM cicero_engagement_store(TG_ARGV[0], new_id, to_jsonb(NEW) -> TG_ARGV[2]);
  END IF;
  RETURN NULL;
END
$$;

-- One match per post even if two chunks held the handle (the merge never writes so).
CREATE OR REPLACE FUNCTION cicero_match_member(plat text, member varchar, owner varchar, raw_handle text) RETURNS void
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
  SELECT DISTINCT plat, e.post_id, member
    FROM engagement_post e
   WHERE e.platform = plat AND e.handles @> ARRAY[h] AND cicero_post_client(plat, e.post_id) = owner;
END
$$;

-- Merges fetched handles into a post's stored likers (instagram → insta_like.likes) or
-- commenters (tiktok → tiktok_comment.comments): only handles not stored yet are
-- appended (as plain strings) and matched; none is ever removed. `complete` (the fetch
-- got every page) sets updated_at to `at`; otherwise updated_at is left alone (NULL on
-- a row this creates). Returns the handles added and how many the post now holds.
-- Locks in the triggers' order: the likes row, then the client.
CREATE FUNCTION cicero_engagement_merge(plat text, post text, fetched text[], complete boolean, at timestamptz,
                                        OUT added text[], OUT total integer)
-- Hashing 50,000 handles for the EXCEPT in memory (default 4 MB) halves its time.
LANGUAGE plpgsql SET work_mem = '32MB' AS $$
DECLARE
  owner varchar;
  flag constant text := plat || ':' || post;
  chunks integer;
  next_chunk integer;
BEGIN
  IF plat NOT IN ('instagram', 'tiktok') THEN
    RAISE EXCEPTION 'unknown platform %', plat;
  END IF;
  -- The row exists and is ours until commit: concurrent merges of one post queue here.
  -- A writer that deletes the row (or moves it to another post) while we wait for it
  -- leaves nothing to lock: the row is made again, or the handles would reach
  -- engagement_post but not the likes (and a later merge would take them as stored).
  PERFORM set_config('cicero.engagement_merge', flag, true);
  LOOP
    IF plat = 'instagram' THEN
      INSERT INTO insta_like (shortcode, likes, updated_at) VALUES (post, '[]', NULL) ON CONFLICT (shortcode) DO NOTHING;
      PERFORM 1 FROM insta_like WHERE shortcode = post FOR UPDATE;
    ELSE
      INSERT INTO tiktok_comment (video_id, comments, updated_at) VALUES (post, '[]', NULL) ON CONFLICT (video_id) DO NOTHING;
      PERFORM 1 FROM tiktok_comment WHERE video_id = post FOR UPDATE;
    END IF;
    EXIT WHEN FOUND;
  END LOOP;
  PERFORM set_config('cicero.engagement_merge', '', true);
  owner := cicero_post_client(plat, post);
  IF owner IS NOT NULL THEN
    PERFORM cicero_lock_client(owner);
  END IF;

  -- What is not stored yet, normalised (the store passes handles in normal form; the
  -- regex costs a microsecond a handle, so only the few not already stored pay it).
  added := array_remove(ARRAY(
    WITH stored AS MATERIALIZED (SELECT unnest(e.handles) AS handle FROM engagement_post e WHERE e.platform = plat AND e.post_id = post)
    SELECT cicero_handle(d.raw, plat) FROM (SELECT unnest(fetched) EXCEPT SELECT handle FROM stored) AS d (raw)
    EXCEPT
    SELECT handle FROM stored), NULL);

  PERFORM set_config('cicero.engagement_merge', flag, true);
  IF plat = 'instagram' THEN
    UPDATE insta_like SET likes = CASE WHEN added = '{}' THEN likes ELSE likes || to_jsonb(added) END,
                          updated_at = CASE WHEN complete THEN at ELSE updated_at END
     WHERE shortcode = post AND (added <> '{}' OR complete);
  ELSE
    UPDATE tiktok_comment SET comments = CASE WHEN added = '{}' THEN comments ELSE comments || to_jsonb(added) END,
                              updated_at = CASE WHEN complete THEN at ELSE updated_at END
     WHERE video_id = post AND (added <> '{}' OR complete);
  END IF;
  PERFORM set_config('cicero.engagement_merge', '', true);

  IF added <> '{}' THEN
    SELECT count(*), coalesce(max(e.chunk), -1) + 1 INTO chunks, next_chunk
      FROM engagement_post e WHERE e.platform = plat AND e.post_id = post;
    INSERT INTO engagement_post (platform, post_id, chunk, handles) VALUES (plat, post, next_chunk, added);
    -- Now and then the chunks of a much-refreshed post are folded into one.
    IF chunks >= 32 THEN
      WITH gone AS (DELETE FROM engagement_post WHERE platform = plat AND post_id = post RETURNING handles)
      INSERT INTO engagement_post (platform, post_id, chunk, handles)
      SELECT plat, post, next_chunk + 1, coalesce(array_agg(h.handle), '{}') FROM gone CROSS JOIN unnest(gone.handles) AS h (handle);
    END IF;
    IF owner IS NOT NULL THEN
      IF plat = 'instagram' THEN
        INSERT INTO engagement_match (platform, post_id, user_id)
        SELECT DISTINCT plat, post, u.user_id FROM unnest(added) AS h (handle)
          JOIN "user" u ON u.client_id = owner AND cicero_handle(u.insta, 'instagram') = h.handle
        ON CONFLICT DO NOTHING;
      ELSE
        INSERT INTO engagement_match (platform, post_id, user_id)
        SELECT DISTINCT plat, post, u.user_id FROM unnest(added) AS h (handle)
          JOIN "user" u ON u.client_id = owner AND cicero_handle(u.tiktok, 'tiktok') = h.handle
        ON CONFLICT DO NOTHING;
      END IF;
    END IF;
  END IF;
  total := (SELECT coalesce(sum(cardinality(e.handles)), 0) FROM engagement_post e WHERE e.platform = plat AND e.post_id = post);
END
$$;
