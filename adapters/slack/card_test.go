package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
)

func TestCardBlocks(t *testing.T) {
	t.Parallel()
	card := bridge.Card{
		ConversationID: 42,
		Title:          "Sheena <!channel> Nelson",
		Fields: []bridge.CardField{
			{Label: "Status", Value: "Pending"},
			{Label: "Team", Value: "Sales & Support"},
			{Label: "", Value: ""},
		},
		Buttons: []bridge.CardButton{
			{Verb: bridge.VerbClaim, Label: "Claim", Primary: true},
			{Verb: bridge.VerbResolve, Label: "Resolve", Danger: true},
			{Verb: bridge.VerbReopen, Label: ""},
		},
		Links:  []bridge.CardLink{{Label: "Earlier | chat", Thread: bridge.ThreadRef{ChannelID: "C1", ThreadKey: "1700000000.000100"}}},
		Footer: "Window closes in 3h <b>",
	}
	w := NewWorkspace(Config{Token: "x"})
	raw, err := json.Marshal(CardBlocks(card, w.Link))
	require.NoError(t, err)
	require.JSONEq(t, `[
	  {"type":"header","text":{"type":"plain_text","text":"Sheena <!channel> Nelson","emoji":true}},
	  {"type":"section","fields":[
	    {"type":"mrkdwn","text":"*Status*\nPending"},
	    {"type":"mrkdwn","text":"*Team*\nSales &amp; Support"}]},
	  {"type":"actions","block_id":"sb_actions","elements":[
	    {"type":"button","action_id":"sb:claim","value":"42","style":"primary","text":{"type":"plain_text","text":"Claim","emoji":true}},
	    {"type":"button","action_id":"sb:resolve","value":"42","style":"danger","text":{"type":"plain_text","text":"Resolve","emoji":true}},
	    {"type":"button","action_id":"sb:reopen","value":"42","text":{"type":"plain_text","text":"reopen","emoji":true}}]},
	  {"type":"context","block_id":"sb_links","elements":[
	    {"type":"mrkdwn","text":"<https://slack.com/archives/C1/p1700000000000100|Earlier ¦ chat>"}]},
	  {"type":"context","block_id":"sb_footer","elements":[{"type":"mrkdwn","text":"Window closes in 3h &lt;b&gt;"}]}
	]`, string(raw))
}

func TestCardBlocksStayUnderSlackLimits(t *testing.T) {
	t.Parallel()
	card := bridge.Card{ConversationID: 1, Title: strings.Repeat("t", 500)}
	for range 600 {
		card.Fields = append(card.Fields, bridge.CardField{Label: "L", Value: strings.Repeat("v", 3000)})
	}
	for range 40 {
		card.Buttons = append(card.Buttons, bridge.CardButton{Verb: bridge.VerbClaim, Label: strings.Repeat("b", 100)})
		card.Links = append(card.Links, bridge.CardLink{Label: "x"})
	}
	blocks := CardBlocks(card, nil)
	require.LessOrEqual(t, len(blocks), maxBlocks)
	raw, err := json.Marshal(blocks)
	require.NoError(t, err)
	var decoded []struct {
		Type string `json:"type"`
		Text *struct {
			Text string `json:"text"`
		} `json:"text"`
		Fields   []struct{ Text string } `json:"fields"`
		Elements []json.RawMessage       `json:"elements"`
	}
	require.NoError(t, json.Unmarshal(raw, &decoded))
	for _, b := range decoded {
		if b.Type == "header" {
			require.LessOrEqual(t, len([]rune(b.Text.Text)), maxHeaderChars)
		}
		require.LessOrEqual(t, len(b.Fields), maxFieldsPerBlock)
		for _, f := range b.Fields {
			require.LessOrEqual(t, len([]rune(f.Text)), maxFieldChars)
		}
		require.LessOrEqual(t, len(b.Elements), maxButtonsPerBlock)
	}
}

func TestEmojiName(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"👍": "+1", "❤️": "heart", "❤": "heart", "😂": "joy", "🙏": "pray", "🎉": "tada",
		"👍🏽": "+1::skin-tone-4", "👍🏻": "+1::skin-tone-2", "👀": "eyes", "✅": "white_check_mark",
	}
	for in, want := range cases {
		got, ok := EmojiName(in)
		require.True(t, ok, in)
		require.Equal(t, want, got, in)
	}
	_, ok := EmojiName("🦩")
	require.False(t, ok)
	for mark, name := range MarkEmoji {
		for _, common := range emojiNames {
			if common == name && mark != bridge.MarkFailed {
				t.Errorf("mark %s uses %s, a common customer reaction", mark, name)
			}
		}
	}
}
