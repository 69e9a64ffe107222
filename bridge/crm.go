package bridge

import (
	"context"

	"github.com/switchboard/switchboard/bridge/contacts"
)

// The outbound CRM webhook (issue 12, docs/crm.md): every change to a
// person or one of their conversations that a business's own CRM cares
// about is recorded with crmChanged in the transaction that makes it, and
// leaves as a signed, retried, durable delivery.

// crmChanged records ch for the CRM webhook, when one is configured.
// Called inside the transaction that makes the change; it must not call
// the network.
func (b *Bridge) crmChanged(ctx context.Context, tx Tx, ch contacts.Change) error {
	_, _, _ = ctx, tx, ch // the webhook delivery is built in issue 12's CRM branch
	return nil
}
