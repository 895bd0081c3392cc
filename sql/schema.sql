-- The full current schema of Cicero, kept in step with sql/migrations/ (a test
-- applies both and compares the catalogs). Use it to read the model, or to create
-- a database by hand: psql -d <db> -f sql/schema.sql. Cicero itself applies the
-- migrations (cicero migrate), which also record what has been applied.


-- Organisations (a Polres, its Polsek, a directorate).
CREATE TABLE clients (
  client_id             varchar(64) PRIMARY KEY,
  nama                  text        NOT NULL,
  client_type           text,
  client_status         boolean     NOT NULL DEFAULT true,
  client_insta          text,
  client_insta_status   boolean     NOT NULL DEFAULT true,
  client_tiktok         text,
  client_tiktok_status  boolean     NOT NULL DEFAULT true,
  client_amplify_status boolean     NOT NULL DEFAULT true,
  client_operator       text,
  client_group          text,
  tiktok_secuid         text,
  client_super          text,
  -- How strict the sudah/belum split is: 'half' = at least ceil(N/2) of the day's posts, 'all' = every post.
  absensi_threshold     text        NOT NULL DEFAULT 'half' CHECK (absensi_threshold IN ('half', 'all')),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  -- The client's own division order for reports, `urutandivisi` (017); empty: the default.
  division_order        text[]      NOT NULL DEFAULT '{}'
);

-- Members of a client. user_id is the NRP/NIP.
CREATE TABLE "user" (
  user_id    varchar(32) PRIMARY KEY,
  nama       text,
  title      text,
  divisi     text,
  jabatan    text,
  insta      text,
  tiktok     text,
  whatsapp   text        UNIQUE, -- one member per WhatsApp number; NULL = not bound
  client_id  varchar(64) REFERENCES clients (client_id) ON UPDATE CASCADE ON DELETE CASCADE,
  status     boolean     NOT NULL DEFAULT true,
  exception  boolean     NOT NULL DEFAULT false,
  ditbinmas  boolean     NOT NULL DEFAULT false,
  ditlantas  boolean     NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT user_whatsapp_not_blank CHECK (whatsapp IS NULL OR whatsapp <> '')
);
-- Reports read a client's active members grouped by division.
CREATE INDEX user_client_active_idx ON "user" (client_id, divisi) WHERE status;

