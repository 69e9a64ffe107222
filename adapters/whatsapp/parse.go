// Package whatsapp is switchboard's adapter for the WhatsApp Business Cloud
// API: it verifies and parses webhooks into bridge events (parse.go,
// signature.go, webhook.go) and sends to customers through the Graph API
// (client.go, send.go), classifying failures for the delivery jobs
// (errors.go). It decides nothing about conversations or routing.
//
// Edits and revokes: bridge.InboundMessage has no field for "the message
// this one acts on", so Parse puts edit.original_message_id and
// revoke.original_message_id in ReplyTo for KindEdit and KindRevoke. An
// edit's Text/Media hold the new content.
package whatsapp

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// ObjectWhatsApp is the only envelope "object" this adapter accepts; other
// Meta products (page, instagram) post different shapes to their own hooks.
const ObjectWhatsApp = "whatsapp_business_account"

// ErrMalformed is returned by Parse when the body is not a WhatsApp webhook
// delivery; the handler answers 400 because retrying cannot fix it.
var ErrMalformed = errors.New("malformed whatsapp webhook")

type envelope struct {
	Object string `json:"object"`
	Entry  []struct {
		ID string `json:"id"`
		// Time is when the change happened (template fields carry it);
		// kept raw so an odd value never fails a delivery of messages.
		Time    json.RawMessage `json:"time"`
		Changes []struct {
			Field string          `json:"field"`
			Value json.RawMessage `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

type changeValue struct {
	Metadata struct {
		DisplayPhoneNumber string `json:"display_phone_number"`
		PhoneNumberID      string `json:"phone_number_id"`
	} `json:"metadata"`
	// Contacts, messages and statuses stay raw so that one item of an
	// unexpected shape cannot spoil the rest of the delivery.
	Contacts []json.RawMessage `json:"contacts"`
	Messages []json.RawMessage `json:"messages"`
	Statuses []json.RawMessage `json:"statuses"`
}

// wireContactProfile is one contacts[] entry. Since 2026 it carries the
// business-scoped user id (user_id), the parent BSUID (parent_user_id) and
// the username (profile.username); wa_id is left out for a customer who
// shows only a username. Source:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
type wireContactProfile struct {
	Profile struct {
		Name     string `json:"name"`
		Username string `json:"username"`
	} `json:"profile"`
	WaID         string `json:"wa_id"`
	UserID       string `json:"user_id"`
	ParentUserID string `json:"parent_user_id"`
}

// wireHeader is what every message carries whatever its type; when it does
// not decode, the message is kept as KindUnknown (unreadableMessage).
type wireHeader struct {
	From       string `json:"from"`
	FromUserID string `json:"from_user_id"`
	ID         string `json:"id"`
	Timestamp  epoch  `json:"timestamp"`
	Type       string `json:"type"`
	Context    *struct {
		From                string `json:"from"`
		ID                  string `json:"id"`
		Forwarded           bool   `json:"forwarded"`
		FrequentlyForwarded bool   `json:"frequently_forwarded"`
	} `json:"context"`
	Errors []wireError `json:"errors"`
}

// wireContent is the type-specific part. It is decoded separately from the
// header so that a surprising shape degrades to KindUnknown instead of
// rejecting the delivery (Meta retries a 400 for days).
type wireContent struct {
	Text *struct {
		Body string `json:"body"`
	} `json:"text"`
	Image       *wireMedia       `json:"image"`
	Video       *wireMedia       `json:"video"`
	Audio       *wireMedia       `json:"audio"`
	Document    *wireMedia       `json:"document"`
	Sticker     *wireMedia       `json:"sticker"`
	Location    *bridge.Location `json:"location"`
	Contacts    []wireSharedCard `json:"contacts"`
	Interactive *struct {
		Type        string           `json:"type"`
		ButtonReply *wireReplyOption `json:"button_reply"`
		ListReply   *wireReplyOption `json:"list_reply"`
		NfmReply    *struct {
			Name string `json:"name"`
			Body string `json:"body"`
		} `json:"nfm_reply"`
	} `json:"interactive"`
	Button *struct {
		Payload string `json:"payload"`
		Text    string `json:"text"`
	} `json:"button"`
	Reaction *struct {
		MessageID string `json:"message_id"`
		Emoji     string `json:"emoji"`
	} `json:"reaction"`
	Order  *wireOrder  `json:"order"`
	System *wireSystem `json:"system"`
	Edit   *struct {
		OriginalMessageID string          `json:"original_message_id"`
		Message           json.RawMessage `json:"message"`
	} `json:"edit"`
	Revoke *struct {
		OriginalMessageID string `json:"original_message_id"`
	} `json:"revoke"`
}

// wireSystem is a system message: user_changed_number carries the new
// phone number in wa_id; both it and user_changed_user_id carry the new
// BSUID (user_id, parent_user_id) and the old one (previous_user_id,
// previous_parent_user_id). Source:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/system/
type wireSystem struct {
	Body                 string `json:"body"`
	Type                 string `json:"type"`
	WaID                 string `json:"wa_id"`
	NewWaID              string `json:"new_wa_id"` // before Graph v12
	UserID               string `json:"user_id"`
	ParentUserID         string `json:"parent_user_id"`
	PreviousUserID       string `json:"previous_user_id"`
	PreviousParentUserID string `json:"previous_parent_user_id"`
}

type wireMedia struct {
	ID       string `json:"id"`
	MimeType string `json:"mime_type"`
	SHA256   string `json:"sha256"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
	Voice    bool   `json:"voice"`
	Animated bool   `json:"animated"`
}

type wireReplyOption struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

type wireSharedCard struct {
	Name struct {
		FormattedName string `json:"formatted_name"`
		FirstName     string `json:"first_name"`
		LastName      string `json:"last_name"`
	} `json:"name"`
	Phones []struct {
		Phone string `json:"phone"`
		WaID  string `json:"wa_id"`
	} `json:"phones"`
	Emails []struct {
		Email string `json:"email"`
	} `json:"emails"`
	Org struct {
		Company    string `json:"company"`
		Department string `json:"department"`
	} `json:"org"`
}

type wireOrder struct {
	CatalogID    string `json:"catalog_id"`
	Text         string `json:"text"`
	ProductItems []struct {
		ProductRetailerID string     `json:"product_retailer_id"`
		Quantity          flexNumber `json:"quantity"`
		ItemPrice         flexNumber `json:"item_price"`
		Currency          string     `json:"currency"`
	} `json:"product_items"`
}

type wireStatus struct {
	ID              string `json:"id"`
	Status          string `json:"status"`
	Timestamp       epoch  `json:"timestamp"`
	RecipientID     string `json:"recipient_id"`
	RecipientUserID string `json:"recipient_user_id"`
	// RecipientParentUserID is the parent BSUID, when parent BSUIDs are
	// enabled for the business.
	RecipientParentUserID string      `json:"recipient_parent_user_id"`
	Errors                []wireError `json:"errors"`
	// Pricing says what the message costs (see wirePricing).
	Pricing *wirePricing `json:"pricing"`
}

// wirePricing is statuses[].pricing: billable (deprecated with
// per-message pricing, still sent), pricing_model "CBP" or "PMP",
// category (marketing, utility, authentication, service,
// referral_conversion, …) and, under PMP, type (regular,
// free_customer_service, free_entry_point).
type wirePricing struct {
	Billable     bool   `json:"billable"`
	PricingModel string `json:"pricing_model"`
	Category     string `json:"category"`
	Type         string `json:"type"`
}

type wireError struct {
	Code      int    `json:"code"`
	Title     string `json:"title"`
	Message   string `json:"message"`
	ErrorData struct {
		Details string `json:"details"`
	} `json:"error_data"`
}

// epoch is a Unix time Meta sends as a decimal string. A number is accepted
// too; an empty string or null is the zero time. Any other value is an
// error: the message it belongs to then becomes KindUnknown (see
// parseMessage) rather than being shown with a made-up time.
type epoch time.Time

func (e *epoch) UnmarshalJSON(b []byte) error {
	var s string
	switch {
	case string(b) == "null":
		*e = epoch(time.Time{})
		return nil
	case len(b) > 0 && b[0] == '"':
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	default:
		s = string(b)
	}
	if s == "" {
		*e = epoch(time.Time{})
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("timestamp %s is not a Unix time", truncateForError(b))
	}
	*e = epoch(time.Unix(n, 0).UTC())
	return nil
}

func truncateForError(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// flexNumber holds a number Meta has sent both as a JSON number and as a
// string (order quantities and prices), kept as its decimal text.
type flexNumber string

func (f *flexNumber) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else {
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		s = n.String()
	}
	*f = flexNumber(s)
	return nil
}

// Parse reads one webhook delivery. Changes with field "messages" and the
// template fields (parse_templates.go) are read; other fields
// (user_preferences, account updates) are skipped. It
// returns an error wrapping ErrMalformed when the body is not JSON, is not a
// whatsapp_business_account delivery, or a change's value is unreadable. A
// message that does not decode never fails the delivery: it becomes
// KindUnknown with its Raw JSON (see ParseDelivery for what is dropped).
func Parse(body []byte) (bridge.CustomerWebhook, error) {
	hook, _, err := ParseDelivery(body)
	return hook, err
}

// ParseDelivery is Parse that also returns what it had to leave out: a
// message with no sender it can name (it cannot be put in any
// conversation) or a status without a readable id. Meta retries a refused
// delivery for days, and one bad item would otherwise hold every good one
// in the same batch back; the webhook logs the dropped ones instead.
func ParseDelivery(body []byte) (hook bridge.CustomerWebhook, dropped []error, err error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return hook, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if env.Object != ObjectWhatsApp {
		return hook, nil, fmt.Errorf("%w: object %q, want %q", ErrMalformed, env.Object, ObjectWhatsApp)
	}
	for i, entry := range env.Entry {
		for j, change := range entry.Changes {
			switch change.Field {
			case "messages":
			case FieldTemplateStatus, FieldTemplateCategory:
				var at epoch
				_ = json.Unmarshal(entry.Time, &at) // zero when absent or odd: the bridge's clock then
				u, err := parseTemplateChange(entry.ID, time.Time(at), change.Field, change.Value)
				switch {
				case errors.Is(err, errTemplateEvent):
				case err != nil:
					dropped = append(dropped, fmt.Errorf("entry %d change %d: %w", i, j, err))
				default:
					hook.Templates = append(hook.Templates, u)
				}
				continue
			default:
				continue
			}
			var v changeValue
			if err := json.Unmarshal(change.Value, &v); err != nil {
				return hook, nil, fmt.Errorf("%w: entry %d change %d: %v", ErrMalformed, i, j, err)
			}
			inbox := bridge.InboxID(v.Metadata.PhoneNumberID)
			contacts := readContacts(v.Contacts)
			var previous time.Time
			for k, raw := range v.Messages {
				msg, err := parseMessage(inbox, contacts, raw)
				if err != nil {
					dropped = append(dropped, fmt.Errorf("entry %d change %d message %d: %w", i, j, k, err))
					continue
				}
				if msg.SentAt.IsZero() {
					// Keep an unreadable message where it stood in the batch
					// (the bridge orders a delivery by SentAt).
					msg.SentAt = previous
				}
				previous = msg.SentAt
				hook.Messages = append(hook.Messages, msg)
			}
			for k, raw := range v.Statuses {
				st, err := readStatus(raw)
				if err != nil {
					dropped = append(dropped, fmt.Errorf("entry %d change %d status %d: %w", i, j, k, err))
					continue
				}
				r := parseStatus(inbox, st)
				if r.RecipientUserID == "" && st.RecipientID != "" {
					// Status webhooks name the recipient's BSUID in
					// contacts[] too (2026); matched by wa_id only.
					for _, c := range contacts {
						if c.WaID == st.RecipientID {
							r.RecipientUserID = c.UserID
						}
					}
				}
				hook.Receipts = append(hook.Receipts, r)
			}
		}
	}
	return hook, dropped, nil
}

// readContacts decodes each contacts[] entry on its own; one of an
// unexpected shape is left out (its sender's name is then unknown).
func readContacts(raws []json.RawMessage) []wireContactProfile {
	out := make([]wireContactProfile, 0, len(raws))
	for _, raw := range raws {
		var c wireContactProfile
		if json.Unmarshal(raw, &c) == nil {
			out = append(out, c)
		}
	}
	return out
}

// readStatus decodes one statuses[] entry; when a field has an unexpected
// type, the id, status and time are read on their own and the rest is
// left out. Without a readable id the status cannot be matched to anything.
func readStatus(raw json.RawMessage) (wireStatus, error) {
	var st wireStatus
	if err := json.Unmarshal(raw, &st); err == nil {
		return st, nil
	}
	fields := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &fields); err != nil {
		return wireStatus{}, err
	}
	st = wireStatus{ID: stringField(fields, "id"), Status: stringField(fields, "status"),
		RecipientID: stringField(fields, "recipient_id"), RecipientUserID: stringField(fields, "recipient_user_id")}
	_ = json.Unmarshal(fields["timestamp"], &st.Timestamp)
	var pricing wirePricing
	if json.Unmarshal(fields["pricing"], &pricing) == nil && pricing != (wirePricing{}) {
		st.Pricing = &pricing
	}
	if st.ID == "" || st.Status == "" {
		return wireStatus{}, errors.New("status without a readable id or status")
	}
	return st, nil
}

// stringField returns fields[name] when it is a JSON string, else "".
func stringField(fields map[string]json.RawMessage, name string) string {
	var s string
	if json.Unmarshal(fields[name], &s) != nil {
		return ""
	}
	return s
}

func parseMessage(inbox bridge.InboxID, contacts []wireContactProfile, raw json.RawMessage) (bridge.InboundMessage, error) {
	var h wireHeader
	if err := json.Unmarshal(raw, &h); err != nil {
		return unreadableMessage(inbox, contacts, raw)
	}
	from := h.From
	if from == "" {
		from = h.FromUserID // business-scoped user id when the phone is hidden
	}
	msg := bridge.InboundMessage{
		Inbox:       inbox,
		ExternalID:  h.ID,
		From:        bridge.CustomerAddress(from),
		ProfileName: profileName(contacts, h.From, h.FromUserID),
		SentAt:      time.Time(h.Timestamp),
		Errors:      platformErrors(h.Errors),
		Raw:         bytes.Clone(raw),
	}
	fillIdentity(&msg, contacts, h.From, h.FromUserID)
	if msg.ExternalID == "" {
		msg.ExternalID = standInID(raw)
	}
	if h.Context != nil {
		msg.ReplyTo = h.Context.ID
		msg.Forwarded = h.Context.Forwarded || h.Context.FrequentlyForwarded
	}
	var c wireContent
	if err := json.Unmarshal(raw, &c); err != nil {
		msg.Kind = bridge.KindUnknown
		return msg, nil
	}
	fillContent(&msg, h.Type, &c)
	return msg, nil
}

// unreadableMessage keeps a message whose header does not decode as
// KindUnknown with its Raw JSON, so it is stored and shown in the thread
// instead of failing the whole delivery. What can still be read is kept;
// a missing sender falls back to the change's lone contact.
func unreadableMessage(inbox bridge.InboxID, contacts []wireContactProfile, raw json.RawMessage) (bridge.InboundMessage, error) {
	fields := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &fields); err != nil {
		return bridge.InboundMessage{}, fmt.Errorf("message is not a JSON object: %w", err)
	}
	waID, userID := stringField(fields, "from"), stringField(fields, "from_user_id")
	from := waID
	if from == "" {
		from = userID
	}
	if from == "" && len(contacts) == 1 {
		from = contacts[0].WaID
		if from == "" {
			from = contacts[0].UserID
		}
	}
	if from == "" {
		return bridge.InboundMessage{}, errors.New("message without a readable sender")
	}
	msg := bridge.InboundMessage{
		Inbox:       inbox,
		ExternalID:  stringField(fields, "id"),
		From:        bridge.CustomerAddress(from),
		ProfileName: profileName(contacts, waID, userID),
		Kind:        bridge.KindUnknown,
		Raw:         bytes.Clone(raw),
	}
	fillIdentity(&msg, contacts, waID, userID)
	var ts epoch
	if json.Unmarshal(fields["timestamp"], &ts) == nil {
		msg.SentAt = time.Time(ts)
	}
	if msg.ExternalID == "" {
		msg.ExternalID = standInID(raw)
	}
	return msg, nil
}

