-- Logins that survive a retry (issue 11): a message handled again after a database
-- blip (its reply not yet written) writes no second login_log row, counts no second
-- failure and uses no second NRP look-up.

-- The inbound messages that wrote a login_log row; a second row for the same message
-- is never written. Kept two days (the redelivery window is much shorter).
CREATE TABLE login_message (
  message_id text        PRIMARY KEY,
  logged_at  timestamptz NOT NULL
);
CREATE INDEX login_message_at_idx ON login_message (logged_at);

-- A sign-in attempt is recorded before its password is compared (pending), and kept
-- as a failure when the compare fails. Pending rows limit how many attempts are
-- compared at once but only real failures lock an account or a number out.
ALTER TABLE login_failure ADD COLUMN message_id text;
ALTER TABLE login_failure ADD COLUMN pending boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX login_failure_message_idx ON login_failure (message_id);

ALTER TABLE nrp_lookup ADD COLUMN message_id text;
CREATE UNIQUE INDEX nrp_lookup_message_idx ON nrp_lookup (message_id);
