package slack

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/url"
	"sort"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
)

// This file holds what the template picker (template.go) and the form of
// /switchboard new (start.go) share: the interaction payload fields they
// read, the state they carry from one step to the next, and the blocks
// that choose a template and fill its parameters with a preview.

// modalPayload holds the fields of interaction payloads the modals read:
// block_actions (on a message or inside a view), message_action (a
// message shortcut) and view_submission. Our own struct, like
// interaction: slack-go's decodes whole views and fails on blocks it does
// not know.
type modalPayload struct {
	Type       string `json:"type"`
	TriggerID  string `json:"trigger_id"`
	CallbackID string `json:"callback_id"` // message_action
	User       struct {
		ID     string `json:"id"`
		TeamID string `json:"team_id"`
	} `json:"user"`
	Container struct {
		Type      string `json:"type"` // "message" or "view"
		ViewID    string `json:"view_id"`
		ChannelID string `json:"channel_id"`
		MessageTS string `json:"message_ts"`
		ThreadTS  string `json:"thread_ts"`
	} `json:"container"`
	Channel struct {
		ID string `json:"id"`
	} `json:"channel"`
	Message struct {
		TS       string `json:"ts"`
		ThreadTS string `json:"thread_ts"`
		Text     string `json:"text"` // shown above the quote modal's reply box
	} `json:"message"`
	View    modalView `json:"view"`
	Actions []struct {
		ActionID       string  `json:"action_id"`
		BlockID        string  `json:"block_id"`
		Value          string  `json:"value"`
		SelectedOption *option `json:"selected_option"`
	} `json:"actions"`
}

// modalView is a view as interaction payloads carry it.
type modalView struct {
	ID              string `json:"id"`
	Hash            string `json:"hash"`
	CallbackID      string `json:"callback_id"`
	PrivateMetadata string `json:"private_metadata"`
	State           struct {
		Values map[string]map[string]struct {
			Value          string  `json:"value"`
			SelectedOption *option `json:"selected_option"`
		} `json:"values"`
	} `json:"state"`
}

type option struct {
	Value string `json:"value"`
}

// parseModalPayload decodes the payload form field of an interactivity
// body; ok is false when it is not one.
func parseModalPayload(body []byte) (modalPayload, bool) {
	var p modalPayload
	form, err := url.ParseQuery(string(body))
	if err != nil || json.Unmarshal([]byte(form.Get("payload")), &p) != nil {
		return p, false
	}
	return p, true
}

// input is what the person put in an input of the view: a text value or
// the chosen option's value, whatever the input's action id.
func (v modalView) input(blockID string) string {
	for _, in := range v.State.Values[blockID] {
		if in.SelectedOption != nil {
			return in.SelectedOption.Value
		}
		return in.Value
	}
	return ""
}

// modalMeta is a modal's private_metadata: where it was opened from and,
// once a template is filled in, what the confirmation step will send.
// Slack keeps at most 3,000 characters of it.
type modalMeta struct {
	Conversation string `json:"c,omitempty"`
	Channel      string `json:"ch,omitempty"`
	Thread       string `json:"th,omitempty"`
	// Language filters the templates offered (a private button's value).
	Language string   `json:"l,omitempty"`
	Team     string   `json:"tm,omitempty"`
	Phone    string   `json:"p,omitempty"`
	Template string   `json:"t,omitempty"` // "name@language"
	Values   []string `json:"v,omitempty"`
	// UILanguage is the language the form speaks (the person's team's).
	UILanguage string `json:"ui,omitempty"`
}

const maxPrivateMetadata = 3000

func (m modalMeta) encode() string {
	b, _ := json.Marshal(m) // strings only: cannot fail
	return string(b)
}

func decodeMeta(s string) (modalMeta, bool) {
	var m modalMeta
	return m, json.Unmarshal([]byte(s), &m) == nil
}

