package bridge_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/bridge/templates"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// recorder is a customer channel and an agent workspace that record what
// the bridge asks of them; only the calls these tests need do anything.
type recorder struct {
	mu        sync.Mutex
	templates []templates.Message
	tells     []string // "user: text"
	posts     []string
	marks     []string // "key:mark"
	fail      error    // returned by the next SendTemplate
}

func (r *recorder) SendText(context.Context, bridge.InboxID, bridge.CustomerAddress, string, ...bridge.SendOption) (string, error) {
	return "wamid.text", nil
}
func (r *recorder) SendMedia(context.Context, bridge.InboxID, bridge.CustomerAddress, bridge.File, string, ...bridge.SendOption) (string, error) {
	return "", errors.New("not used")
}
func (r *recorder) SendTemplate(_ context.Context, _ bridge.InboxID, _ bridge.CustomerAddress, msg templates.Message) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.fail; err != nil {
		r.fail = nil
		return "", err
	}
	r.templates = append(r.templates, msg)
	return "wamid.tpl" + string(rune('0'+len(r.templates))), nil
}
func (r *recorder) SendReaction(context.Context, bridge.InboxID, bridge.CustomerAddress, string, string) (string, error) {
	return "", errors.New("not used")
}
func (r *recorder) MarkRead(context.Context, bridge.InboxID, string, bool) error { return nil }
func (r *recorder) DownloadMedia(context.Context, string) (bridge.File, error) {
	return bridge.File{}, errors.New("not used")
}
func (r *recorder) Kind() bridge.WorkspaceKind { return bridge.WorkspaceSlack }
func (r *recorder) OpenThread(context.Context, string, bridge.Card) (bridge.ThreadRef, error) {
	return bridge.ThreadRef{}, errors.New("not used")
}
func (r *recorder) UpdateCard(context.Context, bridge.ThreadRef, bridge.Card) error { return nil }
func (r *recorder) Post(_ context.Context, _ bridge.ThreadRef, p bridge.Post) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.posts = append(r.posts, p.Text)
	return "post" + string(rune('0'+len(r.posts))), nil
}
func (r *recorder) PostFile(context.Context, bridge.ThreadRef, bridge.File, string) (string, error) {
	return "", errors.New("not used")
}
func (r *recorder) SetMark(_ context.Context, _ bridge.ThreadRef, key string, _, mark bridge.Mark) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.marks = append(r.marks, key+":"+string(mark))
	return nil
}
func (r *recorder) React(context.Context, bridge.ThreadRef, string, string, bool) error { return nil }
func (r *recorder) TellPrivately(_ context.Context, _ bridge.ThreadRef, user, text string, _ ...bridge.PrivateAction) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tells = append(r.tells, user+": "+text)
	return nil
}
func (r *recorder) DownloadFile(context.Context, bridge.AgentFile) (bridge.File, error) {
	return bridge.File{}, errors.New("not used")
}
func (r *recorder) Link(bridge.ThreadRef) string { return "https://example.test/thread" }

func (r *recorder) snapshot() (tpls []templates.Message, tells, posts, marks []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append(tpls, r.templates...), append(tells, r.tells...), append(posts, r.posts...), append(marks, r.marks...)
}

// tplFixture is one conversation in a thread, with an account's templates.
type tplFixture struct {
	t     *testing.T
	b     *bridge.Bridge
	store *storage.Store
	rec   *recorder
	conv  bridge.Conversation
}

var (
	orderES = templates.Template{Account: "waba1", ID: "1", Name: "order_update", Language: "es", Status: templates.StatusApproved,
		Components: []templates.Component{{Type: "BODY", Text: "Hola {{1}}, tu pedido {{2}} está en camino.",
			Example: json.RawMessage(`{"body_text":[["Ana","#1234"]]}`)}}}
	orderEN = templates.Template{Account: "waba1", ID: "2", Name: "order_update", Language: "en_US", Status: templates.StatusApproved,
		Components: []templates.Component{{Type: "BODY", Text: "Hi {{1}}, order {{2}} is on its way."}}}
	promoPT = templates.Template{Account: "waba1", ID: "3", Name: "promo", Language: "pt_BR", Status: templates.StatusPaused,
		Reason: "LOW_QUALITY", Components: []templates.Component{{Type: "BODY", Text: "Oferta!"}}}
	helloEN = templates.Template{Account: "waba1", ID: "4", Name: "hello", Language: "en", Status: templates.StatusApproved,
		Components: []templates.Component{{Type: "BODY", Text: "Hello, we have news for you."}}}
	helloPT = templates.Template{Account: "waba1", ID: "5", Name: "hello", Language: "pt_BR", Status: templates.StatusApproved,
		Components: []templates.Component{{Type: "BODY", Text: "Olá, temos novidades."}}}
	helloPTPT = templates.Template{Account: "waba1", ID: "6", Name: "hello", Language: "pt_PT", Status: templates.StatusApproved,
		Components: []templates.Component{{Type: "BODY", Text: "Olá, temos novidades!"}}}
)

