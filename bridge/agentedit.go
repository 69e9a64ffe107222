package bridge

import "context"

// HandleAgentEdit is an agent editing a message of theirs in a thread.
// WhatsApp cannot edit a message once sent: a reply still queued is
// updated instead; one already sent is answered in the thread (and, when
// the team asks for it, followed by a correction).
func (b *Bridge) HandleAgentEdit(ctx context.Context, edit AgentEdit) error {
	return nil // built by the edits and deletes work (issue 17)
}

// HandleAgentDelete is a message deleted from a thread. WhatsApp cannot
// unsend: a reply still queued is cancelled; one already sent is answered
// in the thread.
func (b *Bridge) HandleAgentDelete(ctx context.Context, del AgentDelete) error {
	return nil // built by the edits and deletes work (issue 17)
}