-- Web dashboard accounts. Passwords only as bcrypt hashes.
CREATE TABLE dashboard_user (
  user_id       text        PRIMARY KEY,
  username      text        NOT NULL UNIQUE,
  password_hash text        NOT NULL,
  role          text        NOT NULL,
  status        boolean     NOT NULL DEFAULT true,
  client_id     varchar(64) REFERENCES clients (client_id) ON UPDATE CASCADE ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Instagram posts of a client; created_at is the publish time.
CREATE TABLE insta_post (
  shortcode     text        PRIMARY KEY,
  client_id     varchar(64) REFERENCES clients (client_id) ON UPDATE CASCADE ON DELETE CASCADE,
  caption       text,
  comment_count integer,
  like_count    integer,
  thumbnail_url text,
  is_video      boolean     NOT NULL DEFAULT false,
  video_url     text,
  image_url     text,
  images_url    jsonb,
  is_carousel   boolean     NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  removed_at    timestamptz -- no longer in its account's listing; NULL = present (011)
);
CREATE INDEX insta_post_client_created_idx ON insta_post (client_id, created_at);

-- Likers of a post: a jsonb array of usernames (strings, or objects with a username).
-- updated_at: the last complete fetch; NULL = only ever fetched partly (011).
CREATE TABLE insta_like (
  shortcode  text        PRIMARY KEY REFERENCES insta_post (shortcode) ON DELETE CASCADE,
  likes      jsonb       NOT NULL DEFAULT '[]'::jsonb,
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT insta_like_likes_array CHECK (jsonb_typeof(likes) = 'array')
);

CREATE TABLE insta_comment (
  shortcode  text        PRIMARY KEY REFERENCES insta_post (shortcode) ON DELETE CASCADE,
  comments   jsonb       NOT NULL DEFAULT '[]'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT insta_comment_comments_array CHECK (jsonb_typeof(comments) = 'array')
);

CREATE TABLE insta_profile (
  username        text PRIMARY KEY,
  full_name       text,
  biography       text,
  follower_count  integer,
  following_count integer,
  post_count      integer,
  profile_pic_url text,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- TikTok videos of a client; created_at is the publish time.
CREATE TABLE tiktok_post (
  video_id      text        PRIMARY KEY,
  client_id     varchar(64) REFERENCES clients (client_id) ON UPDATE CASCADE ON DELETE CASCADE,
  caption       text,
  like_count    integer,
  comment_count integer,
  created_at    timestamptz NOT NULL DEFAULT now(),
  removed_at    timestamptz -- no longer in its account's listing; NULL = present (011)
);
CREATE INDEX tiktok_post_client_created_idx ON tiktok_post (client_id, created_at);

-- Commenters of a video: a jsonb array of usernames (strings, or objects with a username).
-- updated_at: the last complete fetch; NULL = only ever fetched partly (011).
CREATE TABLE tiktok_comment (
  video_id   text        PRIMARY KEY REFERENCES tiktok_post (video_id) ON DELETE CASCADE,
  comments   jsonb       NOT NULL DEFAULT '[]'::jsonb,
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT tiktok_comment_comments_array CHECK (jsonb_typeof(comments) = 'array')
);

-- Extended Instagram account data from the scraping API.
CREATE TABLE instagram_user (
  user_id                   varchar(30) PRIMARY KEY,
  username                  text        NOT NULL UNIQUE,
  full_name                 text,
  biography                 text,
  business_contact_method   text,
  category                  text,
  category_id               text,
  account_type              integer,
  contact_phone_number      text,
  external_url              text,
  fbid_v2                   text,
  is_business               boolean,
  is_private                boolean,
  is_verified               boolean,
  public_email              text,
  public_phone_country_code text,
  public_phone_number       text,
  profile_pic_url           text,
  profile_pic_url_hd        text,
  premium_status            boolean     NOT NULL DEFAULT false,
  premium_end_date          date
);

CREATE TABLE instagram_user_metrics (
  user_id           varchar(30) PRIMARY KEY REFERENCES instagram_user (user_id) ON DELETE CASCADE,
  follower_count    integer,
  following_count   integer,
  media_count       integer,
  total_igtv_videos integer,
  latest_reel_media bigint
);

-- Mirrors of the scraping API's Instagram objects (data mining).
CREATE TABLE ig_ext_users (
  user_id         varchar(30) PRIMARY KEY,
  username        text        NOT NULL,
  full_name       text,
  is_private      boolean,
  is_verified     boolean,
  profile_pic_url text
);

CREATE TABLE ig_ext_posts (
  post_id       varchar(64) PRIMARY KEY,
  shortcode     text        UNIQUE REFERENCES insta_post (shortcode) ON DELETE CASCADE,
  user_id       varchar(30) REFERENCES ig_ext_users (user_id) ON DELETE SET NULL,
  caption_text  text,
  created_at    timestamptz,
  like_count    integer,
  comment_count integer,
  share_count   integer,
  view_count    integer,
  media_type    integer,
  is_pinned     boolean     NOT NULL DEFAULT false
);

CREATE TABLE ig_ext_media_items (
  media_id        varchar(64) PRIMARY KEY,
  post_id         varchar(64) NOT NULL REFERENCES ig_ext_posts (post_id) ON DELETE CASCADE,
  media_type      integer,
  is_video        boolean,
  original_width  integer,
  original_height integer,
  image_url       text,
  video_url       text,
  video_duration  real,
  has_audio       boolean,
  thumbnail_url   text
);
CREATE INDEX ig_ext_media_items_post_idx ON ig_ext_media_items (post_id);

CREATE TABLE ig_ext_tagged_users (
  media_id varchar(64) NOT NULL REFERENCES ig_ext_media_items (media_id) ON DELETE CASCADE,
  user_id  varchar(30) NOT NULL REFERENCES ig_ext_users (user_id) ON DELETE CASCADE,
  x        double precision,
  y        double precision,
  PRIMARY KEY (media_id, user_id)
);

CREATE TABLE ig_ext_hashtags (
  post_id varchar(64) NOT NULL REFERENCES ig_ext_posts (post_id) ON DELETE CASCADE,
  hashtag text        NOT NULL,
  PRIMARY KEY (post_id, hashtag)
);

CREATE TABLE ig_hashtag_info (
  hashtag_id            varchar(64) PRIMARY KEY,
  name                  text        NOT NULL,
  media_count           integer,
  formatted_media_count text,
  profile_pic_url       text,
  is_trending           boolean,
  updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ig_post_metrics (
  post_id       varchar(64) PRIMARY KEY REFERENCES ig_ext_posts (post_id) ON DELETE CASCADE,
  play_count    integer,
  save_count    integer,
  share_count   integer,
  view_count    integer,
  like_count    integer,
  comment_count integer,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ig_post_like_users (
  post_id  varchar(64) NOT NULL REFERENCES ig_ext_posts (post_id) ON DELETE CASCADE,
  user_id  varchar(30) NOT NULL,
  username text,
  PRIMARY KEY (post_id, user_id)
);

CREATE TABLE ig_post_comments (
  comment_id varchar(64) PRIMARY KEY,
  post_id    varchar(64) NOT NULL REFERENCES ig_ext_posts (post_id) ON DELETE CASCADE,
  user_id    varchar(30),
  text       text,
  created_at timestamptz
);
CREATE INDEX ig_post_comments_post_idx ON ig_post_comments (post_id);

-- Visits to the public web endpoints.
CREATE TABLE visitor_logs (
  id         bigserial   PRIMARY KEY,
  ip         text,
  user_agent text,
  visited_at timestamptz NOT NULL DEFAULT now()
);

-- Every login: operator sign-in, member binding (WhatsApp), web and mobile logins.
CREATE TABLE login_log (
  log_id       bigserial   PRIMARY KEY,
  actor_id     text        NOT NULL,
  login_type   varchar(20) NOT NULL,
  login_source varchar(20) NOT NULL,
  logged_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_log_logged_at_idx ON login_log (logged_at);
CREATE INDEX login_log_actor_idx ON login_log (actor_id, logged_at);

-- Links of members' re-posts of an official post (amplification), one row per member and post.
CREATE TABLE link_report (
  shortcode     text        NOT NULL REFERENCES insta_post (shortcode) ON DELETE CASCADE,
  user_id       varchar(32) NOT NULL REFERENCES "user" (user_id) ON UPDATE CASCADE ON DELETE CASCADE,
  instagram_link text,
  facebook_link  text,
  twitter_link   text,
  tiktok_link    text,
  youtube_link   text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shortcode, user_id)
);
CREATE INDEX link_report_user_idx ON link_report (user_id);


-- WhatsApp's privacy ids (…@lid) paired with phone numbers whenever WhatsApp reveals
-- the pair, so someone writing from a LID is still recognised by their number.
CREATE TABLE wa_lid_map (
  lid     text        PRIMARY KEY,
  phone   text        NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wa_lid_map_phone_idx ON wa_lid_map (phone);

-- The active multi-step conversation (menu) of a sender in a chat.
CREATE TABLE conversation (
  chat_id    text        NOT NULL,
  sender_id  text        NOT NULL,
  flow       text        NOT NULL,
  step       text        NOT NULL,
  data       jsonb       NOT NULL DEFAULT '{}'::jsonb,
  started_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (chat_id, sender_id)
);
CREATE INDEX conversation_expires_idx ON conversation (expires_at);

-- One row per handled command, for operators' accountability.
CREATE TABLE command_audit (
  id        bigserial   PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  sender_id text        NOT NULL,
  role      text        NOT NULL,
  command   text        NOT NULL,
  client_id text,
  chat_id   text        NOT NULL,
  outcome   text        NOT NULL CHECK (outcome IN ('done', 'refused', 'error')),
  detail    text
);
CREATE INDEX command_audit_at_idx ON command_audit (at);
CREATE INDEX command_audit_client_idx ON command_audit (client_id, at);

-- Outgoing messages. `endpoint` is the transport that must send the row (the bot's
-- WhatsApp session, or one console process), so other processes on the same
-- database never take it. `message_key` makes enqueueing idempotent per part.
CREATE TABLE outbox (
  id              bigserial   PRIMARY KEY,
  message_key     text        NOT NULL,
  part            integer     NOT NULL DEFAULT 1,
  parts           integer     NOT NULL DEFAULT 1,
  endpoint        text        NOT NULL,
  chat_id         text        NOT NULL,
  origin          text        NOT NULL DEFAULT 'reply' CHECK (origin IN ('reply', 'broadcast')),
  body            text,
  document        bytea,
  document_name   text,
  document_mime   text,
  -- The file when it is stored in pieces in outbox_file (021); then `document` is NULL.
  document_file   uuid,
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_by      text,
  claimed_at      timestamptz,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  UNIQUE (message_key, part),
  CONSTRAINT outbox_has_content CHECK (body IS NOT NULL OR document IS NOT NULL OR document_file IS NOT NULL)
);
CREATE INDEX outbox_due_idx ON outbox (endpoint, id) WHERE status = 'pending';
CREATE INDEX outbox_chat_open_idx ON outbox (endpoint, chat_id, id) WHERE status IN ('pending', 'sending');
-- Files are already compressed (xlsx, png): stored out of line without a compression attempt (020).
ALTER TABLE outbox ALTER COLUMN document SET STORAGE EXTERNAL;
CREATE INDEX outbox_claimed_idx ON outbox (claimed_at) WHERE status = 'sending';
CREATE INDEX outbox_sent_idx ON outbox (endpoint, origin, sent_at) WHERE status = 'sent';
CREATE INDEX outbox_dead_idx ON outbox (endpoint, id) WHERE status = 'dead';
CREATE INDEX outbox_document_file_idx ON outbox (document_file) WHERE document_file IS NOT NULL;

-- A large outbox file in pieces of 96 KiB, one statement each (021): one INSERT of a
-- megabyte held PGlite, and with it the bot's thread, for up to a tenth of a second.
-- `file_id` is new for every file stored; pieces no row refers to are pruned after a day.
CREATE TABLE outbox_file (
  file_id    uuid        NOT NULL,
  seq        integer     NOT NULL,
  data       bytea       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (file_id, seq)
);
ALTER TABLE outbox_file ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX outbox_file_created_idx ON outbox_file (created_at);

-- Inbound message ids: a message delivered twice, or again after a restart, is handled once.
CREATE TABLE inbound_message (
  id          text        PRIMARY KEY,
  chat_id     text        NOT NULL,
  sender_id   text        NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  handled_at  timestamptz,
  -- Claimed by one live process before it is handled (005).
  claimed_by  text,
  claimed_at  timestamptz
);
CREATE INDEX inbound_message_received_idx ON inbound_message (received_at);

-- Small pieces of bot state that must survive a restart (e.g. the outbox pause).
CREATE TABLE bot_state (
  key        text        PRIMARY KEY,
  value      jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Compliance: engagement matched to members when it is written (004).

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

-- Fetched posts and the handles that engaged with them, in chunks (011): a full write
-- replaces them with one chunk, a merge (cicero_engagement_merge) appends one chunk of
-- only the new handles, so the GIN index takes a few hundred keys per refresh instead
-- of the whole array again. Chunks of a post never share a handle.
CREATE TABLE engagement_post (
  platform text    NOT NULL CHECK (platform IN ('instagram', 'tiktok')),
  post_id  text    NOT NULL,
  chunk    integer NOT NULL,
  handles  text[]  NOT NULL,
  PRIMARY KEY (platform, post_id, chunk)
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

-- Stores a post's engagement (NULL = no longer fetched) and rematches it.
CREATE FUNCTION cicero_engagement_store(plat text, post text, entries jsonb) RETURNS void
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

-- TG_ARGV: platform, the post id column, the engagement array column. A row written by
-- cicero_engagement_merge is skipped: the merge keeps engagement_post and
-- engagement_match itself, for only the new handles. It names the one post it is
-- writing in a transaction-local setting and clears it right after; every other write
-- (and a merge's write of any other row) is handled here in full.
CREATE FUNCTION cicero_engagement_sync() RETURNS trigger
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
  SELECT DISTINCT plat, e.post_id, member
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

-- Several processes on one database (005).

-- Every running bot process, seen every few seconds. A process whose heartbeat is
-- stale (or whose row is gone) is dead: its inbound claims and its send lease pass on.
CREATE TABLE bot_worker (
  worker     text        PRIMARY KEY,
  pid        integer     NOT NULL,
  hostname   text        NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  seen_at    timestamptz NOT NULL DEFAULT now()
);

-- The one process that sends an endpoint's rows (a WhatsApp number), so pacing and
-- the broadcast budget hold per number whatever the number of processes.
CREATE TABLE outbox_lease (
  endpoint text        PRIMARY KEY,
  worker   text        NOT NULL,
  since    timestamptz NOT NULL DEFAULT now()
);

-- Operator sign-in by chat (006).
-- A WhatsApp sender signed in to a dashboard account (`login#…` in a chat), one per
-- sender (signing in again replaces it). The role and client are read from the
-- account on every message, so disabling it ends the session's powers at once.
CREATE TABLE operator_session (
  sender_key        text        PRIMARY KEY,
  dashboard_user_id text        NOT NULL REFERENCES dashboard_user (user_id) ON UPDATE CASCADE ON DELETE CASCADE,
  signed_in_at      timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL
);
CREATE INDEX operator_session_user_idx ON operator_session (dashboard_user_id);
CREATE INDEX operator_session_expires_idx ON operator_session (expires_at);

-- Failed sign-ins, counted per sender and per username to lock out password guessing
-- across processes and restarts (an attempt's row is written before its password is
-- compared, and deleted when it matches). The username only as the first 4 hex digits
-- of the SHA-256 of its lower case: someone who typed the password in the username
-- field must not have it kept, and a full unsalted hash of it could be reversed by
-- guessing; usernames sharing one of the 65,536 buckets only share a lockout.
CREATE TABLE login_failure (
  id           bigserial   PRIMARY KEY,
  sender_key   text        NOT NULL,
  username_key text        NOT NULL,
  failed_at    timestamptz NOT NULL,
  -- The inbound message of the attempt: its retry reuses the row (008).
  message_id   text,
  -- Recorded before the compare; false once it failed. Pending rows limit how many
  -- attempts are compared at once, only failures lock out (008).
  pending      boolean     NOT NULL DEFAULT false
);
CREATE INDEX login_failure_sender_idx ON login_failure (sender_key, failed_at);
CREATE INDEX login_failure_username_idx ON login_failure (username_key, failed_at);
CREATE UNIQUE INDEX login_failure_message_idx ON login_failure (message_id);

-- Member registration by chat (007).

-- One row per NRP look-up by a sender not bound to a member, so that at most
-- CICERO_NRP_LOOKUPS_PER_HOUR of them are allowed per sender within any hour, whichever
-- process answers. Rows older than an hour count for nothing; each look-up prunes them.
CREATE TABLE nrp_lookup (
  sender       text        NOT NULL,
  looked_up_at timestamptz NOT NULL,
  -- The inbound message that looked up: its retry counts no second look-up (008).
  message_id   text
);
CREATE INDEX nrp_lookup_sender_idx ON nrp_lookup (sender, looked_up_at);
CREATE INDEX nrp_lookup_at_idx ON nrp_lookup (looked_up_at);
CREATE UNIQUE INDEX nrp_lookup_message_idx ON nrp_lookup (message_id);

-- Logins that survive a retry (008).

-- The inbound messages that wrote a login_log row: a message handled again after a
-- database blip writes no second row. Kept two days.
CREATE TABLE login_message (
  message_id text        PRIMARY KEY,
  logged_at  timestamptz NOT NULL
);
CREATE INDEX login_message_at_idx ON login_message (logged_at);

-- Who changed what (009).

-- Every change to a member or a client, by chat or from the command line, one row per
-- field: who (`actor`: the sender's number, or the operating-system user for `cli`),
-- their role, the client and member it touched, the field, its old and new value, when.
CREATE TABLE change_log (
  id         bigserial   PRIMARY KEY,
  changed_at timestamptz NOT NULL,
  source     text        NOT NULL CHECK (source IN ('whatsapp', 'cli')),
  actor      text        NOT NULL,
  actor_role text        NOT NULL,
  client_id  text,
  user_id    text,
  field      text        NOT NULL,
  old_value  text,
  new_value  text
);
CREATE INDEX change_log_member_idx ON change_log (user_id, changed_at DESC);
CREATE INDEX change_log_client_idx ON change_log (client_id, changed_at DESC);

-- Operators told of admins' changes (010).

-- Per client, the last change_log row its operator has been told about, so each admin
-- change is told once, in a batch.
CREATE TABLE operator_notice (
  client_id      text        PRIMARY KEY,
  last_change_id bigint      NOT NULL,
  notified_at    timestamptz NOT NULL
);

-- The TikTok secUid cache follows the account (012).

-- The fetcher caches the TikTok account's secUid (the key its videos are listed by) in
-- clients.tiktok_secuid. Whoever changes client_tiktok (chat, import, plain SQL) makes
-- that cache wrong, so it is cleared with it: the next fetch looks the new account up.
CREATE FUNCTION cicero_forget_secuid() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.tiktok_secuid := NULL;
  RETURN NEW;
END
$$;
CREATE TRIGGER clients_forget_secuid BEFORE UPDATE OF client_tiktok ON clients
  FOR EACH ROW WHEN (NEW.client_tiktok IS DISTINCT FROM OLD.client_tiktok AND NEW.tiktok_secuid IS NOT DISTINCT FROM OLD.tiktok_secuid)
  EXECUTE FUNCTION cicero_forget_secuid();

-- Scheduled jobs and the occurrences claimed (013).

CREATE TABLE schedule_job (
  client_id        varchar(64) NOT NULL REFERENCES clients (client_id) ON UPDATE CASCADE ON DELETE CASCADE,
  job              text        NOT NULL CHECK (job IN ('fetch', 'likes', 'comments', 'registration', 'links')),
  -- One or more node-cron expressions in CICERO_TIMEZONE; the job runs at every minute any of them matches.
  cron             text[]      NOT NULL CHECK (cardinality(cron) > 0),
  enabled          boolean     NOT NULL DEFAULT true,
  -- Chat ids beyond the client's groups, operator and super numbers.
  extra_recipients text[]      NOT NULL DEFAULT '{}',
  last_run_at      timestamptz,
  last_result      text,
  next_run_at      timestamptz,
  -- Last switched on or given new times: catch-up never runs an occurrence from before it (migration 015).
  changed_at       timestamptz,
  PRIMARY KEY (client_id, job)
);

-- One row per job occurrence that a process claimed: the primary key makes the claim
-- exclusive, so with several bot processes each occurrence runs once.
CREATE TABLE schedule_run (
  client_id     varchar(64) NOT NULL,
  job           text        NOT NULL,
  occurrence_at timestamptz NOT NULL,
  claimed_by    text        NOT NULL,
  claimed_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  result        text,
  PRIMARY KEY (client_id, job, occurrence_at),
  FOREIGN KEY (client_id, job) REFERENCES schedule_job (client_id, job) ON UPDATE CASCADE ON DELETE CASCADE
);

-- Member reminders (014).

-- A member's opt-in: the chat they opted in from (it wrote to the bot) and their bound
-- number then; a changed number never wrote, so nothing is sent to it.
CREATE TABLE member_reminder (
  user_id    varchar(32) PRIMARY KEY REFERENCES "user" (user_id) ON UPDATE CASCADE ON DELETE CASCADE,
  chat_id    text        NOT NULL,
  whatsapp   text,
  enabled    boolean     NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- The bot number (outbox endpoint) opted in through; reminders leave from it (migration 016).
  endpoint   text
);

-- One row per member and Jakarta day a reminder was queued: the primary key is the daily cap.
CREATE TABLE member_reminder_sent (
  user_id varchar(32) NOT NULL REFERENCES "user" (user_id) ON UPDATE CASCADE ON DELETE CASCADE,
  day     date        NOT NULL,
  chat_id text        NOT NULL,
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, day)
);
CREATE INDEX member_reminder_sent_day_idx ON member_reminder_sent (day);

-- Attachments built after their reply (018).

-- An attachment a reply promised (a report's Excel file or chart): written with the
-- message's handled mark and its text replies, deleted when the built attachment is
-- queued to the outbox. A row left behind is built again from `builder` and `args`.
CREATE TABLE pending_attachment (
  -- `<inbound message id>:att<n>`; the outbox keys of its parts derive from it.
  message_key     text        PRIMARY KEY,
  endpoint        text        NOT NULL,
  chat_id         text        NOT NULL,
  -- The name of the builder in the bot's registry, and what it needs (never the bytes).
  builder         text        NOT NULL,
  args            jsonb       NOT NULL DEFAULT 'null',
  -- Failed builds so far; after the last, the chat is told instead.
  attempts        integer     NOT NULL DEFAULT 0,
  -- The process building it (a `bot_worker`); NULL, or a process that died: anyone may.
  claimed_by      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  next_attempt_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pending_attachment_due_idx ON pending_attachment (endpoint, next_attempt_at);

-- Member lists kept between reports (019).

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
