package slack

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard/switchboard/bridge"
)

// platform is the label our metrics use for Slack.
const platform = "slack"

// Handler serves Slack's HTTP endpoints: the Events API, interactivity
// (buttons) and slash commands. It verifies every request's signature,
// turns what matters into bridge events and calls Inbound before answering,
// so a 2xx means the bridge has stored the fact.
type Handler struct {
	// SigningSecret is the app's signing secret; empty refuses everything.
	SigningSecret string
	// BotUserID, BotID and AppID are our own app's ids; messages carrying
	// any of them are our echoes and are dropped. Events are refused (503,
	// so Slack delivers them again) until both the bot user id and the bot
	// id are known, from these fields or from SetIdentity: before that, an
	// event our own bot caused could not be told from a person's.
	BotUserID, BotID, AppID string
	// TeamID is our workspace's id (auth.test). A person whose event
	// carries another team id is a guest (Slack Connect); while TeamID is
	// unknown everyone whose event names a team is, so nobody acts
	// unchecked.
	TeamID string
	// EnterpriseID is our Enterprise Grid organisation (auth.test; "" outside
	// Grid): a click's user.team_id reports it instead of the team id.
	EnterpriseID string
	Inbound      bridge.AgentInbound
	Metrics      *bridge.Metrics
	Log          *slog.Logger
	// Now is the clock used for timestamp checks; nil means time.Now.
	Now func() time.Time
	// ResolveUser returns a display name for a user id, for rendering
	// mentions to customers; nil or "" leaves the mention out.
	ResolveUser func(ctx context.Context, userID string) string
	// ResolveChannel returns a channel's name, for channel mentions
	// without a label; nil or "" leaves the mention out.
	ResolveChannel func(ctx context.Context, channelID string) string
	// UserTeam returns the workspace a user belongs to (users.info), for
	// events that do not say it (reactions): a Slack Connect guest's is
	// another's. nil, or an error, leaves the person taken as ours.
	UserTeam func(ctx context.Context, userID string) (string, error)
	// Command is the slash command we answer; empty means "/switchboard".
	Command string
	// Views opens the Transfer modal; Teams are the team names it offers
	// and Language the language of its labels (default en).
	Views    *Workspace
	Teams    []string
	Language string

	// learned is the identity auth.test reported (see SetIdentity).
	learned atomic.Pointer[Identity]
}

// Identity is who our bot is, as auth.test reports it.
type Identity struct {
	UserID string // the bot user ("U…"): files the bot uploads carry it
	BotID  string // "B…": messages the bot posts carry it
	TeamID string // our workspace: people of another one are guests
	// EnterpriseID is our Enterprise Grid organisation ("" outside Grid).
	EnterpriseID string
}

// SetIdentity records what auth.test said; from then on the handler
// accepts events. Safe to call while requests are served.
func (h *Handler) SetIdentity(id Identity) { h.learned.Store(&id) }

// identity is the learned identity, or the configured fields before it is
// learned; ok reports whether it is complete enough to recognise our echoes.
func (h *Handler) identity() (id Identity, ok bool) {
	if l := h.learned.Load(); l != nil {
		id = *l
	}
	if id.UserID == "" {
		id.UserID = h.BotUserID
	}
	if id.BotID == "" {
		id.BotID = h.BotID
	}
	if id.TeamID == "" {
		id.TeamID, id.EnterpriseID = h.TeamID, h.EnterpriseID
	}
	return id, id.UserID != "" && id.BotID != ""
}

// isOurUser reports whether a user id is our bot user: the one auth.test
// reported or the one configured (both count, should they differ).
func (h *Handler) isOurUser(me Identity, user string) bool {
	return user != "" && (user == me.UserID || user == h.BotUserID)
}

// Register mounts the three endpoints on r.
func (h *Handler) Register(r fiber.Router) {
	r.Post("/slack/events", h.events)
	r.Post("/slack/interactivity", h.interactivity)
	r.Post("/slack/commands", h.commands)
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) log() *slog.Logger {
	if h.Log != nil {
		return h.Log
	}
	return slog.Default()
}

