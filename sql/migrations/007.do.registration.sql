-- Member registration by chat: NRP look-up limits (issue 11).

-- One row per NRP look-up by a sender not bound to a member, so that at most
-- CICERO_NRP_LOOKUPS_PER_HOUR of them are allowed per sender within any hour, whichever
-- process answers. Rows older than an hour count for nothing; each look-up prunes them.
CREATE TABLE nrp_lookup (
  sender       text        NOT NULL,
  looked_up_at timestamptz NOT NULL
);
CREATE INDEX nrp_lookup_sender_idx ON nrp_lookup (sender, looked_up_at);
CREATE INDEX nrp_lookup_at_idx ON nrp_lookup (looked_up_at);
