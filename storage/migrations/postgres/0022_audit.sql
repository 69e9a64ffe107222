-- Person-level audit (issue 12): `switchboard contact export` and
-- `contact erase` act on a person, not a conversation, so they are not
-- events (the event log is per conversation). One row per action: what,
-- whose, who did it ("cli" for the command line), when. detail never
-- holds personal data (counts of what was erased, the output's size).
CREATE TABLE audit_log (
    id         BIGSERIAL PRIMARY KEY,
    action     TEXT   NOT NULL,
    person_id  BIGINT NOT NULL,
    actor      TEXT   NOT NULL,
    detail     TEXT   NOT NULL DEFAULT '',
    at_ms      BIGINT NOT NULL
);
CREATE INDEX audit_log_person ON audit_log (person_id, id);
