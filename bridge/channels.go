package bridge

import (
	"time"
)

// Customer channels (issue 12). One deployment serves inboxes on several
// customer channels: WhatsApp numbers, Facebook Pages (Messenger),
// Instagram professional accounts (Instagram Direct) and e-mail
// mailboxes. Each inbox names its channel; a conversation keeps the
// channel of the inbox it started on (Conversation.Channel), and every
// send goes through that channel's CustomerChannel (channelFor).
//
// What differs between channels is said here, once, as facts of the
// channel (Rules), so the rest of the bridge asks "may free text go now?"
// (WindowOpen) and "may a human agent still answer?" (AgentWindowOpen)
// without naming a platform.

// Channel names a customer channel. Stored (contacts.channel,
// conversations.channel): never rename one.
type Channel string

const (
	ChannelWhatsApp  Channel = "whatsapp"
	ChannelMessenger Channel = "messenger"
	ChannelInstagram Channel = "instagram"
	ChannelEmail     Channel = "email"
)

// Channels lists every channel the bridge knows, in the order reports
// show them.
var Channels = []Channel{ChannelWhatsApp, ChannelMessenger, ChannelInstagram, ChannelEmail}

// ChannelRules are what a channel allows, as its platform documents it.
type ChannelRules struct {
	// Window is how long after the customer's last message the business
	// may send anything (WhatsApp's customer-service window, Messenger's
	// and Instagram's standard messaging window). 0: no window (e-mail).
	Window time.Duration
	// HumanAgentWindow, when longer than Window, is how long a person's
	// reply may still go, marked as a human agent's (Messenger's and
	// Instagram's HUMAN_AGENT tag: 7 days). The bridge's own texts (away
	// message, survey, assistant) never use it.
	HumanAgentWindow time.Duration
	// Templates: approved message templates reach the customer outside
	// the window (WhatsApp only).
	Templates bool
	// Reactions: the business can react to a customer's message.
	Reactions bool
	// ReadReceipts: the business can mark the customer's messages read
	// (and show typing).
	ReadReceipts bool
}

// Rules are ch's rules; an unknown or empty channel is WhatsApp (rows
// stored before channels existed).
func (ch Channel) Rules() ChannelRules {
	switch ch {
	case ChannelMessenger, ChannelInstagram:
		return ChannelRules{Window: CustomerWindow, HumanAgentWindow: HumanAgentWindow, Reactions: true, ReadReceipts: true}
	case ChannelEmail:
		return ChannelRules{}
	}
	return ChannelRules{Window: CustomerWindow, Templates: true, Reactions: true, ReadReceipts: true}
}

// OrWhatsApp is ch, or WhatsApp when ch is empty (rows stored before
// channels existed, tests that leave it unset).
func (ch Channel) OrWhatsApp() Channel {
	if ch == "" {
		return ChannelWhatsApp
	}
	return ch
}

// HumanAgentWindow is how long after the customer's last message a
// person may still answer on Messenger and Instagram with the HUMAN_AGENT
// tag.
const HumanAgentWindow = 7 * 24 * time.Hour

// AgentWindowOpen reports whether a person's reply may be sent to the
// customer now: inside the window, or inside the channel's human-agent
// allowance. HumanAgentSend tells whether the send needs the human-agent
// mark (AsHumanAgent).
func AgentWindowOpen(c Conversation, now time.Time) bool {
	r := c.Channel.Rules()
	if r.Window == 0 {
		return true
	}
	if WindowOpen(c, now) {
		return true
	}
	return r.HumanAgentWindow > r.Window && !c.LastCustomerAt.IsZero() && now.Sub(c.LastCustomerAt) < r.HumanAgentWindow
}

// HumanAgentSend reports whether a person's reply sent now must carry
// the channel's human-agent mark: the standard window has closed but the
// human-agent allowance has not.
func HumanAgentSend(c Conversation, now time.Time) bool {
	return !WindowOpen(c, now) && AgentWindowOpen(c, now)
}

// channelFor is the customer channel that sends for inbox: the inbox's
// channel's, WhatsApp's for an inbox the configuration does not list (old
// rows, tests). Nil when that channel has no credentials.
func (b *Bridge) channelFor(inbox InboxID) CustomerChannel {
	return b.channelOf(b.inboxChannel(inbox))
}

// channelOf is the customer channel of kind ch; nil when it is not
// configured.
func (b *Bridge) channelOf(ch Channel) CustomerChannel {
	ch = ch.OrWhatsApp()
	if ch == ChannelWhatsApp && b.customer != nil {
		return b.customer
	}
	if c, ok := b.opts.Channels[ch]; ok && c != nil {
		return c
	}
	return nil
}

// servesInbox reports whether m, from a channel other than WhatsApp,
// came to an inbox configured on that channel; it logs the ones dropped.
// WhatsApp keeps taking unlisted inboxes (rows and tests from before
// inboxes named their channel).
func (b *Bridge) servesInbox(m InboundMessage) bool {
	if m.Channel.OrWhatsApp() == ChannelWhatsApp {
		return true
	}
	if in, ok := b.inboxes[m.Inbox]; ok && in.Channel.OrWhatsApp() == m.Channel {
		return true
	}
	b.log.Warn("message for an inbox that is not configured on its channel: dropped",
		"inbox", m.Inbox, "channel", m.Channel)
	return false
}

// inboxChannel is the channel of inbox (WhatsApp when it is not listed).
func (b *Bridge) inboxChannel(inbox InboxID) Channel {
	if in, ok := b.inboxes[inbox]; ok {
		return in.Channel.OrWhatsApp()
	}
	return ChannelWhatsApp
}
