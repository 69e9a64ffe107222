package whatsapptest

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// The fake as the sandbox's WhatsApp: like Meta, it tells switchboard
// what became of each message it sent (signed "statuses" webhooks: sent,
// then delivered, then read when the customer looks), and carries the
// customers' own messages to the webhook (Deliver).

// statusWebhook is one status waiting to be delivered.
type statusWebhook struct {
	wamid, status, to string
}

// Receipt is one status webhook switchboard acknowledged for a message.
type Receipt struct {
	Status string
	At     time.Time
}

// Receipts returns the statuses switchboard acknowledged for wamid, in
// the order they were posted (WhatsApp's "Message info").
func (s *Server) Receipts(wamid string) []Receipt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Receipt(nil), s.receipts[wamid]...)
}

// statusRank orders statuses so a late one never undoes a newer one.
var statusRank = map[string]int{"sent": 1, "delivered": 2, "read": 3}

// changedLocked records a change: the version grows and waiters wake. mu
// is held.
func (s *Server) changedLocked() {
	s.version++
	close(s.changed)
	s.changed = make(chan struct{})
}

// Changes returns the version (it grows with every send, mark-read call
// and status delivered) and a channel closed at the next change.
func (s *Server) Changes() (version int64, next <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version, s.changed
}

// SendWebhooksTo makes the fake post webhooks to url signed with
// appSecret, as Meta does: after every message it accepts, a "sent" then a
// "delivered" status, one webhook at a time in order, until Close. A
// webhook switchboard does not acknowledge with 2xx is retried a few times.
func (s *Server) SendWebhooksTo(url, appSecret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := s.webhookURL == ""
	s.webhookURL, s.appSecret = url, appSecret
	select {
	case <-s.done: // closed: Close may be waiting, no new goroutine
		return
	default:
	}
	if start {
		s.delivering.Add(1)
		go func() {
			defer s.delivering.Done()
			s.deliverStatuses()
		}()
	}
}

// Deliver posts a webhook body (built with Envelope, TextMessage…) to the
// URL given to SendWebhooksTo, signed; an answer other than 2xx is an
// error naming the status and body.
func (s *Server) Deliver(ctx context.Context, body []byte) error {
	s.mu.Lock()
	url, secret := s.webhookURL, s.appSecret
	s.mu.Unlock()
	if url == "" {
		return fmt.Errorf("whatsapptest: no webhook URL (SendWebhooksTo)")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "facebookexternalua")
	req.Header.Set("X-Hub-Signature-256", Sign(secret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("whatsapptest: post webhook: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("whatsapptest: webhook answered %s: %s", resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}

// MarkRead is the customer wa_id opening their chat: every message sent to
// them that is not read yet gets a "read" status webhook. It returns how
// many were queued.
func (s *Server) MarkRead(waID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhookURL == "" {
		return 0
	}
	n := 0
	for _, send := range s.sends {
		if send.To != waID || send.Type == "reaction" || s.statuses[send.WAMID] == "read" || s.readAsked(send.WAMID) {
			continue
		}
		s.outbox = append(s.outbox, statusWebhook{wamid: send.WAMID, status: "read", to: waID})
		n++
	}
	s.signalOutbox()
	return n
}

// readAsked reports whether a read status for wamid waits in the outbox;
// mu is held.
func (s *Server) readAsked(wamid string) bool {
	for _, w := range s.outbox {
		if w.wamid == wamid && w.status == "read" {
			return true
		}
	}
	return false
}

// MessageStatus is the last status switchboard acknowledged for a message
// the fake accepted ("" before "sent" was delivered).
func (s *Server) MessageStatus(wamid string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.statuses[wamid]
}

// SentAt is when the fake accepted the message wamid (zero if it did not).
func (s *Server) SentAt(wamid string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sentAt[wamid]
}

// Media returns a stored file: uploaded by switchboard or added with
// AddMedia.
func (s *Server) Media(id string) (mimeType string, data []byte, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	return m.mime, m.data, ok
}

// queueStatusesLocked queues "sent" and "delivered" for an accepted
// send; mu is held.
func (s *Server) queueStatusesLocked(send Send) {
	if s.webhookURL == "" {
		return
	}
	for _, st := range []string{"sent", "delivered"} {
		s.outbox = append(s.outbox, statusWebhook{wamid: send.WAMID, status: st, to: cmp.Or(send.To, send.Recipient)})
	}
	s.signalOutbox()
}

func (s *Server) signalOutbox() {
	select {
	case s.outboxReady <- struct{}{}:
	default:
	}
}

// deliverStatuses posts the outbox in order until Close.
func (s *Server) deliverStatuses() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Close cancels a webhook in flight; this goroutine ends with us.
	s.delivering.Add(1)
	go func() {
		defer s.delivering.Done()
		select {
		case <-s.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	for {
		select {
		case <-s.done:
			return
		case <-s.outboxReady:
		}
		for {
			s.mu.Lock()
			if len(s.outbox) == 0 {
				s.mu.Unlock()
				break
			}
			w := s.outbox[0]
			s.outbox = s.outbox[1:]
			phone := ""
			for _, send := range s.sends {
				if send.WAMID == w.wamid {
					phone = send.PhoneNumberID
				}
			}
			s.mu.Unlock()
			at := time.Now()
			body := statusEnvelope(phone, w, at)
			if !s.deliverWithRetries(ctx, body) {
				continue // switchboard never took it: the status stays as it was
			}
			s.mu.Lock()
			s.receipts[w.wamid] = append(s.receipts[w.wamid], Receipt{Status: w.status, At: at})
			if statusRank[w.status] > statusRank[s.statuses[w.wamid]] {
				s.statuses[w.wamid] = w.status
			}
			s.changedLocked()
			s.mu.Unlock()
		}
	}
}

// deliverWithRetries tries a webhook up to five times, backing off, as
// Meta retries unacknowledged webhooks (for much longer).
func (s *Server) deliverWithRetries(ctx context.Context, body []byte) bool {
	wait := 100 * time.Millisecond
	for range 5 {
		// Meta gives up on an answer after some seconds too.
		actx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := s.Deliver(actx, body)
		cancel()
		if err == nil {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
		wait *= 2
	}
	return false
}

// statusEnvelope is the status webhook for w. A message sent to a BSUID
// comes back with recipient_user_id and a contacts[] entry naming the
// user_id, and no phone number (recipient_id, wa_id) since the fake knows
// none: the username-only customer's case. Source:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
func statusEnvelope(phone string, w statusWebhook, at time.Time) []byte {
	if !isBSUID(w.to) {
		return Envelope(Value{PhoneNumberID: phone, Statuses: []map[string]any{Status(w.wamid, w.status, w.to, at, 0)}})
	}
	return Envelope(Value{PhoneNumberID: phone, Contacts: []Contact{{UserID: w.to}},
		Statuses: []map[string]any{UserIDStatus(w.wamid, w.status, w.to, at)}})
}
