-- Agents' availability as they set it (or as a source such as presence
-- reports it), and the round-robin cursor of each team.
CREATE TABLE agent_status (
    workspace   TEXT   NOT NULL,
    user_id     TEXT   NOT NULL,
    state       TEXT   NOT NULL,
    source      TEXT   NOT NULL,
    updated_ms  BIGINT NOT NULL,
    PRIMARY KEY (workspace, user_id)
);

CREATE TABLE team_cursors (
    team     TEXT   PRIMARY KEY,
    cursor   TEXT   NOT NULL,
    version  BIGINT NOT NULL
);

CREATE INDEX conversations_assignee ON conversations (assignee, state);
