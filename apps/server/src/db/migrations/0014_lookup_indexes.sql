-- Three lookups by a column that had no index, each a sequential scan of a table that grows
-- by the year (found by reading pg_stat_user_tables after a workload run):
--   certificate by application: every read of a case (getApplication), the download action
--     and a department's result — the whole certificate table, per case opened;
--   application by who submitted it: the worklist's "mine" box — the whole application table;
--   application_material by file: whether a staff member may open a scan someone else
--     uploaded — the whole material table, per scan opened at a desk.
CREATE INDEX certificate_application_idx ON certificate (application_id);
CREATE INDEX application_submitted_by_idx ON application (submitted_by, submitted_at);
CREATE INDEX application_material_file_idx ON application_material (file_sha256);
