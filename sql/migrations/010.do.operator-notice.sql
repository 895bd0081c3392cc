-- Operators told of admins' changes (issue 12): per client, the last change_log row
-- its operator has been told about, so each admin change is told once, in a batch.
CREATE TABLE operator_notice (
  client_id      text        PRIMARY KEY,
  last_change_id bigint      NOT NULL,
  notified_at    timestamptz NOT NULL
);
