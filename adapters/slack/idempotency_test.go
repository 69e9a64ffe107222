package slack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/bridge"
)

// deliveryOf reads the delivery key from a fake post's metadata.
func deliveryOf(t *testing.T, m slacktest.Message) string {
	t.Helper()
	var md struct {
		EventType    string            `json:"event_type"`
		EventPayload map[string]string `json:"event_payload"`
	}
	require.NoError(t, json.Unmarshal(m.Metadata, &md), "post %s has metadata", m)
	require.Equal(t, "switchboard_delivery", md.EventType)
	return md.EventPayload["delivery"]
}

func TestPostsCarryTheirDeliveryKey(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	since := time.Now()
	ctx := bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d41", Since: since})
	thread, err := w.OpenThread(ctx, "C1", testCard)
	require.NoError(t, err)
	ctx = bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d42", Since: since})
	_, err = w.Post(ctx, thread, bridge.Post{Kind: bridge.PostCustomer, AuthorName: "Ana", Text: strings.Repeat("word ", MaxMessageBytes/5+10)})
	require.NoError(t, err)
	_, err = w.Post(context.Background(), thread, bridge.Post{Kind: bridge.PostSystem, Text: "not a delivery's"})
	require.NoError(t, err)

	posts := fake.Posts()
	require.Len(t, posts, 4)
	require.Equal(t, "d41", deliveryOf(t, posts[0]), "the card")
	require.Equal(t, "d42", deliveryOf(t, posts[1]), "a long text's first piece")
	require.Equal(t, "d42.2", deliveryOf(t, posts[2]), "and its second")
	require.Nil(t, posts[3].Metadata, "a post outside a delivery has none")
	require.Zero(t, fake.Calls("conversations.replies")+fake.Calls("conversations.history"),
		"no lookup unless an earlier attempt may have posted")
}

func TestMaybeSentPostIsAdoptedNotRepeated(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	since := time.Now()
	first := bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d7", Since: since})
	thread, err := w.OpenThread(first, "C1", testCard)
	require.NoError(t, err)
	text := strings.Repeat("word ", MaxMessageBytes/5+10)
	posted, err := w.Post(bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d8", Since: since}), thread,
		bridge.Post{Kind: bridge.PostCustomer, AuthorName: "Ana", Text: text})
	require.NoError(t, err)
	require.Len(t, fake.Posts(), 3)

	// The same deliveries again, their first attempts unrecorded.
	again, err := w.OpenThread(bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d7", MaybeSent: true, Since: since}),
		"C1", testCard)
	require.NoError(t, err)
	require.Equal(t, thread, again, "the card found is the thread")
	key, err := w.Post(bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d8", MaybeSent: true, Since: since}), thread,
		bridge.Post{Kind: bridge.PostCustomer, AuthorName: "Ana", Text: text})
	require.NoError(t, err)
	require.Equal(t, posted, key, "the post found is adopted")
	require.Len(t, fake.Posts(), 3, "nothing posted twice")
	require.Equal(t, 1, fake.Calls("conversations.history"))
	require.Equal(t, 1, fake.Calls("conversations.replies"), "one lookup for all the pieces")
}

func TestMaybeSentPostNotFoundIsPostedOnce(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	since := time.Now()
	thread := openThread(t, w)
	_, err := w.Post(bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d1", Since: since}), thread,
		bridge.Post{Kind: bridge.PostSystem, Text: "another delivery"})
	require.NoError(t, err)

	key, err := w.Post(bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d2", MaybeSent: true, Since: since}), thread,
		bridge.Post{Kind: bridge.PostSystem, Text: "hello"})
	require.NoError(t, err)
	posts := fake.Posts()
	require.Len(t, posts, 3)
	require.Equal(t, key, posts[2].TS)
	require.Equal(t, "d2", deliveryOf(t, posts[2]))
	require.Equal(t, 1, fake.Calls("conversations.replies"))

	ref, err := w.OpenThread(bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d3", MaybeSent: true, Since: since}),
		"C1", testCard)
	require.NoError(t, err)
	require.Len(t, fake.Posts(), 4, "a card not found is posted")
	require.Equal(t, fake.Posts()[3].TS, ref.ThreadKey)
}

func TestFailedLookupIsRetryableNeverABlindPost(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	thread := openThread(t, w)
	ctx := bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d9", MaybeSent: true, Since: time.Now()})

	fake.FailNext("conversations.replies", 1, slacktest.RateLimited(3*time.Second))
	_, err := w.Post(ctx, thread, bridge.Post{Kind: bridge.PostSystem, Text: "hello"})
	de := requireDeliveryError(t, err, false, bridge.ReasonRateLimited)
	require.Equal(t, 3*time.Second, de.RetryAfter)

	fake.FailNext("conversations.history", 1, slacktest.ServerError(503))
	_, err = w.OpenThread(ctx, "C1", testCard)
	requireDeliveryError(t, err, false, bridge.ReasonTemporary)
	require.Len(t, fake.Posts(), 1, "only the first card: nothing posted blind")

	// A lookup that can never work (the scope is missing) loses nothing.
	fake.FailNext("conversations.replies", 1, slacktest.SlackError("missing_scope"))
	_, err = w.Post(ctx, thread, bridge.Post{Kind: bridge.PostSystem, Text: "hello"})
	require.NoError(t, err)
	require.Len(t, fake.Posts(), 2)
}

func TestFakeReturnsMetadataOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	w, _ := newWorkspace(t, false)
	ctx := bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d5"})
	thread, err := w.OpenThread(ctx, "C1", testCard)
	require.NoError(t, err)
	_, err = w.Post(bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d6"}), thread, bridge.Post{Kind: bridge.PostSystem, Text: "x"})
	require.NoError(t, err)
	for _, all := range []bool{false, true} {
		hist, err := w.api.GetConversationHistoryContext(context.Background(), &slackapi.GetConversationHistoryParameters{ChannelID: "C1", IncludeAllMetadata: all})
		require.NoError(t, err)
		require.Len(t, hist.Messages, 1, "the card; the reply is in its thread")
		replies, _, _, err := w.api.GetConversationRepliesContext(context.Background(), &slackapi.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: thread.ThreadKey, IncludeAllMetadata: all})
		require.NoError(t, err)
		require.Len(t, replies, 2, "the parent and its reply")
		if all {
			require.Equal(t, "d5", hist.Messages[0].Metadata.EventPayload["delivery"])
			require.Equal(t, "d6", replies[1].Metadata.EventPayload["delivery"])
		} else {
			require.Empty(t, hist.Messages[0].Metadata.EventType)
			require.Empty(t, replies[1].Metadata.EventType)
		}
	}
}
