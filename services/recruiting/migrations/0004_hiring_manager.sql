-- The hiring manager of a job: managers act on a job's applications through the reporting line.
ALTER TABLE jobs ADD COLUMN hiring_manager_id TEXT;
