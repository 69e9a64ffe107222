package slack

import (
	"context"
	"fmt"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/bridge"
)

// mentionBudget bounds the lookups of the names an agent's message
// mentions, all together: they run while Slack waits for our answer to
// the event (3 s), and a name not found in time is left out.
const mentionBudget = 1500 * time.Millisecond

// names returns the resolvers ConvertMrkdwn uses for a message handled
// under ctx: users and channels through ResolveUser and ResolveChannel
// (cached by the workspace), broadcast mentions as the catalogue's word in
// the handler's language.
func (h *Handler) names(ctx context.Context) Names {
	deadline := time.Now().Add(mentionBudget)
	bounded := func(resolve func(context.Context, string) string) func(string) string {
		if resolve == nil {
			return nil
		}
		return func(id string) string {
			ctx, cancel := context.WithDeadline(ctx, deadline)
			defer cancel()
			return resolve(ctx, id)
		}
	}
	return Names{User: bounded(h.ResolveUser), Channel: bounded(h.ResolveChannel),
		Everyone: bridge.Text(h.lang(), "markup.everyone")}
}

// ResolveUser is UserName for ConvertMrkdwn: "" when users.info fails
// (the mention is then left out of the customer's text).
func (w *Workspace) ResolveUser(ctx context.Context, userID string) string {
	name, err := w.UserName(ctx, userID)
	if err != nil {
		w.cfg.Log.Warn("slack mention not resolved; left out of the customer's text", "user", userID, "err", err)
		return ""
	}
	return name
}

// ResolveChannel is ChannelName for ConvertMrkdwn: "" when it fails.
func (w *Workspace) ResolveChannel(ctx context.Context, channelID string) string {
	name, err := w.ChannelName(ctx, channelID)
	if err != nil {
		w.cfg.Log.Warn("slack channel mention not resolved; left out of the customer's text", "channel", channelID, "err", err)
		return ""
	}
	return name
}

// ChannelName is a channel's name (conversations.info, Tier 3), cached
// for an hour with the display names (keyed "#id", which no user id is).
func (w *Workspace) ChannelName(ctx context.Context, channelID string) (string, error) {
	key := "#" + channelID
	w.names.mu.Lock()
	c, ok := w.names.byID[key]
	w.names.mu.Unlock()
	if ok && time.Since(c.at) < nameCacheFor {
		return c.name, nil
	}
	ch, err := w.api.GetConversationInfoContext(ctx, &slackapi.GetConversationInfoInput{ChannelID: channelID})
	if err != nil {
		return "", fmt.Errorf("slack conversations.info %s: %w", channelID, err)
	}
	name := strings.TrimSpace(ch.Name)
	w.names.mu.Lock()
	if w.names.byID == nil {
		w.names.byID = map[string]cachedName{}
	}
	w.names.byID[key] = cachedName{name: name, at: time.Now()}
	w.names.mu.Unlock()
	return name, nil
}
