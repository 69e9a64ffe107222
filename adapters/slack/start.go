package slack

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
)

// "/switchboard new" with nothing after it opens a form: the customer's
// number, the team (the channel's, preselected), and the template with
// its parameters and preview as in the template picker (modal.go).
// Submitting checks everything with the bridge (a dry run: the number as
// read, the team, the template) and pushes the exact message with Send;
// Send starts the conversation and the form then says what happened and
// where the thread opens. "/switchboard new <number> …" as text goes to
// the bridge like any other command.

const (
	startCallbackID        = "sb_start"
	startConfirmCallbackID = "sb_start_confirm"
	phoneBlock             = "phone"
	teamBlock              = "team"
)

// starter is the bridge's Starter, when the Inbound has one.
func (h *Handler) starter() (bridge.Starter, error) {
	if h.Views == nil {
		return nil, errors.New("no Slack client configured")
	}
	s, ok := h.Inbound.(bridge.Starter)
	if !ok {
		return nil, errors.New("the bridge cannot start conversations")
	}
	return s, nil
}

// wantsStartForm reports whether a slash command asks for the form: the
// verb alone, with a trigger to open it with.
func wantsStartForm(body []byte, text string) (trigger string, ok bool) {
	verb := strings.ToLower(strings.TrimSpace(text))
	if verb != "new" && verb != "start" {
		return "", false
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("trigger_id") == "" {
		return "", false
	}
	return form.Get("trigger_id"), true
}

// openStartForm answers "/switchboard new" with the form.
func (h *Handler) openStartForm(ctx context.Context, trigger string, cmd bridge.AgentCommand) error {
	st, err := h.starter()
	if err != nil {
		return err
	}
	q := bridge.PickerQuery{Workspace: bridge.WorkspaceSlack, ChannelID: cmd.ChannelID, UserID: cmd.UserID, Guest: cmd.Guest}
	choices, err := st.StartChoices(ctx, q, "")
	if err != nil {
		return err
	}
	meta := modalMeta{Channel: cmd.ChannelID, Team: choices.Team}
	_, err = h.Views.Client().OpenViewContext(ctx, trigger, startView(meta, choices, modalView{}))
	return err
}

// startPickBlock is the template menu's block id for a team: choosing
// another team starts the menu afresh.
func startPickBlock(team string) string { return templatePickBlock + "_" + shortHash(team) }

// startView is the form.
func startView(meta modalMeta, ch bridge.StartChoices, current modalView) slackapi.ModalViewRequest {
	lang := ch.Language
	t := func(key string, args ...any) string { return bridge.Text(lang, key, args...) }
	view := slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plain(t("startmodal.title")),
		Close:           plain(t("tplmodal.cancel")),
		CallbackID:      startCallbackID,
		PrivateMetadata: meta.encode(),
	}
	if ch.Refusal != "" {
		view.Blocks.BlockSet = []slackapi.Block{slackapi.NewSectionBlock(mrkdwn(RenderMentions(ToMrkdwn(ch.Refusal))), nil, nil)}
		return view
	}
	var placeholder, hint *slackapi.TextBlockObject
	if ch.PhoneExample != "" {
		placeholder = plain(truncate(t("start.example", ch.PhoneExample), 150))
	}
	if ch.PhoneHint != "" {
		hint = plain(ch.PhoneHint)
	}
	blocks := []slackapi.Block{slackapi.NewInputBlock(phoneBlock, plain(t("startmodal.phone")), hint,
		slackapi.NewPlainTextInputBlockElement(placeholder, phoneBlock))}
	if len(ch.Teams) > 1 {
		var options []*slackapi.OptionBlockObject
		var initial *slackapi.OptionBlockObject
		for _, name := range ch.Teams {
			o := slackapi.NewOptionBlockObject(name, plain(truncate(name, 75)), nil)
			options = append(options, o)
			if name == ch.Team {
				initial = o
			}
		}
		menu := slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeStatic, plain(t("startmodal.team")), teamBlock, options...)
		if initial != nil {
			menu.WithInitialOption(initial)
		}
		blocks = append(blocks, slackapi.NewInputBlock(teamBlock, plain(t("startmodal.team")), nil, menu).WithDispatchAction(true))
	} else {
		blocks = append(blocks, slackapi.NewContextBlock("", mrkdwn("*"+Escape(t("startmodal.team"))+":* "+Escape(ch.Team))))
	}
	if ch.Templates.Refusal != "" {
		blocks = append(blocks, slackapi.NewSectionBlock(mrkdwn(RenderMentions(ToMrkdwn(ch.Templates.Refusal))), nil, nil))
	} else {
		form := templateForm{lang: lang, choices: ch.Templates, pickBlock: startPickBlock(ch.Team), view: current}
		blocks = append(blocks, form.blocks()...)
		if len(ch.Templates.Templates) > 0 {
			view.Submit = plain(t("tplmodal.next"))
		}
	}
	view.Blocks.BlockSet = blocks
	return view
}

