package bridge

import (
	"context"
	"errors"
	"time"
)

// Suggestions and summaries for agents (issue 11): "Suggest reply" on the
// card, !suggest and /suggest draft a reply shown only to the agent, with
// Send, Edit and Discard; !summary, /summary, a transfer and a resolve
// summarise the conversation.

// TODO(assist-agent): everything below is a stub of the contract.

func (b *Bridge) runAgentAssist(ctx context.Context, d Delivery, dc deliveryContext) (outcome, error) {
	return outcome{}, errors.New("suggestions and summaries are not built yet")
}

func (b *Bridge) agentAssistDone(ctx context.Context, tx Tx, d Delivery, out outcome, now time.Time) error {
	return nil
}

func (b *Bridge) agentAssistFailed(ctx context.Context, tx Tx, d Delivery, dc deliveryContext, now time.Time) error {
	return nil
}

// DraftText implements Drafts.
func (b *Bridge) DraftText(ctx context.Context, conv ConversationID, value, userID string) (string, error) {
	return "", ErrNotFound
}

var _ Drafts = (*Bridge)(nil)
