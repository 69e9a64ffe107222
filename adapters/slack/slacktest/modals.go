package slacktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"
)

// View is one modal opened with views.open.
type View struct {
	ID        string
	TriggerID string
	JSON      json.RawMessage
}

// ViewUpdate is one views.update (ID is the view updated) or views.push
// (ID is the new view; TriggerID is set).
type ViewUpdate struct {
	Method    string
	ID        string
	TriggerID string
	Hash      string // the hash the caller sent ("" when none)
	JSON      json.RawMessage
}

// viewState is a modal as Slack holds it: its latest definition and the
// hash that changes with every update.
type viewState struct {
	json json.RawMessage
	hash string
	// user is who the view is open for (from its trigger_id, when the
	// trigger came from NewTrigger); closed is set once it went away.
	user   string
	closed bool
	// errors are the field errors of the last view_submission answered
	// with response_action "errors" (block_id → message).
	errors map[string]string
}

// Views returns the modals opened so far, as opened.
func (s *Server) Views() []View { return snapshot(s, &s.views) }

// ViewUpdates returns the views.update and views.push calls that
// succeeded, in order.
func (s *Server) ViewUpdates() []ViewUpdate { return snapshot(s, &s.viewCalls) }

// CurrentView returns a view's latest definition and hash, as a
// block_actions or view_submission payload would carry them.
func (s *Server) CurrentView(id string) (view json.RawMessage, hash string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.current[id]
	if !ok {
		return nil, "", false
	}
	return v.json, v.hash, true
}

// WaitForViews waits until pred accepts the views opened so far.
func (s *Server) WaitForViews(t TB, pred func([]View) bool, timeout time.Duration) []View {
	t.Helper()
	return waitFor(t, s, &s.views, pred, timeout, "views")
}

// WaitForViewUpdates waits until pred accepts the updates so far.
func (s *Server) WaitForViewUpdates(t TB, pred func([]ViewUpdate) bool, timeout time.Duration) []ViewUpdate {
	t.Helper()
	return waitFor(t, s, &s.viewCalls, pred, timeout, "view updates")
}

