package slack

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/templates"
)

// What the picker hands the bridge reads back as the agent typed it,
// whatever the values hold.
func TestTemplateCommandRoundTrips(t *testing.T) {
	t.Parallel()
	for _, values := range [][]string{
		nil,
		{"Ana"},
		{"Ana | Bea", "4411"},
		{`a \ b`, "https://ex.com/a.jpg?x=1&y=2"},
	} {
		text := templateCommand("order_update@es", values)
		name, got := templates.ParseArgs(text[len("!template "):])
		require.Equal(t, "order_update@es", name, text)
		require.Equal(t, values, got, text)
	}
}

func TestURLButtonBase(t *testing.T) {
	t.Parallel()
	tpl := templates.Template{Name: "x", Language: "es", Components: []templates.Component{
		{Type: "BODY", Text: "Hi"},
		{Type: "BUTTONS", Buttons: []templates.Button{{Type: "QUICK_REPLY", Text: "Ok"},
			{Type: "URL", Text: "Track", URL: "https://ex.com/t/{{1}}", Example: []string{"https://ex.com/t/ABC"}}}},
	}}
	params := tpl.Params()
	require.Len(t, params, 1)
	require.Equal(t, "https://ex.com/t/", urlBase(tpl, params[0]))
	require.Equal(t, "https://ex.com/t/ABC", exampleValue(tpl, params[0]))
	preview, err := templates.Render(tpl, templateForm{}.previewValues(tpl))
	require.NoError(t, err)
	require.Contains(t, preview, "[Track: https://ex.com/t/ABC]", "the example link is not doubled")
}
