-- Operator sign-in by chat: sessions and failed attempts (issue 11).

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
  failed_at    timestamptz NOT NULL
);
CREATE INDEX login_failure_sender_idx ON login_failure (sender_key, failed_at);
CREATE INDEX login_failure_username_idx ON login_failure (username_key, failed_at);
