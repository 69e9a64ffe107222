package metamsg

import (
	"log/slog"
	"sync"

	"github.com/switchboard/switchboard/bridge"
)

// InboxFilter keeps a delivery's events for the configured inboxes only
// (review finding 9). Meta sends a webhook for every Page or account
// subscribed to the app, including ones this deployment does not serve;
// those events are acknowledged and dropped, never stored as some other
// channel's customer. Each unknown id is logged once per process, not on
// every event (a Page id is the business's, not a customer's).
type InboxFilter struct {
	// Known are the configured inbox ids; nil keeps every event.
	Known map[bridge.InboxID]bool
	seen  sync.Map
}

// NewInboxFilter is a filter keeping the events of ids.
func NewInboxFilter(ids ...string) *InboxFilter {
	known := make(map[bridge.InboxID]bool, len(ids))
	for _, id := range ids {
		known[bridge.InboxID(id)] = true
	}
	return &InboxFilter{Known: known}
}

// Keep returns hook without the events of inboxes f does not know,
// logging each unknown id the first time it is seen, and with its
// messages marked as ch's (InboundMessage.Channel), so the bridge too
// refuses an inbox it does not serve on ch.
func (f *InboxFilter) Keep(hook bridge.CustomerWebhook, ch bridge.Channel, log *slog.Logger) bridge.CustomerWebhook {
	for i := range hook.Messages {
		hook.Messages[i].Channel = ch
	}
	if f == nil || f.Known == nil {
		return hook
	}
	platform := string(ch)
	var out bridge.CustomerWebhook
	for _, m := range hook.Messages {
		if f.known(m.Inbox, log, platform) {
			out.Messages = append(out.Messages, m)
		}
	}
	for _, r := range hook.Receipts {
		if f.known(r.Inbox, log, platform) {
			out.Receipts = append(out.Receipts, r)
		}
	}
	out.Templates = hook.Templates
	return out
}

func (f *InboxFilter) known(id bridge.InboxID, log *slog.Logger, platform string) bool {
	if f.Known[id] {
		return true
	}
	if _, logged := f.seen.LoadOrStore(id, true); !logged && log != nil {
		log.Warn(platform+" webhook for an inbox that is not configured: acknowledged and dropped; add it to the configuration to serve it",
			"inbox", id)
	}
	return false
}
