-- The worklist boxes that span every role a service point plays in a case ("in progress",
-- "overdue", "due soon") ask for the open cases where the point received, accepts, decides
-- or delivers. With an index per column over all cases, a township centre holding years of
-- concluded cases fetched every one of them to keep the few hundred still open (p99 140 ms
-- at a million cases). These indexes hold only the open cases, a few per cent of the table.
CREATE INDEX application_open_received_idx ON application (received_sp_id)
  WHERE status NOT IN ('concluded', 'refused', 'withdrawn');
CREATE INDEX application_open_accepting_idx ON application (accepting_sp_id)
  WHERE status NOT IN ('concluded', 'refused', 'withdrawn');
CREATE INDEX application_open_deciding_idx ON application (deciding_sp_id)
  WHERE status NOT IN ('concluded', 'refused', 'withdrawn');
CREATE INDEX application_open_deliver_idx ON application (deliver_sp_id)
  WHERE status NOT IN ('concluded', 'refused', 'withdrawn');