// viewCall serves views.open, views.update and views.push (JSON bodies,
// as slack-go sends them); mu is held. Like Slack, it checks the view
// against Block Kit's limits and answers invalid_arguments with the
// reasons in response_metadata.messages, and refuses an update whose hash
// is not the view's current one (hash_conflict).
func (s *Server) viewCall(w http.ResponseWriter, r *http.Request, method string) {
	var body struct {
		TriggerID  string          `json:"trigger_id"`
		ViewID     string          `json:"view_id"`
		ExternalID string          `json:"external_id"`
		Hash       string          `json:"hash"`
		View       json.RawMessage `json:"view"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || len(body.View) == 0 {
		slackErr(w, "invalid_arguments")
		return
	}
	if problems := checkView(body.View); len(problems) > 0 {
		reply(w, map[string]any{"ok": false, "error": "invalid_arguments",
			"response_metadata": map[string]any{"messages": problems}})
		return
	}
	id := body.ViewID
	switch method {
	case "views.open", "views.push":
		if body.TriggerID == "" {
			slackErr(w, "invalid_trigger_id")
			return
		}
		id = fmt.Sprintf("V%09d", s.nextSeq())
		s.current[id] = &viewState{user: s.triggers[body.TriggerID]}
	case "views.update":
		v, ok := s.current[id]
		switch {
		case !ok:
			slackErr(w, "not_found")
			return
		case body.Hash != "" && body.Hash != v.hash:
			slackErr(w, "hash_conflict")
			return
		}
	}
	v := s.current[id]
	v.json = append(json.RawMessage(nil), body.View...)
	v.hash = fmt.Sprintf("%d.%08d", s.base, s.nextSeq())
	if method == "views.open" {
		s.views = append(s.views, View{ID: id, TriggerID: body.TriggerID, JSON: v.json})
	} else {
		s.viewCalls = append(s.viewCalls, ViewUpdate{Method: method, ID: id, TriggerID: body.TriggerID, Hash: body.Hash, JSON: v.json})
	}
	var view map[string]any
	_ = json.Unmarshal(v.json, &view)
	view["id"], view["hash"], view["team_id"], view["app_id"], view["bot_id"] = id, v.hash, TeamID, "AFAKEAPP", BotID
	view["state"] = map[string]any{"values": map[string]any{}}
	reply(w, map[string]any{"ok": true, "view": view})
}

// checkView applies the limits of Slack's modal views that a mistake in
// our code could break (https://docs.slack.dev/reference/views/modal-views
// and the Block Kit element references).
func checkView(raw json.RawMessage) []string {
	var v struct {
		Type            string `json:"type"`
		Title           *text  `json:"title"`
		Submit          *text  `json:"submit"`
		Close           *text  `json:"close"`
		CallbackID      string `json:"callback_id"`
		PrivateMetadata string `json:"private_metadata"`
		Blocks          []struct {
			Type    string `json:"type"`
			BlockID string `json:"block_id"`
			Label   *text  `json:"label"`
			Text    *text  `json:"text"`
			Element *struct {
				Type         string   `json:"type"`
				ActionID     string   `json:"action_id"`
				Placeholder  *text    `json:"placeholder"`
				Options      []option `json:"options"`
				OptionGroups []struct {
					Label   text     `json:"label"`
					Options []option `json:"options"`
				} `json:"option_groups"`
				InitialOption *option `json:"initial_option"`
				InitialValue  string  `json:"initial_value"`
				MinLength     *int    `json:"min_length"`
				MaxLength     *int    `json:"max_length"`
			} `json:"element"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return []string{"[ERROR] invalid view JSON: " + err.Error()}
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, "[ERROR] "+fmt.Sprintf(format, args...)) }
	if v.Type != "modal" {
		bad("view type must be modal [json-pointer:/view/type]")
	}
	checkText := func(t *text, max int, where string, required bool) {
		switch {
		case t == nil && required:
			bad("missing required field: %s", where)
		case t != nil && (t.Text == "" || utf8.RuneCountInString(t.Text) > max):
			bad("must be 1 to %d characters [json-pointer:/view/%s]", max, where)
		}
	}
	checkText(v.Title, 24, "title", true)
	checkText(v.Submit, 24, "submit", false)
	checkText(v.Close, 24, "close", false)
	if len(v.CallbackID) > 255 {
		bad("callback_id too long")
	}
	if len(v.PrivateMetadata) > 3000 {
		bad("must be less than 3001 characters [json-pointer:/view/private_metadata]")
	}
	if len(v.Blocks) > 100 {
		bad("no more than 100 items allowed [json-pointer:/view/blocks]")
	}
	ids := map[string]bool{}
	inputs := 0
	for i, b := range v.Blocks {
		if b.BlockID != "" {
			if ids[b.BlockID] || len(b.BlockID) > 255 {
				bad("block_id %q is repeated or too long [json-pointer:/view/blocks/%d/block_id]", b.BlockID, i)
			}
			ids[b.BlockID] = true
		}
		if b.Text != nil && utf8.RuneCountInString(b.Text.Text) > 3000 {
			bad("must be less than 3001 characters [json-pointer:/view/blocks/%d/text]", i)
		}
		if b.Type != "input" {
			continue
		}
		inputs++
		checkText(b.Label, 2000, fmt.Sprintf("blocks/%d/label", i), true)
		if b.Element == nil {
			bad("missing required field: element [json-pointer:/view/blocks/%d]", i)
			continue
		}
		// A plain_text_input's lengths are 0–3000 and 1–3000
		// (https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element).
		if n := b.Element.MaxLength; n != nil && (*n < 1 || *n > 3000) {
			bad("max_length must be between 1 and 3000 [json-pointer:/view/blocks/%d/element/max_length]", i)
		}
		if n := b.Element.MinLength; n != nil && (*n < 0 || *n > 3000) {
			bad("min_length must be between 0 and 3000 [json-pointer:/view/blocks/%d/element/min_length]", i)
		}
		if b.Element.Placeholder != nil && utf8.RuneCountInString(b.Element.Placeholder.Text) > 150 {
			bad("must be less than 151 characters [json-pointer:/view/blocks/%d/element/placeholder]", i)
		}
		options := b.Element.Options
		for _, g := range b.Element.OptionGroups {
			if utf8.RuneCountInString(g.Label.Text) > 75 {
				bad("option group label too long [json-pointer:/view/blocks/%d]", i)
			}
			options = append(options, g.Options...)
		}
		if len(options) > 100 || len(b.Element.OptionGroups) > 100 {
			bad("no more than 100 options allowed [json-pointer:/view/blocks/%d/element]", i)
		}
		for _, o := range options {
			if o.Text.Text == "" || utf8.RuneCountInString(o.Text.Text) > 75 || o.Value == "" || len(o.Value) > 150 {
				bad("option %q is empty or too long [json-pointer:/view/blocks/%d/element]", o.Value, i)
			}
		}
		if o := b.Element.InitialOption; o != nil {
			found := false
			for _, have := range options {
				found = found || (have.Value == o.Value && have.Text.Text == o.Text.Text)
			}
			if !found {
				bad("initial_option must match one of the options [json-pointer:/view/blocks/%d/element/initial_option]", i)
			}
		}
	}
	if inputs > 0 && v.Submit == nil {
		bad("submit is required when the view has input blocks [json-pointer:/view/submit]")
	}
	return problems
}

