package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/canned"
)

// Canned responses in Slack. The "Canned response" message shortcut (on
// any message of a conversation thread, the card included) opens a modal:
// a menu of the responses the person may send there (Slack filters it as
// they type), and, once one is chosen, its preview as this customer will
// read it; Send sends it as their reply. One modal, one choice, one
// click: what "preview privately, send with one click" asks, without a
// second message in the thread. "!canned name" typed in the thread gives
// the same preview as a private message with a Send button; pressing it
// replaces that message with a short acknowledgement (through the
// click's response_url), so it cannot be pressed twice by mistake.

const (
	// CannedCallbackID is the message shortcut's callback_id (declared in
	// configs/slack-app-manifest.yaml) and its modal's.
	CannedCallbackID = "sb_canned"
	cannedPickBlock  = "canned"
	// cannedPickAction is the menu's action_id; it does not start with
	// ActionPrefix, so card-button parsing leaves it alone.
	cannedPickAction = "sbc_pick"
	// maxOptions is Slack's limit of a static select's options.
	maxOptions = 100
	// maxOptionChars is Slack's limit of an option's text.
	maxOptionChars = 75
	// maxTitleChars is Slack's limit of a modal's title.
	maxModalTitle = 24
)

// cannedTarget is what the modal carries from the shortcut to the
// submission: the conversation and where it was asked from.
type cannedTarget struct {
	Conversation string `json:"c"`
	Channel      string `json:"ch"`
	Thread       string `json:"th"`
}

// cannedPayload holds the fields of the shortcut, menu and submission
// payloads we use.
type cannedPayload struct {
	Type       string `json:"type"`
	CallbackID string `json:"callback_id"`
	TriggerID  string `json:"trigger_id"`
	User       struct {
		ID     string `json:"id"`
		TeamID string `json:"team_id"`
	} `json:"user"`
	Channel struct {
		ID string `json:"id"`
	} `json:"channel"`
	Message struct {
		TS       string `json:"ts"`
		ThreadTS string `json:"thread_ts"`
	} `json:"message"`
	View struct {
		ID              string `json:"id"`
		Hash            string `json:"hash"`
		CallbackID      string `json:"callback_id"`
		PrivateMetadata string `json:"private_metadata"`
		State           struct {
			Values map[string]map[string]struct {
				SelectedOption *struct {
					Value string `json:"value"`
				} `json:"selected_option"`
			} `json:"values"`
		} `json:"state"`
	} `json:"view"`
	Actions []struct {
		ActionID       string `json:"action_id"`
		SelectedOption *struct {
			Value string `json:"value"`
		} `json:"selected_option"`
	} `json:"actions"`
}

// picker is the bridge's picker, when the inbound side offers one.
func (h *Handler) picker() (bridge.Picker, bool) {
	p, ok := h.Inbound.(bridge.Picker)
	return p, ok
}

// cannedInteraction handles the shortcut (opens the modal), a choice in
// the modal's menu (shows its preview) and the modal's submission (sends
// it). handled is false for other payloads.
func (h *Handler) cannedInteraction(c *fiber.Ctx) (handled bool, err error) {
	form, err := url.ParseQuery(string(c.Body()))
	if err != nil {
		return false, nil
	}
	var p cannedPayload
	if json.Unmarshal([]byte(form.Get("payload")), &p) != nil {
		return false, nil
	}
	ctx := c.UserContext()
	switch {
	case p.Type == "message_action" && p.CallbackID == CannedCallbackID:
		target := cannedTarget{Channel: p.Channel.ID, Thread: firstNonEmpty(p.Message.ThreadTS, p.Message.TS)}
		if err := h.openCanned(ctx, p, target); err != nil {
			h.log().Error("slack canned modal not opened", "err", err)
			return true, c.SendStatus(fiber.StatusInternalServerError)
		}
	case p.Type == "block_actions" && p.View.CallbackID == CannedCallbackID:
		if err := h.previewCanned(ctx, p); err != nil {
			h.log().Error("slack canned preview not shown", "err", err)
			return true, c.SendStatus(fiber.StatusInternalServerError)
		}
	case p.Type == "view_submission" && p.View.CallbackID == CannedCallbackID:
		return true, h.submitCanned(c, p)
	default:
		return false, nil
	}
	h.Metrics.Webhook(platform, bridge.ResultAccepted)
	return true, c.SendStatus(fiber.StatusOK)
}

// cannedChoices asks the bridge what the person may send in target's
// thread.
func (h *Handler) cannedChoices(ctx context.Context, p cannedPayload, target cannedTarget) ([]bridge.CannedChoice, error) {
	picker, ok := h.picker()
	if !ok {
		return nil, nil
	}
	return picker.CannedChoices(ctx, bridge.PickerQuery{Workspace: bridge.WorkspaceSlack, ChannelID: target.Channel,
		ThreadKey: target.Thread, UserID: p.User.ID, Guest: h.guest(p.User.TeamID)})
}

