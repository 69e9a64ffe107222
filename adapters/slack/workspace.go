package slack

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/bridge"
)

// DefaultArchiveURL is where Link points unless Config.ArchiveURL says
// otherwise; slack.com redirects archive links to the right workspace.
const DefaultArchiveURL = "https://slack.com/archives/"

// DefaultTimeout bounds every Web API call and file download (a 100 MB
// document needs about 27 Mbit/s to fit).
const DefaultTimeout = 30 * time.Second

// Config builds a Workspace.
type Config struct {
	// Token is the bot token (xoxb-…).
	Token string
	// APIURL is the Web API base, e.g. a fake's URL in tests; empty means
	// Slack's. A missing trailing slash is added (slack-go needs it).
	APIURL string
	// HTTPClient is optional; nil means one with DefaultTimeout, and one
	// without a timeout gets DefaultTimeout (slack-go would otherwise use
	// http.DefaultClient, which waits forever on a stalled connection).
	HTTPClient *http.Client
	// CustomizeIdentity posts customer messages under the customer's name
	// (chat:write.customize scope) instead of a bold name prefix.
	CustomizeIdentity bool
	// ArchiveURL is the base of thread links; empty means DefaultArchiveURL.
	ArchiveURL string
	// Pacing spaces chat.postMessage calls per channel (see Pacer); the
	// zero value posts unpaced. Production wiring passes DefaultPacing().
	Pacing Pacing
	Log    *slog.Logger
}

// Workspace writes into Slack channels through slack-go. It holds no state
// besides the client, so one value serves every team of a workspace and
// every replica.
type Workspace struct {
	api   *slackapi.Client
	cfg   Config
	pacer *Pacer
	names names // display names for {{agent.name}} (canned.go)
}

var _ bridge.AgentWorkspace = (*Workspace)(nil)

