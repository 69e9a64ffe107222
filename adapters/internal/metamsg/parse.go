package metamsg

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

// ParseOptions say which channel a webhook is for and how to recognise
// switchboard's own echoes.
type ParseOptions struct {
	Channel bridge.Channel
	// Object is the envelope's expected object ("page", "instagram"); a
	// delivery for another object is refused as malformed.
	Object string
	// AppID, when set, is our Meta app's id: echoes carrying it are ours.
	AppID string
}

// ErrMalformed wraps every reason Parse refuses a whole delivery; the
// webhook answers 400.
var ErrMalformed = errors.New("malformed webhook")

// Parse turns one webhook body into what the bridge stores. Items it cannot
// decode are left out and reported in dropped (errors name positions,
// never a customer id), so one odd item does not lose the rest.
func Parse(body []byte, o ParseOptions) (hook bridge.CustomerWebhook, dropped []error, err error) {
	var env Envelope
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&env); err != nil {
		return hook, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if o.Object != "" && env.Object != o.Object {
		return hook, nil, fmt.Errorf("%w: object %q, want %q", ErrMalformed, env.Object, o.Object)
	}
	for i, e := range env.Entry {
		for j, raw := range e.Messaging {
			var m Messaging
			if err := json.Unmarshal(raw, &m); err != nil {
				dropped = append(dropped, fmt.Errorf("entry[%d].messaging[%d]: %w", i, j, err))
				continue
			}
			inbox := bridge.InboxID(e.ID)
			if inbox == "" {
				inbox = bridge.InboxID(m.Recipient.ID)
				if m.Message != nil && m.Message.IsEcho {
					inbox = bridge.InboxID(m.Sender.ID)
				}
			}
			msgs, receipts := parseItem(inbox, m, raw, o)
			hook.Messages = append(hook.Messages, msgs...)
			hook.Receipts = append(hook.Receipts, receipts...)
		}
	}
	return hook, dropped, nil
}

// Millis converts a Messenger Platform timestamp (epoch ms) to a time.
func Millis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// IsOwnEcho reports whether an echo is of a message switchboard sent.
func IsOwnEcho(m *Message, appID string) bool {
	if m == nil || !m.IsEcho {
		return false
	}
	if strings.HasPrefix(m.Metadata, EchoTag) {
		return true
	}
	return appID != "" && m.AppID.String() == appID
}

func parseItem(inbox bridge.InboxID, m Messaging, raw json.RawMessage, o ParseOptions) ([]bridge.InboundMessage, []bridge.DeliveryReceipt) {
	at := Millis(m.Timestamp)
	customer := bridge.CustomerAddress(m.Sender.ID)
	switch {
	case m.Message != nil:
		if IsOwnEcho(m.Message, o.AppID) {
			return nil, nil
		}
		if m.Message.IsEcho {
			customer = bridge.CustomerAddress(m.Recipient.ID)
		}
		return parseMessage(inbox, customer, at, m.Message, raw), nil
	case m.Delivery != nil:
		return nil, receipts(inbox, customer, bridge.ReceiptDelivered, Millis(m.Delivery.Watermark), m.Delivery.MIDs)
	case m.Read != nil:
		var mids []string
		if m.Read.MID != "" {
			mids = []string{m.Read.MID}
		}
		return nil, receipts(inbox, customer, bridge.ReceiptRead, Millis(m.Read.Watermark), mids)
	case m.Reaction != nil:
		r := m.Reaction
		emoji := r.Emoji
		if r.Action == "unreact" {
			emoji = ""
		}
		return []bridge.InboundMessage{{Inbox: inbox, From: customer, SentAt: at, Kind: bridge.KindReaction,
			ExternalID: "reaction:" + r.MID + ":" + r.Action + ":" + strconv.FormatInt(m.Timestamp, 10),
			Reaction:   &bridge.Reaction{TargetExternalID: r.MID, Emoji: emoji}, Raw: raw}}, nil
	case m.Postback != nil:
		p := m.Postback
		id := p.MID
		if id == "" {
			id = "postback:" + string(customer) + ":" + strconv.FormatInt(m.Timestamp, 10)
		}
		return []bridge.InboundMessage{{Inbox: inbox, From: customer, SentAt: at, Kind: bridge.KindInteractive,
			ExternalID: id, Text: p.Title, Interactive: &bridge.InteractiveReply{ID: p.Payload, Title: p.Title}, Raw: raw}}, nil
	case m.Edit != nil:
		return []bridge.InboundMessage{{Inbox: inbox, From: customer, SentAt: at, Kind: bridge.KindEdit,
			ExternalID: "edit:" + m.Edit.MID + ":" + strconv.Itoa(m.Edit.NumEdit), Text: m.Edit.Text, ReplyTo: m.Edit.MID, Raw: raw}}, nil
	}
	return []bridge.InboundMessage{{Inbox: inbox, From: customer, SentAt: at, Kind: bridge.KindUnknown,
		ExternalID: "unknown:" + string(customer) + ":" + strconv.FormatInt(m.Timestamp, 10), Raw: raw}}, nil
}

