-- Which query a released aggregate answered (e.g. `total`, `job:42`): a later answer to the same
-- query may grow or shrink freely; only an answer to another query that differs from it by
-- fewer than 5 people (one inside the other) is refused.
ALTER TABLE _hrmesh_released_groups ADD COLUMN query TEXT NOT NULL DEFAULT '';
