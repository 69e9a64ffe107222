package bridge

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/contacts"
)

// The outbound CRM webhook (issue 12, docs/crm.md): every change to a
// person or one of their conversations that a business's own CRM cares
// about is recorded with crmChanged in the transaction that makes it, and
// leaves as a signed, retried, durable delivery.
//
// The body is built when the change is recorded, not when it is sent: it
// describes the person as the change left them, and a retry sends the very
// same bytes (and id, the receiver's idempotency key). Deliveries run on
// one CRMLane per person, so one person's changes arrive in the order
// they were made; different people's changes do not wait for each other.
//
// Identities carry full addresses (phone numbers, e-mail addresses): the
// receiver is the business's own system, which already holds them, and a
// CRM cannot match a person without them. The URL must therefore be the
// business's own (documented in docs/crm.md and the example config).

// CRMWebhook configures the outbound CRM webhook (Options.CRMWebhook).
type CRMWebhook struct {
	// URL receives a signed POST per change; "" turns the webhook off.
	URL string
	// Secret keys the HMAC-SHA256 signature of every body.
	Secret string
	// Events selects the change kinds sent (contacts.Change*); empty: all.
	Events []string
	// Client makes the requests (default: a client with a 10 s timeout).
	Client *http.Client
}

// wants reports whether a change of kind is sent.
func (w CRMWebhook) wants(kind string) bool {
	return w.URL != "" && (len(w.Events) == 0 || slices.Contains(w.Events, kind))
}

// DeliverCRMWebhook posts one change to the CRM webhook (CRMLane,
// ConversationID 0, the payload is the body). Stored: never rename.
const DeliverCRMWebhook DeliveryKind = "crm_webhook"

// CRMLane carries the webhook deliveries of one person, in order.
func CRMLane(p PersonID) Lane { return Lane(fmt.Sprintf("crm:p%d", p)) }

// IsCRM reports whether the lane carries CRM webhook deliveries.
func (l Lane) IsCRM() bool { return strings.HasPrefix(string(l), "crm:") }

// CRMTx reads what the webhook's body says about a person (storage/
// people_export.go). Called by crmChanged inside the change's transaction.
type CRMTx interface {
	// CRMPerson returns the person with labels, attributes and identities;
	// ErrNotFound when there is none.
	CRMPerson(ctx context.Context, id PersonID) (contacts.Person, error)
}

// CRMBody is the JSON the webhook receives (docs/crm.md).
type CRMBody struct {
	// ID is stable across retries: the receiver's idempotency key.
	ID           string            `json:"id"`
	Kind         string            `json:"kind"`
	At           time.Time         `json:"at"`
	Actor        string            `json:"actor,omitempty"`
	Person       CRMPerson         `json:"person"`
	Conversation *CRMConversation  `json:"conversation,omitempty"`
	Data         map[string]string `json:"data,omitempty"`
}

// CRMPerson is the person as the change left them.
type CRMPerson struct {
	ID         int64             `json:"id"`
	Name       string            `json:"name"`
	Stage      string            `json:"stage,omitempty"`
	Labels     []string          `json:"labels"`
	Attributes map[string]string `json:"attributes"`
	Identities []CRMIdentity     `json:"identities"`
	Erased     bool              `json:"erased,omitempty"`
}

