-- Who is in each workspace channel (Slack conversations.members, kept
-- fresh by member_joined_channel / member_left_channel), shared by every
-- replica: a team without a members list counts these people as its
-- agents. A channel without a channel_rosters row was never read, and its
-- team then refuses everyone but its pinned members and supervisors.
CREATE TABLE channel_rosters (
    workspace   TEXT   NOT NULL,
    channel_id  TEXT   NOT NULL,
    loaded_ms   BIGINT NOT NULL,
    PRIMARY KEY (workspace, channel_id)
);

CREATE TABLE channel_members (
    workspace   TEXT NOT NULL,
    channel_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    PRIMARY KEY (workspace, channel_id, user_id)
);
