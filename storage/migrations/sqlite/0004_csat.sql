-- Supervision: satisfaction surveys, SLA announcements and digests
-- (bridge/csat.go, bridge/sla.go, bridge/digest.go).

-- One survey per conversation, ever: the primary key is what keeps a
-- conversation resolved twice from being surveyed twice. Reports read the
-- surveys sent in a period (csat_team_sent, csat_sent).
CREATE TABLE csat (
    conversation_id  BIGINT  PRIMARY KEY,
    team             TEXT    NOT NULL,
    agent            TEXT    NOT NULL DEFAULT '',
    sent_ms          BIGINT  NOT NULL,
    answered_ms      BIGINT  NOT NULL DEFAULT 0,
    score            INTEGER NOT NULL DEFAULT 0,
    comment          TEXT    NOT NULL DEFAULT '',
    comment_ms       BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX csat_team_sent ON csat (team, sent_ms);
CREATE INDEX csat_sent ON csat (sent_ms);

-- SLA warnings and breaches announced: one per run of a clock and level.
CREATE TABLE sla_alerts (
    conversation_id  BIGINT NOT NULL,
    clock            TEXT   NOT NULL,
    started_ms       BIGINT NOT NULL,
    level            TEXT   NOT NULL,
    at_ms            BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, clock, started_ms, level)
);

-- One digest per team, kind and local day ("support/daily/2025-03-24"),
-- claimed with a lease by the replica that posts it.
CREATE TABLE digests (
    period_key      TEXT    PRIMARY KEY,
    team            TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    lease_until_ms  BIGINT  NOT NULL DEFAULT 0,
    created_ms      BIGINT  NOT NULL,
    finished_ms     BIGINT  NOT NULL DEFAULT 0
);
