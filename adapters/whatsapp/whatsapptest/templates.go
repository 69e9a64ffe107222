package whatsapptest

// Message templates: the fake keeps a list per WhatsApp Business Account,
// serves GET /{version}/{waba-id}/message_templates with Graph's cursor
// paging, and checks template sends against the list of the account that
// owns the sending number, answering Meta's real error codes.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/switchboard/switchboard/bridge/templates"
)

// DefaultTemplatePageSize is how many templates a listing answers when the
// request names no limit (Graph's default page size is 25).
const DefaultTemplatePageSize = 25

// SetTemplates replaces the templates account holds, in the order a listing
// returns them. Each template's Account is set to account. Once an
// account has templates (even none), template sends from its numbers (see
// SetPhoneAccount) are checked against them; before, they are accepted as
// they come.
func (s *Server) SetTemplates(account string, list ...templates.Template) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.templates == nil {
		s.templates = map[string][]templates.Template{}
	}
	cp := make([]templates.Template, len(list))
	for i, t := range list {
		t.Account = account
		if t.ID == "" {
			t.ID = strconv.Itoa(1000000 + i)
		}
		cp[i] = t
	}
	s.templates[account] = cp
}

// AddTemplate adds one template to account's list, as if just created in
// WhatsApp Manager.
func (s *Server) AddTemplate(account string, t templates.Template) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.templates == nil {
		s.templates = map[string][]templates.Template{}
	}
	t.Account = account
	if t.ID == "" {
		t.ID = strconv.Itoa(2000000 + len(s.templates[account]))
	}
	s.templates[account] = append(s.templates[account], t)
}

// SetTemplateStatus changes the status (and reason) of account's template
// name in language, as Meta would before sending a status webhook, and
// returns it; ok is false when there is no such template.
func (s *Server) SetTemplateStatus(account, name, language string, status templates.Status, reason string) (t templates.Template, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, t := range s.templates[account] {
		if t.Name == name && t.Language == language {
			s.templates[account][i].Status, s.templates[account][i].Reason = status, reason
			return s.templates[account][i], true
		}
	}
	return templates.Template{}, false
}

// SetPhoneAccount says which WhatsApp Business Account owns a business
// number (phone_number_id), so its template sends are checked against that
// account's templates.
func (s *Server) SetPhoneAccount(phoneNumberID, account string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.phoneAccounts == nil {
		s.phoneAccounts = map[string]string{}
	}
	s.phoneAccounts[phoneNumberID] = account
}

// FailRecipient makes every send to the customer wa_id answer the Graph
// error code: 131026 (undeliverable: not on WhatsApp, old client, blocked
// us), 131048 (spam rate limit) or 131056 (pair rate limit), with Meta's
// messages. Code 0 lets the recipient receive again.
func (s *Server) FailRecipient(waID string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.recipientFailures == nil {
		s.recipientFailures = map[string]int{}
	}
	if code == 0 {
		delete(s.recipientFailures, waID)
		return
	}
	s.recipientFailures[waID] = code
}

// TemplateListings counts the GET …/message_templates requests answered
// (every page counts), so tests can tell a sync happened or did not.
func (s *Server) TemplateListings() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.listings
}

// recipientMessages are Meta's titles for the codes FailRecipient takes.
var recipientMessages = map[int]string{
	131026: "(#131026) Message undeliverable",
	131048: "(#131048) Spam rate limit hit",
	131056: "(#131056) (Business Account, Consumer Account) pair rate limit hit",
}

func (s *Server) recipientFailure(to string) (Failure, bool) {
	s.mu.Lock()
	code, ok := s.recipientFailures[to]
	s.mu.Unlock()
	if !ok {
		return Failure{}, false
	}
	msg := recipientMessages[code]
	if msg == "" {
		msg = fmt.Sprintf("(#%d) recipient failure", code)
	}
	return Failure{Status: http.StatusBadRequest, Code: code, Message: msg}, true
}

// wireTemplate is one template in a listing, with Graph's field names.
func wireTemplate(t templates.Template) map[string]any {
	reason := t.Reason
	if reason == "" {
		reason = "NONE" // what Graph says of a template that was not rejected
	}
	format := t.ParameterFormat
	if format == "" {
		format = templates.FormatPositional
	}
	components := t.Components
	if components == nil {
		components = []templates.Component{}
	}
	return map[string]any{
		"id":               t.ID,
		"name":             t.Name,
		"language":         t.Language,
		"status":           string(t.Status),
		"category":         t.Category,
		"parameter_format": format,
		"components":       components,
		"rejected_reason":  reason,
	}
}