// NewWorkspace returns a Workspace for cfg.
func NewWorkspace(cfg Config) *Workspace {
	opts := []slackapi.Option{}
	if cfg.APIURL != "" {
		if !strings.HasSuffix(cfg.APIURL, "/") {
			cfg.APIURL += "/"
		}
		opts = append(opts, slackapi.OptionAPIURL(cfg.APIURL))
	}
	hc := &http.Client{Timeout: DefaultTimeout}
	if cfg.HTTPClient != nil {
		cp := *cfg.HTTPClient
		if cp.Timeout == 0 {
			cp.Timeout = DefaultTimeout
		}
		hc = &cp
	}
	cfg.HTTPClient = hc
	opts = append(opts, slackapi.OptionHTTPClient(hc))
	if cfg.ArchiveURL == "" {
		cfg.ArchiveURL = DefaultArchiveURL
	}
	if !strings.HasSuffix(cfg.ArchiveURL, "/") {
		cfg.ArchiveURL += "/"
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Workspace{api: slackapi.New(cfg.Token, opts...), cfg: cfg, pacer: NewPacer(cfg.Pacing)}
}

// Client exposes the slack-go client for calls outside the bridge contract
// (auth.test at start-up, users.info for mention names).
func (w *Workspace) Client() *slackapi.Client { return w.api }

// Kind implements bridge.AgentWorkspace.
func (w *Workspace) Kind() bridge.WorkspaceKind { return bridge.WorkspaceSlack }

// Pacer exposes the per-channel pacer (nil when pacing is off), for
// metrics and the benchmark.
func (w *Workspace) Pacer() *Pacer { return w.pacer }

// postMessage is chat.postMessage after waiting for the channel's pace.
func (w *Workspace) postMessage(ctx context.Context, channelID string, opts ...slackapi.MsgOption) (string, string, error) {
	if err := w.pacer.Wait(ctx, channelID); err != nil {
		return "", "", err
	}
	return w.api.PostMessageContext(ctx, channelID, opts...)
}

// OpenThread posts the card; its ts is both the thread key and the card key.
//
// A card an earlier attempt posted without being recorded is found by its
// delivery key and adopted (idempotency.go).
func (w *Workspace) OpenThread(ctx context.Context, channelID string, card bridge.Card) (bridge.ThreadRef, error) {
	earlier, err := w.earlierPosts(ctx, channelID, "")
	if err != nil {
		return bridge.ThreadRef{}, err
	}
	if dk, ok := bridge.DeliveryKeyFrom(ctx); ok && earlier[dk.Key] != "" {
		ts := earlier[dk.Key]
		return bridge.ThreadRef{Workspace: bridge.WorkspaceSlack, ChannelID: channelID, ThreadKey: ts, CardKey: ts}, nil
	}
	channel, ts, err := w.postMessage(ctx, channelID, postOptions(ctx, 0,
		slackapi.MsgOptionText(cardText(card), false),
		slackapi.MsgOptionBlocks(CardBlocks(card, w.Link)...))...)
	if err != nil {
		return bridge.ThreadRef{}, deliveryError("open thread", err)
	}
	if channel == "" {
		channel = channelID
	}
	return bridge.ThreadRef{Workspace: bridge.WorkspaceSlack, ChannelID: channel, ThreadKey: ts, CardKey: ts}, nil
}

// UpdateCard replaces the card message with chat.update.
func (w *Workspace) UpdateCard(ctx context.Context, thread bridge.ThreadRef, card bridge.Card) error {
	_, _, _, err := w.api.UpdateMessageContext(ctx, thread.ChannelID, cardKey(thread),
		slackapi.MsgOptionText(cardText(card), false),
		slackapi.MsgOptionBlocks(CardBlocks(card, w.Link)...))
	return deliveryError("update card", err)
}

func cardKey(t bridge.ThreadRef) string {
	if t.CardKey != "" {
		return t.CardKey
	}
	return t.ThreadKey
}

// Post writes post into the thread. Texts over MaxMessageBytes go out as
// several messages; the key returned is the first one's ts (where the
// customer's words start). If a later piece fails, a retry posts the
// earlier pieces again unless the bridge says it may have posted them:
// each piece carries its own delivery key, and pieces found are adopted
// (idempotency.go).
func (w *Workspace) Post(ctx context.Context, thread bridge.ThreadRef, post bridge.Post) (string, error) {
	text := ToMrkdwn(post.Text)
	if post.Kind == bridge.PostSystem {
		// Only the bridge's own texts may mention people; a customer typing
		// "{@U…}" stays plain text.
		text = RenderMentions(text)
	}
	// An empty ThreadKey posts top-level in the channel (digests, metrics
	// shared with /switchboard metrics post, supervisors' alerts).
	var opts []slackapi.MsgOption
	if thread.ThreadKey != "" {
		opts = append(opts, slackapi.MsgOptionTS(thread.ThreadKey))
	}
	if named(post) {
		// A customer's words, or the first-line assistant's answer
		// ("🤖 Assistant"), under their name.
		if w.cfg.CustomizeIdentity {
			opts = append(opts, slackapi.MsgOptionUsername(truncate(post.AuthorName, 80)))
		} else {
			text = "*" + Escape(strings.ReplaceAll(post.AuthorName, "*", "")) + ":* " + text
		}
	}
	if strings.TrimSpace(text) == "" {
		text = " " // Slack refuses empty messages (no_text); an empty post still needs a key
	}
	earlier, err := w.earlierPosts(ctx, thread.ChannelID, thread.ThreadKey)
	if err != nil {
		return "", err
	}
	dk, _ := bridge.DeliveryKeyFrom(ctx)
	var first string
	for i, piece := range SplitText(text, MaxMessageBytes) {
		ts := earlier[dk.Part(i)]
		if ts == "" {
			var err error
			_, ts, err = w.postMessage(ctx, thread.ChannelID,
				postOptions(ctx, i, append([]slackapi.MsgOption{slackapi.MsgOptionText(piece, false)}, opts...)...)...)
			if err != nil {
				return first, deliveryError("post", err)
			}
		}
		if first == "" {
			first = ts
		}
	}
	return first, nil
}

// PostFile uploads file into the thread (top-level in the channel when
// thread.ThreadKey is empty) with files v2 (getUploadURLExternal,
// upload, completeUploadExternal). Slack shares the file asynchronously and
// completeUploadExternal answers only with the file id, so the key returned
// is the file id ("F…"), not a message ts: SetMark and React refuse it as
// an invalid request instead of failing on Slack's side.
func (w *Workspace) PostFile(ctx context.Context, thread bridge.ThreadRef, file bridge.File, comment string) (string, error) {
	name := file.Name
	if name == "" {
		name = "file"
	}
	if len(file.Data) == 0 {
		return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonMediaRejected, Code: "empty_file",
			Err: fmt.Errorf("slack upload %q: empty file", name)}
	}
	sum, err := w.api.UploadFileContext(ctx, slackapi.UploadFileParameters{
		Filename:        name,
		Title:           name,
		FileSize:        len(file.Data),
		Reader:          bytes.NewReader(file.Data),
		Channel:         thread.ChannelID,
		ThreadTimestamp: thread.ThreadKey,
		InitialComment:  ToMrkdwn(comment),
	})
	if err != nil {
		return "", deliveryError("upload file", err)
	}
	return sum.ID, nil
}

