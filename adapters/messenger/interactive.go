package messenger

import (
	"context"
	"fmt"

	"github.com/switchboard/switchboard/adapters/internal/metamsg"
	"github.com/switchboard/switchboard/bridge"
)

// maxQuickReplies is the Send API's limit of quick replies per message.
const maxQuickReplies = 13

// SendButtons sends text with quick replies; a press comes back as a
// message with quick_reply.payload = the button's ID (metamsg.Parse makes
// it KindInteractive).
func (c *Client) SendButtons(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, text string, buttons []bridge.ReplyButton) (string, error) {
	if len(buttons) == 0 || len(buttons) > maxQuickReplies {
		return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "buttons",
			Err: fmt.Errorf("messenger quick replies: %d buttons, want 1 to %d", len(buttons), maxQuickReplies)}
	}
	replies := make([]metamsg.QuickReplyOut, 0, len(buttons))
	for _, b := range buttons {
		replies = append(replies, metamsg.QuickReplyOut{ContentType: "text", Title: truncate(b.Title, 20), Payload: b.ID})
	}
	return c.sendMessage(ctx, inbox, metamsg.QuickRepliesRequest(string(to), text, replies, metamsg.SendFlags{}))
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
