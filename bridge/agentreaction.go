package bridge

import "context"

// HandleAgentReaction is an agent reacting to a message in a thread: a
// reaction to a customer's message reaches the customer as a WhatsApp
// reaction (and is taken back when removed).
func (b *Bridge) HandleAgentReaction(ctx context.Context, r AgentReaction) error {
	return nil // built by the reactions work (issue 17)
}
