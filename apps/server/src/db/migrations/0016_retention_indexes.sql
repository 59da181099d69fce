-- The hourly retention (modules/integrations/hub.ts) read two tables whole to find what it
-- forgets (found by db/indexes.test.ts, which plans every statement a working day sends):
--   outbox by when it was sent: delivered messages are kept YIMEN_MESSAGE_LOG_DAYS (180),
--     millions of rows at the city's volume, scanned every hour for the oldest hour of them;
--   idempotency_key by age: a day of writes with their whole answers (about 90 MB at the
--     city's volume), scanned every hour for the oldest twenty-fourth of it.
-- Only delivered messages have a sent_at, so only they enter the index; `sent_at < …` implies
-- it is not null, so the generic plan of the named statement uses it too.
CREATE INDEX outbox_sent_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);
