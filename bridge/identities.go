package bridge

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"
)

// Customer identities (issue 12). Each channel names its customers its own
// way: WhatsApp by wa_id (a phone number) and, since 2026, by a
// business-scoped user id (BSUID) that may come without any phone number;
// Messenger by page-scoped id, Instagram by Instagram-scoped id, e-mail by
// address. inboundContact turns what a message says of its sender into
// the contact row it belongs to; storage finds or creates it (and its
// person): by (channel, user id) when a BSUID is given, else by address,
// so a customer first seen by phone and later by BSUID (or the reverse)
// stays one contact.

// IdentityChange is what a WhatsApp system message says changed about
// its sender (InboundMessage.IdentityChange):
//   - user_changed_number: the customer moved to NewPhone; WhatsApp also
//     generates a new BSUID then (NewUserID, when given), the old one in
//     PreviousUserID;
//   - user_changed_user_id: only the BSUID changed (no phone number).
//
// Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/system/
// and the changelog entry of Aug 11, 2026.
type IdentityChange struct {
	Kind                 IdentityChangeKind `json:"kind"`
	NewPhone             string             `json:"new_phone,omitempty"`
	NewUserID            string             `json:"new_user_id,omitempty"`
	NewParentUserID      string             `json:"new_parent_user_id,omitempty"`
	PreviousUserID       string             `json:"previous_user_id,omitempty"`
	PreviousParentUserID string             `json:"previous_parent_user_id,omitempty"`
}

// IdentityChangeKind names the system message an IdentityChange came from.
type IdentityChangeKind string

const (
	IdentityNumberChanged IdentityChangeKind = "user_changed_number"
	IdentityUserIDChanged IdentityChangeKind = "user_changed_user_id"
)

// IsBSUID reports whether s has the shape of a WhatsApp business-scoped
// user id: an ISO 3166 alpha-2 country code, a period, then up to 128
// alphanumeric characters ("US.13491208655302741918"); a parent BSUID
// has "ENT." after the country ("US.ENT.11815799212886844830"). Earlier
// versions of Meta's documentation wrote "user.93737…", so any letters
// before the first period are accepted. A wa_id is digits only, so the
// two never collide.
func IsBSUID(s string) bool {
	dot := strings.IndexByte(s, '.')
	if dot < 1 || dot == len(s)-1 || len(s) > 160 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if i < dot && !letter || i > dot && !(letter || c >= '0' && c <= '9' || c == '.') {
			return false
		}
	}
	return true
}

func isUpperASCII(c byte) bool { return c >= 'A' && c <= 'Z' }

// bsuidCountry is the country a BSUID names ("US" of "US.1349…"), "" for
// anything else: the only hint of a username-only customer's country.
func bsuidCountry(s string) string {
	if !IsBSUID(s) || s[2] != '.' || !isUpperASCII(s[0]) || !isUpperASCII(s[1]) {
		return ""
	}
	return s[:2]
}

// MaskUserID shows a BSUID in logs: its country and last four characters
// ("US.…1918"). A BSUID is no phone number: MaskPhone would garble it.
func MaskUserID(id string) string {
	if !IsBSUID(id) {
		return MaskPhone(id)
	}
	dot := strings.IndexByte(id, '.')
	tail := id[len(id)-min(4, len(id)-dot-1):]
	return id[:dot+1] + "…" + tail
}

// MaskAddress masks a customer address for logs: a phone number as
// MaskPhone does, a BSUID as MaskUserID; other channels' ids pass.
func MaskAddress(a CustomerAddress) string {
	s := string(a)
	switch {
	case IsBSUID(s):
		return MaskUserID(s)
	case s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' }):
		return MaskPhone(s)
	}
	return s
}

// customerLabel is how agents see a customer without a profile name: the
// username, else the masked phone number, else fallback.
func customerLabel(c Contact, fallback string) string {
	switch {
	case c.Name != "":
		return c.Name
	case c.Username != "":
		return c.Username
	case c.Phone != "":
		return MaskPhone(c.Phone)
	}
	return fallback
}

