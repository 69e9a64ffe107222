-- A lane taken over from a holder whose lease ran out says so (AcquireLane
-- returns it from its one upsert): that holder may have posted its head
-- and died before recording it, so the new holder looks for the post
-- before posting again (bridge/idempotency.go).
ALTER TABLE lanes ADD COLUMN taken_over BOOLEAN NOT NULL DEFAULT FALSE;