// verify checks the signature over the raw body; on failure it has already
// written the 401 answer and counted it.
func (h *Handler) verify(c *fiber.Ctx) bool {
	err := Verify(h.SigningSecret, c.Get("X-Slack-Signature"), c.Get("X-Slack-Request-Timestamp"), c.Body(), h.now())
	if err == nil {
		return true
	}
	h.Metrics.Webhook(platform, bridge.ResultUnauthorized)
	h.log().Warn("slack request refused", "path", c.Path(), "err", err)
	_ = c.SendStatus(fiber.StatusUnauthorized)
	return false
}

// envelope is the outer object of an Events API request. We decode our own
// small structs rather than slackevents.ParseEvent: slack-go decodes every
// block of a message and fails the whole event on a block type it does not
// know, and we need only a dozen fields.
type envelope struct {
	Type      string          `json:"type"`
	Challenge string          `json:"challenge"`
	EventID   string          `json:"event_id"`
	APIAppID  string          `json:"api_app_id"`
	Event     json.RawMessage `json:"event"`
}

// messageEvent holds the fields of a message event we look at.
type messageEvent struct {
	Type       string      `json:"type"`
	Subtype    string      `json:"subtype"`
	Channel    string      `json:"channel"`
	User       string      `json:"user"`
	Text       string      `json:"text"`
	TS         string      `json:"ts"`
	ThreadTS   string      `json:"thread_ts"`
	BotID      string      `json:"bot_id"`
	AppID      string      `json:"app_id"`
	BotProfile *botProfile `json:"bot_profile"`
	Files      []fileInfo  `json:"files"`
	// UserTeam is the author's workspace (Team on older payloads): another
	// than ours for a Slack Connect guest.
	UserTeam string `json:"user_team"`
	Team     string `json:"team"`
}

// guest reports whether a person of workspace team (as an event names it;
// "" when it does not) is not one of ours.
func (h *Handler) guest(team string) bool {
	me, _ := h.identity()
	return team != "" && team != me.TeamID && (me.EnterpriseID == "" || team != me.EnterpriseID)
}

type botProfile struct {
	ID    string `json:"id"`
	AppID string `json:"app_id"`
}

type fileInfo struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	Title              string `json:"title"`
	Mimetype           string `json:"mimetype"`
	Size               int64  `json:"size"`
	URLPrivate         string `json:"url_private"`
	URLPrivateDownload string `json:"url_private_download"`
	// User is who uploaded the file (our bot user for files we posted).
	User string `json:"user"`
}

// errMalformed marks a body we cannot decode (answered 400).
var errMalformed = errors.New("slack: malformed request body")

// parseEnvelope decodes an Events API body.
func parseEnvelope(body []byte) (envelope, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return env, errors.Join(errMalformed, err)
	}
	if env.Type == "" {
		return env, errMalformed
	}
	return env, nil
}

