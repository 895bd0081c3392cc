-- Delivery guarantees: every outgoing message is a row before it is sent; every
-- inbound message id is remembered; the outbox pause survives restarts.

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
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_by      text,
  claimed_at      timestamptz,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  UNIQUE (message_key, part),
  CONSTRAINT outbox_has_content CHECK (body IS NOT NULL OR document IS NOT NULL)
);
CREATE INDEX outbox_due_idx ON outbox (endpoint, id) WHERE status = 'pending';
CREATE INDEX outbox_chat_open_idx ON outbox (endpoint, chat_id, id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_claimed_idx ON outbox (claimed_at) WHERE status = 'sending';
CREATE INDEX outbox_sent_idx ON outbox (endpoint, origin, sent_at) WHERE status = 'sent';
CREATE INDEX outbox_dead_idx ON outbox (endpoint, id) WHERE status = 'dead';

-- Inbound message ids: a message delivered twice, or again after a restart, is handled once.
CREATE TABLE inbound_message (
  id          text        PRIMARY KEY,
  chat_id     text        NOT NULL,
  sender_id   text        NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  handled_at  timestamptz
);
CREATE INDEX inbound_message_received_idx ON inbound_message (received_at);

-- Small pieces of bot state that must survive a restart (e.g. the outbox pause).
CREATE TABLE bot_state (
  key        text        PRIMARY KEY,
  value      jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