// startInteraction handles the form's changes and submissions; handled
// is false for payloads that are not the form's.
func (h *Handler) startInteraction(c *fiber.Ctx, p modalPayload) (bool, error) {
	ctx := c.UserContext()
	switch {
	case p.Type == "block_actions" && p.Container.Type == "view" && p.View.CallbackID == startCallbackID:
		return true, h.answerOpen(c, h.refreshStartForm(ctx, p))
	case p.Type == "view_submission" && p.View.CallbackID == startCallbackID:
		resp, err := h.submitStartForm(ctx, p)
		if err != nil {
			h.log().Error("slack start form not checked", "err", err)
			return true, c.SendStatus(fiber.StatusInternalServerError)
		}
		return true, c.JSON(resp)
	case p.Type == "view_submission" && p.View.CallbackID == startConfirmCallbackID:
		resp, err := h.confirmStart(ctx, p)
		if err != nil {
			h.Metrics.Webhook(platform, bridge.ResultError)
			h.log().Error("slack conversation not started", "err", err)
			return true, c.SendStatus(fiber.StatusInternalServerError)
		}
		h.Metrics.Webhook(platform, bridge.ResultAccepted)
		return true, c.JSON(resp)
	}
	return false, nil
}

// startChoices asks the bridge for the form's choices with team chosen.
func (h *Handler) startChoices(ctx context.Context, p modalPayload, meta modalMeta, team string) (bridge.StartChoices, error) {
	st, err := h.starter()
	if err != nil {
		return bridge.StartChoices{}, err
	}
	q := bridge.PickerQuery{Workspace: bridge.WorkspaceSlack, ChannelID: meta.Channel, UserID: p.User.ID, Guest: h.guest(p.User.TeamID)}
	ch, err := st.StartChoices(ctx, q, team)
	if err != nil {
		return ch, fmt.Errorf("start form: %w", err)
	}
	return ch, nil
}

// chosenTeam is the team selected in the form, else the one it opened with.
func chosenTeam(v modalView, meta modalMeta) string {
	if team := v.input(teamBlock); team != "" {
		return team
	}
	return meta.Team
}

// refreshStartForm redraws the form after a team or template choice, or
// Enter in a parameter.
func (h *Handler) refreshStartForm(ctx context.Context, p modalPayload) error {
	meta, ok := decodeMeta(p.View.PrivateMetadata)
	if !ok {
		return errors.New("start form: unreadable private_metadata")
	}
	ch, err := h.startChoices(ctx, p, meta, chosenTeam(p.View, meta))
	if err != nil {
		return err
	}
	meta.Team = ch.Team
	return h.updateView(ctx, p.View, startView(meta, ch, p.View))
}

