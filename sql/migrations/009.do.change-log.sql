-- Who changed what (issue 12): every change to a member or a client, by chat or from
-- the command line, one row per field: who (`actor`: the sender's number, or the
-- operating-system user for `cli`), their role, the client and member it touched, the
-- field, its old and new value, when.
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
