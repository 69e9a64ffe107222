package instagram

import (
	"context"
	"fmt"

	"github.com/switchboard/switchboard/adapters/internal/metamsg"
	"github.com/switchboard/switchboard/bridge"
)

// maxQuickReplies is Instagram's limit of quick replies per message; each
// title is cut at 20 characters
// (https://developers.facebook.com/docs/messenger-platform/instagram/features/quick-replies/).
const maxQuickReplies = 13

var _ bridge.InteractiveSender = (*Client)(nil)

// SendButtons sends text with quick replies (the satisfaction survey); a
// press comes back as a message with quick_reply.payload = the button's
// ID, which metamsg.Parse makes KindInteractive.
func (c *Client) SendButtons(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, text string, buttons []bridge.ReplyButton) (string, error) {
	if len(buttons) == 0 || len(buttons) > maxQuickReplies {
		return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "buttons",
			Err: fmt.Errorf("instagram quick replies: %d buttons, want 1 to %d", len(buttons), maxQuickReplies)}
	}
	replies := make([]metamsg.QuickReplyOut, 0, len(buttons))
	for _, b := range buttons {
		title := []rune(b.Title)
		if len(title) > 20 {
			title = title[:20]
		}
		replies = append(replies, metamsg.QuickReplyOut{ContentType: "text", Title: string(title), Payload: b.ID})
	}
	return c.send(ctx, inbox, metamsg.QuickRepliesRequest(string(to), text, replies, metamsg.SendFlags{}))
}
