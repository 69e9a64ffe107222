package bridge

import "strings"

// The card per channel (issue 12): which channel the customer writes
// from, who they are there (a phone number only where there is one), and
// what the window allows.

// channelEmoji marks each channel on the card.
var channelEmoji = map[Channel]string{ChannelWhatsApp: "🟢", ChannelMessenger: "💬", ChannelInstagram: "📸", ChannelEmail: "✉️"}

// channelBadge is ch's name with its emoji.
func channelBadge(lang string, ch Channel) string {
	ch = ch.OrWhatsApp()
	return channelEmoji[ch] + " " + channelName(lang, ch)
}

// identityFields are the card's lines saying who the customer is on ch:
// on WhatsApp the masked number, when there is one (a username-only
// customer has none), and the username when WhatsApp gave one; on
// Messenger and Instagram no number (the address is a page- or
// Instagram-scoped id that means nothing to an agent), the username if
// known; on e-mail the address.
func identityFields(lang string, ch Channel, c Contact) []CardField {
	var out []CardField
	switch ch.OrWhatsApp() {
	case ChannelWhatsApp:
		if c.Phone == "" && c.UserID != "" {
			// A customer who shows WhatsApp only a username: say the
			// number is not shared, with the username (identities.go).
			return append(out, phoneField(lang, c))
		}
		if c.Phone != "" {
			out = append(out, CardField{Label: Text(lang, "card.phone"), Value: MaskPhone(c.Phone)})
		}
	case ChannelEmail:
		out = append(out, CardField{Label: Text(lang, "card.email"), Value: cmpOr(c.Email, string(c.Address))})
	}
	if c.Username != "" {
		out = append(out, CardField{Label: Text(lang, "card.username"), Value: c.Username})
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// windowLabel is the label of the card's window line on ch.
func windowLabel(lang string, ch Channel) string {
	if ch.OrWhatsApp() == ChannelWhatsApp {
		return Text(lang, "window.label")
	}
	return Text(lang, "window.label_channel", channelName(lang, ch))
}

// windowClosedValue is the window line once nothing but a template (or,
// without templates, nothing) can reach the customer.
func windowClosedValue(lang string, ch Channel) string {
	if ch.Rules().Templates {
		return Text(lang, "window.closed")
	}
	return Text(lang, "window.closed_nothing")
}

// withoutTemplates drops the template button on a channel that has none.
func withoutTemplates(ch Channel, buttons []CardButton) []CardButton {
	if ch.Rules().Templates {
		return buttons
	}
	out := buttons[:0]
	for _, b := range buttons {
		if b.Verb != VerbTemplate {
			out = append(out, b)
		}
	}
	return out
}

// channelContext are the lines a customer message's thread post starts
// with on channels that carry more than a message: the subject of an
// e-mail that starts a thread of its own (a reply's "Re: …" says nothing
// new, so it is left out), and the Instagram story the message answers or
// mentions the business in, with its link (a CDN link that expires: shown
// as given).
func channelContext(lang string, m InboundMessage) []string {
	var lines []string
	if m.EmailAuthFailed {
		lines = append(lines, Text(lang, "post.email_unverified"))
	}
	if s := strings.TrimSpace(m.Subject); s != "" && !replySubject(s) {
		lines = append(lines, Text(lang, "post.subject", s))
	}
	if st := m.Story; st != nil {
		key := "post.story_reply"
		if st.Kind == "mention" {
			key = "post.story_mention"
		}
		line := Text(lang, key)
		if st.URL != "" {
			line += " " + st.URL
		}
		lines = append(lines, line)
	}
	return lines
}

// replySubject reports whether an e-mail subject is a reply's or a
// forward's (the prefixes common mail clients add, in our languages).
func replySubject(s string) bool {
	l := strings.ToLower(s)
	for _, p := range []string{"re:", "re :", "aw:", "res:", "rv:", "fw:", "fwd:", "enc:"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}
