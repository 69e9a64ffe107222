-- Counts the joins and leaves recorded since a channel's member list was
-- read: a refresh that read the list before one of them must not undo it
-- (it stores its list only if the version it saw is still current).
ALTER TABLE channel_rosters ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
