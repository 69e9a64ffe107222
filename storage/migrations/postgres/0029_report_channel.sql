-- Reports split by customer channel (issue 12): every observation of the
-- report summary carries its conversation's channel (a conversation never
-- changes channel), so a report filters and groups by it without joining
-- conversations. Observations summarised before are backfilled here; the
-- refresh writes it from now on.
ALTER TABLE report_observations ADD COLUMN channel TEXT NOT NULL DEFAULT 'whatsapp';
UPDATE report_observations o SET channel = c.channel FROM conversations c
WHERE c.id = o.conversation_id AND c.channel <> 'whatsapp';
-- A channel's report reads one range per kind, like a team's.
CREATE INDEX report_observations_channel ON report_observations (channel, kind, at_ms, agent);