// submitStartForm checks the form with a dry run and pushes the exact
// message to confirm, or shows what is wrong where it is wrong.
func (h *Handler) submitStartForm(ctx context.Context, p modalPayload) (viewResponse, error) {
	meta, ok := decodeMeta(p.View.PrivateMetadata)
	if !ok {
		return viewResponse{}, errors.New("start form: unreadable private_metadata")
	}
	ch, err := h.startChoices(ctx, p, meta, chosenTeam(p.View, meta))
	if err != nil {
		return viewResponse{}, err
	}
	lang := ch.Language
	errorsAt := func(block, text string) viewResponse {
		return viewResponse{ResponseAction: "errors", Errors: map[string]string{block: text}}
	}
	phone := strings.TrimSpace(p.View.input(phoneBlock))
	if phone == "" {
		return errorsAt(phoneBlock, bridge.Text(lang, "tplmodal.required")), nil
	}
	pick := startPickBlock(ch.Team)
	form := templateForm{lang: lang, choices: ch.Templates, pickBlock: pick, view: p.View}
	tpl, ok := form.selected()
	if !ok {
		return errorsAt(pick, bridge.Text(lang, "tplmodal.pick_template")), nil
	}
	values, problems := form.typed(tpl)
	if len(problems) > 0 {
		return viewResponse{ResponseAction: "errors", Errors: problems}, nil
	}
	st, err := h.starter()
	if err != nil {
		return viewResponse{}, err
	}
	req := bridge.StartRequest{Workspace: bridge.WorkspaceSlack, ChannelID: meta.Channel, UserID: p.User.ID,
		Guest: h.guest(p.User.TeamID), Phone: phone, Team: ch.Team, Template: templateKey(tpl), Params: values, DryRun: true}
	res, err := st.StartConversation(ctx, req)
	if err != nil {
		return viewResponse{}, err
	}
	if !res.Ready {
		return startRefusal(lang, res, ch, tpl), nil
	}
	meta.Team, meta.Phone, meta.Template, meta.Values, meta.UILanguage = ch.Team, phone, templateKey(tpl), values, lang
	if len(meta.encode()) > maxPrivateMetadata {
		return viewResponse{ResponseAction: "errors", Errors: firstParamError(tpl, bridge.Text(lang, "tplmodal.too_long"))}, nil
	}
	intro := []string{Escape(bridge.Text(lang, "startmodal.confirm", res.Phone, res.Team))}
	confirm := slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plain(bridge.Text(lang, "tplmodal.confirm_title")),
		Submit:          plain(bridge.Text(lang, "tplmodal.send")),
		Close:           plain(bridge.Text(lang, "tplmodal.back")),
		CallbackID:      startConfirmCallbackID,
		PrivateMetadata: meta.encode(),
		Blocks:          slackapi.Blocks{BlockSet: confirmBlocks(lang, intro, res.Template, res.Preview)},
	}
	return viewResponse{ResponseAction: "push", View: &confirm}, nil
}

// startRefusal shows a dry run's refusal under the field it is about;
// an open conversation is shown in place of the form, with its link.
func startRefusal(lang string, res bridge.StartResult, ch bridge.StartChoices, tpl templates.Template) viewResponse {
	block := phoneBlock
	switch res.Field {
	case bridge.StartFieldOpen:
		v := messageView(lang, "startmodal.refused", res.Text, resultCallbackID)
		return viewResponse{ResponseAction: "update", View: &v}
	case bridge.StartFieldTeam:
		if len(ch.Teams) > 1 {
			block = teamBlock
		}
	case bridge.StartFieldTemplate:
		block = startPickBlock(ch.Team)
	case bridge.StartFieldParams:
		if len(tpl.Params()) > 0 {
			block = paramBlockID(0, tpl)
		} else {
			block = startPickBlock(ch.Team)
		}
	}
	// Error texts are plain text: mentions and links stay readable as is.
	return viewResponse{ResponseAction: "errors", Errors: map[string]string{block: truncate(res.Text, 2000)}}
}

// confirmStart starts the conversation the confirmation shows and says in
// the modal what happened and where its thread opens.
func (h *Handler) confirmStart(ctx context.Context, p modalPayload) (viewResponse, error) {
	meta, ok := decodeMeta(p.View.PrivateMetadata)
	if !ok || meta.Template == "" {
		return viewResponse{}, errors.New("start confirmation: unreadable private_metadata")
	}
	st, err := h.starter()
	if err != nil {
		return viewResponse{}, err
	}
	res, err := st.StartConversation(ctx, bridge.StartRequest{Workspace: bridge.WorkspaceSlack, EventID: "view:" + p.View.ID,
		ChannelID: meta.Channel, UserID: p.User.ID, Guest: h.guest(p.User.TeamID), Phone: meta.Phone, Team: meta.Team,
		Template: meta.Template, Params: meta.Values})
	if err != nil {
		return viewResponse{}, err
	}
	title := "startmodal.refused"
	if res.Started {
		title = "startmodal.done"
	}
	v := messageView(cmp.Or(meta.UILanguage, h.lang()), title, res.Text, resultCallbackID)
	return viewResponse{ResponseAction: "update", View: &v}, nil
}
