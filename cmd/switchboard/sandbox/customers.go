package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

// customerSend is POST /sandbox/api/customer/send: the customer's message
// goes to switchboard as Meta's signed webhook.
func (sb *sandbox) customerSend(ctx context.Context, req CustomerSend) (Sent, error) {
	// Refuse before anything changes: a refused message must not leave a
	// new customer behind.
	if err := checkSend(req); err != nil {
		return Sent{}, err
	}
	now := time.Now()
	sb.mu.Lock()
	c := sb.customerLocked(req)
	n := sb.nextLocked()
	sb.mu.Unlock()
	wamid := fmt.Sprintf("wamid.SANDBOX%d%06d", sb.start, n)
	shown := PhoneMessage{ID: wamid, From: "customer", Kind: req.Kind, QuotedID: req.QuotedID, At: now}

	var content any
	typ := req.Kind
	switch req.Kind {
	case "text":
		content, shown.Text = map[string]any{"body": req.Text}, req.Text
	case "image":
		data := picture(int(n))
		id := strconv.FormatInt(8_000_000_000+n, 10) // media ids are digits
		sb.wa.AddMedia(id, "image/png", data)
		sum := sha256.Sum256(data)
		img := map[string]any{"id": id, "mime_type": "image/png", "sha256": hex.EncodeToString(sum[:])}
		if req.Text != "" {
			img["caption"] = req.Text
		}
		content, shown.Caption, shown.MediaURL = img, req.Text, "/sandbox/media/"+id
	case "location":
		loc := map[string]any{"latitude": req.Latitude, "longitude": req.Longitude}
		if req.Text != "" {
			loc["name"] = req.Text
		}
		content, shown.Text, shown.Latitude, shown.Longitude = loc, req.Text, req.Latitude, req.Longitude
	case "button":
		// Reply buttons of an interactive message come back as
		// interactive.button_reply; quick replies of a template as button.
		if sb.isTemplate(req.QuotedID) {
			content = map[string]any{"payload": req.Payload, "text": req.Text}
		} else {
			typ = "interactive"
			content = map[string]any{"type": "button_reply", "button_reply": map[string]any{"id": req.Payload, "title": req.Text}}
		}
		shown.Text = req.Text
	default: // checkSend refused it
		return Sent{}, badRequest("kind must be text, image, location or button, got %q", req.Kind)
	}
	msg := whatsapptest.Message(req.WaID, wamid, now, typ, content)
	if req.QuotedID != "" {
		msg["context"] = map[string]any{"from": businessPhone, "id": req.QuotedID}
	}
	body := whatsapptest.Envelope(whatsapptest.Value{PhoneNumberID: phoneNumberID, DisplayPhoneNumber: businessPhone,
		Contacts: []whatsapptest.Contact{{WaID: c.WaID, Name: c.Name}}, Messages: []map[string]any{msg}})
	if err := sb.deliver(ctx, body); err != nil {
		return Sent{}, err
	}
	sb.mu.Lock()
	c.wrote = append(c.wrote, shown)
	sb.changedLocked()
	sb.mu.Unlock()
	return Sent{ID: wamid}, nil
}

// checkSend is the caller's mistake in req, if any.
func checkSend(req CustomerSend) error {
	if !validWaID(req.WaID) {
		return badRequest("wa_id must be a phone number in international form, digits only (e.g. 34612345678), got %q", req.WaID)
	}
	switch req.Kind {
	case "text":
		if strings.TrimSpace(req.Text) == "" {
			return badRequest("a text message needs text")
		}
	case "image":
	case "location":
		if req.Latitude < -90 || req.Latitude > 90 || req.Longitude < -180 || req.Longitude > 180 ||
			(req.Latitude == 0 && req.Longitude == 0) {
			return badRequest("a location needs latitude (-90 to 90) and longitude (-180 to 180), e.g. 40.4168, -3.7038")
		}
	case "button":
		if req.Payload == "" || req.Text == "" || req.QuotedID == "" {
			return badRequest("a button press needs payload (the button's id), text (its title) and quoted_id (the message it is on)")
		}
	default:
		return badRequest("kind must be text, image, location or button, got %q", req.Kind)
	}
	return nil
}

// deliver posts a webhook as Meta does, retrying what switchboard did not
// acknowledge (Meta retries for much longer).
func (sb *sandbox) deliver(ctx context.Context, body []byte) error {
	var err error
	for attempt := range 3 {
		if err = sb.wa.Deliver(ctx, body); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 300 * time.Millisecond):
		}
	}
	return fmt.Errorf("switchboard did not take the customer's message: %w", err)
}

// isTemplate reports whether the business sent wamid as a template.
func (sb *sandbox) isTemplate(wamid string) bool {
	for _, s := range sb.wa.Sends() {
		if s.WAMID == wamid {
			return s.Template != nil
		}
	}
	return false
}

// customerLocked finds the customer of req, or adds them; mu is held.
func (sb *sandbox) customerLocked(req CustomerSend) *customer {
	for _, c := range sb.customers {
		if c.WaID == req.WaID {
			return c
		}
	}
	c := &customer{Customer: Customer{WaID: req.WaID, Name: req.Name, Language: req.Language}}
	if c.Name == "" {
		c.Name = "Customer " + req.WaID[max(0, len(req.WaID)-4):]
	}
	if c.Language == "" {
		c.Language = "es"
	}
	sb.customers = append(sb.customers, c)
	sb.changedLocked()
	return c
}

func validWaID(s string) bool {
	if len(s) < 8 || len(s) > 15 || s[0] == '0' {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) || r > '9' {
			return false
		}
	}
	return true
}

// customerView is POST /sandbox/api/customer/view: the customer looks at
// the chat, so every business message there is read.
func (sb *sandbox) customerView(_ context.Context, req CustomerView) (OK, error) {
	sb.mu.Lock()
	known := false
	for _, c := range sb.customers {
		known = known || c.WaID == req.WaID
	}
	sb.mu.Unlock()
	if !known {
		return OK{}, notFound("no customer %q", req.WaID)
	}
	sb.wa.MarkRead(req.WaID)
	return OK{OK: true}, nil
}
