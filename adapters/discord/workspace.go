// Package discord is the Discord agent workspace: a team's home is a text
// channel (the status card is a message and the conversation a thread
// started from it) or a forum channel (one post per conversation, the card
// as its starter message, tags showing the state). Workspace writes through
// discordgo's REST client; Gateway holds the bot's gateway connection and
// turns messages, buttons and slash commands into bridge events.
package discord

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// DefaultAPIBaseURL is Discord's own host.
const DefaultAPIBaseURL = "https://discord.com"

// ChannelKind is how a team's home channel holds conversations.
type ChannelKind string

const (
	ChannelText  ChannelKind = "text"
	ChannelForum ChannelKind = "forum"
)

// Config builds a Workspace.
type Config struct {
	// Token is the bot token; "Bot " is prefixed when missing.
	Token string
	// GuildID is the server, for thread links.
	GuildID string
	// APIBaseURL replaces https://discord.com (and Discord's CDN hosts) in
	// every request, e.g. a fake's URL in tests or a proxy; empty means
	// Discord's.
	APIBaseURL string
	// HTTPClient is optional; its Transport (or http.DefaultTransport) is
	// wrapped with the host rewriting.
	HTTPClient *http.Client
	// ChannelKinds says which home channels are forums; a channel missing
	// here is looked up once (GET /channels/{id}) and remembered.
	ChannelKinds map[string]ChannelKind
	// ForumTags maps a conversation state ("pending", "assigned",
	// "resolved") to the forum tag id showing it, per forum channel id. A
	// forum missing here has its tags read from Discord and matched by
	// name (Waiting, Assigned, Resolved; see forumTagNames).
	ForumTags map[string]map[string]string
	// Now is the clock judging whether a reply handle is still usable;
	// nil means time.Now.
	Now func() time.Time
	Log *slog.Logger
}

// Workspace writes into Discord channels through discordgo's REST client.
// It keeps only caches (channel kinds), so one value serves every team of a
// guild and every replica.
type Workspace struct {
	s     *discordgo.Session
	cfg   Config
	kinds sync.Map // channel id → ChannelKind
	tags  forumTagCache
	names memberNames // display names for {{agent.name}} (canned.go)
}

var (
	_ bridge.AgentWorkspace = (*Workspace)(nil)
	_ bridge.PrivateReplier = (*Workspace)(nil)
)

// NewSession returns a discordgo session whose REST calls (and CDN
// downloads) go to base instead of discord.com, and which does not retry
// 429s itself: our delivery queue paces on RetryAfter instead. discordgo's
// Endpoint* values are package variables computed at init, so rewriting the
// host in the transport is the parallel-safe way to redirect it.
func NewSession(token, base string, client *http.Client) (*discordgo.Session, error) {
	if token != "" && !strings.HasPrefix(token, "Bot ") {
		token = "Bot " + token
	}
	s, err := discordgo.New(token)
	if err != nil {
		return nil, err
	}
	hc, err := rewritingClient(base, client)
	if err != nil {
		return nil, err
	}
	s.Client = hc
	s.ShouldRetryOnRateLimit = false
	s.MaxRestRetries = 0
	return s, nil
}

// DefaultTimeout bounds every REST call and CDN download.
const DefaultTimeout = 20 * time.Second

