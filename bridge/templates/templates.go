// Package templates is the domain of WhatsApp message templates: what an
// approved template looks like, which parameters it asks for, how it reads
// once filled in (the preview agents see and the text kept in the thread),
// and the exact components a send carries. It is pure: no I/O, no
// platform SDK, and it does not import bridge (the bridge imports it).
//
// Meta describes a template as components (HEADER, BODY, FOOTER, BUTTONS)
// whose texts hold placeholders: positional {{1}}, {{2}}… or, with
// parameter_format NAMED, {{first_name}}. A send fills them in the order
// Params returns: header, then body, then each button that takes one.
package templates

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Status is a template's review state as Meta reports it (upper case in
// the Graph API and in message_template_status_update webhooks).
type Status string

const (
	StatusApproved  Status = "APPROVED"
	StatusPending   Status = "PENDING"
	StatusRejected  Status = "REJECTED"
	StatusPaused    Status = "PAUSED"
	StatusDisabled  Status = "DISABLED"
	StatusInAppeal  Status = "IN_APPEAL"
	StatusDeleted   Status = "DELETED" // also PENDING_DELETION, ARCHIVED
	StatusFlagged   Status = "FLAGGED"
	StatusReinstate Status = "REINSTATED"
)

// Usable reports whether a template with this status can be sent: only
// approved ones (a paused or disabled one fails with 132015/132016).
func (s Status) Usable() bool { return s == StatusApproved }

// Parameter formats (Template.ParameterFormat).
const (
	FormatPositional = "POSITIONAL"
	FormatNamed      = "NAMED"
)

// Template is one template in one language of one WhatsApp Business
// Account, as synced from the Graph API and kept in the database.
type Template struct {
	Account  string // the WhatsApp Business Account (WABA) id
	ID       string // Meta's template id (one per language)
	Name     string
	Language string // Meta's code: "en_US", "es", "pt_BR"
	Category string // MARKETING, UTILITY, AUTHENTICATION
	Status   Status
	// ParameterFormat is FormatPositional (the default) or FormatNamed.
	ParameterFormat string
	Components      []Component
	// Reason is why it was rejected, paused or disabled, when Meta says.
	Reason    string
	UpdatedAt time.Time
}

// Component is one part of a template as the Graph API lists it.
type Component struct {
	Type    string          `json:"type"`             // HEADER, BODY, FOOTER, BUTTONS
	Format  string          `json:"format,omitempty"` // header: TEXT, IMAGE, VIDEO, DOCUMENT, LOCATION
	Text    string          `json:"text,omitempty"`
	Buttons []Button        `json:"buttons,omitempty"`
	Example json.RawMessage `json:"example,omitempty"`
}

// Button is one button of a BUTTONS component.
type Button struct {
	Type        string   `json:"type"` // QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE, OTP, FLOW, …
	Text        string   `json:"text,omitempty"`
	URL         string   `json:"url,omitempty"`
	PhoneNumber string   `json:"phone_number,omitempty"`
	Example     []string `json:"example,omitempty"`
}

// ParamKind says what a parameter's value is.
type ParamKind string

const (
	ParamText     ParamKind = "text"     // a body or text-header placeholder
	ParamImage    ParamKind = "image"    // a media header: the value is an https link
	ParamVideo    ParamKind = "video"    //
	ParamDocument ParamKind = "document" //
	ParamURL      ParamKind = "url"      // the variable end of a URL button
	ParamCode     ParamKind = "code"     // a copy-code button's coupon code
)

// Param is one value a send must supply.
type Param struct {
	Component string    // "header", "body" or "button"
	Index     int       // the button's index among the template's buttons
	Name      string    // "1", "2"… or the named parameter's name
	Kind      ParamKind // what the value is
	Example   string    // Meta's example value, when the template has one
}

// Label is how a picker names the parameter: "{{1}}", "{{first_name}}",
// "header image", "button 2 link".
func (p Param) Label() string {
	switch p.Kind {
	case ParamImage, ParamVideo, ParamDocument:
		return p.Component + " " + string(p.Kind)
	case ParamURL, ParamCode:
		return fmt.Sprintf("button %d %s", p.Index+1, p.Kind)
	}
	return "{{" + p.Name + "}}"
}

