package discordtest

import (
	"encoding/json"
	"fmt"
	"testing"
	"unicode/utf8"
)

// Pickers: autocomplete (INTERACTION_CREATE type 4, answered with callback
// type 8), select menus (type 3 with component_type 3) and modals
// (callback type 9, submitted as INTERACTION_CREATE type 5), shaped and
// checked as Discord documents them: at most 25 choices of 1–100
// character names and values; a modal's custom_id at most 100 characters,
// its title 1–45, 1–5 action rows of one text input each (label 1–45,
// placeholder at most 100, value and max_length at most 4000); an autocomplete answer only to an
// autocomplete, a modal never to an autocomplete or a modal submission,
// an update only to a component.

// Interaction types as Discord numbers them.
const (
	InteractionCommand      = 2
	InteractionComponent    = 3
	InteractionAutocomplete = 4
	InteractionModalSubmit  = 5
)

// Callback types as Discord numbers them.
const (
	CallbackMessage        = 4
	CallbackDeferredUpdate = 6
	CallbackUpdate         = 7
	CallbackAutocomplete   = 8
	CallbackModal          = 9
)

// AutocompleteSpec is a person typing into a command option that has
// autocomplete: Options are the options filled so far, Focused the one
// being typed (its value is what was typed).
type AutocompleteSpec struct {
	ChannelID string
	User      User
	Name      string
	Options   []Option
	Focused   string
}

// Autocomplete dispatches an INTERACTION_CREATE of type 4.
func (s *Server) Autocomplete(t testing.TB, a AutocompleteSpec) Interaction {
	t.Helper()
	opts := []any{}
	for _, o := range a.Options {
		typ := o.Type
		if typ == 0 {
			typ = 3
		}
		opt := map[string]any{"name": o.Name, "type": typ, "value": o.Value}
		if o.Name == a.Focused {
			opt["focused"] = true
		}
		opts = append(opts, opt)
	}
	data := map[string]any{"id": s.NewID(), "name": a.Name, "type": 1, "guild_id": GuildID, "options": opts}
	return s.interact(t, InteractionAutocomplete, a.ChannelID, a.User, data, nil)
}

// SelectSpec is a choice in a string select menu.
type SelectSpec struct {
	ChannelID string
	User      User
	CustomID  string
	Values    []string
}

// Select dispatches an INTERACTION_CREATE of type 3 for a string select.
func (s *Server) Select(t testing.TB, c SelectSpec) Interaction {
	t.Helper()
	values := append([]string{}, c.Values...)
	data := map[string]any{"custom_id": c.CustomID, "component_type": 3, "values": values}
	return s.interact(t, InteractionComponent, c.ChannelID, c.User, data, nil)
}

// ModalSpec is a submitted modal: each field's custom id and value.
type ModalSpec struct {
	ChannelID string
	User      User
	CustomID  string
	Fields    []ModalField
}

// ModalField is one text input of a submitted modal.
type ModalField struct {
	CustomID string
	Value    string
}

// SubmitModal dispatches an INTERACTION_CREATE of type 5: one action row
// per text input, as Discord sends them.
func (s *Server) SubmitModal(t testing.TB, m ModalSpec) Interaction {
	t.Helper()
	rows := []any{}
	for _, f := range m.Fields {
		rows = append(rows, map[string]any{"type": 1, "components": []any{
			map[string]any{"type": 4, "custom_id": f.CustomID, "value": f.Value},
		}})
	}
	data := map[string]any{"custom_id": m.CustomID, "components": rows}
	return s.interact(t, InteractionModalSubmit, m.ChannelID, m.User, data, nil)
}

// Choice is one autocomplete choice a callback offered.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// Modal is a modal a callback opened.
type Modal struct {
	CustomID string
	Title    string
	Inputs   []TextInput
}

// TextInput is one field of a modal.
type TextInput struct {
	CustomID    string `json:"custom_id"`
	Label       string `json:"label"`
	Style       int    `json:"style"`
	Placeholder string `json:"placeholder"`
	Required    bool   `json:"required"`
	// Value prefills the input; MaxLength bounds it (both at most 4000).
	Value     string `json:"value"`
	MaxLength int    `json:"max_length"`
}

// SelectOption is one option of a select menu in a callback's message.
type SelectOption struct {
	Label       string `json:"label"`
	Value       string `json:"value"`
	Description string `json:"description"`
}

// pickerCallback is what checkPicker reads of a callback body.
type pickerCallback struct {
	Type int `json:"type"`
	Data struct {
		Choices    []Choice          `json:"choices"`
		CustomID   string            `json:"custom_id"`
		Title      string            `json:"title"`
		Components []json.RawMessage `json:"components"`
	} `json:"data"`
}

type wireComponent struct {
	Type       int               `json:"type"`
	CustomID   string            `json:"custom_id"`
	Components []json.RawMessage `json:"components"`
	Options    []SelectOption    `json:"options"`
}