func (h *Handler) openCanned(ctx context.Context, p cannedPayload, target cannedTarget) error {
	if h.Views == nil {
		return errors.New("canned modal: no Slack client configured")
	}
	choices, err := h.cannedChoices(ctx, p, target)
	if err != nil {
		return err
	}
	if len(choices) > 0 {
		target.Conversation = choices[0].Conversation.String()
	}
	_, err = h.Views.Client().OpenViewContext(ctx, p.TriggerID, cannedModal(h.lang(), target, choices, ""))
	return err
}

// previewCanned shows the chosen response's preview in the modal.
func (h *Handler) previewCanned(ctx context.Context, p cannedPayload) error {
	if h.Views == nil {
		return errors.New("canned modal: no Slack client configured")
	}
	var target cannedTarget
	if json.Unmarshal([]byte(p.View.PrivateMetadata), &target) != nil {
		return errors.New("canned modal: unreadable private_metadata")
	}
	chosen := ""
	for _, a := range p.Actions {
		if a.ActionID == cannedPickAction && a.SelectedOption != nil {
			chosen = a.SelectedOption.Value
		}
	}
	choices, err := h.cannedChoices(ctx, p, target)
	if err != nil {
		return err
	}
	_, err = h.Views.Client().UpdateViewContext(ctx, cannedModal(h.lang(), target, choices, chosen), "", p.View.Hash, p.View.ID)
	return err
}

// submitCanned turns the modal's Send into the canned preview's Send
// action, as the person who submitted it: the bridge renders the response
// again and decides it like any reply. An empty 200 closes the modal;
// refusals come as private messages in the thread.
func (h *Handler) submitCanned(c *fiber.Ctx, p cannedPayload) error {
	var target cannedTarget
	if json.Unmarshal([]byte(p.View.PrivateMetadata), &target) != nil {
		return c.SendStatus(fiber.StatusBadRequest)
	}
	chosen := ""
	if opt := p.View.State.Values[cannedPickBlock][cannedPickAction].SelectedOption; opt != nil {
		chosen = opt.Value
	}
	conv, err := bridge.ParseConversationID(target.Conversation)
	if _, _, ok := canned.ParseRef(chosen); !ok || err != nil {
		return c.JSON(fiber.Map{"response_action": "errors", "errors": fiber.Map{cannedPickBlock: bridge.Text(h.lang(), "canned.modal_pick_hint")}})
	}
	// The view's id is the dedupe key: Slack resubmits the same view when
	// it could not read our answer, and each press has a new trigger_id.
	act := bridge.AgentAction{Workspace: bridge.WorkspaceSlack, EventID: "view:" + p.View.ID,
		ConversationID: conv, Verb: bridge.VerbSend, Value: bridge.CannedSendPrefix + chosen, ActorID: p.User.ID,
		ChannelID: target.Channel, ThreadKey: target.Thread, Guest: h.guest(p.User.TeamID)}
	if err := h.Inbound.HandleAgentAction(c.UserContext(), act); err != nil {
		h.Metrics.Webhook(platform, bridge.ResultError)
		h.log().Error("slack canned send not stored", "conversation", conv, "err", err)
		return c.SendStatus(fiber.StatusInternalServerError)
	}
	h.Metrics.Webhook(platform, bridge.ResultAccepted)
	return emptyOK(c) // closes the modal; a body ("OK") would keep it open
}