// Block and action ids inside the modals. They carry no "sb:" prefix, so
// parseInteraction never takes them for card buttons.
const (
	pickAction  = "pick"  // the template menu
	valueAction = "value" // a parameter's input
)

// templateKey is how a menu option names a template: "name@language".
func templateKey(t templates.Template) string { return t.Name + "@" + t.Language }

// shortHash keeps block ids short and unique per template or team: a new
// block id makes Slack drop what was typed for another template.
func shortHash(s string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return fmt.Sprintf("%08x", h.Sum32())
}

func paramBlockID(i int, t templates.Template) string {
	return fmt.Sprintf("p%d_%s", i, shortHash(templateKey(t)))
}

// templateForm is the part of a modal that chooses and fills a template.
type templateForm struct {
	lang    string
	choices bridge.TemplateChoices
	// filter keeps only templates of this language, when it has some.
	filter string
	// pickBlock is the menu's block id (per team in the start form, so
	// a team change clears the choice).
	pickBlock string
	view      modalView // the view as submitted or acted on; zero when new
}

const maxMenuOptions = 100 // Slack's limit for a static_select

// offered lists the templates the menu shows, the customer's language
// first, then by language and name; truncated is how many were left out.
func (f templateForm) offered() (list []templates.Template, truncated int) {
	list = append(list, f.choices.Templates...)
	if f.filter != "" {
		var kept []templates.Template
		for _, t := range list {
			if templates.BaseLanguage(t.Language) == templates.BaseLanguage(f.filter) {
				kept = append(kept, t)
			}
		}
		if len(kept) > 0 {
			list = kept
		}
	}
	customer := templates.BaseLanguage(f.choices.Language)
	rank := func(t templates.Template) int {
		if customer != "" && templates.BaseLanguage(t.Language) == customer {
			return 0
		}
		return 1
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		if a.Language != b.Language {
			return a.Language < b.Language
		}
		return a.Name < b.Name
	})
	if len(list) > maxMenuOptions {
		return list[:maxMenuOptions], len(list) - maxMenuOptions
	}
	return list, 0
}

// selected is the template chosen in the menu, if it is still offered.
func (f templateForm) selected() (templates.Template, bool) {
	key := f.view.input(f.pickBlock)
	for _, t := range f.choices.Templates {
		if key != "" && templateKey(t) == key {
			return t, true
		}
	}
	return templates.Template{}, false
}

func plain(text string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.PlainTextType, text, false, false)
}