// standInID names a message that came without a readable wamid by its
// bytes, so Meta's retry of the same delivery is recognised as a duplicate.
func standInID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return "unreadable." + hex.EncodeToString(sum[:16])
}

// fillContent maps the type-specific object onto msg. It is also used for
// the inner message of an edit, so it only sets content fields.
func fillContent(msg *bridge.InboundMessage, typ string, c *wireContent) {
	msg.Kind = bridge.KindUnknown
	switch typ {
	case "text":
		if c.Text != nil {
			msg.Kind, msg.Text = bridge.KindText, c.Text.Body
		}
	case "image":
		setMedia(msg, bridge.KindImage, c.Image)
	case "video":
		setMedia(msg, bridge.KindVideo, c.Video)
	case "audio":
		setMedia(msg, bridge.KindAudio, c.Audio)
	case "document":
		setMedia(msg, bridge.KindDocument, c.Document)
	case "sticker":
		setMedia(msg, bridge.KindSticker, c.Sticker)
	case "location":
		if c.Location != nil {
			loc := *c.Location
			msg.Kind, msg.Location = bridge.KindLocation, &loc
		}
	case "contacts":
		msg.Kind = bridge.KindContacts
		for _, card := range c.Contacts {
			msg.Contacts = append(msg.Contacts, sharedContact(card))
		}
	case "interactive":
		fillInteractive(msg, c)
	case "button":
		if c.Button != nil {
			msg.Kind, msg.Text = bridge.KindButton, c.Button.Text
			msg.Interactive = &bridge.InteractiveReply{ID: c.Button.Payload, Title: c.Button.Text}
		}
	case "reaction":
		if c.Reaction != nil {
			msg.Kind = bridge.KindReaction
			msg.Reaction = &bridge.Reaction{TargetExternalID: c.Reaction.MessageID, Emoji: c.Reaction.Emoji}
		}
	case "order":
		if c.Order != nil {
			msg.Kind, msg.Text = bridge.KindOrder, orderSummary(c.Order)
		}
	case "system":
		msg.Kind = bridge.KindSystem
		if c.System != nil {
			msg.Text = c.System.Body
			msg.IdentityChange = identityChange(c.System)
		}
	case "edit":
		fillEdit(msg, c)
	case "revoke":
		msg.Kind = bridge.KindRevoke
		if c.Revoke != nil {
			// The contract has no field for "the message this one acts on";
			// ReplyTo carries it for edits and revokes (see the package doc).
			msg.ReplyTo = c.Revoke.OriginalMessageID
		}
	case "unsupported":
		msg.Kind = bridge.KindUnsupported
	}
}

