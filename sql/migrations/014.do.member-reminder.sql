-- Member reminders (issue 14): a member opts in by chat (`notifwa#on`, or the member's
-- menu) and then gets at most one private message a day listing the day's posts they
-- have not yet liked or commented on. `chat_id` is the chat the member opted in from:
-- the proof that this chat wrote to the bot. `whatsapp` is the member's bound number at
-- that moment: when the member's number changes, the new number never wrote, so
-- nothing is sent until the member opts in again from it.
CREATE TABLE member_reminder (
  user_id    varchar(32) PRIMARY KEY REFERENCES "user" (user_id) ON UPDATE CASCADE ON DELETE CASCADE,
  chat_id    text        NOT NULL,
  whatsapp   text,
  enabled    boolean     NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per member and Jakarta day a reminder was queued: the primary key is the
-- daily cap, also with several bot processes.
CREATE TABLE member_reminder_sent (
  user_id varchar(32) NOT NULL REFERENCES "user" (user_id) ON UPDATE CASCADE ON DELETE CASCADE,
  day     date        NOT NULL,
  chat_id text        NOT NULL,
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, day)
);
CREATE INDEX member_reminder_sent_day_idx ON member_reminder_sent (day);
