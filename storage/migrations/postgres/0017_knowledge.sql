-- The knowledge base (issue 11): documents read from the configured
-- folders and URLs, cut into chunks, each with its embedding when the AI
-- provider computes them (little-endian float32, and the model that made
-- it). Every replica builds its search index from these rows; kb_version
-- goes up with every change so a replica knows its index is stale.
CREATE TABLE kb_documents (
    id          BIGSERIAL PRIMARY KEY,
    team        TEXT   NOT NULL,
    source      TEXT   NOT NULL,
    title       TEXT   NOT NULL,
    hash        TEXT   NOT NULL,
    indexed_ms  BIGINT NOT NULL,
    UNIQUE (team, source)
);
CREATE TABLE kb_chunks (
    id            BIGSERIAL PRIMARY KEY,
    document      BIGINT  NOT NULL REFERENCES kb_documents (id) ON DELETE CASCADE,
    team          TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    heading       TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    ordinal       INTEGER NOT NULL,
    vector        BYTEA,
    vector_model  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX kb_chunks_document ON kb_chunks (document);
CREATE TABLE kb_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  BIGINT  NOT NULL
);
INSERT INTO kb_version (id, version) VALUES (1, 0);