// agentMessage decides whether an event_callback is a person's message in a
// thread. It returns ok=false and a short reason for everything else: those
// events are acknowledged and counted as ignored.
func (h *Handler) agentMessage(ctx context.Context, env envelope) (msg bridge.AgentMessage, reason string, ok bool) {
	var ev messageEvent
	if len(env.Event) == 0 || json.Unmarshal(env.Event, &ev) != nil {
		return msg, "undecodable event", false
	}
	// app_mention duplicates the message event Slack also sends for the
	// same text, so only "message" counts.
	if ev.Type != "message" {
		return msg, "event type " + ev.Type, false
	}
	switch ev.Subtype {
	case "", "file_share", "thread_broadcast":
	default: // bot_message, message_changed, message_deleted, channel_join, message_replied…
		return msg, "subtype " + ev.Subtype, false
	}
	if ev.BotID != "" || ev.BotProfile != nil || ev.User == "" {
		return msg, "bot message", false
	}
	me, _ := h.identity()
	if h.isOurs(me, ev) {
		return msg, "our own message", false
	}
	files, ours := agentFiles(func(u string) bool { return h.isOurUser(me, u) }, ev.Files)
	if ours > 0 && len(files) == 0 && strings.TrimSpace(ev.Text) == "" {
		// Only files our bot uploaded (a customer's attachment we mirrored):
		// never sent back to the customer.
		return msg, "our own file", false
	}
	if ev.ThreadTS == "" || (ev.ThreadTS == ev.TS && ev.Subtype != "thread_broadcast") {
		return msg, "not in a thread", false
	}
	if ev.Channel == "" || ev.TS == "" {
		return msg, "no channel or ts", false
	}
	msg = bridge.AgentMessage{
		Workspace:  bridge.WorkspaceSlack,
		EventID:    env.EventID,
		ChannelID:  ev.Channel,
		ThreadKey:  ev.ThreadTS,
		MessageKey: ev.TS,
		AuthorID:   ev.User,
		Text:       ConvertMrkdwn(ev.Text, h.names(ctx)),
		Mentions:   Mentions(ev.Text),
		ThreadAt:   tsTime(ev.ThreadTS),
		SentAt:     tsPrecise(ev.TS),
		Files:      files,
		Guest:      h.guest(firstNonEmpty(ev.UserTeam, ev.Team)),
	}
	return msg, "", true
}

func (h *Handler) isOurs(me Identity, ev messageEvent) bool {
	return h.isOurUser(me, ev.User) ||
		(me.BotID != "" && ev.BotID == me.BotID) ||
		(h.AppID != "" && ev.AppID == h.AppID)
}

// agentFiles keeps the files we can download. Slack Connect stubs
// (file_access "check_file_info") carry no URL and are skipped, and so are
// files our own bot uploaded (files[].user is our bot user), whoever shares
// them: they came from the customer or the bridge, and sending them back
// would be an echo. ours counts those.
func agentFiles(ourUser func(string) bool, files []fileInfo) (out []bridge.AgentFile, ours int) {
	for _, f := range files {
		if ourUser(f.User) {
			ours++
			continue
		}
		url := f.URLPrivateDownload
		if url == "" {
			url = f.URLPrivate
		}
		if url == "" {
			continue
		}
		name := f.Name
		if name == "" {
			name = f.Title
		}
		out = append(out, bridge.AgentFile{ID: f.ID, Name: name, MimeType: f.Mimetype, URL: url, Size: f.Size})
	}
	return out, ours
}

// events serves POST /slack/events.
func (h *Handler) events(c *fiber.Ctx) error {
	if !h.verify(c) {
		return nil
	}
	env, err := parseEnvelope(c.Body())
	if err != nil {
		h.Metrics.Webhook(platform, bridge.ResultBadRequest)
		return c.SendStatus(fiber.StatusBadRequest)
	}
	switch env.Type {
	case "url_verification":
		h.Metrics.Webhook(platform, bridge.ResultAccepted)
		return c.JSON(fiber.Map{"challenge": env.Challenge})
	case "event_callback":
		if _, ok := h.identity(); !ok {
			// Without our bot's ids an echo of our own post or upload would
			// pass for an agent's message. A 503 without X-Slack-No-Retry
			// makes Slack deliver the event again once we know them.
			h.Metrics.Webhook(platform, bridge.ResultError)
			h.log().Warn("slack event refused until the bot's identity (auth.test) is known; Slack will retry",
				"event_id", env.EventID, "retry", c.Get("X-Slack-Retry-Num"))
			return c.Status(fiber.StatusServiceUnavailable).SendString("bot identity not known yet")
		}
	default: // app_rate_limited and future envelope types
		h.Metrics.Webhook(platform, bridge.ResultIgnored)
		h.log().Info("slack envelope ignored", "type", env.Type)
		return c.SendStatus(fiber.StatusOK)
	}
	ctx := c.UserContext()
	if change, ok := h.membershipChange(env); ok {
		return h.storeMembership(c, change)
	}
	if r, isReaction, ok, reason := h.agentReaction(ctx, env); isReaction { // reactions.go
		return h.storeReaction(c, r, ok, reason)
	}
	if handled, err := h.storeRevision(c, env); handled {
		return err // an edit or a delete (edits.go)
	}
	msg, reason, ok := h.agentMessage(ctx, env)
	if !ok {
		h.Metrics.Webhook(platform, bridge.ResultIgnored)
		h.log().Debug("slack event ignored", "event_id", env.EventID, "reason", reason)
		return c.SendStatus(fiber.StatusOK)
	}
	// Retries (X-Slack-Retry-Num) go through like first deliveries: the
	// bridge dedupes on EventID, and a retry may be the only copy that
	// arrives when the first attempt failed.
	if err := h.Inbound.HandleAgentMessage(ctx, msg); err != nil {
		h.Metrics.Webhook(platform, bridge.ResultError)
		h.log().Error("slack message not stored", "event_id", msg.EventID, "channel", msg.ChannelID,
			"retry", c.Get("X-Slack-Retry-Num"), "err", err)
		return c.SendStatus(fiber.StatusInternalServerError) // Slack retries
	}
	h.Metrics.Webhook(platform, bridge.ResultAccepted)
	return c.SendStatus(fiber.StatusOK)
}