// inboundContact is the identity m's sender writes from, as UpsertContact
// takes it.
func (b *Bridge) inboundContact(m InboundMessage, now time.Time) Contact {
	ch := b.inboxChannel(m.Inbox)
	c := Contact{Channel: string(ch), Address: m.From, Name: m.ProfileName, CreatedAt: now,
		UserID: m.FromUserID, ParentUserID: m.FromParentUserID, Username: m.FromUsername, Email: m.FromEmail}
	switch ch {
	case ChannelWhatsApp:
		if m.From != "" && CustomerAddress(m.FromUserID) != m.From && !IsBSUID(string(m.From)) {
			c.Phone = string(m.From) // a wa_id is the phone number's digits
		}
		if c.UserID == "" && IsBSUID(string(m.From)) {
			c.UserID = string(m.From) // a username-only customer: From is the BSUID
		}
	case ChannelEmail:
		if m.EmailUnverified {
			c.Email = "" // an address nobody vouches for suggests no merge
		} else if c.Email == "" {
			c.Email = string(m.From)
		}
	}
	return c
}

// customerContact is the contact m's sender is, written as m tells: an
// identity change (user_changed_number, user_changed_user_id) moves the
// known contact to its new number and BSUID, so its conversations,
// sticky assignment and reports continue; anything else is UpsertContact.
func (b *Bridge) customerContact(ctx context.Context, tx Tx, m InboundMessage, now time.Time) (Contact, error) {
	ch := m.IdentityChange
	if ch == nil || b.inboxChannel(m.Inbox) != ChannelWhatsApp {
		return tx.UpsertContact(ctx, b.inboundContact(m, now))
	}
	c, err := tx.ChangeContactIdentity(ctx, string(ChannelWhatsApp), m.From, *ch)
	if err == nil {
		b.log.Info("whatsapp customer changed identity", "contact", int64(c.ID), "change", string(ch.Kind),
			"address", MaskAddress(c.Address))
		return c, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Contact{}, err
	}
	// A customer we never heard from: they are whoever they are now.
	if ch.NewPhone != "" {
		m.From = CustomerAddress(ch.NewPhone)
	} else if ch.NewUserID != "" && IsBSUID(string(m.From)) {
		m.From = CustomerAddress(ch.NewUserID)
	}
	m.FromUserID, m.FromParentUserID = cmp.Or(ch.NewUserID, m.FromUserID), cmp.Or(ch.NewParentUserID, m.FromParentUserID)
	return tx.UpsertContact(ctx, b.inboundContact(m, now))
}

// identityChangeText is what the thread says of an identity change, in
// place of WhatsApp's English system text (which spells both numbers out).
func identityChangeText(lang string, ch *IdentityChange) string {
	if ch.Kind == IdentityNumberChanged && ch.NewPhone != "" {
		return Text(lang, "waid.number_changed", MaskPhone(ch.NewPhone))
	}
	return Text(lang, "waid.user_id_changed")
}

// looksLikeUsername reports whether what an agent typed as a phone number
// is a WhatsApp username ("@maria") or a BSUID: such a customer cannot be
// written to first, only answered.
func looksLikeUsername(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "@") || IsBSUID(s)
}

// phoneField is the card's phone line: the masked number, or, for a
// customer who shows only a username, their username and a word that the
// number is not shared.
func phoneField(lang string, c Contact) CardField {
	if c.Phone == "" && c.UserID != "" {
		v := Text(lang, "waid.no_phone")
		if c.Username != "" {
			v = Text(lang, "waid.username_only", c.Username)
		}
		return CardField{Label: Text(lang, "waid.card_username"), Value: v}
	}
	return CardField{Label: Text(lang, "card.phone"), Value: MaskPhone(c.Phone)}
}
