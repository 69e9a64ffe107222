package bridge

import (
	"context"
	"errors"
)

// Canned responses in a thread. (Filled in by the canned-responses work.)

// CannedChoices implements Picker.
func (b *Bridge) CannedChoices(ctx context.Context, q PickerQuery) ([]CannedChoice, error) {
	return nil, errors.New("canned choices: not implemented yet")
}