// blocks lays out the menu and, once a template is chosen, one typed input
// per parameter and the preview.
func (f templateForm) blocks() []slackapi.Block {
	t := func(key string, args ...any) string { return bridge.Text(f.lang, key, args...) }
	list, truncated := f.offered()
	if len(list) == 0 {
		return []slackapi.Block{slackapi.NewSectionBlock(mrkdwn(Escape(t("tplmodal.none"))), nil, nil)}
	}
	// One group per language, in the order offered.
	var groups []*slackapi.OptionGroupBlockObject
	var options []*slackapi.OptionBlockObject
	customer := templates.BaseLanguage(f.choices.Language)
	for _, tpl := range list {
		opt := slackapi.NewOptionBlockObject(templateKey(tpl), plain(truncate(tpl.Name, 75)), nil)
		options = append(options, opt)
		label := tpl.Language
		if customer != "" && templates.BaseLanguage(tpl.Language) == customer {
			label = t("tplmodal.customer", tpl.Language)
		}
		if n := len(groups); n == 0 || groups[n-1].Label.Text != truncate(label, 75) {
			groups = append(groups, slackapi.NewOptionGroupBlockElement(plain(truncate(label, 75))))
		}
		g := groups[len(groups)-1]
		g.Options = append(g.Options, opt)
	}
	menu := slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeStatic, plain(t("tplmodal.choose")), pickAction, options...)
	if len(groups) > 1 {
		menu = slackapi.NewOptionsGroupSelectBlockElement(slackapi.OptTypeStatic, plain(t("tplmodal.choose")), pickAction, groups...)
	}
	pick := slackapi.NewInputBlock(f.pickBlock, plain(t("tplmodal.template")), nil, menu).WithDispatchAction(true)
	blocks := []slackapi.Block{pick}
	if truncated > 0 {
		blocks = append(blocks, slackapi.NewContextBlock("", mrkdwn(Escape(t("tplmodal.truncated", maxMenuOptions)))))
	}
	tpl, ok := f.selected()
	if !ok {
		return blocks
	}
	onEnter := &slackapi.DispatchActionConfig{TriggerActionsOn: []string{"on_enter_pressed"}}
	for i, p := range tpl.Params() {
		label, hint := paramLabel(f.lang, tpl, p), ""
		var placeholder *slackapi.TextBlockObject
		if p.Example != "" {
			placeholder = plain(truncate(t("start.example", exampleValue(tpl, p)), 150))
		}
		var element slackapi.BlockElement
		switch p.Kind {
		case templates.ParamImage, templates.ParamVideo, templates.ParamDocument, templates.ParamURL:
			in := slackapi.NewURLTextInputBlockElement(placeholder, valueAction)
			in.DispatchActionConfig = onEnter
			element = in
			if base := urlBase(tpl, p); base != "" {
				hint = t("tplmodal.url_hint", base)
			}
		default:
			in := slackapi.NewPlainTextInputBlockElement(placeholder, valueAction)
			in.DispatchActionConfig = onEnter
			element = in
		}
		var hintText *slackapi.TextBlockObject
		if hint != "" {
			hintText = plain(hint)
		}
		blocks = append(blocks, slackapi.NewInputBlock(paramBlockID(i, tpl), plain(label), hintText, element).WithDispatchAction(true))
	}
	preview, _ := templates.Render(tpl, f.previewValues(tpl))
	blocks = append(blocks, slackapi.NewDividerBlock(),
		slackapi.NewContextBlock("", mrkdwn(t("tplmodal.preview"))),
		slackapi.NewSectionBlock(mrkdwn(truncate(ToMrkdwn(preview), maxSectionChars)), nil, nil))
	if len(tpl.Params()) > 0 {
		blocks = append(blocks, slackapi.NewContextBlock("", mrkdwn(Escape(t("tplmodal.preview_hint")))))
	}
	return blocks
}

// paramLabel says what a parameter is, in the person's language.
func paramLabel(lang string, tpl templates.Template, p templates.Param) string {
	switch p.Kind {
	case templates.ParamImage, templates.ParamVideo, templates.ParamDocument:
		return bridge.Text(lang, "tplmodal."+string(p.Kind))
	case templates.ParamURL:
		return bridge.Text(lang, "tplmodal.button_url", p.Index+1)
	case templates.ParamCode:
		return bridge.Text(lang, "tplmodal.button_code", p.Index+1)
	}
	if p.Component == "header" {
		return bridge.Text(lang, "tplmodal.header", p.Name)
	}
	return bridge.Text(lang, "tplmodal.body", p.Name)
}

// urlBase is the fixed start of a URL button's link (the part before its
// {{1}}): agents type the whole link, as they would copy it.
func urlBase(tpl templates.Template, p templates.Param) string {
	if p.Kind != templates.ParamURL {
		return ""
	}
	for _, c := range tpl.Components {
		if !strings.EqualFold(c.Type, "BUTTONS") || p.Index >= len(c.Buttons) {
			continue
		}
		base, _, _ := strings.Cut(c.Buttons[p.Index].URL, "{{")
		return base
	}
	return ""
}

// exampleValue is Meta's example as the agent would type it (a URL
// button's whole link).
func exampleValue(tpl templates.Template, p templates.Param) string {
	if p.Kind == templates.ParamURL && !strings.Contains(p.Example, "://") {
		return urlBase(tpl, p) + p.Example
	}
	return p.Example
}

