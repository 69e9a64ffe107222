-- Canned responses: short texts agents send with one command, per team
-- (team '' for every team) and per language (language '' for any). The
-- config's are written at every start-up (source 'config'); the ones
-- supervisors add from Slack or Discord (source 'chat') are kept across
-- restarts. Every replica reads the same list.
CREATE TABLE canned_responses (
    team        TEXT   NOT NULL,
    name        TEXT   NOT NULL,
    language    TEXT   NOT NULL,
    body        TEXT   NOT NULL,
    source      TEXT   NOT NULL,
    updated_by  TEXT   NOT NULL DEFAULT '',
    updated_ms  BIGINT NOT NULL,
    PRIMARY KEY (team, name, language)
);
