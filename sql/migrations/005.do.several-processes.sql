-- Several processes on one database: which processes are alive, which one handles an
-- inbound message, and which one sends for a WhatsApp number.

-- Every running bot process, seen every few seconds. A process whose heartbeat is
-- stale (or whose row is gone) is dead: its inbound claims and its send lease pass on.
CREATE TABLE bot_worker (
  worker     text        PRIMARY KEY,
  pid        integer     NOT NULL,
  hostname   text        NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  seen_at    timestamptz NOT NULL DEFAULT now()
);

-- An inbound message is claimed by one live process before it is handled.
ALTER TABLE inbound_message ADD COLUMN claimed_by text, ADD COLUMN claimed_at timestamptz;

-- The one process that sends an endpoint's rows (a WhatsApp number), so pacing and
-- the broadcast budget hold per number whatever the number of processes.
CREATE TABLE outbox_lease (
  endpoint text        PRIMARY KEY,
  worker   text        NOT NULL,
  since    timestamptz NOT NULL DEFAULT now()
);