type text struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type option struct {
	Text  text   `json:"text"`
	Value string `json:"value"`
}

// Input is what one input element holds in a view's state.values.
type Input map[string]any

// TextInput is a plain_text_input's value.
func TextInput(v string) Input { return Input{"type": "plain_text_input", "value": v} }

// URLInput is a url_text_input's value.
func URLInput(v string) Input { return Input{"type": "url_text_input", "value": v} }

// Selected is a static_select with the option of value chosen.
func Selected(value string) Input {
	return Input{"type": "static_select", "selected_option": map[string]any{
		"text": map[string]any{"type": "plain_text", "text": value, "emoji": true}, "value": value}}
}

// State is a view's state.values: block id → action id → input.
type State map[string]map[string]Input

// viewPayload is the view object of an interaction payload: the view's
// current definition with its id, hash and state.
func (s *Server) viewPayload(viewID string, state State) (map[string]any, error) {
	raw, hash, ok := s.CurrentView(viewID)
	if !ok {
		return nil, fmt.Errorf("slacktest: no view %s", viewID)
	}
	var view map[string]any
	if err := json.Unmarshal(raw, &view); err != nil {
		return nil, fmt.Errorf("slacktest: view %s: %w", viewID, err)
	}
	if state == nil {
		state = State{}
	}
	view["id"], view["hash"], view["team_id"], view["app_id"], view["bot_id"] = viewID, hash, TeamID, "AFAKEAPP", BotID
	view["root_view_id"], view["previous_view_id"] = viewID, nil
	view["state"] = map[string]any{"values": state}
	return view, nil
}

// ViewAction builds the block_actions payload Slack sends when user acts
// on input blockID/actionID of a view (a select with dispatch_action, or
// Enter in a text input that dispatches on it): the view as it is now,
// with state, and the action carrying the input's value.
func (s *Server) ViewAction(t TB, triggerID, user, viewID, blockID, actionID string, state State) []byte {
	t.Helper()
	b, err := s.ViewActionPayload(triggerID, user, viewID, blockID, actionID, state)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return b
}

// ViewActionPayload is ViewAction for callers without a test: it fails
// when the view does not exist.
func (s *Server) ViewActionPayload(triggerID, user, viewID, blockID, actionID string, state State) ([]byte, error) {
	view, err := s.viewPayload(viewID, state)
	if err != nil {
		return nil, err
	}
	action := map[string]any{"action_id": actionID, "block_id": blockID,
		"action_ts": fmt.Sprintf("%d.000300", time.Now().Unix())}
	for k, v := range state[blockID][actionID] {
		action[k] = v
	}
	return mustJSON(map[string]any{
		"type":       "block_actions",
		"user":       map[string]any{"id": user, "username": user, "name": user, "team_id": TeamID},
		"api_app_id": "AFAKEAPP", "token": "verification_token",
		"container":  map[string]any{"type": "view", "view_id": viewID},
		"trigger_id": triggerID,
		"team":       map[string]any{"id": TeamID, "domain": "fake"},
		"view":       view,
		"actions":    []any{action},
	}), nil
}