var placeholder = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_]+)\s*\}\}`)

// placeholders lists the distinct placeholder names of text: positional
// ones ({{1}}, {{2}}…) by number, because Meta fills them from the
// parameters' order whatever order the text uses them in; named ones in
// order of first appearance.
func placeholders(text string) []string {
	var names []string
	seen := map[string]bool{}
	numeric := true
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			names = append(names, m[1])
			if _, err := strconv.Atoi(m[1]); err != nil {
				numeric = false
			}
		}
	}
	if numeric {
		sort.SliceStable(names, func(i, j int) bool {
			a, _ := strconv.Atoi(names[i])
			b, _ := strconv.Atoi(names[j])
			return a < b
		})
	}
	return names
}

// cleanText makes a text value acceptable to Meta, which refuses a text
// parameter holding a line break, a tab or more than four spaces in a row
// (132007/132018): every run of white space becomes one space. Build and
// Render both use it, so the preview shows what is sent.
func cleanText(v string) string {
	return strings.Join(strings.Fields(v), " ")
}

// Params lists what a send of t must supply, in the order values are given
// to Build and Render: header, body, then buttons.
func (t Template) Params() []Param {
	var out []Param
	for _, c := range t.Components {
		switch strings.ToUpper(c.Type) {
		case "HEADER":
			switch f := strings.ToUpper(c.Format); f {
			case "IMAGE", "VIDEO", "DOCUMENT":
				out = append(out, Param{Component: "header", Name: "media", Kind: ParamKind(strings.ToLower(f))})
			case "", "TEXT":
				for _, n := range placeholders(c.Text) {
					out = append(out, Param{Component: "header", Name: n, Kind: ParamText, Example: example(c.Example, "header", n)})
				}
			}
		case "BODY":
			for _, n := range placeholders(c.Text) {
				out = append(out, Param{Component: "body", Name: n, Kind: ParamText, Example: example(c.Example, "body", n)})
			}
		case "BUTTONS":
			for i, b := range c.Buttons {
				switch strings.ToUpper(b.Type) {
				case "URL":
					if len(placeholders(b.URL)) > 0 {
						p := Param{Component: "button", Index: i, Name: "1", Kind: ParamURL}
						if len(b.Example) > 0 {
							p.Example = b.Example[0]
						}
						out = append(out, p)
					}
				case "COPY_CODE":
					p := Param{Component: "button", Index: i, Name: "code", Kind: ParamCode}
					if len(b.Example) > 0 {
						p.Example = b.Example[0]
					}
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// example digs Meta's example value for placeholder name out of a
// component's example object (header_text / body_text for positional,
// header_text_named_params / body_text_named_params for named).
func example(raw json.RawMessage, component, name string) string {
	if len(raw) == 0 {
		return ""
	}
	var ex struct {
		HeaderText  []string   `json:"header_text"`
		BodyText    [][]string `json:"body_text"`
		HeaderNamed []struct {
			Name    string `json:"param_name"`
			Example string `json:"example"`
		} `json:"header_text_named_params"`
		BodyNamed []struct {
			Name    string `json:"param_name"`
			Example string `json:"example"`
		} `json:"body_text_named_params"`
	}
	if json.Unmarshal(raw, &ex) != nil {
		return ""
	}
	named := ex.BodyNamed
	if component == "header" {
		named = ex.HeaderNamed
	}
	for _, n := range named {
		if n.Name == name {
			return n.Example
		}
	}
	if i, err := strconv.Atoi(name); err == nil && i >= 1 {
		if component == "header" && i <= len(ex.HeaderText) {
			return ex.HeaderText[i-1]
		}
		if component == "body" && len(ex.BodyText) > 0 && i <= len(ex.BodyText[0]) {
			return ex.BodyText[0][i-1]
		}
	}
	return ""
}

// ErrParamCount is returned by Build and Render when the number of values
// differs from the number of parameters (WhatsApp's 132000, caught before
// sending).
var ErrParamCount = errors.New("wrong number of template parameters")

// CountError says how many values a template wanted and got.
type CountError struct{ Want, Got int }

func (e *CountError) Error() string {
	return fmt.Sprintf("template needs %d parameters, got %d", e.Want, e.Got)
}
func (e *CountError) Unwrap() error { return ErrParamCount }

// Message is a template send exactly as the Cloud API's "template" object
// expects it: marshalling it gives Meta's documented shape.
type Message struct {
	Name       string          `json:"name"`
	Language   Language        `json:"language"`
	Components []SendComponent `json:"components,omitempty"`
}

// Language is the send's language object.
type Language struct {
	Code string `json:"code"`
}

// SendComponent fills one component of a send.
type SendComponent struct {
	Type       string          `json:"type"`               // header, body, button
	SubType    string          `json:"sub_type,omitempty"` // url, copy_code (buttons)
	Index      string          `json:"index,omitempty"`    // the button's index, as a string
	Parameters []SendParameter `json:"parameters"`
}

// SendParameter is one filled parameter.
type SendParameter struct {
	Type          string    `json:"type"` // text, image, video, document, coupon_code
	ParameterName string    `json:"parameter_name,omitempty"`
	Text          string    `json:"text,omitempty"`
	CouponCode    string    `json:"coupon_code,omitempty"`
	Image         *MediaRef `json:"image,omitempty"`
	Video         *MediaRef `json:"video,omitempty"`
	Document      *MediaRef `json:"document,omitempty"`
}

// MediaRef points to a header's media by link.
type MediaRef struct {
	Link     string `json:"link"`
	Filename string `json:"filename,omitempty"`
}

// Build fills t with values (in Params order) and returns the send.
// It refuses a count mismatch (*CountError) and empty values, which Meta
// would refuse too.
func Build(t Template, values []string) (Message, error) {
	params := t.Params()
	if len(values) != len(params) {
		return Message{}, &CountError{Want: len(params), Got: len(values)}
	}
	msg := Message{Name: t.Name, Language: Language{Code: t.Language}}
	byKey := map[string]int{} // component key -> index in msg.Components
	named := strings.EqualFold(t.ParameterFormat, FormatNamed)
	for i, p := range params {
		v := strings.TrimSpace(values[i])
		if p.Kind == ParamText {
			v = cleanText(v)
		}
		if v == "" {
			return Message{}, fmt.Errorf("template parameter %s is empty", p.Label())
		}
		key := p.Component
		if p.Component == "button" {
			key = fmt.Sprintf("button%d", p.Index)
		}
		at, ok := byKey[key]
		if !ok {
			c := SendComponent{Type: p.Component}
			switch p.Kind {
			case ParamURL:
				c.SubType, c.Index = "url", strconv.Itoa(p.Index)
			case ParamCode:
				c.SubType, c.Index = "copy_code", strconv.Itoa(p.Index)
			}
			msg.Components = append(msg.Components, c)
			at = len(msg.Components) - 1
			byKey[key] = at
		}
		sp := SendParameter{Type: "text", Text: v}
		switch p.Kind {
		case ParamImage:
			sp = SendParameter{Type: "image", Image: &MediaRef{Link: v}}
		case ParamVideo:
			sp = SendParameter{Type: "video", Video: &MediaRef{Link: v}}
		case ParamDocument:
			sp = SendParameter{Type: "document", Document: &MediaRef{Link: v}}
		case ParamCode:
			sp = SendParameter{Type: "coupon_code", CouponCode: v}
		case ParamText:
			if named {
				sp.ParameterName = p.Name
			}
		}
		msg.Components[at].Parameters = append(msg.Components[at].Parameters, sp)
	}
	return msg, nil
}

// Render is the template as the customer will read it, with values (in
// Params order) in place of its placeholders: the preview agents see and
// the text kept in the thread. Media headers and buttons are shown as
// bracketed lines. It checks the count like Build.
func Render(t Template, values []string) (string, error) {
	params := t.Params()
	if len(values) != len(params) {
		return "", &CountError{Want: len(params), Got: len(values)}
	}
	fill := map[string]string{}
	for i, p := range params {
		v := strings.TrimSpace(values[i])
		if p.Kind == ParamText {
			v = cleanText(v)
		}
		fill[p.Component+"/"+p.Name+"/"+strconv.Itoa(p.Index)] = v
	}
	sub := func(component, text string, index int) string {
		return placeholder.ReplaceAllStringFunc(text, func(m string) string {
			name := placeholder.FindStringSubmatch(m)[1]
			if v, ok := fill[component+"/"+name+"/"+strconv.Itoa(index)]; ok {
				return v
			}
			return m
		})
	}
	var lines []string
	for _, c := range t.Components {
		switch strings.ToUpper(c.Type) {
		case "HEADER":
			switch f := strings.ToUpper(c.Format); f {
			case "IMAGE", "VIDEO", "DOCUMENT":
				lines = append(lines, "["+strings.ToLower(f)+": "+fill["header/media/0"]+"]")
			case "LOCATION":
				lines = append(lines, "[location]")
			default:
				if c.Text != "" {
					lines = append(lines, "*"+sub("header", c.Text, 0)+"*")
				}
			}
		case "BODY":
			lines = append(lines, sub("body", c.Text, 0))
		case "FOOTER":
			if c.Text != "" {
				lines = append(lines, "_"+c.Text+"_")
			}
		case "BUTTONS":
			for i, b := range c.Buttons {
				label := "[" + b.Text + "]"
				switch {
				case strings.EqualFold(b.Type, "URL") && b.URL != "":
					label = "[" + b.Text + ": " + sub("button", b.URL, i) + "]"
				case strings.EqualFold(b.Type, "COPY_CODE"):
					label = "[" + b.Text + ": " + fill["button/code/"+strconv.Itoa(i)] + "]"
				}
				lines = append(lines, label)
			}
		}
	}
	return strings.Join(lines, "\n"), nil
}

// ParseArgs reads the text form of a send, "name param1 | param2 | …"
// (the text after "!template"): the name is the first word, the values are
// the rest split on "|". A value may itself hold "|" written as "\|".
func ParseArgs(text string) (name string, values []string) {
	text = strings.TrimSpace(text)
	name, rest := text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		name, rest = text[:i], strings.TrimSpace(text[i:])
	}
	if rest == "" {
		return name, nil
	}
	const escaped = "\x00"
	rest = strings.ReplaceAll(rest, `\|`, escaped)
	for _, v := range strings.Split(rest, "|") {
		values = append(values, strings.ReplaceAll(strings.TrimSpace(v), escaped, "|"))
	}
	return name, values
}

// BaseLanguage is the language part of Meta's code ("pt_BR" → "pt").
func BaseLanguage(code string) string {
	base, _, _ := strings.Cut(strings.ReplaceAll(code, "-", "_"), "_")
	return strings.ToLower(base)
}
