package bridge

import (
	"context"
)

// PollPresence asks each workspace that can tell (PresenceReader) whether
// the members of its teams are active, and records it as their availability
// with source "presence". A manual choice (/switchboard available|away) wins
// over presence until the agent changes it again. Run periodically by one
// replica; one call per member per run keeps within Slack's Tier 3 limit for
// teams of up to about 50 agents at a one-minute period.
func (b *Bridge) PollPresence(ctx context.Context) error {
	seen := map[string]bool{}
	for _, t := range b.teams {
		ws, ok := b.workspaces[t.Workspace]
		if !ok {
			continue
		}
		reader, ok := ws.(PresenceReader)
		if !ok {
			continue
		}
		for _, user := range t.Members {
			key := string(t.Workspace) + ":" + user
			if seen[key] {
				continue
			}
			seen[key] = true
			active, err := reader.Presence(ctx, user)
			if err != nil {
				b.log.Warn("presence not read", "user", user, "err", err)
				continue
			}
			if err := b.recordPresence(ctx, t.Workspace, user, active); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *Bridge) recordPresence(ctx context.Context, ws WorkspaceKind, user string, active bool) error {
	now := b.now()
	return b.inTx(ctx, func(tx Tx) error {
		statuses, err := tx.AgentStatuses(ctx, ws)
		if err != nil {
			return err
		}
		st, ok := statuses[user]
		if ok && st.Source == "manual" {
			return nil // the agent's own choice wins
		}
		state := Away
		if active {
			state = Available
		}
		if ok && st.State == state {
			return nil
		}
		if err := tx.SetAgentStatus(ctx, ws, AgentStatus{UserID: user, State: state, Source: "presence", Since: now}); err != nil {
			return err
		}
		if state != Available {
			return nil
		}
		teams, _, err := b.teamsOf(ctx, tx, Person{ID: user})
		if err != nil {
			return err
		}
		for _, t := range teams {
			if err := b.drainQueue(ctx, tx, t.Name, now); err != nil {
				return err
			}
		}
		return nil
	})
}
