package bridge

import (
	"context"
	"errors"
	"time"
)

// Routing by the LLM classifier (issue 11): when routing rules match on
// an LLM label, a new conversation's thread waits (at most
// Options.ClassifyWait) while the assistant classifies its first message;
// the offline classifier decides when the provider fails.

// TODO(assist-route): everything below is a stub of the contract.

func (b *Bridge) runClassify(ctx context.Context, d Delivery, dc deliveryContext) (outcome, error) {
	return outcome{}, errors.New("LLM routing is not built yet")
}

func (b *Bridge) classifyDone(ctx context.Context, tx Tx, d Delivery, out outcome, now time.Time) error {
	return nil
}

func (b *Bridge) classifyFailed(ctx context.Context, tx Tx, d Delivery, dc deliveryContext, now time.Time) error {
	return nil
}
