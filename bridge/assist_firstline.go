package bridge

import (
	"context"
	"errors"
	"time"
)

// The first-line assistant (issue 11): a team that turned it on lets it
// answer customers from the knowledge base, every exchange shown in the
// thread marked 🤖, until it hands the conversation over to people.

// TODO(assist-firstline): everything below is a stub of the contract.

func (b *Bridge) runFirstLine(ctx context.Context, d Delivery, dc deliveryContext) (outcome, error) {
	return outcome{}, errors.New("the first-line assistant is not built yet")
}

func (b *Bridge) firstLineDone(ctx context.Context, tx Tx, d Delivery, out outcome, now time.Time) error {
	return nil
}

func (b *Bridge) firstLineFailed(ctx context.Context, tx Tx, d Delivery, dc deliveryContext, now time.Time) error {
	return nil
}