// rewritingClient returns a client sending discord.com and CDN requests to
// base.
func rewritingClient(base string, client *http.Client) (*http.Client, error) {
	hc := &http.Client{Timeout: DefaultTimeout}
	if client != nil {
		cp := *client
		if cp.Timeout == 0 {
			// discordgo would wait forever on a stalled connection.
			cp.Timeout = DefaultTimeout
		}
		hc = &cp
	}
	if base == "" || strings.TrimRight(base, "/") == DefaultAPIBaseURL {
		return hc, nil
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("discord: APIBaseURL %q must be an absolute URL like https://discord.com", base)
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = &rewriteTransport{base: u, next: next}
	return hc, nil
}

// discordHosts are the hosts rewriteTransport redirects.
var discordHosts = map[string]bool{
	"discord.com": true, "cdn.discordapp.com": true, "media.discordapp.net": true,
}

type rewriteTransport struct {
	base *url.URL
	next http.RoundTripper
}

func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !discordHosts[strings.ToLower(req.URL.Hostname())] {
		return t.next.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host = t.base.Scheme, t.base.Host
	r.URL.Path = t.base.Path + req.URL.Path
	if req.URL.RawPath != "" {
		r.URL.RawPath = t.base.Path + req.URL.RawPath
	}
	r.Host = ""
	return t.next.RoundTrip(r)
}

// NewWorkspace returns a Workspace for cfg.
func NewWorkspace(cfg Config) (*Workspace, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s, err := NewSession(cfg.Token, cfg.APIBaseURL, cfg.HTTPClient)
	if err != nil {
		return nil, err
	}
	w := &Workspace{s: s, cfg: cfg}
	for id, k := range cfg.ChannelKinds {
		w.kinds.Store(id, k)
	}
	return w, nil
}

// Session exposes the discordgo session for calls outside the contract.
func (w *Workspace) Session() *discordgo.Session { return w.s }

// Kind implements bridge.AgentWorkspace.
func (w *Workspace) Kind() bridge.WorkspaceKind { return bridge.WorkspaceDiscord }

// channelKind says whether channelID is a forum, asking Discord once.
func (w *Workspace) channelKind(ctx context.Context, channelID string) (ChannelKind, error) {
	if k, ok := w.kinds.Load(channelID); ok {
		return k.(ChannelKind), nil
	}
	ch, err := w.s.Channel(channelID, discordgo.WithContext(ctx))
	if err != nil {
		return "", deliveryError("get channel", err)
	}
	k := ChannelText
	if ch.Type == discordgo.ChannelTypeGuildForum || ch.Type == discordgo.ChannelTypeGuildMedia {
		k = ChannelForum
	}
	w.kinds.Store(channelID, k)
	return k, nil
}

// noMentions allows no pings at all.
// postContent is the Discord text of a post, as Post writes it and
// EditPost rewrites it, with the mentions it may ping: only the users a
// system text names; a customer's post starts with their name.
func postContent(post bridge.Post) (string, *discordgo.MessageAllowedMentions) {
	text := ToDiscord(post.Text)
	allowed := noMentions()
	if post.Kind == bridge.PostSystem {
		var ids []string
		text, ids = RenderMentions(text)
		allowed = onlyUsers(ids)
	}
	// A customer's words, or the first-line assistant's answer ("🤖 Assistant").
	if (post.Kind == bridge.PostCustomer || post.Kind == bridge.PostAssistant) && strings.TrimSpace(post.AuthorName) != "" {
		text = "**" + Escape(truncate(strings.TrimSpace(post.AuthorName), 80)) + ":** " + text
	}
	return text, allowed
}

func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// onlyUsers allows pings of exactly these users.
func onlyUsers(ids []string) *discordgo.MessageAllowedMentions {
	m := noMentions()
	m.Users = ids
	return m
}

// OpenThread posts the card and opens the conversation's thread. In a
// text channel the card is a message and the thread is started from it
// (thread id = card message id). In a forum the card is the starter message
// of a new post (starter message id = thread id), tagged with the state.
// If starting the thread fails after the card was posted, a retry posts a
// second card: rare, visible, and better than a conversation without one.
func (w *Workspace) OpenThread(ctx context.Context, channelID string, card bridge.Card) (bridge.ThreadRef, error) {
	kind, err := w.channelKind(ctx, channelID)
	if err != nil {
		return bridge.ThreadRef{}, err
	}
	send := &discordgo.MessageSend{
		Embeds:          []*discordgo.MessageEmbed{CardEmbed(card, w.Link)},
		Components:      CardComponents(card),
		AllowedMentions: noMentions(),
	}
	opt := discordgo.WithContext(ctx)
	if kind == ChannelForum {
		tags, err := w.forumTags(ctx, channelID, card)
		if err != nil {
			// The post opens untagged; the next card update tags it.
			w.cfg.Log.Warn("discord forum tags unknown; opening the post untagged", "channel", channelID, "err", err)
		}
		th, err := w.s.ForumThreadStartComplex(channelID, &discordgo.ThreadStart{
			Name: threadName(card), AutoArchiveDuration: 10080, AppliedTags: tags,
		}, send, opt)
		if err != nil {
			return bridge.ThreadRef{}, deliveryError("start forum post", err)
		}
		return bridge.ThreadRef{Workspace: bridge.WorkspaceDiscord, ChannelID: channelID, ThreadKey: th.ID, CardKey: th.ID}, nil
	}
	// The card goes with its delivery's nonce: a repeat returns the card
	// an unrecorded attempt made (idempotency.go), whose thread may exist.
	msg, err := w.sendMessage(ctx, channelID, send, 0)
	if err != nil {
		return bridge.ThreadRef{}, deliveryError("post card", err)
	}
	th, err := w.s.MessageThreadStartComplex(channelID, msg.ID, &discordgo.ThreadStart{
		Name: threadName(card), AutoArchiveDuration: 10080,
	}, opt)
	if restCode(err) == codeThreadExists {
		// Started by that attempt: a thread started from a message has
		// the message's id.
		th, err = &discordgo.Channel{ID: msg.ID}, nil
	}
	if err != nil {
		return bridge.ThreadRef{}, deliveryError("start thread", err)
	}
	return bridge.ThreadRef{Workspace: bridge.WorkspaceDiscord, ChannelID: channelID, ThreadKey: th.ID, CardKey: msg.ID}, nil
}

// UpdateCard edits the card in place; on a forum post it also sets the
// tag of the card's state (replacing the post's tags).
func (w *Workspace) UpdateCard(ctx context.Context, thread bridge.ThreadRef, card bridge.Card) error {
	kind, err := w.channelKind(ctx, thread.ChannelID)
	if err != nil {
		return err
	}
	cardChannel := thread.ChannelID // a text channel's card lives in the parent
	if kind == ChannelForum {
		cardChannel = thread.ThreadKey // a forum's card is the post's starter message
	}
	key := thread.CardKey
	if key == "" {
		key = thread.ThreadKey
	}
	embeds := []*discordgo.MessageEmbed{CardEmbed(card, w.Link)}
	components := CardComponents(card)
	opt := discordgo.WithContext(ctx)
	if _, err := w.s.ChannelMessageEditComplex(&discordgo.MessageEdit{
		ID: key, Channel: cardChannel, Embeds: &embeds, Components: &components, AllowedMentions: noMentions(),
	}, opt); err != nil {
		return deliveryError("update card", err)
	}
	if kind == ChannelForum {
		tags, err := w.forumTags(ctx, thread.ChannelID, card)
		if err != nil {
			return err
		}
		if tags != nil {
			if _, err := w.s.ChannelEditComplex(thread.ThreadKey, &discordgo.ChannelEdit{AppliedTags: &tags}, opt); err != nil {
				return deliveryError("tag forum post", err)
			}
		}
	}
	return nil
}

// Post writes post into the thread. Customer texts are converted from
// WhatsApp formatting and escaped, and sent with no mentions allowed;
// system texts may mention the users their {@id} tokens name. Texts over
// MaxMessageChars go out as several messages; the key returned is the
// first one's id. If a later piece fails, a retry within Discord's nonce
// window gets the earlier pieces back instead of posting them again.
func (w *Workspace) Post(ctx context.Context, thread bridge.ThreadRef, post bridge.Post) (string, error) {
	text, allowed := postContent(post)
	if strings.TrimSpace(text) == "" {
		text = "\u200b" // Discord refuses empty messages; an empty post still needs a key
	}
	var first string
	for i, piece := range SplitText(text, MaxMessageChars) {
		send := &discordgo.MessageSend{Content: piece, AllowedMentions: allowed}
		if first == "" {
			send.Reference = replyReference(thread, post.ReplyToKey) // reactions.go
		}
		msg, err := w.sendMessage(ctx, postTarget(thread), send, i) // a nonce per piece (idempotency.go)
		if err != nil {
			return first, deliveryError("post", err)
		}
		if first == "" {
			first = msg.ID
		}
	}
	return first, nil
}

// PostFile uploads file into the thread; the comment (converted like a
// customer text, no mentions) goes with it, its overflow in messages
// before the file.
func (w *Workspace) PostFile(ctx context.Context, thread bridge.ThreadRef, file bridge.File, comment string) (string, error) {
	name := file.Name
	if name == "" {
		name = "file"
	}
	if len(file.Data) == 0 {
		return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonMediaRejected, Code: "empty_file",
			Err: fmt.Errorf("discord upload %q: empty file", name)}
	}
	var first, content string
	part := 0 // each message goes with its own nonce (idempotency.go)
	if c := strings.TrimSpace(comment); c != "" {
		pieces := SplitText(ToDiscord(c), MaxMessageChars)
		for _, p := range pieces[:len(pieces)-1] {
			msg, err := w.sendMessage(ctx, postTarget(thread), &discordgo.MessageSend{Content: p, AllowedMentions: noMentions()}, part)
			part++
			if err != nil {
				return first, deliveryError("post file comment", err)
			}
			if first == "" {
				first = msg.ID
			}
		}
		content = pieces[len(pieces)-1]
	}
	msg, err := w.sendMessage(ctx, postTarget(thread), &discordgo.MessageSend{
		Content:         content,
		AllowedMentions: noMentions(),
		Files:           []*discordgo.File{{Name: name, ContentType: file.MimeType, Reader: bytes.NewReader(file.Data)}},
	}, part)
	if err != nil {
		return first, deliveryError("upload file", err)
	}
	if first == "" {
		first = msg.ID
	}
	return first, nil
}