// ViewSubmission builds the view_submission payload of user submitting
// view with state.
func (s *Server) ViewSubmission(t TB, triggerID, user, viewID string, state State) []byte {
	t.Helper()
	b, err := s.ViewSubmissionPayload(triggerID, user, viewID, state)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return b
}

// ViewSubmissionPayload is ViewSubmission for callers without a test.
func (s *Server) ViewSubmissionPayload(triggerID, user, viewID string, state State) ([]byte, error) {
	view, err := s.viewPayload(viewID, state)
	if err != nil {
		return nil, err
	}
	return mustJSON(map[string]any{
		"type":       "view_submission",
		"team":       map[string]any{"id": TeamID, "domain": "fake"},
		"user":       map[string]any{"id": user, "username": user, "name": user, "team_id": TeamID},
		"api_app_id": "AFAKEAPP", "token": "verification_token", "trigger_id": triggerID,
		"view":          view,
		"response_urls": []any{},
	}), nil
}

// ApplyResponse does what Slack does with our answer to a view_submission
// of view: "push" opens the answer's view on top (its id is returned),
// "update" replaces view, "errors" and "clear" change no view. It checks
// the new view against Block Kit's limits like views.open does.
func (s *Server) ApplyResponse(t TB, viewID string, body []byte) (action, newViewID string) {
	t.Helper()
	action, newViewID, err := s.applyResponse(viewID, body, false)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return action, newViewID
}

// ApplyViewResponse is ApplyResponse for a long-running fake, which also
// closes views as Slack does: an empty answer closes the submitted view,
// "clear" every view of its user, and "errors" are kept on the view for
// OpenViews to show.
func (s *Server) ApplyViewResponse(viewID string, body []byte) (action, newViewID string, err error) {
	return s.applyResponse(viewID, body, true)
}

func (s *Server) applyResponse(viewID string, body []byte, closing bool) (action, newViewID string, err error) {
	var resp struct {
		ResponseAction string            `json:"response_action"`
		View           json.RawMessage   `json:"view"`
		Errors         map[string]string `json:"errors"`
	}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &resp); err != nil {
			return "", "", fmt.Errorf("slacktest: view_submission answer %q: %w", body, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.bump()
	v, ok := s.current[viewID]
	if !ok {
		return "", "", fmt.Errorf("slacktest: no view %s", viewID)
	}
	switch resp.ResponseAction {
	case "push", "update":
	case "errors":
		if closing {
			v.errors = resp.Errors
		}
		return resp.ResponseAction, "", nil
	case "clear":
		if closing {
			for _, other := range s.current {
				if other.user == v.user {
					other.closed = true
				}
			}
		}
		return resp.ResponseAction, "", nil
	default:
		if closing {
			v.closed = true
		}
		return resp.ResponseAction, "", nil
	}
	if problems := checkView(resp.View); len(problems) > 0 {
		return "", "", fmt.Errorf("slacktest: Slack would refuse the %s view: %v", resp.ResponseAction, problems)
	}
	id := viewID
	if resp.ResponseAction == "push" {
		id = fmt.Sprintf("V%09d", s.nextSeq())
		s.current[id] = &viewState{user: v.user}
	}
	nv := s.current[id]
	nv.json, nv.hash, nv.errors = append(json.RawMessage(nil), resp.View...), fmt.Sprintf("%d.%08d", s.base, s.nextSeq()), nil
	s.viewCalls = append(s.viewCalls, ViewUpdate{Method: "response_action:" + resp.ResponseAction, ID: id, JSON: nv.json})
	return resp.ResponseAction, id, nil
}