// newTplFixture opens a conversation of a Spanish-speaking customer whose
// window closed a day ago, assigned to nobody; U1 and U2 are agents.
func newTplFixture(t *testing.T, dialect string, assignee string) *tplFixture {
	t.Helper()
	ctx := context.Background()
	db := storagetest.Open(t, dialect)
	f := &tplFixture{t: t, store: storage.NewStore(db, nil), rec: &recorder{}}
	var err error
	f.b, err = bridge.New(f.store, f.rec, []bridge.AgentWorkspace{f.rec}, bridge.Options{
		Teams:            []bridge.Team{{Name: "support", ChannelID: "C1", Members: []string{"U1", "U2"}}},
		Inboxes:          []bridge.Inbox{{ID: "inbox", Account: "waba1", Name: "Support line"}},
		AutoClaimOnReply: true,
	})
	require.NoError(t, err)
	now := time.Now().UTC()
	require.NoError(t, f.store.InTx(ctx, func(tx bridge.Tx) error {
		c, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34600111222", Phone: "34600111222", CreatedAt: now})
		if err != nil {
			return err
		}
		state := bridge.StatePending
		if assignee != "" {
			state = bridge.StateAssigned
		}
		f.conv, err = tx.CreateConversation(ctx, bridge.Conversation{ContactID: c.ID, Inbox: "inbox", Team: "support",
			State: state, Assignee: assignee, OpenedAt: now.Add(-48 * time.Hour), LastCustomerAt: now.Add(-47 * time.Hour)})
		if err != nil {
			return err
		}
		if _, err = tx.CreateThread(ctx, bridge.Thread{ConversationID: f.conv.ID, CreatedAt: now, Current: true,
			Ref: bridge.ThreadRef{Workspace: bridge.WorkspaceSlack, ChannelID: "C1", ThreadKey: "T1", CardKey: "T1"}}); err != nil {
			return err
		}
		_, err = tx.ReplaceTemplates(ctx, "waba1", []templates.Template{orderES, orderEN, promoPT, helloEN, helloPT, helloPTPT}, now)
		return err
	}))
	return f
}

func (f *tplFixture) say(key, user, text string) {
	f.t.Helper()
	require.NoError(f.t, f.b.HandleAgentMessage(context.Background(), bridge.AgentMessage{Workspace: bridge.WorkspaceSlack,
		EventID: "ev" + key, ChannelID: "C1", ThreadKey: "T1", MessageKey: key, AuthorID: user, Text: text}))
}

// drain runs every queued delivery of the conversation's two lanes.
func (f *tplFixture) drain() {
	f.t.Helper()
	ctx := context.Background()
	for _, lane := range []bridge.Lane{bridge.CustomerLane(f.conv.ID), bridge.WorkspaceLane(f.conv.ID)} {
		for range 20 {
			var head bridge.Delivery
			err := f.store.InTx(ctx, func(tx bridge.Tx) error {
				var err error
				head, err = tx.LaneHead(ctx, lane)
				return err
			})
			if errors.Is(err, bridge.ErrNotFound) {
				break
			}
			require.NoError(f.t, err)
			_, _, err = f.b.RunDelivery(ctx, head.ID, "test")
			require.NoError(f.t, err)
		}
	}
}

func TestTemplateCommandRefusesBeforeSending(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, user, text, assignee string
		want                       []string // in the private answer
	}{
		{"unknown name, close names offered", "U1", "!template order_updat Ana | 1", "", []string{"no template called “order_updat”", "order_update"}},
		{"paused, with its reason", "U1", "!template promo", "", []string{"paused by Meta", "LOW_QUALITY"}},
		{"wrong count, each value named with Meta's example", "U1", "!template order_update Ana", "",
			[]string{"takes 2 values and you gave 1", "1. {{1}} (e.g. Ana) · 2. {{2}} (e.g. #1234)"}},
		{"empty value", "U1", "!template order_update Ana |  ", "", []string{"Value 2 ({{2}})", "is empty"}},
		{"language the name lacks", "U1", "!template order_update@pt Ana | 1", "", []string{"no “pt” version", "en_US, es"}},
		{"several languages, none the customer's", "U1", "!template hello", "", []string{"several languages", "en, pt_BR, pt_PT", "!template hello@en"}},
		{"a base language matching two", "U1", "!template hello@pt", "", []string{"no “pt” version"}},
		{"held by another agent", "U2", "!template order_update Ana | 1", "U1", []string{"{@U1}", "holds this conversation"}},
		{"an outsider", "UX", "!template order_update Ana | 1", "", []string{"not an agent of team support"}},
		{"no name", "U1", "!template", "", []string{"!template name value 1 | value 2", "order_update@es"}},
	}
	for _, dialect := range storagetest.Dialects {
		for _, tc := range cases {
			t.Run(dialect+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				f := newTplFixture(t, dialect, tc.assignee)
				f.say("1.0", tc.user, tc.text)
				f.drain()
				sent, tells, _, _ := f.rec.snapshot()
				require.Empty(t, sent, "nothing reaches the customer")
				require.Len(t, tells, 1)
				for _, w := range tc.want {
					require.Contains(t, tells[0], w)
				}
			})
		}
	}
}