// SetMark swaps the bot's reaction showing a message's mark. Removing a
// reaction that is not there and adding one that is are both fine on
// Discord, so a retried job can run again.
func (w *Workspace) SetMark(ctx context.Context, thread bridge.ThreadRef, messageKey string, previous, mark bridge.Mark) error {
	opt := discordgo.WithContext(ctx)
	if previous != "" && previous != mark {
		if e, ok := MarkEmoji[previous]; ok {
			if err := w.s.MessageReactionRemove(thread.ThreadKey, messageKey, e, "@me", opt); err != nil {
				return deliveryError("remove mark", err)
			}
		}
	}
	if mark == "" {
		return nil
	}
	e, ok := MarkEmoji[mark]
	if !ok {
		return &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "unknown_mark",
			Err: fmt.Errorf("discord set mark: no emoji for mark %q", mark)}
	}
	return deliveryError("add mark", w.s.MessageReactionAdd(thread.ThreadKey, messageKey, e, opt))
}

// React mirrors a customer's reaction as the bot's reaction. An emoji
// Discord does not know (10014 Unknown Emoji) is shown as a small thread
// message instead; removing such a reaction posts nothing.
func (w *Workspace) React(ctx context.Context, thread bridge.ThreadRef, messageKey, emoji string, remove bool) error {
	if strings.TrimSpace(emoji) == "" {
		return nil
	}
	opt := discordgo.WithContext(ctx)
	if remove {
		err := w.s.MessageReactionRemove(thread.ThreadKey, messageKey, emoji, "@me", opt)
		if restCode(err) == codeUnknownEmoji {
			return nil
		}
		return deliveryError("remove reaction", err)
	}
	err := w.s.MessageReactionAdd(thread.ThreadKey, messageKey, emoji, opt)
	if restCode(err) == codeUnknownEmoji {
		_, err = w.s.ChannelMessageSendComplex(thread.ThreadKey, &discordgo.MessageSend{
			Content: "*reacted with " + Escape(emoji) + "*", AllowedMentions: noMentions(),
		}, opt)
		return deliveryError("post reaction", err)
	}
	return deliveryError("add reaction", err)
}