// SetMark swaps the reaction showing a message's mark. Removing a reaction
// that is not there and adding one that is are both fine: a retried job
// must be able to run again.
func (w *Workspace) SetMark(ctx context.Context, thread bridge.ThreadRef, messageKey string, previous, mark bridge.Mark) error {
	if err := checkMessageKey(messageKey); err != nil {
		return err
	}
	item := slackapi.NewRefToMessage(thread.ChannelID, messageKey)
	if previous != "" && previous != mark {
		if name, ok := MarkEmoji[previous]; ok {
			if err := w.api.RemoveReactionContext(ctx, name, item); err != nil && !isSlackError(err, "no_reaction") {
				return deliveryError("remove mark", err)
			}
		}
	}
	if mark == "" {
		return nil
	}
	name, ok := MarkEmoji[mark]
	if !ok {
		return &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "unknown_mark",
			Err: fmt.Errorf("slack set mark: no emoji for mark %q", mark)}
	}
	if err := w.api.AddReactionContext(ctx, name, item); err != nil && !isSlackError(err, "already_reacted") {
		return deliveryError("add mark", err)
	}
	return nil
}

// React mirrors a customer's reaction as the bot's reaction. Emoji without
// a known Slack name are shown as a small thread message ("reacted with 🦩")
// since a bot cannot react with arbitrary Unicode; removing such a reaction
// posts nothing, as there is nothing to take away.
func (w *Workspace) React(ctx context.Context, thread bridge.ThreadRef, messageKey, emoji string, remove bool) error {
	name, known := EmojiName(emoji)
	if !known {
		if remove || strings.TrimSpace(emoji) == "" {
			return nil
		}
		_, _, err := w.postMessage(ctx, thread.ChannelID,
			slackapi.MsgOptionTS(thread.ThreadKey),
			slackapi.MsgOptionText("_reacted with "+Escape(emoji)+"_", false))
		return deliveryError("post reaction", err)
	}
	if err := checkMessageKey(messageKey); err != nil {
		return err
	}
	item := slackapi.NewRefToMessage(thread.ChannelID, messageKey)
	if remove {
		if err := w.api.RemoveReactionContext(ctx, name, item); err != nil && !isSlackError(err, "no_reaction") {
			return deliveryError("remove reaction", err)
		}
		return nil
	}
	if err := w.api.AddReactionContext(ctx, name, item); err != nil && !isSlackError(err, "already_reacted") {
		return deliveryError("add reaction", err)
	}
	return nil
}

// checkMessageKey refuses keys that are not message timestamps (file ids
// returned by PostFile), which reactions.add cannot target.
func checkMessageKey(key string) error {
	if strings.Contains(key, ".") {
		return nil
	}
	return &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "not_a_message",
		Err: fmt.Errorf("slack: %q is not a message ts", key)}
}

// TellPrivately posts an ephemeral message to userID in the thread, its
// actions as buttons under the text.
func (w *Workspace) TellPrivately(ctx context.Context, thread bridge.ThreadRef, userID, text string, actions ...bridge.PrivateAction) error {
	body := RenderMentions(ToMrkdwn(text))
	opts := []slackapi.MsgOption{slackapi.MsgOptionText(body, false)}
	if len(actions) > 0 {
		opts = append(opts, slackapi.MsgOptionBlocks(actionBlocks(body, actions)...))
	}
	if thread.ThreadKey != "" {
		opts = append(opts, slackapi.MsgOptionTS(thread.ThreadKey))
	}
	_, err := w.api.PostEphemeralContext(ctx, thread.ChannelID, userID, opts...)
	return deliveryError("tell privately", err)
}

