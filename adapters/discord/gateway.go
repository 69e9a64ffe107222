package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// Intents the gateway asks for: guilds (threads, channels), guild messages
// and message content (privileged: enable it in the developer portal, or
// content and attachments arrive empty), and guild message reactions
// (agents' reactions reach the customer, reactions.go).
const Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsMessageContent |
	discordgo.IntentsGuildMessageReactions

// Gateway holds the bot's gateway connection: it turns thread messages
// into bridge.AgentMessage, card buttons into bridge.AgentAction and slash
// commands into either (see events.go), and registers the application
// commands per guild at start-up. Exactly one replica should run it (the
// elected leader). discordgo reconnects and resumes by itself.
type Gateway struct {
	// Token is the bot token; "Bot " is prefixed when missing.
	Token   string
	Inbound bridge.AgentInbound
	// Picker fills the template picker (autocomplete of /template, the
	// select behind the Send template buttons); nil leaves those buttons
	// to the bridge, which explains the !template command.
	Picker bridge.Picker
	// BotUserID and AppID are ours; learnt from READY when empty.
	BotUserID string
	AppID     string
	// GuildIDs get the application commands (bulk overwrite, idempotent).
	GuildIDs []string
	// IsMember says whether a user (with their guild roles) is an agent
	// of the team whose home is channelID: the parent of the thread a
	// message, click or command is in, or the channel a command was typed
	// in outside threads. nil lets everyone in. Non-members' messages are
	// ignored and their clicks and commands refused privately.
	IsMember func(channelID, userID string, roles []string) bool
	// NotePrefix starts the text /note sends to the bridge; empty means
	// "note:" (the bridge's default prefix).
	NotePrefix string
	// Marks keeps each thread's high-water mark, from which messages
	// that could not be stored, or that no replica received, are fetched
	// again over REST (see recovery.go); nil turns that off.
	Marks Watermarks
	// RecoverFor is how long messages that could not be stored are tried
	// again before their authors are told to send them again; zero means
	// DefaultRecoverFor.
	RecoverFor time.Duration
	// StoreTimeout bounds one attempt to store an event; zero means 10 s.
	StoreTimeout time.Duration
	// Language is the language of the texts shown in the threads of the
	// team at home in channelID; nil means English.
	Language func(channelID string) string
	// MemberName is a member's name in the guild (the workspace's
	// UserName), for mentions in agents' replies; nil uses the names the
	// message lists.
	MemberName func(ctx context.Context, userID string) (string, error)
	// APIBaseURL and HTTPClient redirect REST calls (see Config).
	APIBaseURL string
	HTTPClient *http.Client
	Log        *slog.Logger
	// Texts overrides the short English answers (see defaultTexts).
	Texts map[string]string
	// Parity: presence, role holders, /metrics choices (presence.go).
	Parity

	mu      sync.Mutex
	s       *discordgo.Session
	ctx     context.Context
	cancel  context.CancelFunc
	parents sync.Map // channel id → parent id ("" for a non-thread)
	guilds  sync.Map // channel id → guild id
	wg      sync.WaitGroup
	rec     recovery
}

// Open connects to the gateway, waits for READY and registers the
// application commands in every guild of GuildIDs.
func (g *Gateway) Open(ctx context.Context) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.s != nil {
		return errors.New("discord gateway: already open")
	}
	if g.Log == nil {
		g.Log = slog.Default()
	}
	s, err := NewSession(g.Token, g.APIBaseURL, g.HTTPClient)
	if err != nil {
		return err
	}
	// Interaction answers are due within 3 s: let discordgo wait out a
	// short 429 there rather than fail.
	s.ShouldRetryOnRateLimit = true
	s.Identify.Intents = Intents | g.privilegedIntents() // presence.go
	// Handlers run in order on the reading goroutine, so a thread's
	// messages reach the bridge in the order Discord sent them.
	s.SyncEvents = true
	s.StateEnabled = false
	s.LogLevel = discordgo.LogWarning
	g.ctx, g.cancel = context.WithCancel(context.Background())
	g.rec.init()
	s.AddHandler(g.onReady)
	s.AddHandler(g.onResumed)
	s.AddHandler(g.onMessageCreate)
	s.AddHandler(g.onInteractionCreate)
	s.AddHandler(g.onThreadCreate)
	g.addParityHandlers(s)           // presence.go
	s.AddHandler(g.onReactionAdd)    // reactions.go
	s.AddHandler(g.onReactionRemove) // reactions.go
	s.AddHandler(g.onMessageUpdate)  // edits.go
	s.AddHandler(g.onMessageDelete)
	if err := s.Open(); err != nil {
		g.cancel()
		return fmt.Errorf("discord gateway open: %w", err)
	}
	g.s = s
	g.wg.Add(1)
	go g.recoverLoop(s)
	if g.AppID == "" {
		g.abortOpen(s)
		return errors.New("discord gateway: no application id (set AppID or check READY)")
	}
	for _, guild := range g.GuildIDs {
		if _, err := s.ApplicationCommandBulkOverwrite(g.AppID, guild, g.commands(), discordgo.WithContext(ctx)); err != nil {
			g.Log.Error("discord commands not registered", "guild", guild, "err", err)
			g.abortOpen(s)
			return fmt.Errorf("discord register commands in guild %s: %w", guild, err)
		}
	}
	return nil
}