func setMedia(msg *bridge.InboundMessage, kind bridge.MessageKind, m *wireMedia) {
	if m == nil {
		return
	}
	msg.Kind = kind
	msg.Text = m.Caption
	msg.Media = &bridge.Media{
		ID:       m.ID,
		MimeType: m.MimeType,
		SHA256:   m.SHA256,
		Filename: m.Filename,
		Voice:    m.Voice,
		Animated: m.Animated,
	}
}

func fillInteractive(msg *bridge.InboundMessage, c *wireContent) {
	if c.Interactive == nil {
		return
	}
	var opt *wireReplyOption
	switch c.Interactive.Type {
	case "button_reply":
		opt = c.Interactive.ButtonReply
	case "list_reply":
		opt = c.Interactive.ListReply
	case "nfm_reply": // a completed WhatsApp Flow: body is its summary text
		if r := c.Interactive.NfmReply; r != nil {
			opt = &wireReplyOption{ID: r.Name, Title: r.Body}
		}
	}
	if opt == nil {
		return
	}
	msg.Kind, msg.Text = bridge.KindInteractive, opt.Title
	msg.Interactive = &bridge.InteractiveReply{ID: opt.ID, Title: opt.Title, Description: opt.Description}
}

// fillEdit keeps the new content of an edited message (text or caption and
// media) so the bridge can show it without reading Raw.
func fillEdit(msg *bridge.InboundMessage, c *wireContent) {
	msg.Kind = bridge.KindEdit
	if c.Edit == nil {
		return
	}
	msg.ReplyTo = c.Edit.OriginalMessageID
	var inner struct {
		Type string `json:"type"`
	}
	var content wireContent
	if json.Unmarshal(c.Edit.Message, &inner) != nil || json.Unmarshal(c.Edit.Message, &content) != nil {
		return
	}
	var tmp bridge.InboundMessage
	fillContent(&tmp, inner.Type, &content)
	msg.Text, msg.Media, msg.Location = tmp.Text, tmp.Media, tmp.Location
}