// typed is what the person typed for each parameter, as Build takes it
// (a URL button's variable end), and the block id and text of the first
// problem, if any: a missing value, a link that is not https or not the
// button's.
func (f templateForm) typed(tpl templates.Template) (values []string, problems map[string]string) {
	problems = map[string]string{}
	for i, p := range tpl.Params() {
		block := paramBlockID(i, tpl)
		v := strings.TrimSpace(f.view.input(block))
		switch {
		case v == "":
			problems[block] = bridge.Text(f.lang, "tplmodal.required")
		case p.Kind == templates.ParamURL:
			base := urlBase(tpl, p)
			if !strings.HasPrefix(v, base) || strings.TrimPrefix(v, base) == "" {
				problems[block] = bridge.Text(f.lang, "tplmodal.url_prefix", base)
			}
			v = strings.TrimPrefix(v, base)
		case p.Kind == templates.ParamImage || p.Kind == templates.ParamVideo || p.Kind == templates.ParamDocument:
			if !strings.HasPrefix(strings.ToLower(v), "https://") {
				problems[block] = bridge.Text(f.lang, "tplmodal.https")
			}
		}
		values = append(values, v)
	}
	return values, problems
}

// previewValues are the typed values, Meta's examples for the fields left
// empty, else the parameter's label.
func (f templateForm) previewValues(tpl templates.Template) []string {
	var out []string
	for i, p := range tpl.Params() {
		v := strings.TrimSpace(f.view.input(paramBlockID(i, tpl)))
		if v == "" {
			v = p.Example // for a URL button, Meta's example is often the whole link
		}
		if p.Kind == templates.ParamURL {
			v = strings.TrimPrefix(v, urlBase(tpl, p))
		}
		if v == "" {
			v = p.Label()
		}
		out = append(out, v)
	}
	return out
}

// confirmBlocks show exactly what will be sent, above a line saying what.
func confirmBlocks(lang string, intro []string, tpl templates.Template, rendered string) []slackapi.Block {
	var blocks []slackapi.Block
	for _, line := range intro {
		blocks = append(blocks, slackapi.NewSectionBlock(mrkdwn(truncate(line, maxSectionChars)), nil, nil))
	}
	blocks = append(blocks,
		slackapi.NewContextBlock("", mrkdwn(Escape(bridge.Text(lang, "tplmodal.confirm", tpl.Name, tpl.Language)))),
		slackapi.NewDividerBlock(),
		slackapi.NewSectionBlock(mrkdwn(truncate(ToMrkdwn(rendered), maxSectionChars)), nil, nil))
	return blocks
}

// templateCommand is the thread command a confirmed template becomes:
// "!template name@language v1 | v2", a "|" inside a value written "\|".
func templateCommand(key string, values []string) string {
	text := "!template " + key
	for i, v := range values {
		sep := " | "
		if i == 0 {
			sep = " "
		}
		text += sep + strings.ReplaceAll(v, "|", `\|`)
	}
	return text
}

// viewResponse is the JSON answer to a view_submission.
type viewResponse struct {
	ResponseAction string                     `json:"response_action"`
	View           *slackapi.ModalViewRequest `json:"view,omitempty"`
	Errors         map[string]string          `json:"errors,omitempty"`
}

// messageView is a modal that only says something (a refusal, a result),
// closing the whole stack when closed.
func messageView(lang, titleKey, text, callbackID string) slackapi.ModalViewRequest {
	return slackapi.ModalViewRequest{
		Type:         slackapi.VTModal,
		Title:        plain(truncate(bridge.Text(lang, titleKey), 24)),
		Close:        plain(bridge.Text(lang, "tplmodal.close")),
		CallbackID:   callbackID,
		ClearOnClose: true,
		Blocks: slackapi.Blocks{BlockSet: []slackapi.Block{
			slackapi.NewSectionBlock(mrkdwn(truncate(RenderMentions(ToMrkdwn(text)), maxSectionChars)), nil, nil)}},
	}
}
