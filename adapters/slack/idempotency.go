package slack

import (
	"context"
	"fmt"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/bridge"
)

// Every chat.postMessage a delivery makes carries the delivery's key in
// Slack message metadata. When the bridge says an earlier attempt may
// have posted without being recorded (bridge.DeliveryKey.MaybeSent), the
// thread (conversations.replies) or, for a top-level post such as the
// card, the channel (conversations.history) is read once, and a post
// carrying the key is adopted instead of posting again. Both need the
// channels:history / groups:history scopes docs/setup-slack.md asks for;
// both are rate limited (conversations.replies heavily for apps outside
// the Marketplace), which is acceptable on a recovery path and answered
// like any other 429: the delivery waits and looks again, never posts
// blind. Non-Marketplace apps get at most 15 messages per page since
// 2025 (and one call a minute): the window therefore starts only a minute
// before the delivery was made; a thread is read oldest first, so the
// attempt that reached Slack, soon after, is on its first page, and a
// channel's history (newest first) is followed for a few pages.

// deliveryEventType is the metadata event_type of switchboard's posts.
const deliveryEventType = "switchboard_delivery"

// Bounds of the lookup: a few pages, starting a margin before the
// delivery was created (Slack's clock and ours may differ by that much at
// most).
const (
	lookupLimit  = 200
	lookupPages  = 5
	lookupMargin = time.Minute
)

// carries says whether one of msgs is the post of delivery key.
func carries(msgs []slackapi.Message, key string) bool {
	for _, m := range msgs {
		if k, _ := m.Metadata.EventPayload["delivery"].(string); m.Metadata.EventType == deliveryEventType && k == key {
			return true
		}
	}
	return false
}

// deliveryMetadata tags a post with its delivery key.
func deliveryMetadata(key string) slackapi.MsgOption {
	return slackapi.MsgOptionMetadata(slackapi.SlackMetadata{
		EventType:    deliveryEventType,
		EventPayload: map[string]any{"delivery": key},
	})
}

// postOptions adds the metadata of the i-th post of the delivery on ctx,
// if any, to opts.
func postOptions(ctx context.Context, i int, opts ...slackapi.MsgOption) []slackapi.MsgOption {
	if dk, ok := bridge.DeliveryKeyFrom(ctx); ok {
		return append(opts, deliveryMetadata(dk.Part(i)))
	}
	return opts
}

// earlierPosts returns, by key, the ts of posts an earlier attempt of the
// delivery on ctx made in the thread (top-level in the channel when
// threadTS is empty). It reads Slack only when the bridge says such an
// attempt may exist; otherwise it returns nil at no cost.
func (w *Workspace) earlierPosts(ctx context.Context, channelID, threadTS string) (map[string]string, error) {
	dk, ok := bridge.DeliveryKeyFrom(ctx)
	if !ok || !dk.MaybeSent {
		return nil, nil
	}
	oldest := ""
	if !dk.Since.IsZero() {
		oldest = slackTS(dk.Since.Add(-lookupMargin))
	}
	var (
		msgs    []slackapi.Message
		hasMore bool
		err     error
		cursor  string
	)
	// conversations.history answers newest first: the earlier post sits
	// behind what the channel received since, so pages are followed (a
	// few at most) until it is found; a thread is read oldest first.
	for page := 0; page < lookupPages; page++ {
		var batch []slackapi.Message
		if threadTS != "" {
			batch, hasMore, cursor, err = w.api.GetConversationRepliesContext(ctx, &slackapi.GetConversationRepliesParameters{
				ChannelID: channelID, Timestamp: threadTS, Oldest: oldest, Inclusive: true, Limit: lookupLimit,
				IncludeAllMetadata: true, Cursor: cursor,
			})
		} else {
			var resp *slackapi.GetConversationHistoryResponse
			resp, err = w.api.GetConversationHistoryContext(ctx, &slackapi.GetConversationHistoryParameters{
				ChannelID: channelID, Oldest: oldest, Inclusive: true, Limit: lookupLimit, IncludeAllMetadata: true, Cursor: cursor,
			})
			if resp != nil {
				batch, hasMore, cursor = resp.Messages, resp.HasMore, resp.ResponseMetaData.NextCursor
			}
		}
		if err != nil {
			break
		}
		msgs = append(msgs, batch...)
		if !hasMore || cursor == "" || carries(batch, dk.Key) {
			break
		}
	}
	if err != nil {
		if lerr := lookupError(err); lerr != nil {
			return nil, lerr
		}
		w.cfg.Log.Warn("slack: cannot look for an earlier post of a delivery; posting it", "delivery", dk.Key,
			"channel", channelID, "thread", threadTS, "err", err)
		return nil, nil
	}
	found := map[string]string{}
	for _, m := range msgs {
		if m.Metadata.EventType != deliveryEventType {
			continue
		}
		if key, _ := m.Metadata.EventPayload["delivery"].(string); key != "" && found[key] == "" {
			found[key] = m.Timestamp
		}
	}
	if _, ok := found[dk.Key]; !ok && hasMore {
		// The pages are the bound: a channel this busy since the delivery
		// was made may hide the earlier post, which is then made again.
		w.cfg.Log.Warn("slack: earlier post of a delivery not in the pages read; posting it", "delivery", dk.Key,
			"channel", channelID, "thread", threadTS)
	}
	w.cfg.Log.Info("slack: looked for an earlier post of a delivery", "delivery", dk.Key, "channel", channelID,
		"thread", threadTS, "found", len(found))
	return found, nil
}

// lookupError classifies a failed lookup. A lookup that cannot be made
// for good (the scope is missing) is not a reason to lose the post: the
// caller posts as before. Anything else (429, 5xx, a network error) is
// the delivery's transient error, so it waits and looks again instead of
// posting blind.
func lookupError(err error) error {
	de, _ := bridge.AsDeliveryError(deliveryError("look for an earlier post", err))
	if de.Permanent && de.Reason == bridge.ReasonTokenExpired && isSlackError(err, "missing_scope") {
		return nil
	}
	if de.Permanent && de.Reason != bridge.ReasonNotInChannel && de.Reason != bridge.ReasonTokenExpired {
		// thread_not_found and the like: the post itself will say.
		return nil
	}
	return de
}

// slackTS writes t as a Slack ts ("1700000000.000123").
func slackTS(t time.Time) string {
	return fmt.Sprintf("%d.%06d", t.Unix(), t.Nanosecond()/1000)
}