func sharedContact(card wireSharedCard) bridge.SharedContact {
	name := card.Name.FormattedName
	if name == "" {
		name = strings.TrimSpace(card.Name.FirstName + " " + card.Name.LastName)
	}
	sc := bridge.SharedContact{Name: name, Org: card.Org.Company}
	if sc.Org != "" && card.Org.Department != "" {
		sc.Org += ", " + card.Org.Department
	}
	for _, p := range card.Phones {
		phone := p.Phone
		if phone == "" {
			phone = p.WaID
		}
		if phone != "" {
			sc.Phones = append(sc.Phones, phone)
		}
	}
	for _, e := range card.Emails {
		if e.Email != "" {
			sc.Emails = append(sc.Emails, e.Email)
		}
	}
	return sc
}

// orderSummary renders a catalogue order as lines an agent can read, with
// a total when every item has one currency and numeric prices.
func orderSummary(o *wireOrder) string {
	var b strings.Builder
	b.WriteString("Order")
	if o.CatalogID != "" {
		fmt.Fprintf(&b, " (catalog %s)", o.CatalogID)
	}
	b.WriteString(":")
	total, currency, summable := 0.0, "", true
	for _, it := range o.ProductItems {
		qty, price := string(it.Quantity), string(it.ItemPrice)
		fmt.Fprintf(&b, "\n• %s × %s", orDefault(qty, "1"), it.ProductRetailerID)
		if price != "" {
			fmt.Fprintf(&b, " @ %s %s", price, it.Currency)
		}
		q, err1 := strconv.ParseFloat(orDefault(qty, "1"), 64)
		p, err2 := strconv.ParseFloat(price, 64)
		if err1 != nil || err2 != nil || (currency != "" && currency != it.Currency) {
			summable = false
		}
		currency = it.Currency
		total += q * p
	}
	if summable && len(o.ProductItems) > 0 && !math.IsInf(total, 0) && !math.IsNaN(total) {
		fmt.Fprintf(&b, "\nTotal: %s %s", strconv.FormatFloat(total, 'f', -1, 64), currency)
	}
	if o.Text != "" {
		fmt.Fprintf(&b, "\nNote: %s", o.Text)
	}
	return b.String()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// senderContact is the change's contacts[] entry of the sender: the one
// whose wa_id or user_id matches, else a lone contact.
func senderContact(contacts []wireContactProfile, waID, userID string) (wireContactProfile, bool) {
	for _, c := range contacts {
		if (waID != "" && c.WaID == waID) || (userID != "" && c.UserID == userID) {
			return c, true
		}
	}
	if len(contacts) == 1 {
		return contacts[0], true
	}
	return wireContactProfile{}, false
}

// fillIdentity copies the sender's BSUID, parent BSUID and username into
// msg: from the message (from_user_id) first, else from the sender's
// contacts[] entry. A message without from (a customer who shows only a
// username) is from its BSUID.
func fillIdentity(msg *bridge.InboundMessage, contacts []wireContactProfile, waID, userID string) {
	msg.FromUserID = userID
	if c, ok := senderContact(contacts, waID, userID); ok {
		if msg.FromUserID == "" {
			msg.FromUserID = c.UserID
		}
		msg.FromParentUserID, msg.FromUsername = c.ParentUserID, c.Profile.Username
	}
	if msg.From == "" {
		msg.From = bridge.CustomerAddress(msg.FromUserID)
	}
}

// identityChange reads a user_changed_number or user_changed_user_id
// system message; nil for other system messages (customer_identity_changed
// is a security-code change: the same customer, shown as a notice).
func identityChange(s *wireSystem) *bridge.IdentityChange {
	ch := &bridge.IdentityChange{NewUserID: s.UserID, NewParentUserID: s.ParentUserID,
		PreviousUserID: s.PreviousUserID, PreviousParentUserID: s.PreviousParentUserID}
	switch s.Type {
	case "user_changed_number":
		if s.WaID == "" && s.NewWaID == "" && s.UserID == "" {
			return nil
		}
		ch.Kind, ch.NewPhone = bridge.IdentityNumberChanged, cmp.Or(s.WaID, s.NewWaID)
	case "user_changed_user_id":
		if s.UserID == "" {
			return nil
		}
		ch.Kind = bridge.IdentityUserIDChanged
	default:
		return nil
	}
	return ch
}

// profileName finds the sender's profile in the change's contacts. Meta
// sends one contact per sender; when ids do not match (placeholder
// payloads) a lone contact is still the sender. System messages such as a
// number change come without contacts: the name is then empty.
func profileName(contacts []wireContactProfile, waID, userID string) string {
	c, _ := senderContact(contacts, waID, userID)
	return c.Profile.Name
}

func parseStatus(inbox bridge.InboxID, st wireStatus) bridge.DeliveryReceipt {
	recipient := st.RecipientID
	if recipient == "" {
		recipient = st.RecipientUserID
	}
	r := bridge.DeliveryReceipt{
		Inbox:      inbox,
		ExternalID: st.ID,
		// Unknown statuses pass through unchanged so nothing is dropped;
		// the bridge ignores what it does not order.
		Status:    bridge.ReceiptStatus(st.Status),
		At:        time.Time(st.Timestamp),
		Recipient: bridge.CustomerAddress(recipient),
		Errors:    platformErrors(st.Errors),
		// Matched to our message by its wamid; the BSUID tells who, for a
		// customer the status names without a phone number.
		RecipientUserID: st.RecipientUserID,
	}
	if p := st.Pricing; p != nil && *p != (wirePricing{}) {
		r.Pricing = &bridge.Pricing{Billable: p.Billable, Model: p.PricingModel, Category: p.Category, Type: p.Type}
	}
	if r.Status == bridge.ReceiptFailed {
		r.Reason = bridge.ReasonUnknown
		if len(st.Errors) > 0 {
			r.Reason, _ = ReasonForCode(st.Errors[0].Code)
		}
	}
	return r
}

func platformErrors(in []wireError) []bridge.PlatformError {
	if len(in) == 0 {
		return nil
	}
	out := make([]bridge.PlatformError, 0, len(in))
	for _, e := range in {
		out = append(out, bridge.PlatformError{Code: e.Code, Title: e.Title, Message: e.Message, Details: e.ErrorData.Details})
	}
	return out
}