// TellPrivately shows text to userID. Discord has ephemeral messages only
// as answers to interactions (see TellPrivatelyVia); without one the text
// is posted in the thread mentioning the user, with only that user allowed
// to be pinged — visible to the channel, which is the best Discord offers.
func (w *Workspace) TellPrivately(ctx context.Context, thread bridge.ThreadRef, userID, text string, actions ...bridge.PrivateAction) error {
	body, ids := RenderMentions(ToDiscord(text))
	channel := thread.ThreadKey
	if channel == "" {
		channel = thread.ChannelID
	}
	allowed := onlyUsers(append([]string{userID}, ids...))
	var err error
	pieces := SplitText("<@"+userID+"> "+body, MaxMessageChars)
	for i, piece := range pieces {
		send := &discordgo.MessageSend{Content: piece, AllowedMentions: allowed}
		if i == len(pieces)-1 {
			// Anyone could press these; the bridge judges the presser
			// like any other actor.
			send.Components = ActionComponents(actions)
		}
		if _, err = w.s.ChannelMessageSendComplex(channel, send, discordgo.WithContext(ctx)); err != nil {
			break
		}
	}
	return deliveryError("tell privately", err)
}

// TellPrivatelyVia implements bridge.PrivateReplier: while the interaction
// the handle names is young enough (see ReplyHandleTTL), the text is an
// ephemeral follow-up to it (POST /webhooks/{application}/{token}, flags
// 64), which works from any replica since the token travels in the
// delivery. Otherwise, or when Discord refuses the follow-up, it falls
// back to TellPrivately.
func (w *Workspace) TellPrivatelyVia(ctx context.Context, thread bridge.ThreadRef, userID, handle, text string, actions ...bridge.PrivateAction) error {
	in, issued, ok := parseReplyHandle(handle)
	if ok && w.now().Sub(issued) < ReplyHandleTTL {
		body, _ := RenderMentions(ToDiscord(text))
		_, err := w.s.FollowupMessageCreate(in, false, &discordgo.WebhookParams{
			Content: truncate(body, MaxMessageChars), Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions(),
			Components: ActionComponents(actions),
		}, discordgo.WithContext(ctx))
		if err == nil {
			return nil
		}
		// safeErr: the follow-up's URL holds the interaction token.
		w.cfg.Log.Info("discord ephemeral follow-up failed; posting in the thread", "thread", thread.ThreadKey, "err", safeErr(err))
	}
	return w.TellPrivately(ctx, thread, userID, text, actions...)
}

