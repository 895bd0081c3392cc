-- Attachments promised by a reply and built after it (a report's Excel file or chart):
-- one row per attachment, written in the statement that marks its message handled and
-- queues the reply's text, deleted in the statement that queues the built attachment to
-- the outbox. A row left behind (the process died in between, or the build failed) is
-- built again from `builder` and `args` by a process of the same endpoint.
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