// tsTime reads a Slack ts ("1700000000.000100": seconds.sequence) as a
// time; zero when it is not one.
// tsPrecise reads a Slack ts ("1700000000.000200": seconds, then
// microseconds) to the microsecond; zero if it is not one.
func tsPrecise(ts string) time.Time {
	sec, frac, _ := strings.Cut(ts, ".")
	n, err := strconv.ParseInt(sec, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	us, err := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	if err != nil || us < 0 {
		us = 0
	}
	return time.Unix(n, us*1000)
}

// tsTime reads a Slack ts to the second (zero if it is not one).
func tsTime(ts string) time.Time { return tsPrecise(ts).Truncate(time.Second) }

// memberEvent holds the fields of member_joined_channel and
// member_left_channel.
type memberEvent struct {
	Type    string `json:"type"`
	User    string `json:"user"`
	Channel string `json:"channel"`
	Team    string `json:"team"`
}

// membershipChange reads someone joining or leaving a channel.
func (h *Handler) membershipChange(env envelope) (bridge.MembershipChange, bool) {
	var ev memberEvent
	if len(env.Event) == 0 || json.Unmarshal(env.Event, &ev) != nil {
		return bridge.MembershipChange{}, false
	}
	if ev.Type != "member_joined_channel" && ev.Type != "member_left_channel" {
		return bridge.MembershipChange{}, false
	}
	return bridge.MembershipChange{Workspace: bridge.WorkspaceSlack, EventID: env.EventID, ChannelID: ev.Channel,
		UserID: ev.User, Joined: ev.Type == "member_joined_channel", Guest: h.guest(ev.Team)}, true
}

// storeMembership hands a membership change to the bridge; a failure is
// answered 500 so Slack retries (a lost member_left_channel would leave a
// departed agent acting until the next refresh).
func (h *Handler) storeMembership(c *fiber.Ctx, change bridge.MembershipChange) error {
	in, ok := h.Inbound.(bridge.MembershipInbound)
	if !ok {
		h.Metrics.Webhook(platform, bridge.ResultIgnored)
		return c.SendStatus(fiber.StatusOK)
	}
	if err := in.HandleMembershipChange(c.UserContext(), change); err != nil {
		h.Metrics.Webhook(platform, bridge.ResultError)
		h.log().Error("slack membership change not stored", "event_id", change.EventID, "channel", change.ChannelID, "err", err)
		return c.SendStatus(fiber.StatusInternalServerError)
	}
	h.Metrics.Webhook(platform, bridge.ResultAccepted)
	return c.SendStatus(fiber.StatusOK)
}
