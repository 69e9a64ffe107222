-- The first-line assistant (issue 11): one session per conversation it
-- answered first. state is active while the assistant holds the
-- conversation, then handed_over (reason says why: requested, max_turns,
-- low_confidence, negative, agent, unavailable, unsupported, hours) or
-- resolved (resolved while the assistant held it). turns counts the
-- answers it sent. Reports read it for hand-over reasons and the
-- conversations the assistant resolved.
CREATE TABLE firstline_sessions (
    conversation_id BIGINT  PRIMARY KEY,
    team            TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    turns           INTEGER NOT NULL DEFAULT 0,
    reason          TEXT    NOT NULL DEFAULT '',
    started_ms      BIGINT  NOT NULL,
    ended_ms        BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX firstline_sessions_started ON firstline_sessions (started_ms);
