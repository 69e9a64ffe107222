package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// The Slack modals: the template picker of a conversation and the form of
// /switchboard new, driven through the interactivity endpoint as Slack
// drives them.

// modalView is what the tests read of a view Slack was given.
type modalView struct {
	CallbackID      string `json:"callback_id"`
	PrivateMetadata string `json:"private_metadata"`
	Title           struct {
		Text string `json:"text"`
	} `json:"title"`
	Submit *struct {
		Text string `json:"text"`
	} `json:"submit"`
	Blocks []struct {
		Type    string `json:"type"`
		BlockID string `json:"block_id"`
		Label   struct {
			Text string `json:"text"`
		} `json:"label"`
		Hint *struct {
			Text string `json:"text"`
		} `json:"hint"`
		Text *struct {
			Text string `json:"text"`
		} `json:"text"`
		Elements []struct {
			Text string `json:"text"`
		} `json:"elements"`
		Element struct {
			Type        string `json:"type"`
			ActionID    string `json:"action_id"`
			Placeholder *struct {
				Text string `json:"text"`
			} `json:"placeholder"`
			Options []struct {
				Value string `json:"value"`
			} `json:"options"`
			OptionGroups []struct {
				Label struct {
					Text string `json:"text"`
				} `json:"label"`
				Options []struct {
					Value string `json:"value"`
				} `json:"options"`
			} `json:"option_groups"`
		} `json:"element"`
	} `json:"blocks"`
}

func decodeView(t *testing.T, raw json.RawMessage) modalView {
	t.Helper()
	var v modalView
	require.NoError(t, json.Unmarshal(raw, &v))
	return v
}

// menu is the template menu's block id and its values, in order.
func (v modalView) menu() (block string, values []string) {
	for _, b := range v.Blocks {
		if b.Element.ActionID != "pick" {
			continue
		}
		for _, o := range b.Element.Options {
			values = append(values, o.Value)
		}
		for _, g := range b.Element.OptionGroups {
			for _, o := range g.Options {
				values = append(values, o.Value)
			}
		}
		return b.BlockID, values
	}
	return "", nil
}

// params are the parameter inputs (block id, element type, label).
func (v modalView) params() (ids, types, labels []string) {
	for _, b := range v.Blocks {
		if b.Type == "input" && b.Element.ActionID == "value" {
			ids, types, labels = append(ids, b.BlockID), append(types, b.Element.Type), append(labels, b.Label.Text)
		}
	}
	return ids, types, labels
}