// cannedModal is the picker in lang: the menu of choices (chosen
// selected, with its preview), or why there is nothing to choose.
func cannedModal(lang string, target cannedTarget, choices []bridge.CannedChoice, chosen string) slackapi.ModalViewRequest {
	meta, _ := json.Marshal(target)
	plain := func(s string) *slackapi.TextBlockObject {
		return slackapi.NewTextBlockObject(slackapi.PlainTextType, s, false, false)
	}
	text := func(key string) *slackapi.TextBlockObject { return plain(bridge.Text(lang, key)) }
	section := func(s string) slackapi.Block {
		return slackapi.NewSectionBlock(slackapi.NewTextBlockObject(slackapi.MarkdownType, truncate(s, maxSectionChars), false, false), nil, nil)
	}
	view := slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plain(truncate(bridge.Text(lang, "canned.modal_title"), maxModalTitle)),
		Close:           text("canned.modal_close"),
		CallbackID:      CannedCallbackID,
		PrivateMetadata: string(meta),
	}
	if len(choices) == 0 {
		view.Blocks = slackapi.Blocks{BlockSet: []slackapi.Block{section(bridge.Text(lang, "canned.modal_none", bridge.Text(lang, "canned.none")))}}
		return view
	}
	var options []*slackapi.OptionBlockObject
	var selected *slackapi.OptionBlockObject
	preview := ""
	for _, ch := range choices {
		if len(options) == maxOptions {
			break
		}
		value := canned.Ref(ch.Name, ch.Language)
		label := ch.Name
		if ch.Language != "" {
			label += " (" + ch.Language + ")"
		}
		label += " · " + strings.Join(strings.Fields(ch.Preview), " ")
		opt := slackapi.NewOptionBlockObject(value, plain(truncate(label, maxOptionChars)), nil)
		options = append(options, opt)
		if value == chosen {
			selected, preview = opt, ch.Preview
		}
	}
	menu := slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeStatic, text("canned.modal_pick_hint"), cannedPickAction, options...)
	if selected != nil {
		menu.InitialOption = selected
	}
	pick := slackapi.NewInputBlock(cannedPickBlock, text("canned.modal_pick"), nil, menu)
	pick.DispatchAction = true // a choice shows its preview at once
	blocks := []slackapi.Block{
		slackapi.NewContextBlock("", slackapi.NewTextBlockObject(slackapi.MarkdownType, bridge.Text(lang, "canned.modal_hint"), false, false)),
		pick,
	}
	if selected != nil {
		blocks = append(blocks, section(bridge.Text(lang, "canned.modal_preview")+"\n"+ToMrkdwn(preview)))
	}
	view.Blocks = slackapi.Blocks{BlockSet: blocks}
	view.Submit, view.Close = text("canned.modal_send"), text("canned.modal_cancel")
	return view
}

// acknowledgeSend replaces the private preview whose Send was pressed
// with a short acknowledgement, through the click's response_url, so the
// button cannot be pressed twice. Best effort: the send is stored already.
func (h *Handler) acknowledgeSend(ctx context.Context, responseURL string, act bridge.AgentAction) {
	if h.Views == nil || responseURL == "" {
		return
	}
	name, _, _ := canned.ParseRef(strings.TrimPrefix(act.Value, bridge.CannedSendPrefix))
	text := ToMrkdwn(bridge.Text(h.lang(), "canned.requested", name))
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := slackapi.PostWebhookCustomHTTPContext(ctx, responseURL, h.Views.cfg.HTTPClient,
		&slackapi.WebhookMessage{Text: text, ReplaceOriginal: true}); err != nil {
		// The error may quote the response_url, which lets anyone post as
		// us to that person: log its kind only.
		h.log().Warn("slack canned preview not replaced", "conversation", act.ConversationID, "err", scrubURL(err, responseURL))
	}
}

// nameCacheFor is how long a display name read from users.info is used.
const nameCacheFor = time.Hour

// names caches users.info display names per workspace value.
type names struct {
	mu   sync.Mutex
	byID map[string]cachedName
}

type cachedName struct {
	name string
	team string // the user's workspace (users.info team_id); "" for channels
	at   time.Time
}

// UserName implements bridge.UserNamer: the person's display name (else
// real name, else user name) from users.info (Tier 4), cached for an hour.
func (w *Workspace) UserName(ctx context.Context, userID string) (string, error) {
	c, err := w.userInfo(ctx, userID)
	return c.name, err
}

// UserTeam is the workspace userID belongs to (users.info team_id), read
// through the same cache as UserName: a Slack Connect guest's is another
// workspace's.
func (w *Workspace) UserTeam(ctx context.Context, userID string) (string, error) {
	c, err := w.userInfo(ctx, userID)
	return c.team, err
}

// userInfo reads users.info once an hour per user.
func (w *Workspace) userInfo(ctx context.Context, userID string) (cachedName, error) {
	w.names.mu.Lock()
	c, ok := w.names.byID[userID]
	w.names.mu.Unlock()
	if ok && time.Since(c.at) < nameCacheFor {
		return c, nil
	}
	u, err := w.api.GetUserInfoContext(ctx, userID)
	if err != nil {
		return cachedName{}, fmt.Errorf("slack users.info %s: %w", userID, err)
	}
	c = cachedName{name: firstNonEmpty(strings.TrimSpace(u.Profile.DisplayName), strings.TrimSpace(u.Profile.RealName),
		strings.TrimSpace(u.RealName), u.Name), team: u.TeamID, at: time.Now()}
	w.names.mu.Lock()
	if w.names.byID == nil {
		w.names.byID = map[string]cachedName{}
	}
	w.names.byID[userID] = c
	w.names.mu.Unlock()
	return c, nil
}

var _ bridge.UserNamer = (*Workspace)(nil)

// scrubURL is err's text with secret (a response_url) masked.
func scrubURL(err error, secret string) string {
	if secret == "" {
		return err.Error()
	}
	return strings.ReplaceAll(err.Error(), secret, "<response_url>")
}