// handleTemplates serves GET /{version}/{waba}/message_templates: the
// fields asked for (id always), limit per page, and cursor paging where
// paging.next is present only when another page exists.
func (s *Server) handleTemplates(w http.ResponseWriter, r *http.Request) {
	if !s.guard(w, r) {
		return
	}
	account := r.PathValue("waba")
	q := r.URL.Query()
	s.mu.Lock()
	list, known := s.templates[account]
	list = append([]templates.Template(nil), list...)
	s.listings++
	s.mu.Unlock()
	if !known {
		writeError(w, Failure{Status: http.StatusBadRequest, Code: 100, Subcode: 33,
			Message: "Unsupported get request. Object with ID '" + account + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation."},
			"GraphMethodException")
		return
	}
	limit := DefaultTemplatePageSize
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			invalidParam(w, "limit must be a positive integer")
			return
		}
		limit = n
	}
	start := 0
	if after := q.Get("after"); after != "" {
		n, ok := decodeCursor(after)
		if !ok || n > len(list) {
			invalidParam(w, "after is not a valid cursor")
			return
		}
		start = n
	}
	end := min(start+limit, len(list))
	fields := map[string]bool{"id": true}
	for _, f := range strings.Split(q.Get("fields"), ",") {
		if f = strings.TrimSpace(f); f != "" {
			fields[f] = true
		}
	}
	data := make([]map[string]any, 0, end-start)
	for _, t := range list[start:end] {
		full := wireTemplate(t)
		if q.Get("fields") == "" {
			// Without fields Graph answers a default set; name and
			// status are enough to tell a client it forgot to ask.
			fields["name"], fields["status"], fields["language"] = true, true, true
		}
		item := map[string]any{}
		for k, v := range full {
			if fields[k] {
				item[k] = v
			}
		}
		data = append(data, item)
	}
	out := map[string]any{"data": data}
	if end > start {
		paging := map[string]any{"cursors": map[string]any{"before": encodeCursor(start), "after": encodeCursor(end)}}
		if end < len(list) {
			next := url.Values{}
			for k, v := range q {
				next[k] = v
			}
			next.Set("limit", strconv.Itoa(limit))
			next.Set("after", encodeCursor(end))
			paging["next"] = s.URL + r.URL.Path + "?" + next.Encode()
		}
		out["paging"] = paging
	}
	writeJSON(w, http.StatusOK, out)
}

// Cursors are opaque to clients, like Graph's base64 strings.
func encodeCursor(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("tpl:" + strconv.Itoa(n)))
}

func decodeCursor(c string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), "tpl:") {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), "tpl:"))
	return n, err == nil && n >= 0
}

// sentComponent is one component of a template send, as the fake checks it.
type sentComponent struct {
	Type       string          `json:"type"`
	SubType    string          `json:"sub_type"`
	Index      json.RawMessage `json:"index"` // Meta documents a string; tolerate a number
	Parameters []sentParameter `json:"parameters"`
}

type sentParameter struct {
	Type          string          `json:"type"`
	ParameterName string          `json:"parameter_name"`
	Text          *string         `json:"text"`
	CouponCode    *string         `json:"coupon_code"`
	Payload       *string         `json:"payload"`
	Image         json.RawMessage `json:"image"`
	Video         json.RawMessage `json:"video"`
	Document      json.RawMessage `json:"document"`
}