// DownloadFile fetches an agent's file with the bot token. slack-go sends
// the token only to https Slack hosts or the configured API host, so a
// forged URL in an event cannot make us leak it. At most file.MaxBytes
// are read (bridge.DefaultMaxFileBytes when zero): a server sending more
// than the file's declared size is cut off there.
func (w *Workspace) DownloadFile(ctx context.Context, file bridge.AgentFile) (bridge.File, error) {
	if !w.mayReceiveToken(file.URL) {
		return bridge.File{}, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "foreign_url",
			Err: fmt.Errorf("slack download file %s: URL is not on Slack or the API host", file.ID)}
	}
	buf := &bridge.LimitedWriter{Max: file.MaxBytes, What: "slack file " + file.ID}
	if err := w.api.GetFileContext(ctx, file.URL, buf); err != nil {
		if de, ok := bridge.AsDeliveryError(err); ok && de.Code == bridge.CodeFileTooLarge {
			return bridge.File{}, de
		}
		return bridge.File{}, deliveryError("download file", err)
	}
	return bridge.File{Name: file.Name, MimeType: file.MimeType, Data: buf.Bytes()}, nil
}

// mayReceiveToken mirrors slack-go's own guard (https Slack hosts, or the
// configured API host) so a refused URL is a permanent error, not a retry.
func (w *Workspace) mayReceiveToken(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if u.Scheme == "https" && (host == "slack.com" || strings.HasSuffix(host, ".slack.com") ||
		host == "slack-gov.com" || strings.HasSuffix(host, ".slack-gov.com")) {
		return true
	}
	api, err := url.Parse(w.cfg.APIURL)
	return err == nil && w.cfg.APIURL != "" && api.Scheme == u.Scheme && strings.EqualFold(api.Host, u.Host)
}

// Link returns the archive URL of the thread's root message:
// <ArchiveURL><channel>/p<ts without the dot>.
func (w *Workspace) Link(thread bridge.ThreadRef) string {
	ts := thread.ThreadKey
	if ts == "" {
		ts = thread.CardKey
	}
	if thread.ChannelID == "" || ts == "" {
		return ""
	}
	return w.cfg.ArchiveURL + thread.ChannelID + "/p" + strings.Replace(ts, ".", "", 1)
}

// Presence reports whether a user is active in Slack (users.getPresence,
// Tier 3: callers poll each agent at most about once a minute).
func (w *Workspace) Presence(ctx context.Context, userID string) (bool, error) {
	p, err := w.api.GetUserPresenceContext(ctx, userID)
	if err != nil {
		return false, deliveryError("presence", err)
	}
	return p.Presence == "active", nil
}

var _ bridge.PresenceReader = (*Workspace)(nil)

// ChannelMembers lists who is in a channel (conversations.members, Tier 4,
// every page of up to 1,000 ids). Slack Connect guests are listed too;
// their events carry their own team id, which the Handler checks.
func (w *Workspace) ChannelMembers(ctx context.Context, channel string) ([]string, error) {
	var all []string
	params := &slackapi.GetUsersInConversationParameters{ChannelID: channel, Limit: 1000}
	for {
		ids, next, err := w.api.GetUsersInConversationContext(ctx, params)
		if err != nil {
			return nil, fmt.Errorf("conversations.members %s: %w", channel, err)
		}
		all = append(all, ids...)
		if next == "" {
			return all, nil
		}
		params.Cursor = next
	}
}

var _ bridge.RosterSource = (*Workspace)(nil)

// named reports whether post is shown under its author's name: a
// customer's message, or the first-line assistant's answer.
func named(post bridge.Post) bool {
	return (post.Kind == bridge.PostCustomer || post.Kind == bridge.PostAssistant) && strings.TrimSpace(post.AuthorName) != ""
}
