package instagram_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
)

// Quick replies as Instagram documents them
// (https://developers.facebook.com/docs/messenger-platform/instagram/features/quick-replies/):
// message.text plus quick_replies[{content_type:"text",title,payload}],
// titles cut at 20 characters; this is what the satisfaction survey uses.
func TestSendButtonsAsQuickReplies(t *testing.T) {
	t.Parallel()
	c, fake := newClient(t)
	mid, err := c.SendButtons(context.Background(), loginAccount, "1254459154682919", "How did we do?",
		[]bridge.ReplyButton{{ID: "csat:5", Title: "Excellent, thank you very much"}, {ID: "csat:1", Title: "Bad"}})
	require.NoError(t, err)
	require.NotEmpty(t, mid)
	sends := fake.Sends()
	require.Len(t, sends, 1)
	require.Contains(t, string(sends[0].Raw), `"quick_replies":[{"content_type":"text","title":"Excellent, thank you","payload":"csat:5"},{"content_type":"text","title":"Bad","payload":"csat:1"}]`)
	require.Contains(t, string(sends[0].Raw), `"text":"How did we do?"`)

	_, err = c.SendButtons(context.Background(), loginAccount, "1254459154682919", "?", nil)
	require.Equal(t, bridge.ReasonInvalidRequest, deliveryError(t, err).Reason)
}
