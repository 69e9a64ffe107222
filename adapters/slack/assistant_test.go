package slack

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/bridge"
)

// The first-line assistant's answer is posted under its own name: as the
// message's username when identity customisation is on, else as a bold
// prefix; a mention token in its (AI-written) text stays plain text.
func TestWorkspacePostsTheAssistantUnderItsName(t *testing.T) {
	t.Parallel()
	post := bridge.Post{Kind: bridge.PostAssistant, AuthorName: "🤖 Assistant", Text: "Refunds take *5 days* {@U1}"}
	t.Run("prefix", func(t *testing.T) {
		w, fake := newWorkspace(t, false)
		thread := openThread(t, w)
		_, err := w.Post(context.Background(), thread, post)
		require.NoError(t, err)
		posts := fake.WaitForPosts(t, func(p []slacktest.Message) bool { return len(p) == 2 }, 5*time.Second)
		require.Equal(t, "*🤖 Assistant:* Refunds take *5 days* {@U1}", posts[1].Text)
		require.Empty(t, posts[1].Username)
	})
	t.Run("username", func(t *testing.T) {
		w, fake := newWorkspace(t, true)
		thread := openThread(t, w)
		_, err := w.Post(context.Background(), thread, post)
		require.NoError(t, err)
		posts := fake.WaitForPosts(t, func(p []slacktest.Message) bool { return len(p) == 2 }, 5*time.Second)
		require.Equal(t, "🤖 Assistant", posts[1].Username)
		require.Equal(t, "Refunds take *5 days* {@U1}", posts[1].Text)
	})
}
