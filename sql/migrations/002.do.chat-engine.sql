-- Chat engine: LID↔phone pairs, menu conversations that survive restarts, and the
-- audit trail of handled commands.

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
