-- AI suggestions and summaries (issue 11, bridge/assist_agent.go).
--
-- ai_drafts are replies the assistant suggested to one agent, shown only
-- to them. state moves once, from shown to sent, edited (sent after an
-- edit) or discarded, by a conditional update: a double click or a retry
-- sends a draft at most once. sources are the cited passages as JSON
-- (source and heading, never the text).
CREATE TABLE ai_drafts (
    id               BIGSERIAL PRIMARY KEY,
    conversation_id  BIGINT NOT NULL,
    user_id          TEXT   NOT NULL,
    text             TEXT   NOT NULL,
    language         TEXT   NOT NULL DEFAULT '',
    sources          TEXT   NOT NULL DEFAULT '[]',
    state            TEXT   NOT NULL DEFAULT 'shown',
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
);
CREATE INDEX ai_drafts_conversation ON ai_drafts (conversation_id, id);

-- conversation_summaries are AI summaries of a conversation: asked for
-- in the thread, made at a transfer, a hand-over or a resolve (reason).
-- The newest one of a customer's earlier conversation shows on the card
-- of their next one.
CREATE TABLE conversation_summaries (
    id               BIGSERIAL PRIMARY KEY,
    conversation_id  BIGINT NOT NULL,
    reason           TEXT   NOT NULL,
    text             TEXT   NOT NULL,
    created_ms       BIGINT NOT NULL
);
CREATE INDEX conversation_summaries_conversation ON conversation_summaries (conversation_id, id);
