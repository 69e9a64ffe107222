package bridge

import (
	"context"
	"errors"
	"time"

	"github.com/switchboard/switchboard/bridge/templates"
)

// Sending templates from a thread. (Filled in by the template-sending work.)

var _ Picker = (*Bridge)(nil)

// TemplateChoices implements Picker.
func (b *Bridge) TemplateChoices(ctx context.Context, q PickerQuery) (TemplateChoices, error) {
	return TemplateChoices{}, errors.New("template choices: not implemented yet")
}

// queueTemplate stores an agent's template send in conv (an outbound
// message whose body is the rendered template) and enqueues its delivery
// in the customer lane; it is allowed outside the 24-hour window. author
// is the agent; workspaceKey is the thread message that asked for it
// ("" for a modal or a started conversation).
func (b *Bridge) queueTemplate(ctx context.Context, tx Tx, conv Conversation, author string, tpl templates.Template, values []string, workspaceKey string, now time.Time) error {
	return errors.New("queue template: not implemented yet")
}
