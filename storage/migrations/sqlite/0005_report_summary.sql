-- The report summary (storage/report_summary.go): each conversation's
-- observations (bridge/report.Observe), so a report counts and sorts
-- rows of one small table instead of replaying the event log.
--
-- report_dirty lists the conversations whose observations are stale. The
-- triggers below add a row when a conversation is created or gets an event
-- a report reads, in the writer's own statement (no extra round trip); the
-- refresh takes rows out and rewrites those conversations' observations
-- in one transaction, so an event committed later marks it again. The
-- table has no unique key on purpose: a plain insert never waits for
-- another writer's, where an upsert on one conversation's key would make
-- the concurrent messages of that conversation queue behind each other.
CREATE TABLE report_dirty (
    conversation_id BIGINT NOT NULL
);
CREATE INDEX report_dirty_conversation ON report_dirty (conversation_id);

CREATE TABLE report_observations (
    conversation_id BIGINT  NOT NULL,
    kind            TEXT    NOT NULL,
    at_ms           BIGINT  NOT NULL,
    team            TEXT    NOT NULL,
    agent           TEXT    NOT NULL,
    inbox           TEXT    NOT NULL,
    wall_ms         BIGINT  NOT NULL,
    business_ms     BIGINT  NOT NULL,
    same_team       BOOLEAN NOT NULL,
    same_agent      BOOLEAN NOT NULL
);
-- A team's report reads one range per kind; the all-teams report the
-- second index; the refresh deletes by conversation. The first two carry
-- every column the report reads, so it never visits the table (an
-- index-only scan: 100,000 conversations' clocks in about 40 ms).
CREATE INDEX report_observations_team ON report_observations (team, kind, at_ms, agent, same_team, same_agent, wall_ms, business_ms);
CREATE INDEX report_observations_kind ON report_observations (kind, at_ms, agent, same_team, same_agent, wall_ms, business_ms);
CREATE INDEX report_observations_conversation ON report_observations (conversation_id);

-- Who is waiting for an answer, since when (the backlog's oldest wait and
-- SLA breaches); only conversations with a waiting customer have a row.
CREATE TABLE report_waits (
    conversation_id BIGINT  PRIMARY KEY,
    since_ms        BIGINT  NOT NULL,
    first           BOOLEAN NOT NULL
);

-- The backlog of a team: its conversations not resolved.
CREATE INDEX conversations_team_open ON conversations (team) WHERE state <> 'resolved';

-- The kinds are those report.Observe reads (storage.reportEventKinds).
CREATE TRIGGER events_report_dirty AFTER INSERT ON events FOR EACH ROW
WHEN NEW.kind IN ('routed', 'received', 'replied', 'claimed', 'unclaimed', 'assigned', 'taken_over', 'transferred', 'resolved', 'reopened')
BEGIN
    INSERT INTO report_dirty (conversation_id) VALUES (NEW.conversation_id);
END;
CREATE TRIGGER conversations_report_dirty AFTER INSERT ON conversations FOR EACH ROW
BEGIN
    INSERT INTO report_dirty (conversation_id) VALUES (NEW.id);
END;

-- Conversations from before this migration are summarised by the first
-- refresh.
INSERT INTO report_dirty (conversation_id) SELECT id FROM conversations;