// abortOpen undoes a failed Open that had connected: it waits for the
// recovery loop and running handlers, so a later Open can replace g.ctx
// and the recovery state without racing them. g.mu must be held.
func (g *Gateway) abortOpen(s *discordgo.Session) {
	_ = s.Close()
	g.s = nil
	g.cancel()
	g.wg.Wait()
}

// Close disconnects and waits for running handlers.
func (g *Gateway) Close() error {
	g.mu.Lock()
	s := g.s
	g.s = nil
	g.mu.Unlock()
	if s == nil {
		return nil
	}
	err := s.Close()
	g.cancel()
	g.wg.Wait()
	return err
}

// Session exposes the discordgo session (nil before Open).
func (g *Gateway) Session() *discordgo.Session {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.s
}

func (g *Gateway) onReady(s *discordgo.Session, r *discordgo.Ready) {
	if r.User != nil && g.BotUserID == "" {
		g.BotUserID = r.User.ID
	}
	if r.Application != nil && g.AppID == "" {
		g.AppID = r.Application.ID
	}
	g.Log.Info("discord gateway ready", "session", r.SessionID, "bot", g.BotUserID)
	g.catchUp() // a new session: whatever came before it was not received
}

func (g *Gateway) onThreadCreate(s *discordgo.Session, t *discordgo.ThreadCreate) {
	if t.Channel != nil && t.ParentID != "" {
		g.parents.Store(t.ID, t.ParentID)
		if t.GuildID != "" {
			g.guilds.Store(t.ID, t.GuildID)
		}
	}
}

// homeOf is where an interaction happened: parent is its thread's parent
// channel ("" outside a thread) and home the team channel (the parent, or
// the channel itself). A failed lookup is logged and found is false: the
// interaction is answered with an error.
func (g *Gateway) homeOf(s *discordgo.Session, in *discordgo.Interaction) (parent, home string, found bool) {
	parent, err := g.parentOf(s, in.ChannelID)
	if err != nil {
		g.Log.Error("discord interaction: channel lookup failed", "interaction", in.ID, "channel", in.ChannelID, "err", err)
		return "", "", false
	}
	return parent, homeChannel(in, parent), true
}

// parentOf returns the parent channel of a thread, or "" when channelID is
// not a thread. It asks Discord once per channel.
func (g *Gateway) parentOf(s *discordgo.Session, channelID string) (string, error) {
	if p, ok := g.parents.Load(channelID); ok {
		return p.(string), nil
	}
	ch, err := s.Channel(channelID, discordgo.WithContext(g.ctx))
	if err != nil {
		return "", err
	}
	if ch.GuildID != "" {
		g.guilds.Store(channelID, ch.GuildID)
	}
	parent := ""
	if ch.IsThread() {
		parent = ch.ParentID
	}
	g.parents.Store(channelID, parent)
	return parent, nil
}

func (g *Gateway) member(channelID, userID string, roles []string) bool {
	return g.IsMember == nil || g.IsMember(channelID, userID, roles)
}

// deliver calls fn until it succeeds, at most tries times with a short
// backoff: the gateway does not redeliver an event we failed to store (a
// message is fetched again over REST later; see recovery.go).
func (g *Gateway) deliver(what string, tries int, fn func(ctx context.Context) error) error {
	var err error
	for attempt, wait := 0, 200*time.Millisecond; attempt < tries; attempt, wait = attempt+1, wait*4 {
		ctx, cancel := context.WithTimeout(g.ctx, g.storeTimeout())
		err = fn(ctx)
		cancel()
		if err == nil || g.ctx.Err() != nil || attempt == tries-1 {
			return err
		}
		g.Log.Warn("discord event not stored, retrying", "what", what, "attempt", attempt+1, "err", err)
		select {
		case <-time.After(wait):
		case <-g.ctx.Done():
			return err
		}
	}
	return err
}

var defaultTexts = map[string]string{
	"refused":      "Only members of this team can do that.",
	"not_thread":   "Use this command inside a conversation thread.",
	"done":         "Requested: %s. The thread shows the result.",
	"note_saved":   "Note saved.",
	"error":        "Something went wrong; please try again.",
	"transfer_arg": "Say whom to transfer to: /transfer agent:@someone or team:name.",
	"note_empty":   "Write the note: /note text:…",
	"unknown":      "I do not know that button or command.",
}

func (g *Gateway) storeTimeout() time.Duration {
	if g.StoreTimeout > 0 {
		return g.StoreTimeout
	}
	return 10 * time.Second
}

func (g *Gateway) text(key string) string {
	if t, ok := g.Texts[key]; ok {
		return t
	}
	return defaultTexts[key]
}
