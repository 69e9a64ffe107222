-- Retention (storage/prune.go): processed event keys and finished
-- deliveries are deleted once older than delivery.retention. These
-- indexes let the hourly prune find them without scanning the tables.
CREATE INDEX processed_events_created ON processed_events (created_ms);
CREATE INDEX deliveries_finished_created ON deliveries (created_ms) WHERE state <> 'queued';