// CRMIdentity is one of the person's addresses (full, see above).
type CRMIdentity struct {
	Channel  string `json:"channel"`
	Address  string `json:"address"`
	Name     string `json:"name,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
	Username string `json:"username,omitempty"`
}

// CRMConversation is the conversation a change is about.
type CRMConversation struct {
	ID       int64  `json:"id"`
	Channel  string `json:"channel"`
	Inbox    string `json:"inbox"`
	Team     string `json:"team"`
	State    string `json:"state"`
	Assignee string `json:"assignee,omitempty"`
	// Thread links the conversation's thread, once it is open.
	Thread string `json:"thread,omitempty"`
}

// crmChanged records ch for the CRM webhook, when one is configured and
// ch's kind is selected. Called inside the transaction that makes the
// change; it does not call the network.
func (b *Bridge) crmChanged(ctx context.Context, tx Tx, ch contacts.Change) error {
	return b.crmRecord(ctx, tx, ch, nil)
}

// crmRecord is crmChanged with the conversation as the caller holds it
// (nil: read it), so a change written before the conversation's row is
// updated still reports the conversation as it now is.
func (b *Bridge) crmRecord(ctx context.Context, tx Tx, ch contacts.Change, held *Conversation) error {
	if !b.opts.CRMWebhook.wants(ch.Kind) || ch.PersonID == 0 {
		return nil
	}
	if ch.At.IsZero() {
		ch.At = b.now()
	}
	var conv *CRMConversation
	if ch.Conversation != 0 {
		var cv Conversation
		var err error
		if held != nil {
			cv = *held
		} else if cv, err = tx.GetConversation(ctx, ConversationID(ch.Conversation)); err != nil {
			return fmt.Errorf("crm webhook: conversation %d: %w", ch.Conversation, err)
		}
		conv = &CRMConversation{ID: int64(cv.ID), Channel: string(cv.Channel), Inbox: string(cv.Inbox),
			Team: cv.Team, State: string(cv.State), Assignee: cv.Assignee}
		if th, err := tx.CurrentThread(ctx, cv.ID); err == nil && !th.Ref.IsZero() {
			if ws, ok := b.workspaces[th.Ref.Workspace]; ok {
				conv.Thread = ws.Link(th.Ref)
			}
		}
	}
	return enqueueCRM(ctx, tx, ch, conv)
}

// RecordCRMChangeIn records ch for webhook w in tx, a transaction a tool
// holds without a running bridge (`switchboard contact erase`): the
// delivery row waits on the person's CRMLane with no job, and a running
// server's RescueLanes (every few seconds, after a short grace) sends it.
// ch names no conversation (its thread link needs the workspaces). A
// webhook that is off or does not want ch's kind records nothing.
func RecordCRMChangeIn(ctx context.Context, tx Tx, w CRMWebhook, ch contacts.Change) error {
	if !w.wants(ch.Kind) || ch.PersonID == 0 {
		return nil
	}
	if ch.Conversation != 0 {
		return fmt.Errorf("crm webhook: %s for conversation %d needs the running bridge", ch.Kind, ch.Conversation)
	}
	if ch.At.IsZero() {
		ch.At = time.Now()
	}
	return enqueueCRM(ctx, tx, ch, nil)
}

// enqueueCRM builds ch's body, with the person as tx now holds them, and
// enqueues it on the person's CRMLane.
func enqueueCRM(ctx context.Context, tx Tx, ch contacts.Change, conv *CRMConversation) error {
	body := CRMBody{ID: newCRMDeliveryID(), Kind: ch.Kind, At: ch.At.UTC(), Actor: ch.Actor, Data: ch.Data, Conversation: conv}
	ptx, ok := tx.(CRMTx)
	if !ok {
		return errors.New("crm webhook: the store cannot read people (CRMTx)")
	}
	p, err := ptx.CRMPerson(ctx, PersonID(ch.PersonID))
	if err != nil {
		return fmt.Errorf("crm webhook: person %d: %w", ch.PersonID, err)
	}
	body.Person = crmPersonOf(p)
	_, err = tx.Enqueue(ctx, Delivery{Lane: CRMLane(PersonID(ch.PersonID)), Kind: DeliverCRMWebhook,
		Payload: mustJSON(body), CreatedAt: body.At})
	return err
}

// contactCreated records contact.created when UpsertContact has just
// created c's person (a first message from a new address on any channel,
// or an agent starting a conversation with a new number), in the
// transaction that created it: a rolled-back creation is never sent.
func (b *Bridge) contactCreated(ctx context.Context, tx Tx, c Contact, actor string, now time.Time) error {
	if !c.Created {
		return nil
	}
	return b.crmChanged(ctx, tx, contacts.Change{Kind: contacts.ChangeContactCreated, PersonID: int64(c.PersonID),
		Actor: actor, At: now, Data: map[string]string{"channel": c.Channel}})
}

// conversationChanged records a change of conv for the CRM webhook: the
// one-line call of every place a conversation is opened, assigned,
// transferred or resolved.
func (b *Bridge) conversationChanged(ctx context.Context, tx Tx, conv Conversation, kind, actor string, data map[string]string, now time.Time) error {
	if !b.opts.CRMWebhook.wants(kind) {
		return nil // no read of the contact when nothing is sent
	}
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return fmt.Errorf("crm webhook: contact of conversation %d: %w", conv.ID, err)
	}
	return b.crmRecord(ctx, tx, contacts.Change{Kind: kind, PersonID: int64(contact.PersonID),
		Conversation: int64(conv.ID), Actor: actor, At: now, Data: data}, &conv)
}

func crmPersonOf(p contacts.Person) CRMPerson {
	out := CRMPerson{ID: p.ID, Name: p.DisplayName(), Stage: p.Stage, Labels: p.Labels, Attributes: p.Attributes,
		Identities: []CRMIdentity{}, Erased: !p.ErasedAt.IsZero()}
	if out.Labels == nil {
		out.Labels = []string{}
	}
	if out.Attributes == nil {
		out.Attributes = map[string]string{}
	}
	for _, id := range p.Identities {
		out.Identities = append(out.Identities, CRMIdentity{Channel: id.Channel, Address: id.Address, Name: id.Name,
			Phone: id.Phone, Email: id.Email, Username: id.Username})
	}
	return out
}

// newCRMDeliveryID is a random id, fixed when the change is recorded.
func newCRMDeliveryID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24)
	return "crm_" + hex.EncodeToString(b[:])
}

// CRMSignature is the X-Switchboard-Signature of body sent at timestamp
// (Unix seconds): "sha256=" and the hex HMAC-SHA256 of "<timestamp>.<body>".
func CRMSignature(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// postCRM runs a DeliverCRMWebhook delivery (called by execute): 2xx is
// done; 429 waits as Retry-After says; 5xx and network errors are retried
// with the delivery backoff; any other status is permanent (logged and
// counted, nobody is told in a thread).
func (b *Bridge) postCRM(ctx context.Context, d Delivery) (outcome, error) {
	w := b.opts.CRMWebhook
	if w.URL == "" {
		return outcome{}, notConfigured("crm webhook") // turned off since: wait for a process that has it
	}
	var head struct {
		ID string `json:"id"`
	}
	if err := decodePayload(d, &head); err != nil {
		return outcome{}, err
	}
	ts := strconv.FormatInt(b.now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return outcome{}, &DeliveryError{Permanent: true, Reason: ReasonInvalidRequest, Code: "bad_url", Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "switchboard-crm-webhook")
	req.Header.Set("X-Switchboard-Delivery", head.ID)
	req.Header.Set("X-Switchboard-Timestamp", ts)
	req.Header.Set("X-Switchboard-Signature", CRMSignature(w.Secret, ts, d.Payload))
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		b.opts.Metrics.CRMWebhook("error")
		return outcome{}, &DeliveryError{Reason: ReasonTemporary, Code: "network", Err: fmt.Errorf("crm webhook: %w", err)}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		b.opts.Metrics.CRMWebhook("delivered")
		return outcome{}, nil
	case code == http.StatusTooManyRequests:
		b.opts.Metrics.CRMWebhook("rate_limited")
		wait := retryAfter(resp.Header.Get("Retry-After"), b.now())
		return outcome{}, &DeliveryError{Reason: ReasonRateLimited, RetryAfter: wait, Code: "429",
			Err: errors.New("crm webhook: 429 Too Many Requests")}
	case code >= 500:
		b.opts.Metrics.CRMWebhook("retry")
		return outcome{}, &DeliveryError{Reason: ReasonTemporary, Code: strconv.Itoa(code),
			Err: fmt.Errorf("crm webhook: HTTP %d", code)}
	default:
		b.opts.Metrics.CRMWebhook("rejected")
		return outcome{}, &DeliveryError{Permanent: true, Reason: ReasonInvalidRequest, Code: strconv.Itoa(code),
			Err: fmt.Errorf("crm webhook: HTTP %d (permanent: the receiver refused the body)", code)}
	}
}

// retryAfter reads a Retry-After header: seconds or an HTTP date; 0 when
// absent or unreadable (the delivery backoff then decides).
func retryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// crmMetricPlatform names the CRM webhook in switchboard_deliveries_total.
const crmMetricPlatform = "crm"

// crmKindOf maps the state machine's events (state.go) to the webhook's
// change kinds; events not listed are not sent.
var crmKindOf = map[string]string{
	EventClaimed:  contacts.ChangeConversationAssig,
	EventResolved: contacts.ChangeConversationDone,
}

// Short names of the conversation kinds for the one-line calls elsewhere
// in bridge (those files need not import contacts).
const (
	crmOpened      = contacts.ChangeConversationOpen
	crmAssigned    = contacts.ChangeConversationAssig
	crmTransferred = contacts.ChangeConversationXfer
	crmReopened    = contacts.ChangeConversationReopen
)

// RecordCRMChange records ch for the CRM webhook in a transaction of its
// own: for a change that was committed outside the bridge (a tool, an
// import). Changes the bridge makes call crmChanged in their own
// transaction instead, so they cannot be lost between the two.
func (b *Bridge) RecordCRMChange(ctx context.Context, ch contacts.Change) error {
	return b.inTx(ctx, func(tx Tx) error { return b.crmChanged(ctx, tx, ch) })
}
