package templates_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/templates"
)

func body(text string) templates.Component { return templates.Component{Type: "BODY", Text: text} }

func TestParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tpl  templates.Template
		want []templates.Param
	}{
		{"no placeholders", templates.Template{Components: []templates.Component{body("Hello!")}}, nil},
		{"positional, repeated and out of order: one per number, by number",
			templates.Template{Components: []templates.Component{body("Order {{2}} for {{1}}; {{1}}, thanks")}},
			[]templates.Param{
				{Component: "body", Name: "1", Kind: templates.ParamText},
				{Component: "body", Name: "2", Kind: templates.ParamText},
			}},
		{"positional with Meta's examples",
			templates.Template{Components: []templates.Component{{Type: "BODY", Text: "Hi {{1}}, order {{2}}",
				Example: json.RawMessage(`{"body_text":[["Ana","#42"]]}`)}}},
			[]templates.Param{
				{Component: "body", Name: "1", Kind: templates.ParamText, Example: "Ana"},
				{Component: "body", Name: "2", Kind: templates.ParamText, Example: "#42"},
			}},
		{"named, in order of appearance",
			templates.Template{ParameterFormat: templates.FormatNamed, Components: []templates.Component{
				{Type: "BODY", Text: "Hi {{first_name}}, order {{ order_id }} ({{first_name}})",
					Example: json.RawMessage(`{"body_text_named_params":[{"param_name":"order_id","example":"#42"},{"param_name":"first_name","example":"Ana"}]}`)}}},
			[]templates.Param{
				{Component: "body", Name: "first_name", Kind: templates.ParamText, Example: "Ana"},
				{Component: "body", Name: "order_id", Kind: templates.ParamText, Example: "#42"},
			}},
		{"text header with a placeholder, then the body",
			templates.Template{Components: []templates.Component{
				{Type: "HEADER", Format: "TEXT", Text: "Order {{1}}", Example: json.RawMessage(`{"header_text":["#42"]}`)},
				body("Hi {{1}}"),
			}},
			[]templates.Param{
				{Component: "header", Name: "1", Kind: templates.ParamText, Example: "#42"},
				{Component: "body", Name: "1", Kind: templates.ParamText},
			}},
		{"image header", templates.Template{Components: []templates.Component{{Type: "HEADER", Format: "IMAGE"}, body("x")}},
			[]templates.Param{{Component: "header", Name: "media", Kind: templates.ParamImage}}},
		{"video header", templates.Template{Components: []templates.Component{{Type: "HEADER", Format: "VIDEO"}}},
			[]templates.Param{{Component: "header", Name: "media", Kind: templates.ParamVideo}}},
		{"document header", templates.Template{Components: []templates.Component{{Type: "header", Format: "document"}}},
			[]templates.Param{{Component: "header", Name: "media", Kind: templates.ParamDocument}}},
		{"buttons: quick replies and a fixed URL take nothing, a URL with {{1}} and a copy code do",
			templates.Template{Components: []templates.Component{body("x"), {Type: "BUTTONS", Buttons: []templates.Button{
				{Type: "QUICK_REPLY", Text: "Yes"},
				{Type: "URL", Text: "Site", URL: "https://ex.com"},
				{Type: "URL", Text: "Track", URL: "https://ex.com/t/{{1}}", Example: []string{"https://ex.com/t/abc"}},
				{Type: "COPY_CODE", Example: []string{"25OFF"}},
				{Type: "QUICK_REPLY", Text: "No"},
			}}}},
			[]templates.Param{
				{Component: "button", Index: 2, Name: "1", Kind: templates.ParamURL, Example: "https://ex.com/t/abc"},
				{Component: "button", Index: 3, Name: "code", Kind: templates.ParamCode, Example: "25OFF"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, tt.tpl.Params())
		})
	}
}

