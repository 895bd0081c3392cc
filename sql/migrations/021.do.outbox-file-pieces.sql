-- A large outbox file (a province's Excel workbook, over a megabyte) is stored in pieces,
-- one statement each, before the row that sends it: PGlite runs on the bot's own thread,
-- and one INSERT of the whole file held it for 23-93 ms, so other chats' replies waited
-- that long. In pieces of 96 KiB no statement holds it for more than a few milliseconds.
-- `file_id` is new for every file stored, so two processes building the same attachment
-- never mix their pieces; pieces no row refers to are pruned by housekeeping after a day.
CREATE TABLE outbox_file (
  file_id    uuid        NOT NULL,
  seq        integer     NOT NULL,
  data       bytea       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (file_id, seq)
);
-- Already compressed (xlsx is a zip), as outbox.document (020).
ALTER TABLE outbox_file ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX outbox_file_created_idx ON outbox_file (created_at);

-- The row's file when it is stored in pieces (then `document` is NULL).
ALTER TABLE outbox ADD COLUMN document_file uuid;
CREATE INDEX outbox_document_file_idx ON outbox (document_file) WHERE document_file IS NOT NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_has_content;
ALTER TABLE outbox ADD CONSTRAINT outbox_has_content
  CHECK (body IS NOT NULL OR document IS NOT NULL OR document_file IS NOT NULL);
