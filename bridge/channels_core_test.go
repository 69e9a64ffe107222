package bridge_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// These drive the bridge's channel semantics (issue 12) by hand, with a
// clock: echoes, watermark receipts, the human-agent window and names
// read from a profile API, on a Messenger Page inbox ("page"), an e-mail
// inbox ("mail") and a WhatsApp number ("inbox").

// sentText is one send a channel made, with the options it was given.
type sentText struct {
	Text string
	Opts bridge.SendOptions
}

// optsChannel is a customer channel recording its sends with their
// options; beforeReturn, when set, runs inside SendText before it
// answers (a webhook racing the send).
type optsChannel struct {
	*recorder
	prefix       string
	mu           sync.Mutex
	sent         []sentText
	beforeReturn func(id string)
	name         string // what CustomerName answers ("" : no ProfileReader use)
	nameCalls    int
	err          error // when set, what every SendText answers
}

func (c *optsChannel) SendText(_ context.Context, _ bridge.InboxID, _ bridge.CustomerAddress, text string, opts ...bridge.SendOption) (string, error) {
	c.mu.Lock()
	c.sent = append(c.sent, sentText{Text: text, Opts: bridge.ApplySendOptions(opts)})
	id := fmt.Sprintf("%s.out%d", c.prefix, len(c.sent))
	hook, err := c.beforeReturn, c.err
	c.mu.Unlock()
	if err != nil {
		return "", err
	}
	if hook != nil {
		hook(id)
	}
	return id, nil
}

func (c *optsChannel) sends() []sentText {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]sentText(nil), c.sent...)
}

// profileChannel is an optsChannel that can read customers' names.
type profileChannel struct{ *optsChannel }

func (c profileChannel) CustomerName(_ context.Context, _ bridge.InboxID, _ bridge.CustomerAddress) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nameCalls++
	return c.name, nil
}

type chFixture struct {
	t     *testing.T
	store *storage.Store
	rec   *recorder
	ws    *cardOpener
	wa    *optsChannel
	page  *optsChannel
	mail  *optsChannel
	b     *bridge.Bridge
	mu    sync.Mutex
	now   time.Time
}

func newChFixture(t *testing.T, dialect string, profileName string) *chFixture {
	t.Helper()
	rec := &recorder{}
	f := &chFixture{t: t, store: storage.NewStore(storagetest.Open(t, dialect), nil), rec: rec, ws: &cardOpener{opener: &opener{recorder: rec}},
		wa: &optsChannel{recorder: rec, prefix: "wamid"}, page: &optsChannel{recorder: rec, prefix: "m_page", name: profileName},
		mail: &optsChannel{recorder: rec, prefix: "mail"}, now: time.Now().UTC().Truncate(time.Millisecond)}
	var page bridge.CustomerChannel = f.page
	if profileName != "" {
		page = profileChannel{f.page}
	}
	o := bridge.Options{
		Teams: []bridge.Team{{Name: "support", ChannelID: "CSUPPORT", Members: []string{"USUP"}}},
		Inboxes: []bridge.Inbox{{ID: "inbox", Name: "WhatsApp line", Team: "support"},
			{ID: "page", Channel: bridge.ChannelMessenger, Name: "Shop Page", Team: "support"},
			{ID: "mail", Channel: bridge.ChannelEmail, Name: "Mailbox", Team: "support"}},
		Channels:    map[bridge.Channel]bridge.CustomerChannel{bridge.ChannelMessenger: page, bridge.ChannelEmail: f.mail},
		DefaultTeam: "support", Now: f.clock, Log: slog.New(slog.DiscardHandler),
	}
	b, err := bridge.New(f.store, f.wa, []bridge.AgentWorkspace{f.ws}, o)
	require.NoError(t, err)
	f.b = b
	return f
}

// cardOpener is an opener that keeps the last card it drew.
type cardOpener struct {
	*opener
	cmu  sync.Mutex
	last bridge.Card
}

func (o *cardOpener) OpenThread(ctx context.Context, channel string, c bridge.Card) (bridge.ThreadRef, error) {
	o.cmu.Lock()
	o.last = c
	o.cmu.Unlock()
	return o.opener.OpenThread(ctx, channel, c)
}

func (o *cardOpener) UpdateCard(_ context.Context, _ bridge.ThreadRef, c bridge.Card) error {
	o.cmu.Lock()
	defer o.cmu.Unlock()
	o.last = c
	return nil
}