// checkTemplate answers how Meta refuses a template send from phone, if it
// does: the template must exist in that language (132001, HTTP 404), be
// approved (paused 132015, disabled 132016, anything else 132001), get as
// many values per component as it has placeholders (132000) and values of
// the right kind (132012). ok is false when the send passes or the number's
// account has no templates loaded.
func (s *Server) checkTemplate(phone, name, language string, raw json.RawMessage) (Failure, bool) {
	s.mu.Lock()
	account, linked := s.phoneAccounts[phone]
	list, loaded := s.templates[account]
	s.mu.Unlock()
	if !linked || !loaded {
		return Failure{}, false
	}
	var tpl *templates.Template
	for i := range list {
		if list[i].Name == name && list[i].Language == language {
			tpl = &list[i]
			break
		}
	}
	missing := Failure{Status: http.StatusNotFound, Code: 132001,
		Message: "(#132001) Template name does not exist in the translation"}
	switch {
	case tpl == nil:
		return missing, true
	case tpl.Status == templates.StatusPaused:
		return Failure{Status: http.StatusBadRequest, Code: 132015, Message: "(#132015) Template is Paused"}, true
	case tpl.Status == templates.StatusDisabled:
		return Failure{Status: http.StatusBadRequest, Code: 132016, Message: "(#132016) Template is disabled"}, true
	case !tpl.Status.Usable():
		return missing, true
	}
	var sent []sentComponent
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &sent); err != nil {
			return Failure{Status: http.StatusBadRequest, Code: 100, Message: "(#100) Invalid parameter: template.components"}, true
		}
	}
	got := map[string][]sentParameter{}
	for _, c := range sent {
		key := strings.ToLower(c.Type)
		if key == "button" {
			idx := strings.Trim(string(c.Index), `"`)
			key = "button " + idx
		}
		got[key] = append(got[key], c.Parameters...)
	}
	want := map[string][]templates.Param{}
	var order []string
	for _, p := range tpl.Params() {
		key := p.Component
		if key == "button" {
			key = "button " + strconv.Itoa(p.Index)
		}
		if _, ok := want[key]; !ok {
			order = append(order, key)
		}
		want[key] = append(want[key], p)
	}
	for key := range got {
		if _, ok := want[key]; !ok {
			order = append(order, key)
		}
	}
	for _, key := range order {
		if len(got[key]) != len(want[key]) {
			return Failure{Status: http.StatusBadRequest, Code: 132000,
				Message: fmt.Sprintf("(#132000) Number of parameters does not match the expected number of params. %s: number of localizable_params (%d) does not match the expected number of params (%d)",
					key, len(got[key]), len(want[key]))}, true
		}
		named := strings.EqualFold(tpl.ParameterFormat, templates.FormatNamed)
		for i, p := range want[key] {
			if msg := paramMismatch(p, got[key][i], named); msg != "" {
				return Failure{Status: http.StatusBadRequest, Code: 132012,
					Message: "(#132012) Parameter format does not match format in the created template. " + key + ": " + msg}, true
			}
		}
	}
	return Failure{}, false
}

// paramMismatch says how a sent parameter fails the template's, "" if not.
func paramMismatch(p templates.Param, sp sentParameter, named bool) string {
	wantType := "text"
	switch p.Kind {
	case templates.ParamImage, templates.ParamVideo, templates.ParamDocument:
		wantType = string(p.Kind)
	case templates.ParamCode:
		wantType = "coupon_code"
	}
	if sp.Type != wantType {
		return fmt.Sprintf("Format mismatch, expected %s, received %s", strings.ToUpper(wantType), strings.ToUpper(sp.Type))
	}
	switch wantType {
	case "text":
		if sp.Text == nil || *sp.Text == "" {
			return "text parameter is empty"
		}
		if named && p.Kind == templates.ParamText && sp.ParameterName != p.Name {
			return fmt.Sprintf("expected parameter_name %q, received %q", p.Name, sp.ParameterName)
		}
	case "coupon_code":
		if sp.CouponCode == nil || *sp.CouponCode == "" {
			return "coupon_code is empty"
		}
	default:
		media := map[string]json.RawMessage{"image": sp.Image, "video": sp.Video, "document": sp.Document}[wantType]
		var ref struct{ ID, Link string }
		if json.Unmarshal(media, &ref) != nil || (ref.ID == "" && ref.Link == "") {
			return wantType + " needs a link or an id"
		}
	}
	return ""
}

// authenticationTemplate reports whether the named template is an
// authentication template: those (one-tap, zero-tap, copy-code) need a
// phone number, and Meta refuses them to a BSUID with 131062.
func (s *Server) authenticationTemplate(phone, name, language string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.templates[s.phoneAccounts[phone]] {
		if t.Name == name && t.Language == language {
			return strings.EqualFold(t.Category, "AUTHENTICATION")
		}
	}
	return false
}
