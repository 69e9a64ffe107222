package bridge

import (
	"context"
	"time"
)

// Customer names from a channel's profile API (issue 12). Messenger and
// Instagram webhooks name a customer only by id; their channels read the
// name (ProfileReader). It is read when the card is drawn (opening the
// thread, updating the card), outside any transaction and never while a
// webhook waits, and stored when the delivery is recorded, so the card
// and every later post show it.

// maxProfileCall bounds a profile read: the card is drawn without the
// name rather than late.
const maxProfileCall = 5 * time.Second

// readProfileName returns dc's contact with its name read from the
// channel when it has none, and the name read ("" when there was nothing
// to read or the read failed: the card goes without it).
func (b *Bridge) readProfileName(ctx context.Context, dc deliveryContext) (Contact, string) {
	contact := dc.contact
	if contact.Name != "" || contact.Address == "" {
		return contact, ""
	}
	pr, ok := b.channelFor(dc.conv.Inbox).(ProfileReader)
	if !ok {
		return contact, ""
	}
	rctx, cancel := context.WithTimeout(ctx, maxProfileCall)
	defer cancel()
	name, err := pr.CustomerName(rctx, dc.conv.Inbox, contact.Address)
	if err != nil {
		b.log.Warn("reading the customer's name failed; the card goes without it",
			"conversation", dc.conv.ID, "channel", dc.conv.Channel, "err", err)
		return contact, ""
	}
	contact.Name = name
	return contact, name
}

// storeProfileName stores a name readProfileName read, on the contact of
// conv, unless the contact got one meanwhile.
func (b *Bridge) storeProfileName(ctx context.Context, tx Tx, conv ConversationID, name string) error {
	if name == "" {
		return nil
	}
	c, err := tx.GetConversation(ctx, conv)
	if err != nil {
		return err
	}
	return tx.SetContactName(ctx, c.ContactID, name)
}