// card is the last card drawn, as "label: value" lines, and its verbs.
func (o *cardOpener) card() (map[string]string, []bridge.Verb) {
	o.cmu.Lock()
	defer o.cmu.Unlock()
	fields := map[string]string{}
	for _, f := range o.last.Fields {
		fields[f.Label] = f.Value
	}
	var verbs []bridge.Verb
	for _, b := range o.last.Buttons {
		verbs = append(verbs, b.Verb)
	}
	return fields, verbs
}

func (f *chFixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *chFixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func (f *chFixture) webhook(msgs ...bridge.InboundMessage) {
	f.t.Helper()
	require.NoError(f.t, f.b.HandleCustomerWebhook(context.Background(), bridge.CustomerWebhook{Messages: msgs}))
}

func (f *chFixture) receipts(rs ...bridge.DeliveryReceipt) {
	f.t.Helper()
	require.NoError(f.t, f.b.HandleCustomerWebhook(context.Background(), bridge.CustomerWebhook{Receipts: rs}))
}

// customerWrites is a customer's text on inbox from address.
func (f *chFixture) customerWrites(inbox bridge.InboxID, from bridge.CustomerAddress, id, text string) {
	f.t.Helper()
	f.webhook(bridge.InboundMessage{Inbox: inbox, ExternalID: id, From: from, SentAt: f.clock(), Kind: bridge.KindText, Text: text})
}

// agentWrites is USUP's reply in the team's thread, keyed key.
func (f *chFixture) agentWrites(key, text string) {
	f.t.Helper()
	require.NoError(f.t, f.b.HandleAgentMessage(context.Background(), bridge.AgentMessage{Workspace: bridge.WorkspaceSlack,
		ChannelID: "CSUPPORT", ThreadKey: "TCSUPPORT", MessageKey: key, AuthorID: "USUP", Text: text}))
}

// conv is the latest conversation of address on inbox.
func (f *chFixture) conv(inbox bridge.InboxID, channel bridge.Channel, address bridge.CustomerAddress) bridge.Conversation {
	f.t.Helper()
	var c bridge.Conversation
	ctx := context.Background()
	require.NoError(f.t, f.store.InTx(ctx, func(tx bridge.Tx) error {
		k, err := tx.UpsertContact(ctx, bridge.Contact{Channel: string(channel), Address: address, CreatedAt: f.clock()})
		if err != nil {
			return err
		}
		c, err = tx.LatestConversation(ctx, k.ID, inbox)
		return err
	}))
	return c
}

func (f *chFixture) message(externalID string) bridge.Message {
	f.t.Helper()
	var m bridge.Message
	ctx := context.Background()
	require.NoError(f.t, f.store.InTx(ctx, func(tx bridge.Tx) error {
		var err error
		m, err = tx.MessageByExternalID(ctx, externalID)
		return err
	}))
	return m
}

func (f *chFixture) contact(id bridge.ContactID) bridge.Contact {
	f.t.Helper()
	var k bridge.Contact
	ctx := context.Background()
	require.NoError(f.t, f.store.InTx(ctx, func(tx bridge.Tx) error {
		var err error
		k, err = tx.GetContact(ctx, id)
		return err
	}))
	return k
}

// drain runs the conversation's workspace and customer lanes as far as
// they are due, until nothing more is.
func (f *chFixture) drain(conv bridge.ConversationID) {
	f.t.Helper()
	for range 5 {
		f.run(bridge.WorkspaceLane(conv))
		f.run(bridge.CustomerLane(conv))
	}
}

func (f *chFixture) run(lane bridge.Lane) {
	f.t.Helper()
	ctx := context.Background()
	for range 30 {
		var head bridge.Delivery
		err := f.store.InTx(ctx, func(tx bridge.Tx) error {
			var err error
			head, err = tx.LaneHead(ctx, lane)
			return err
		})
		if err != nil {
			require.ErrorIs(f.t, err, bridge.ErrNotFound)
			return
		}
		done, wait, err := f.b.RunDelivery(ctx, head.ID, "test")
		require.NoError(f.t, err)
		if wait > 0 && !done {
			return
		}
	}
}

func (f *chFixture) posts() []string {
	_, _, posts, _ := f.rec.snapshot()
	return posts
}

func (f *chFixture) marks() []string {
	_, _, _, marks := f.rec.snapshot()
	return marks
}