// text is every section and context text of the view.
func (v modalView) text() string {
	var parts []string
	for _, b := range v.Blocks {
		if b.Text != nil {
			parts = append(parts, b.Text.Text)
		}
		for _, el := range b.Elements {
			parts = append(parts, el.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// interactOK posts an interactivity payload, requires a 200 and returns the answer's body.
func (e *env) interactOK(payload []byte) []byte {
	e.t.Helper()
	resp := slacktest.PostInteraction(e.t, e.baseURL+"/slack/interactivity", signingSecret, payload)
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	return body
}

// latestView waits for the n-th change (views.update or an applied
// response) of any view and returns it decoded.
func (e *env) latestView(n int) modalView {
	e.t.Helper()
	ups := e.slack.WaitForViewUpdates(e.t, func(u []slacktest.ViewUpdate) bool { return len(u) >= n }, waitLong)
	return decodeView(e.t, ups[n-1].JSON)
}

// orderUpdateES is Meta's documented send of order_update in Spanish: an
// image header, two body values and a URL button's variable end.
const orderUpdateES = `{"messaging_product":"whatsapp","recipient_type":"individual","to":"34612345678","type":"template",
 "template":{"name":"order_update","language":{"code":"es"},"components":[
  {"type":"header","parameters":[{"type":"image","image":{"link":"https://ex.com/a.jpg"}}]},
  {"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"4411"}]},
  {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"4411"}]}]}}`

// The card's Send template button opens the picker: only approved
// templates, the customer's language first; choosing one shows a typed
// input per parameter and a preview, Enter shows what was typed, errors
// are shown under their fields, the last step shows the exact message,
// and Send hands "!template" to the bridge, which sends Meta's shape.
func TestSlackTemplatePickerSendsTheChosenTemplate(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTemplates())
		e.waitSynced()
		e.customerWrites("34612345678", "Ana", "wamid.p1", time.Now(), "Hola, ¿dónde está mi pedido?")
		card := e.waitCardAndThread("mi pedido")
		e.clicks("trigPick", "UAGENT1", card.TS, "template", conversationID(t, card))

		views := e.slack.WaitForViews(t, func(v []slacktest.View) bool { return len(v) == 1 }, waitLong)
		require.Equal(t, "trigPick", views[0].TriggerID)
		form := decodeView(t, views[0].JSON)
		require.Equal(t, "sb_template", form.CallbackID)
		pick, options := form.menu()
		require.Equal(t, []string{"order_update@es", "welcome@en_US", "order_update@pt_BR"}, options,
			"approved only (not the rejected promo nor the pending survey), Spanish first, then by language")
		require.Contains(t, string(views[0].JSON), "es · customer's language")

		viewID := views[0].ID
		state := slacktest.State{pick: {"pick": slacktest.Selected("order_update@es")}}
		e.interactOK(e.slack.ViewAction(t, "trigPick2", "UAGENT1", viewID, pick, "pick", state))
		form = e.latestView(1)
		ids, types, labels := form.params()
		require.Equal(t, []string{"url_text_input", "plain_text_input", "plain_text_input", "url_text_input"}, types)
		require.Equal(t, []string{"Header image (https link)", "Body {{1}}", "Body {{2}}", "Button 1 link"}, labels)
		require.Contains(t, string(e.slack.ViewUpdates()[0].JSON), "The full link, starting with https://ex.com/t/")
		require.Contains(t, form.text(), "Hola {{1}}, tu pedido {{2}} está en camino.")

		// Enter in a field shows the value in the preview.
		state[ids[1]] = map[string]slacktest.Input{"value": slacktest.TextInput("Ana")}
		e.interactOK(e.slack.ViewAction(t, "trigPick3", "UAGENT1", viewID, ids[1], "value", state))
		require.Contains(t, e.latestView(2).text(), "Hola Ana, tu pedido {{2}} está en camino.")

		// Submitting checks each field.
		state[ids[0]] = map[string]slacktest.Input{"value": slacktest.URLInput("https://ex.com/a.jpg")}
		state[ids[3]] = map[string]slacktest.Input{"value": slacktest.URLInput("https://other.example/4411")}
		var answer struct {
			ResponseAction string            `json:"response_action"`
			Errors         map[string]string `json:"errors"`
		}
		require.NoError(t, json.Unmarshal(e.interactOK(e.slack.ViewSubmission(t, "trigS1", "UAGENT1", viewID, state)), &answer))
		require.Equal(t, "errors", answer.ResponseAction)
		require.Equal(t, "Fill this in.", answer.Errors[ids[2]])
		require.Equal(t, "The link must start with https://ex.com/t/", answer.Errors[ids[3]])
		require.Empty(t, e.wa.Sends())

		state[ids[2]] = map[string]slacktest.Input{"value": slacktest.TextInput("4411")}
		state[ids[3]] = map[string]slacktest.Input{"value": slacktest.URLInput("https://ex.com/t/4411")}
		body := e.interactOK(e.slack.ViewSubmission(t, "trigS2", "UAGENT1", viewID, state))
		action, confirmID := e.slack.ApplyResponse(t, viewID, body)
		require.Equal(t, "push", action, "the exact message is shown before anything is sent")
		confirm := e.latestView(3)
		require.Equal(t, "sb_template_confirm", confirm.CallbackID)
		require.Equal(t, "Send", confirm.Submit.Text)
		require.Contains(t, confirm.text(), "Hola Ana, tu pedido 4411 está en camino.")
		require.Contains(t, confirm.text(), "[Track: https://ex.com/t/4411]")
		require.Contains(t, confirm.text(), "[image: https://ex.com/a.jpg]")
		require.Empty(t, e.wa.Sends(), "nothing is sent before Send")

		action, _ = e.slack.ApplyResponse(t, confirmID, e.interactOK(e.slack.ViewSubmission(t, "trigS3", "UAGENT1", confirmID, nil)))
		require.Equal(t, "clear", action)
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.JSONEq(t, orderUpdateES, string(sends[0].Raw))
		e.waitCardAndThread("order_update", "Hola Ana, tu pedido 4411 está en camino.")
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM events WHERE kind = 'template_sent' AND actor = 'UAGENT1'`),
			"sent as the agent who submitted")
	})
}

// The message shortcut opens the same picker on any message of a thread;
// a refused reply's private button opens it filtered to the language it
// names; outside a conversation, or for an outsider, the modal says why.
func TestSlackShortcutAndPrivateButtonOpenThePicker(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTemplates())
		e.waitSynced()
		e.customerWrites("34612345678", "Ana", "wamid.s1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")

		open := func(payload []byte, n int) modalView {
			e.interactOK(payload)
			views := e.slack.WaitForViews(t, func(v []slacktest.View) bool { return len(v) == n }, waitLong)
			return decodeView(t, views[n-1].JSON)
		}
		v := open(slacktest.MessageShortcut("trigSC", "sb_template_shortcut", "UAGENT1", channel, "1700000001.000100", card.TS, e.slack.ResponseURL("trigSC")), 1)
		require.Equal(t, "sb_template", v.CallbackID)
		_, options := v.menu()
		require.Equal(t, []string{"order_update@es", "welcome@en_US", "order_update@pt_BR"}, options)
		require.Contains(t, v.PrivateMetadata, card.TS, "the picker sends into that thread")

		v = open(slacktest.PrivateButtonClick("trigPB", "UAGENT1", channel, card.TS, "1700000002.000200",
			"sb:template#0", conversationID(t, card)+"/pt", e.slack.ResponseURL("trigPB")), 2)
		_, options = v.menu()
		require.Equal(t, []string{"order_update@pt_BR"}, options, "filtered to the language the button names")

		v = open(slacktest.MessageShortcut("trigOut", "sb_template_shortcut", "U0OUTSIDE1", channel, "1700000001.000100", card.TS, e.slack.ResponseURL("trigOut")), 3)
		require.Nil(t, v.Submit, "nothing to submit")
		require.Contains(t, v.text(), "support")
		_, options = v.menu()
		require.Empty(t, options)

		v = open(slacktest.MessageShortcut("trigTop", "sb_template_shortcut", "UAGENT1", channel, "1700000003.000300", "", e.slack.ResponseURL("trigTop")), 4)
		require.Nil(t, v.Submit)
		require.Contains(t, v.text(), "conversation's thread")
	})
}

// "/switchboard new" alone opens a form: the number (with the inbox's
// country as example), the team, the template and its values; a wrong
// number is shown under the field; the last step shows the number as read
// and the message; Send starts the conversation and says where.
func TestSlackStartFormStartsAConversation(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setupStart(t, dialect)
		resp := slacktest.PostSlashCommand(t, e.baseURL+"/slack/commands", signingSecret, url.Values{
			"command": {"/switchboard"}, "text": {"new"}, "user_id": {"UAGENT1"}, "channel_id": {channel},
			"team_id": {slacktest.TeamID}, "trigger_id": {"trigNew"}})
		require.Equal(t, http.StatusOK, resp.StatusCode)
		body, _ := io.ReadAll(resp.Body)
		require.Empty(t, body, "the form answers; nothing is posted")

		views := e.slack.WaitForViews(t, func(v []slacktest.View) bool { return len(v) == 1 }, waitLong)
		form := decodeView(t, views[0].JSON)
		require.Equal(t, "sb_start", form.CallbackID)
		require.Equal(t, "phone", form.Blocks[0].BlockID)
		require.Equal(t, "e.g. 612 34 56 78", form.Blocks[0].Element.Placeholder.Text)
		require.Contains(t, form.text(), "support", "the channel's team")
		pick, options := form.menu()
		require.ElementsMatch(t, []string{"order_update@es", "order_update@pt_BR", "welcome@en_US"}, options)

		viewID := views[0].ID
		state := slacktest.State{pick: {"pick": slacktest.Selected("welcome@en_US")}}
		e.interactOK(e.slack.ViewAction(t, "trigN2", "UAGENT1", viewID, pick, "pick", state))
		ids, _, labels := e.latestView(1).params()
		require.Equal(t, []string{"Body {{first_name}}"}, labels)

		state["phone"] = map[string]slacktest.Input{"phone": slacktest.TextInput("612 34 56")}
		state[ids[0]] = map[string]slacktest.Input{"value": slacktest.TextInput("Ana")}
		var answer struct {
			ResponseAction string            `json:"response_action"`
			Errors         map[string]string `json:"errors"`
		}
		require.NoError(t, json.Unmarshal(e.interactOK(e.slack.ViewSubmission(t, "trigN3", "UAGENT1", viewID, state)), &answer))
		require.Equal(t, "errors", answer.ResponseAction)
		require.Contains(t, answer.Errors["phone"], "too few digits")
		require.Contains(t, answer.Errors["phone"], "612 34 56 78")

		state["phone"] = map[string]slacktest.Input{"phone": slacktest.TextInput("612 34 56 78")}
		action, confirmID := e.slack.ApplyResponse(t, viewID, e.interactOK(e.slack.ViewSubmission(t, "trigN4", "UAGENT1", viewID, state)))
		require.Equal(t, "push", action)
		confirm := e.latestView(2)
		require.Contains(t, confirm.text(), "To +34 612 34 56 78 · team support")
		require.Contains(t, confirm.text(), "Welcome Ana!")
		require.Zero(t, e.count(`SELECT COUNT(*) FROM conversations`), "checking started nothing")

		action, _ = e.slack.ApplyResponse(t, confirmID, e.interactOK(e.slack.ViewSubmission(t, "trigN5", "UAGENT1", confirmID, nil)))
		require.Equal(t, "update", action)
		done := e.latestView(3)
		require.Equal(t, "Conversation started", done.Title.Text)
		require.Contains(t, done.text(), "<#"+channel+">")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.JSONEq(t, welcomeToAna, string(sends[0].Raw))
		card := e.waitCardAndThread("started this conversation")
		require.Contains(t, blocksText(card), "<@UAGENT1>")
	})
}