// checkPicker checks a callback to an interaction of type itype and
// fills c's picker fields; it returns Discord's complaint, "" when fine.
func checkPicker(itype int, payload []byte, c *Callback) string {
	var p pickerCallback
	if err := json.Unmarshal(payload, &p); err != nil {
		return err.Error()
	}
	switch p.Type {
	case CallbackAutocomplete:
		if itype != InteractionAutocomplete {
			return "Interaction callback type 8 is only valid for autocomplete interactions"
		}
		if len(p.Data.Choices) > 25 {
			return fmt.Sprintf("data.choices: Must be 25 or fewer in length (got %d)", len(p.Data.Choices))
		}
		for i, ch := range p.Data.Choices {
			if n := utf8.RuneCountInString(ch.Name); n < 1 || n > 100 {
				return fmt.Sprintf("data.choices.%d.name: Must be between 1 and 100 in length", i)
			}
			if v, ok := ch.Value.(string); ok && (utf8.RuneCountInString(v) < 1 || utf8.RuneCountInString(v) > 100) {
				return fmt.Sprintf("data.choices.%d.value: Must be between 1 and 100 in length", i)
			}
		}
		c.Choices = p.Data.Choices
	case CallbackModal:
		if itype == InteractionAutocomplete || itype == InteractionModalSubmit {
			return "Interaction callback type 9 is not valid for this interaction"
		}
		m, msg := checkModal(p)
		if msg != "" {
			return msg
		}
		c.Modal = m
	case CallbackDeferredUpdate:
		if itype != InteractionComponent && itype != InteractionModalSubmit {
			return "Interaction callback type 6 is only valid for component interactions"
		}
	case CallbackUpdate:
		if itype != InteractionComponent && itype != InteractionModalSubmit {
			return "Interaction callback type 7 is only valid for component interactions"
		}
		fallthrough
	case CallbackMessage:
		if itype == InteractionAutocomplete {
			return "Autocomplete interactions must be answered with callback type 8"
		}
		opts, msg := checkSelects(p.Data.Components)
		if msg != "" {
			return msg
		}
		c.Options = opts
	}
	return ""
}

func checkModal(p pickerCallback) (*Modal, string) {
	m := &Modal{CustomID: p.Data.CustomID, Title: p.Data.Title}
	if n := utf8.RuneCountInString(m.CustomID); n < 1 || n > 100 {
		return nil, "data.custom_id: Must be between 1 and 100 in length"
	}
	if n := utf8.RuneCountInString(m.Title); n < 1 || n > 45 {
		return nil, "data.title: Must be between 1 and 45 in length"
	}
	if n := len(p.Data.Components); n < 1 || n > 5 {
		return nil, "data.components: Must be between 1 and 5 in length"
	}
	for i, raw := range p.Data.Components {
		var row wireComponent
		if err := json.Unmarshal(raw, &row); err != nil || row.Type != 1 || len(row.Components) != 1 {
			return nil, fmt.Sprintf("data.components.%d: an action row of one text input is required", i)
		}
		var in TextInput
		var typ struct {
			Type int `json:"type"`
		}
		_ = json.Unmarshal(row.Components[0], &typ)
		if err := json.Unmarshal(row.Components[0], &in); err != nil || typ.Type != 4 {
			return nil, fmt.Sprintf("data.components.%d.components.0: a text input is required", i)
		}
		switch {
		case utf8.RuneCountInString(in.Label) < 1 || utf8.RuneCountInString(in.Label) > 45:
			return nil, fmt.Sprintf("data.components.%d.components.0.label: Must be between 1 and 45 in length", i)
		case utf8.RuneCountInString(in.Placeholder) > 100:
			return nil, fmt.Sprintf("data.components.%d.components.0.placeholder: Must be 100 or fewer in length", i)
		case in.CustomID == "" || len(in.CustomID) > 100:
			return nil, fmt.Sprintf("data.components.%d.components.0.custom_id: Must be between 1 and 100 in length", i)
		case in.Style != 1 && in.Style != 2:
			return nil, fmt.Sprintf("data.components.%d.components.0.style: Value must be one of (1, 2)", i)
		case utf8.RuneCountInString(in.Value) > 4000:
			return nil, fmt.Sprintf("data.components.%d.components.0.value: Must be 4000 or fewer in length", i)
		case in.MaxLength < 0 || in.MaxLength > 4000:
			return nil, fmt.Sprintf("data.components.%d.components.0.max_length: int value should be less than or equal to 4000", i)
		case in.MaxLength > 0 && utf8.RuneCountInString(in.Value) > in.MaxLength:
			return nil, fmt.Sprintf("data.components.%d.components.0.value: Must be %d or fewer in length", i, in.MaxLength)
		}
		m.Inputs = append(m.Inputs, in)
	}
	return m, ""
}

// checkSelects checks the string selects in a message's components and
// returns their options.
func checkSelects(rows []json.RawMessage) ([]SelectOption, string) {
	var out []SelectOption
	for i, raw := range rows {
		var row wireComponent
		if err := json.Unmarshal(raw, &row); err != nil {
			return nil, err.Error()
		}
		for j, rawc := range row.Components {
			var c wireComponent
			if err := json.Unmarshal(rawc, &c); err != nil {
				return nil, err.Error()
			}
			if c.Type != 3 {
				continue
			}
			if n := len(c.Options); n < 1 || n > 25 {
				return nil, fmt.Sprintf("components.%d.components.%d.options: Must be between 1 and 25 in length", i, j)
			}
			if c.CustomID == "" || len(c.CustomID) > 100 {
				return nil, fmt.Sprintf("components.%d.components.%d.custom_id: Must be between 1 and 100 in length", i, j)
			}
			for k, o := range c.Options {
				if n := utf8.RuneCountInString(o.Label); n < 1 || n > 100 || len(o.Value) < 1 || utf8.RuneCountInString(o.Value) > 100 ||
					utf8.RuneCountInString(o.Description) > 100 {
					return nil, fmt.Sprintf("components.%d.components.%d.options.%d: label and value 1-100, description at most 100", i, j, k)
				}
			}
			out = append(out, c.Options...)
		}
	}
	return out, ""
}
