package bridge

import "time"

// Customer identities (issue 12). Each channel names its customers its own
// way: WhatsApp by wa_id (a phone number) and, since 2026, by a
// business-scoped user id (BSUID) that may come without any phone number;
// Messenger by page-scoped id, Instagram by Instagram-scoped id, e-mail by
// address. inboundContact turns what a message says of its sender into
// the contact row it belongs to; storage finds or creates it (and its
// person).

// inboundContact is the identity m's sender writes from, as UpsertContact
// takes it.
func (b *Bridge) inboundContact(m InboundMessage, now time.Time) Contact {
	ch := b.inboxChannel(m.Inbox)
	c := Contact{Channel: string(ch), Address: m.From, Name: m.ProfileName, CreatedAt: now,
		UserID: m.FromUserID, ParentUserID: m.FromParentUserID, Username: m.FromUsername, Email: m.FromEmail}
	switch ch {
	case ChannelWhatsApp:
		if m.From != "" && CustomerAddress(m.FromUserID) != m.From {
			c.Phone = string(m.From) // a wa_id is the phone number's digits
		}
	case ChannelEmail:
		if c.Email == "" {
			c.Email = string(m.From)
		}
	}
	return c
}