func receipts(inbox bridge.InboxID, customer bridge.CustomerAddress, st bridge.ReceiptStatus, watermark time.Time, mids []string) []bridge.DeliveryReceipt {
	base := bridge.DeliveryReceipt{Inbox: inbox, Status: st, At: watermark, Recipient: customer, Watermark: watermark}
	if len(mids) == 0 {
		return []bridge.DeliveryReceipt{base}
	}
	out := make([]bridge.DeliveryReceipt, 0, len(mids))
	for _, mid := range mids {
		r := base
		r.ExternalID = mid
		out = append(out, r)
	}
	return out
}

func parseMessage(inbox bridge.InboxID, customer bridge.CustomerAddress, at time.Time, m *Message, raw json.RawMessage) []bridge.InboundMessage {
	base := bridge.InboundMessage{Inbox: inbox, ExternalID: m.MID, From: customer, SentAt: at, Echo: m.IsEcho, Raw: raw, Text: m.Text}
	if m.ReplyTo != nil {
		base.ReplyTo = m.ReplyTo.MID
		if s := m.ReplyTo.Story; s != nil {
			base.Story = &bridge.Story{Kind: "reply", ID: s.ID, URL: s.URL}
		}
	}
	switch {
	case m.IsDeleted:
		base.Kind, base.ReplyTo, base.ExternalID = bridge.KindRevoke, m.MID, "deleted:"+m.MID
		return []bridge.InboundMessage{base}
	case m.IsUnsupported:
		base.Kind = bridge.KindUnsupported
		return []bridge.InboundMessage{base}
	case m.QuickReply != nil:
		base.Kind = bridge.KindInteractive
		base.Interactive = &bridge.InteractiveReply{ID: m.QuickReply.Payload, Title: m.Text}
		return []bridge.InboundMessage{base}
	case len(m.Attachments) == 0:
		base.Kind = bridge.KindText
		if m.Text == "" {
			base.Kind = bridge.KindUnknown
		}
		return []bridge.InboundMessage{base}
	}
	out := make([]bridge.InboundMessage, 0, len(m.Attachments))
	for i, a := range m.Attachments {
		msg := base
		if i > 0 {
			msg.ExternalID = m.MID + "#" + strconv.Itoa(i)
			msg.Text = ""
		}
		fillAttachment(&msg, a, m.StickerID.String() != "")
		out = append(out, msg)
	}
	return out
}

// fillAttachment sets msg's kind and content from one attachment.
func fillAttachment(msg *bridge.InboundMessage, a Attachment, sticker bool) {
	url := a.URL
	if a.Payload != nil && a.Payload.URL != "" {
		url = a.Payload.URL
	}
	switch a.Type {
	case "image":
		msg.Kind = bridge.KindImage
		if sticker || (a.Payload != nil && a.Payload.StickerID.String() != "") {
			msg.Kind = bridge.KindSticker
		}
		msg.Media = &bridge.Media{ID: url}
	case "video", "ig_reel", "reel":
		msg.Kind, msg.Media = bridge.KindVideo, &bridge.Media{ID: url}
	case "audio":
		msg.Kind, msg.Media = bridge.KindAudio, &bridge.Media{ID: url}
	case "file":
		msg.Kind, msg.Media = bridge.KindDocument, &bridge.Media{ID: url, Filename: fileName(url)}
	case "location":
		msg.Kind = bridge.KindLocation
		if a.Payload != nil && a.Payload.Coordinates != nil {
			msg.Location = &bridge.Location{Latitude: a.Payload.Coordinates.Lat, Longitude: a.Payload.Coordinates.Long, Name: a.Title, URL: url}
		}
	case "fallback", "share":
		// A shared link: shown as text with its title.
		msg.Kind = bridge.KindText
		title := a.Title
		if title == "" && a.Payload != nil {
			title = a.Payload.Title
		}
		msg.Text = strings.TrimSpace(strings.Join(nonEmpty(msg.Text, title, url), "\n"))
	case "story_mention":
		msg.Kind = bridge.KindText
		msg.Story = &bridge.Story{Kind: "mention", URL: url}
	default:
		msg.Kind = bridge.KindUnknown
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// fileName is the last path segment of a CDN URL, without its query.
func fileName(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	if i := strings.LastIndexByte(u, '/'); i >= 0 {
		return u[i+1:]
	}
	return ""
}
