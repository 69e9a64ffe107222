package bridge

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRetranslateKeepsTheValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, key, from, to string
		args                []any
	}{
		{"a refusal naming a team", "tell.not_supervisor", "en", "es", []any{"gaming"}},
		{"a text with a mention token", "tell.took_over_you", "pt", "es", []any{"{@555}", "https://discord.com/channels/1/2"}},
		{"numbers stay numbers", "cmd.transfer_done", "en", "pt", []any{int64(42)}},
		{"no placeholders", "cmd.now_available", "es", "en", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from := Text(tc.from, tc.key, tc.args...)
			require.Equal(t, Text(tc.to, tc.key, tc.args...), retranslate(from, tc.to))
		})
	}
	require.Equal(t, "hello there, not ours", retranslate("hello there, not ours", "es"), "a text the catalogue did not make")
	require.Equal(t, "gaming", retranslate("gaming", "es"), "too little to recognise")
}

func TestAuthorLanguageOnlyForTheAuthor(t *testing.T) {
	t.Parallel()
	text := Text("en", "tell.not_supervisor", "gaming")
	ctx := withAuthorLanguage(context.Background(), "U1", "es-ES")
	require.Equal(t, Text("es", "tell.not_supervisor", "gaming"), inAuthorLanguage(ctx, "U1", text))
	require.Equal(t, text, inAuthorLanguage(ctx, "U2", text), "someone else keeps the team's language")
	require.Equal(t, text, inAuthorLanguage(withAuthorLanguage(context.Background(), "U1", "fr"), "U1", text), "an unsupported locale")
	require.Equal(t, text, inAuthorLanguage(context.Background(), "U1", text), "no locale (Slack)")
}

// Over the whole catalogue a text is either written again from its own
// entry, or left alone: never taken for another entry's.
func TestRetranslateNeverPicksAnotherEntry(t *testing.T) {
	t.Parallel()
	recognised, total := 0, 0
	for key, entry := range catalog {
		for from, f := range entry {
			_, verbs, _, ok := formatPattern(f)
			if !ok {
				continue
			}
			args := make([]any, len(verbs))
			for i, v := range verbs {
				if v == 'd' {
					args[i] = 7 + i
				} else {
					args[i] = "value" + string(rune('A'+i))
				}
			}
			for _, to := range []string{"en", "es", "pt"} {
				if to == from {
					continue
				}
				total++
				text := Text(from, key, args...)
				got := retranslate(text, to)
				if got == text && Text(to, key, args...) != text {
					continue
				}
				recognised++
				require.Equal(t, Text(to, key, args...), got, "%s from %s to %s", key, from, to)
			}
		}
	}
	t.Logf("%d of %d texts written again in another language", recognised, total)
	require.Greater(t, recognised, total*3/4)
}
