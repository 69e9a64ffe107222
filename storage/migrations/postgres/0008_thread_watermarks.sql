-- Per workspace thread, the id of the newest message the adapter has
-- stored (storage/watermarks.go). The Discord gateway fetches a thread's
-- messages after it over REST when events were missed (the database was
-- down when they came, or no replica held the gateway), and any replica
-- taking the gateway over continues from it. Discord ids are snowflakes:
-- a BIGINT compares them in time order.
CREATE TABLE thread_watermarks (
    workspace   TEXT   NOT NULL,
    thread_key  TEXT   NOT NULL,
    message_id  BIGINT NOT NULL,
    updated_ms  BIGINT NOT NULL,
    PRIMARY KEY (workspace, thread_key)
);