// ReplyHandleTTL is how long after an interaction its token is used for
// follow-ups. Discord honours a token for 15 minutes; the margin keeps a
// follow-up that waited in the queue from reaching Discord just too late.
const ReplyHandleTTL = 15*time.Minute - 30*time.Second

// ReplyHandle is the bridge.AgentMessage.ReplyHandle of an interaction:
// its application id, id and token. The token is a short-lived secret:
// it is never logged.
func ReplyHandle(in *discordgo.Interaction) string {
	if in == nil || in.Token == "" || in.AppID == "" || in.ID == "" {
		return ""
	}
	return "i1:" + in.AppID + ":" + in.ID + ":" + in.Token
}

// parseReplyHandle reads a ReplyHandle; issued is when Discord made the
// interaction (its snowflake's time), which starts the token's 15 minutes.
func parseReplyHandle(h string) (in *discordgo.Interaction, issued time.Time, ok bool) {
	parts := strings.SplitN(h, ":", 4)
	if len(parts) != 4 || parts[0] != "i1" || parts[3] == "" {
		return nil, time.Time{}, false
	}
	t, err := discordgo.SnowflakeTimestamp(parts[2])
	if err != nil {
		return nil, time.Time{}, false
	}
	return &discordgo.Interaction{AppID: parts[1], ID: parts[2], Token: parts[3]}, t, true
}

func (w *Workspace) now() time.Time {
	if w.cfg.Now != nil {
		return w.cfg.Now()
	}
	return time.Now()
}

// DownloadFile fetches an agent's attachment from Discord's CDN (no token
// is sent: attachment URLs are signed). URLs on other hosts are refused,
// so a forged event cannot make us fetch arbitrary addresses.
func (w *Workspace) DownloadFile(ctx context.Context, file bridge.AgentFile) (bridge.File, error) {
	u, err := url.Parse(file.URL)
	if err != nil || u.Scheme != "https" || !discordHosts[strings.ToLower(u.Hostname())] {
		return bridge.File{}, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "foreign_url",
			Err: fmt.Errorf("discord download file %s: URL is not on Discord's CDN", file.ID)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, file.URL, nil)
	if err != nil {
		return bridge.File{}, deliveryError("download file", err)
	}
	resp, err := w.s.Client.Do(req)
	if err != nil {
		return bridge.File{}, deliveryError("download file", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		de := &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: fmt.Sprint(resp.StatusCode),
			Err: fmt.Errorf("discord download file %s: HTTP %d", file.ID, resp.StatusCode)}
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusForbidden {
			// Expired or deleted: signed CDN URLs stop working after a while.
			de.Permanent, de.Reason = true, bridge.ReasonMediaRejected
		}
		return bridge.File{}, de
	}
	// At most file.MaxBytes (the customer channel's limit for the type):
	// a CDN answer longer than the attachment's declared size stops there.
	data, err := bridge.ReadLimited(resp.Body, file.MaxBytes, "discord attachment "+file.ID)
	if err != nil {
		if de, ok := bridge.AsDeliveryError(err); ok {
			return bridge.File{}, de
		}
		return bridge.File{}, deliveryError("download file", err)
	}
	mt := file.MimeType
	if mt == "" {
		mt = resp.Header.Get("Content-Type")
	}
	return bridge.File{Name: file.Name, MimeType: mt, Data: data}, nil
}

// Link returns https://discord.com/channels/{guild}/{thread}, which opens
// the thread (or the channel when the thread is not known yet).
func (w *Workspace) Link(thread bridge.ThreadRef) string {
	id := thread.ThreadKey
	if id == "" {
		id = thread.ChannelID
	}
	if id == "" || w.cfg.GuildID == "" {
		return ""
	}
	return DefaultAPIBaseURL + "/channels/" + w.cfg.GuildID + "/" + id
}

// postTarget is where a post goes: the conversation's thread, or the
// channel itself for channel-level posts (digests, shared metrics) that the
// bridge sends with an empty thread key. A forum channel accepts only new
// posts, so channel-level posts there fail with a clear platform error.
func postTarget(thread bridge.ThreadRef) string {
	if thread.ThreadKey != "" {
		return thread.ThreadKey
	}
	return thread.ChannelID
}
