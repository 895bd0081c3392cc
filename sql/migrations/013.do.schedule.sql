-- Scheduled jobs (issue 14): per client, what runs when. Every active client has the
-- default jobs (src/schedule/jobs.ts inserts the missing ones whenever jobs are read),
-- so a client added by SQL gets them too.
CREATE TABLE schedule_job (
  client_id        varchar(64) NOT NULL REFERENCES clients (client_id) ON UPDATE CASCADE ON DELETE CASCADE,
  job              text        NOT NULL CHECK (job IN ('fetch', 'likes', 'comments', 'registration', 'links')),
  -- One or more node-cron expressions in CICERO_TIMEZONE; the job runs at every minute any of them matches.
  cron             text[]      NOT NULL CHECK (cardinality(cron) > 0),
  enabled          boolean     NOT NULL DEFAULT true,
  -- Chat ids beyond the client's groups, operator and super numbers.
  extra_recipients text[]      NOT NULL DEFAULT '{}',
  last_run_at      timestamptz,
  last_result      text,
  next_run_at      timestamptz,
  PRIMARY KEY (client_id, job)
);

-- One row per job occurrence that a process claimed: the primary key makes the claim
-- exclusive, so with several bot processes each occurrence runs once.
CREATE TABLE schedule_run (
  client_id     varchar(64) NOT NULL,
  job           text        NOT NULL,
  occurrence_at timestamptz NOT NULL,
  claimed_by    text        NOT NULL,
  claimed_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  result        text,
  PRIMARY KEY (client_id, job, occurrence_at),
  FOREIGN KEY (client_id, job) REFERENCES schedule_job (client_id, job) ON UPDATE CASCADE ON DELETE CASCADE
);
