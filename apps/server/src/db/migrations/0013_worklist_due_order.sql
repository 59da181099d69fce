-- The boxes that span every role of a service point ("in progress", "overdue", "due soon")
-- are read in due-date order, 50 at a time. With the open-case indexes of 0011 keyed on the
-- service point alone, PostgreSQL fetched every open case of a township centre (thousands
-- at 10 M cases) to sort them and keep 51: p99 50–56 ms. Keyed on the service point and
-- then the worklist's order, each of the four columns gives its first 51 cases in order
-- from the index, and the worklist merges the four short lists (query.service.ts). The
-- columns the boxes filter on ride along (INCLUDE), so the lists come from the index alone
-- (an index-only scan): "overdue" skips the many open cases whose clock is stopped (issued,
-- awaiting a correction, suspended) without reading their rows — reading them cost 28 ms of
-- PostgreSQL CPU per request at a busy township centre at 10 M cases. The same indexes still
-- serve the submission-date order as before.
DROP INDEX application_open_received_idx;
DROP INDEX application_open_accepting_idx;
DROP INDEX application_open_deciding_idx;
DROP INDEX application_open_deliver_idx;
CREATE INDEX application_open_received_idx
  ON application (received_sp_id, (COALESCE(due_date, DATE '9999-12-31')), submitted_at, id)
  INCLUDE (due_date, clock_running_since, warn_date)
  WHERE status NOT IN ('concluded', 'refused', 'withdrawn');
CREATE INDEX application_open_accepting_idx
  ON application (accepting_sp_id, (COALESCE(due_date, DATE '9999-12-31')), submitted_at, id)
  INCLUDE (due_date, clock_running_since, warn_date)
  WHERE status NOT IN ('concluded', 'refused', 'withdrawn');
CREATE INDEX application_open_deciding_idx
  ON application (deciding_sp_id, (COALESCE(due_date, DATE '9999-12-31')), submitted_at, id)
  INCLUDE (due_date, clock_running_since, warn_date)
  WHERE status NOT IN ('concluded', 'refused', 'withdrawn');
CREATE INDEX application_open_deliver_idx
  ON application (deliver_sp_id, (COALESCE(due_date, DATE '9999-12-31')), submitted_at, id)
  INCLUDE (due_date, clock_running_since, warn_date)
  WHERE status NOT IN ('concluded', 'refused', 'withdrawn');
