package instagram

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// Instagram messaging webhooks (object "instagram"). Both ways of
// connecting deliver the same event objects:
//
//	{"object":"instagram","entry":[{"id":"<IG_ID>","time":…,"messaging":[
//	  {"sender":{"id":"<IGSID>"},"recipient":{"id":"<IG_ID>"},"timestamp":<ms>,
//	   "message":{"mid","text","attachments":[{"type","payload":{"url"}}],
//	              "reply_to":{"mid"}|{"story":{"url","id"}},"quick_reply":{"payload"},
//	              "is_echo","is_deleted","is_unsupported"}
//	   | "reaction":{"mid","action":"react"|"unreact","reaction","emoji"}
//	   | "read":{"mid"} | "postback":{"mid","title","payload"} | "referral":{…}}]}]}
//
// (https://developers.facebook.com/docs/instagram-platform/webhooks/examples/,
// https://developers.facebook.com/docs/messenger-platform/instagram/features/webhook/).
// The dashboard's "Test" button and some subscriptions send the same event
// as entry[].changes[]{field,value}; both are read.

// Object is the webhook object of Instagram messaging.
const Object = "instagram"

type wireDelivery struct {
	Object string      `json:"object"`
	Entry  []wireEntry `json:"entry"`
}

type wireEntry struct {
	ID        string            `json:"id"`
	Messaging []json.RawMessage `json:"messaging"`
	Changes   []struct {
		Field string          `json:"field"`
		Value json.RawMessage `json:"value"`
	} `json:"changes"`
}

type wireID struct {
	ID string `json:"id"`
}

type wireEvent struct {
	Sender    wireID        `json:"sender"`
	Recipient wireID        `json:"recipient"`
	Timestamp flexTimestamp `json:"timestamp"`
	Message   *struct {
		MID         string `json:"mid"`
		Text        string `json:"text"`
		Attachments []struct {
			Type    string `json:"type"`
			Payload struct {
				URL   string `json:"url"`
				Title string `json:"title"`
			} `json:"payload"`
		} `json:"attachments"`
		ReplyTo *struct {
			MID   string `json:"mid"`
			Story *struct {
				URL string `json:"url"`
				ID  string `json:"id"`
			} `json:"story"`
		} `json:"reply_to"`
		QuickReply *struct {
			Payload string `json:"payload"`
		} `json:"quick_reply"`
		IsEcho        bool `json:"is_echo"`
		IsDeleted     bool `json:"is_deleted"`
		IsUnsupported bool `json:"is_unsupported"`
	} `json:"message"`
	Reaction *struct {
		MID      string `json:"mid"`
		Action   string `json:"action"`
		Reaction string `json:"reaction"`
		Emoji    string `json:"emoji"`
	} `json:"reaction"`
	Read *struct {
		MID string `json:"mid"`
	} `json:"read"`
	Postback *struct {
		MID     string `json:"mid"`
		Title   string `json:"title"`
		Payload string `json:"payload"`
	} `json:"postback"`
}

// flexTimestamp reads epoch milliseconds (messaging[]) or seconds, as a
// number or a string (the dashboard's test events).
type flexTimestamp time.Time

func (t *flexTimestamp) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q is not a number", s)
	}
	if n < 1e12 { // seconds: a millisecond epoch has had 13 digits since 2001
		*t = flexTimestamp(time.Unix(n, 0).UTC())
	} else {
		*t = flexTimestamp(time.UnixMilli(n).UTC())
	}
	return nil
}

// ErrNotInstagram is returned for a delivery whose object is not
// "instagram" (a Page or WhatsApp webhook sent to the wrong URL).
var ErrNotInstagram = errors.New(`webhook object is not "instagram"`)

// ParseDelivery turns one signed delivery into what the bridge stores.
// Events it cannot read are left out and reported in dropped (never with
// ids or text); a body that is not a delivery at all is an error (400).
func ParseDelivery(body []byte) (hook bridge.CustomerWebhook, dropped []error, err error) {
	var d wireDelivery
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&d); err != nil {
		return hook, nil, fmt.Errorf("decode instagram webhook: %w", err)
	}
	if d.Object != Object {
		return hook, nil, fmt.Errorf("%w: %q", ErrNotInstagram, d.Object)
	}
	for i, e := range d.Entry {
		events := e.Messaging
		for _, ch := range e.Changes {
			switch ch.Field {
			case "messages", "message_reactions", "messaging_seen", "messaging_postbacks", "message_edit":
				events = append(events, ch.Value)
			}
		}
		for j, raw := range events {
			var ev wireEvent
			if err := json.Unmarshal(raw, &ev); err != nil {
				dropped = append(dropped, fmt.Errorf("entry[%d] event[%d]: %w", i, j, typeOnly(err)))
				continue
			}
			parseEvent(&hook, e.ID, ev, raw)
		}
	}
	return hook, dropped, nil
}

// typeOnly keeps a decode error's shape without the offending value.
func typeOnly(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("field %s: want %s, found JSON %s", te.Field, te.Type, te.Value)
	}
	return errors.New("unreadable event")
}

