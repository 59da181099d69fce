-- The count of open cases per township and due date (stats_open, 0009) is a hot row: every
-- case of a township accepted or concluded today moves the same few rows. Its row trigger
-- fired mid-step, at the case's UPDATE, so the row stayed locked through the rest of the
-- step (history, notices, outbox, audit, the answer read back) and the township's other
-- steps queued behind it. As a deferred constraint trigger it fires at COMMIT, with the same
-- OLD and NEW: the lock is held only while the transaction commits, and the count is still
-- written in the transaction that changes what it counts.
DROP TRIGGER application_stats_open_update ON application;
CREATE CONSTRAINT TRIGGER application_stats_open_update
  AFTER UPDATE OF clock_running_since, due_date, deciding_region ON application
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.clock_running_since IS NOT NULL OR NEW.clock_running_since IS NOT NULL)
    AND (OLD.clock_running_since IS DISTINCT FROM NEW.clock_running_since
      OR OLD.due_date IS DISTINCT FROM NEW.due_date
      OR OLD.deciding_region IS DISTINCT FROM NEW.deciding_region))
  EXECUTE FUNCTION stats_open_case_moved();
ALTER TABLE application ENABLE ALWAYS TRIGGER application_stats_open_update;