func TestTemplateCommandSendsOutsideTheWindowAndClaims(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			f := newTplFixture(t, dialect, "")
			f.say("1.0", "U1", "!template order_update Ana | #77")
			f.drain()
			sent, tells, posts, marks := f.rec.snapshot()
			require.Empty(t, tells)
			require.Len(t, sent, 1, "sent although the window closed a day ago")
			raw, err := json.Marshal(sent[0])
			require.NoError(t, err)
			require.JSONEq(t, `{"name":"order_update","language":{"code":"es"},"components":[{"type":"body","parameters":[
				{"type":"text","text":"Ana"},{"type":"text","text":"#77"}]}]}`, string(raw), "the customer's language (from +34) picked es")
			require.Len(t, posts, 1)
			require.Contains(t, posts[0], "Hola Ana, tu pedido #77 está en camino.")
			require.Contains(t, posts[0], "{@U1}")
			require.Equal(t, []string{"post1:sent"}, marks, "the receipt shows on the thread post")

			var conv bridge.Conversation
			require.NoError(t, f.store.InTx(ctx, func(tx bridge.Tx) error {
				conv, err = tx.GetConversation(ctx, f.conv.ID)
				return err
			}))
			require.Equal(t, "U1", conv.Assignee, "the first send claims, like a reply")

			// A replay of the same thread message sends nothing twice.
			require.NoError(t, f.b.HandleAgentMessage(ctx, bridge.AgentMessage{Workspace: bridge.WorkspaceSlack,
				EventID: "other-delivery-id", ChannelID: "C1", ThreadKey: "T1", MessageKey: "1.0", AuthorID: "U1", Text: "!template order_update Ana | #77"}))
			f.drain()
			sent, _, _, _ = f.rec.snapshot()
			require.Len(t, sent, 1)
		})
	}
}

func TestTemplateChoicesListApprovedInTheCustomersLanguageFirst(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newTplFixture(t, dialect, "U1")
			ctx := context.Background()
			got, err := f.b.TemplateChoices(ctx, bridge.PickerQuery{Workspace: bridge.WorkspaceSlack, ChannelID: "C1", ThreadKey: "T1", UserID: "U1"})
			require.NoError(t, err)
			require.Empty(t, got.Refusal)
			require.Equal(t, "es", got.Language)
			var names []string
			for _, tpl := range got.Templates {
				names = append(names, tpl.Name+"@"+tpl.Language)
			}
			require.Equal(t, []string{"order_update@es", "hello@en", "hello@pt_BR", "hello@pt_PT", "order_update@en_US"}, names,
				"approved only (the paused promo is not offered), Spanish first")

			got, err = f.b.TemplateChoices(ctx, bridge.PickerQuery{Workspace: bridge.WorkspaceSlack, ChannelID: "C1", ThreadKey: "T1", UserID: "U1", Search: "hel"})
			require.NoError(t, err)
			require.Len(t, got.Templates, 3)

			got, err = f.b.TemplateChoices(ctx, bridge.PickerQuery{Workspace: bridge.WorkspaceSlack, ChannelID: "C1", ThreadKey: "T1", UserID: "U2"})
			require.NoError(t, err)
			require.Contains(t, got.Refusal, "holds this conversation")
			require.Empty(t, got.Templates)

			got, err = f.b.TemplateChoices(ctx, bridge.PickerQuery{Workspace: bridge.WorkspaceSlack, ChannelID: "C1", ThreadKey: "T1", UserID: "UX"})
			require.NoError(t, err)
			require.True(t, strings.Contains(got.Refusal, "not an agent"), got.Refusal)

			got, err = f.b.TemplateChoices(ctx, bridge.PickerQuery{Workspace: bridge.WorkspaceSlack, ChannelID: "C1", UserID: "U2"})
			require.NoError(t, err)
			require.Empty(t, got.Refusal, "a channel query (starting a conversation) lists the team's account")
			require.Len(t, got.Templates, 5)
		})
	}
}

// A template sent on a conversation the assistant holds takes it over,
// as a reply does: it goes, and the agent holds the conversation.
func TestTemplateCommandTakesOverFromTheAssistant(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newTplFixture(t, dialect, assist.AgentID)
			f.say("1.0", "U1", "!template order_update Ana | #1234")
			f.drain()
			tpls, tells, _, _ := f.rec.snapshot()
			require.Len(t, tpls, 1, "tells: %q", tells)
			for _, tell := range tells {
				require.NotContains(t, tell, "{@"+assist.AgentID, "the assistant is named, never mentioned")
			}
			var c bridge.Conversation
			require.NoError(t, f.store.InTx(context.Background(), func(tx bridge.Tx) error {
				var err error
				c, err = tx.GetConversation(context.Background(), f.conv.ID)
				return err
			}))
			require.Equal(t, "U1", c.Assignee)
		})
	}
}
