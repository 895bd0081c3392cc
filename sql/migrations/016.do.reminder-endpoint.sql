-- The bot number (outbox endpoint, `whatsapp:<number>`) a member opted in through: with
-- several bot numbers on one database, the reminder leaves from the number the member
-- wrote to, whichever process queues it. NULL: the number of the process that queues it.
ALTER TABLE member_reminder ADD COLUMN endpoint text;