func TestParamLabel(t *testing.T) {
	t.Parallel()
	require.Equal(t, "{{1}}", templates.Param{Component: "body", Name: "1", Kind: templates.ParamText}.Label())
	require.Equal(t, "{{first_name}}", templates.Param{Component: "body", Name: "first_name", Kind: templates.ParamText}.Label())
	require.Equal(t, "header image", templates.Param{Component: "header", Name: "media", Kind: templates.ParamImage}.Label())
	require.Equal(t, "button 3 url", templates.Param{Component: "button", Index: 2, Kind: templates.ParamURL}.Label())
}

// orderUpdate has every part a send fills: an image header, a body with
// two placeholders, a quick reply, a URL button with {{1}} and a copy code.
var orderUpdate = templates.Template{
	Name: "order_update", Language: "pt_BR", Status: templates.StatusApproved,
	Components: []templates.Component{
		{Type: "HEADER", Format: "IMAGE"},
		body("Olá {{1}}, seu pedido {{2}} saiu para entrega."),
		{Type: "FOOTER", Text: "Loja Exemplo"},
		{Type: "BUTTONS", Buttons: []templates.Button{
			{Type: "QUICK_REPLY", Text: "Obrigado"},
			{Type: "URL", Text: "Rastrear", URL: "https://ex.com/t/{{1}}"},
			{Type: "COPY_CODE", Text: "Copiar código"},
		}},
	},
}

func TestBuildMarshalsToMetasShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		tpl    templates.Template
		values []string
		want   string
	}{
		{"no parameters: no components", templates.Template{Name: "hello_world", Language: "en_US", Components: []templates.Component{body("Hello")}}, nil,
			`{"name":"hello_world","language":{"code":"en_US"}}`},
		{"positional body", templates.Template{Name: "t", Language: "es", Components: []templates.Component{body("Hola {{1}}, pedido {{2}}")}},
			[]string{" Ana ", "#42"},
			`{"name":"t","language":{"code":"es"},"components":[{"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"#42"}]}]}`},
		{"positional out of order in the text: still {{1}} first", templates.Template{Name: "t", Language: "en", Components: []templates.Component{body("Order {{2}} for {{1}}")}},
			[]string{"Ana", "#42"},
			`{"name":"t","language":{"code":"en"},"components":[{"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"#42"}]}]}`},
		{"named body carries parameter_name", templates.Template{Name: "t", Language: "en_US", ParameterFormat: templates.FormatNamed,
			Components: []templates.Component{{Type: "HEADER", Format: "TEXT", Text: "For {{who}}"}, body("Hi {{first_name}}")}},
			[]string{"Ana", "Bo"},
			`{"name":"t","language":{"code":"en_US"},"components":[{"type":"header","parameters":[{"type":"text","parameter_name":"who","text":"Ana"}]},{"type":"body","parameters":[{"type":"text","parameter_name":"first_name","text":"Bo"}]}]}`},
		{"image header, body, URL and copy-code buttons", orderUpdate,
			[]string{"https://ex.com/p.png", "Ana", "#42", "abc123", "25OFF"},
			`{"name":"order_update","language":{"code":"pt_BR"},"components":[` +
				`{"type":"header","parameters":[{"type":"image","image":{"link":"https://ex.com/p.png"}}]},` +
				`{"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"#42"}]},` +
				`{"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"abc123"}]},` +
				`{"type":"button","sub_type":"copy_code","index":"2","parameters":[{"type":"coupon_code","coupon_code":"25OFF"}]}]}`},
		{"video and document headers", templates.Template{Name: "v", Language: "en", Components: []templates.Component{{Type: "HEADER", Format: "DOCUMENT"}}},
			[]string{"https://ex.com/a.pdf"},
			`{"name":"v","language":{"code":"en"},"components":[{"type":"header","parameters":[{"type":"document","document":{"link":"https://ex.com/a.pdf"}}]}]}`},
		{"line breaks and tabs in a text value become spaces (Meta refuses them, 132007)",
			templates.Template{Name: "t", Language: "en", Components: []templates.Component{body("Note: {{1}}")}},
			[]string{"line one\nline\ttwo     end"},
			`{"name":"t","language":{"code":"en"},"components":[{"type":"body","parameters":[{"type":"text","text":"line one line two end"}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg, err := templates.Build(tt.tpl, tt.values)
			require.NoError(t, err)
			b, err := json.Marshal(msg)
			require.NoError(t, err)
			require.JSONEq(t, tt.want, string(b))
		})
	}
}

func TestBuildAndRenderRefuseACountMismatch(t *testing.T) {
	t.Parallel()
	for _, values := range [][]string{nil, {"a"}, {"a", "b", "c", "d"}, {"a", "b", "c", "d", "e", "f"}} {
		_, err := templates.Build(orderUpdate, values)
		require.ErrorIs(t, err, templates.ErrParamCount)
		var ce *templates.CountError
		require.True(t, errors.As(err, &ce))
		require.Equal(t, 5, ce.Want)
		require.Equal(t, len(values), ce.Got)
		_, err = templates.Render(orderUpdate, values)
		require.ErrorIs(t, err, templates.ErrParamCount)
	}
	_, err := templates.Build(orderUpdate, []string{"https://ex.com/p.png", " ", "#42", "abc", "X"})
	require.Error(t, err, "an empty value is refused")
	require.Contains(t, err.Error(), "{{1}}")
}

func TestRender(t *testing.T) {
	t.Parallel()
	got, err := templates.Render(orderUpdate, []string{"https://ex.com/p.png", "Ana", "#42", "abc123", "25OFF"})
	require.NoError(t, err)
	require.Equal(t, "[image: https://ex.com/p.png]\n"+
		"Olá Ana, seu pedido #42 saiu para entrega.\n"+
		"_Loja Exemplo_\n"+
		"[Obrigado]\n"+
		"[Rastrear: https://ex.com/t/abc123]\n"+
		"[Copiar código: 25OFF]", got)

	named := templates.Template{ParameterFormat: templates.FormatNamed, Components: []templates.Component{
		{Type: "HEADER", Format: "TEXT", Text: "Order {{order}}"},
		body("Hi {{name}}, order {{order}} ({{ name }}) ships {{when}}"),
	}}
	got, err = templates.Render(named, []string{"#42", "Ana", "#42", "today"})
	require.NoError(t, err)
	require.Equal(t, "*Order #42*\nHi Ana, order #42 (Ana) ships today", got)

	got, err = templates.Render(templates.Template{Components: []templates.Component{body("Order {{2}} for {{1}}")}}, []string{"Ana", "#42"})
	require.NoError(t, err)
	require.Equal(t, "Order #42 for Ana", got, "values go by number, as Meta fills them")
}

func TestParseArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		name   string
		values []string
	}{
		{"", "", nil},
		{"hello_world", "hello_world", nil},
		{"  hello_world  ", "hello_world", nil},
		{"order_update Ana | #42", "order_update", []string{"Ana", "#42"}},
		{"order_update Ana|#42|", "order_update", []string{"Ana", "#42", ""}},
		{"order_update a \\| b | c", "order_update", []string{"a | b", "c"}},
		{"order_update\nAna | #42", "order_update", []string{"Ana", "#42"}},
		{"order_update\tAna", "order_update", []string{"Ana"}},
		{"order_update https://ex.com/p.png | Ana Maria", "order_update", []string{"https://ex.com/p.png", "Ana Maria"}},
	}
	for _, tt := range tests {
		name, values := templates.ParseArgs(tt.in)
		require.Equal(t, tt.name, name, "%q", tt.in)
		require.Equal(t, tt.values, values, "%q", tt.in)
	}
}

func TestStatusAndLanguage(t *testing.T) {
	t.Parallel()
	require.True(t, templates.StatusApproved.Usable())
	for _, s := range []templates.Status{templates.StatusPending, templates.StatusRejected, templates.StatusPaused, templates.StatusDisabled, templates.StatusDeleted} {
		require.False(t, s.Usable(), s)
	}
	require.Equal(t, "pt", templates.BaseLanguage("pt_BR"))
	require.Equal(t, "es", templates.BaseLanguage("es"))
	require.Equal(t, "en", templates.BaseLanguage("en-US"))
}