// parseEvent adds what one messaging event means to hook.
func parseEvent(hook *bridge.CustomerWebhook, entryID string, ev wireEvent, raw json.RawMessage) {
	at := time.Time(ev.Timestamp)
	account, customer := ev.Recipient.ID, ev.Sender.ID
	if ev.Message != nil && ev.Message.IsEcho {
		// An echo goes from the business to the customer.
		account, customer = ev.Sender.ID, ev.Recipient.ID
	}
	if account == "" {
		account = entryID
	}
	base := bridge.InboundMessage{Inbox: bridge.InboxID(account), From: bridge.CustomerAddress(customer), SentAt: at,
		Raw: append(json.RawMessage(nil), raw...)}
	switch {
	case ev.Message != nil:
		hook.Messages = append(hook.Messages, messages(base, ev)...)
	case ev.Reaction != nil:
		m := base
		m.Kind = bridge.KindReaction
		m.ExternalID = reactionID(ev.Reaction.MID, customer, ev.Reaction.Action, at)
		emoji := ev.Reaction.Emoji
		if ev.Reaction.Action == "unreact" {
			emoji = ""
		}
		m.Reaction = &bridge.Reaction{TargetExternalID: ev.Reaction.MID, Emoji: emoji}
		hook.Messages = append(hook.Messages, m)
	case ev.Read != nil:
		// The customer read our message mid (and so those before it).
		hook.Receipts = append(hook.Receipts, bridge.DeliveryReceipt{Inbox: bridge.InboxID(account), ExternalID: ev.Read.MID,
			Status: bridge.ReceiptRead, At: at, Recipient: bridge.CustomerAddress(customer)})
	case ev.Postback != nil:
		m := base
		m.Kind = bridge.KindInteractive
		m.ExternalID = ev.Postback.MID
		if m.ExternalID == "" {
			m.ExternalID = fmt.Sprintf("postback:%s:%d", customer, at.UnixMilli())
		}
		m.Text = ev.Postback.Title
		m.Interactive = &bridge.InteractiveReply{ID: ev.Postback.Payload, Title: ev.Postback.Title}
		hook.Messages = append(hook.Messages, m)
	default:
		// referral, handover, standby…: kept as unknown, never dropped.
		m := base
		m.Kind = bridge.KindUnknown
		m.ExternalID = fmt.Sprintf("event:%s:%s:%d", account, customer, at.UnixMilli())
		hook.Messages = append(hook.Messages, m)
	}
}

// reactionID is a dedupe key for a reaction event, which has no id of its
// own: the target, who, what and when.
func reactionID(mid, customer, action string, at time.Time) string {
	return fmt.Sprintf("reaction:%s:%s:%s:%d", mid, customer, action, at.UnixMilli())
}

// messages turns one message event into one InboundMessage per attachment
// (the first keeps the mid, the next ones mid#2, mid#3 so each is stored
// and deduplicated), or one for text alone.
func messages(base bridge.InboundMessage, ev wireEvent) []bridge.InboundMessage {
	msg := ev.Message
	base.ExternalID = msg.MID
	base.Echo = msg.IsEcho
	if msg.ReplyTo != nil {
		base.ReplyTo = msg.ReplyTo.MID
		if s := msg.ReplyTo.Story; s != nil {
			base.Story = &bridge.Story{Kind: "reply", ID: s.ID, URL: s.URL}
		}
	}
	switch {
	case msg.IsDeleted:
		m := base
		m.Kind = bridge.KindRevoke
		m.ExternalID = msg.MID + "#deleted"
		m.ReplyTo = msg.MID
		return []bridge.InboundMessage{m}
	case msg.IsUnsupported:
		m := base
		m.Kind = bridge.KindUnsupported
		m.Errors = []bridge.PlatformError{{Title: "Message type is not supported by the Instagram API"}}
		return []bridge.InboundMessage{m}
	}
	if len(msg.Attachments) == 0 {
		m := base
		m.Kind = bridge.KindText
		m.Text = msg.Text
		if msg.QuickReply != nil {
			m.Kind = bridge.KindInteractive
			m.Interactive = &bridge.InteractiveReply{ID: msg.QuickReply.Payload, Title: msg.Text}
		}
		return []bridge.InboundMessage{m}
	}
	var out []bridge.InboundMessage
	for i, a := range msg.Attachments {
		m := base
		if i > 0 {
			m.ExternalID = fmt.Sprintf("%s#%d", msg.MID, i+1)
		}
		if i == 0 {
			m.Text = msg.Text // a caption, when Instagram sends one
		}
		url := a.Payload.URL
		switch a.Type {
		case "image":
			m.Kind, m.Media = bridge.KindImage, &bridge.Media{ID: url}
		case "video":
			m.Kind, m.Media = bridge.KindVideo, &bridge.Media{ID: url}
		case "audio":
			m.Kind, m.Media = bridge.KindAudio, &bridge.Media{ID: url}
		case "file":
			m.Kind, m.Media = bridge.KindDocument, &bridge.Media{ID: url}
		case "story_mention":
			// The customer mentioned the business in their story: the
			// link is the story's CDN URL (it expires with the story).
			m.Kind = bridge.KindText
			m.Story = &bridge.Story{Kind: "mention", URL: url}
		case "share", "ig_reel", "reel", "ig_post", "post":
			// A shared post or reel arrives as its URL only: shown as a link.
			m.Kind = bridge.KindText
			m.Text = joinLines(m.Text, a.Payload.Title, url)
		default:
			m.Kind = bridge.KindUnknown
		}
		out = append(out, m)
	}
	return out
}

func joinLines(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "\n")
}
