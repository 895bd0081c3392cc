-- When a job was last switched on or given new times (`jadwal#on`, `jadwal#ubah`): the
-- scheduler's catch-up never runs an occurrence from before it, so switching a job back on
-- or moving its time earlier does not send a past recap late.
ALTER TABLE schedule_job ADD COLUMN changed_at timestamptz;
