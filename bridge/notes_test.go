package bridge

import "testing"

func newTestBridge(t *testing.T, opts Options) *Bridge {
	t.Helper()
	if len(opts.Teams) == 0 {
		opts.Teams = []Team{{Name: "support", ChannelID: "C1"}}
	}
	b, err := New(nil, nil, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestNoteDetectionFailsClosed lists every way a note prefix reaches the
// bridge (as the Slack and Discord adapters hand it over, and raw forms
// that might slip through) and texts that must stay replies.
func TestNoteDetectionFailsClosed(t *testing.T) {
	t.Parallel()
	b := newTestBridge(t, Options{})
	cases := []struct {
		name, text string
		note       bool
		body       string
	}{
		{"plain", "note: call back at 5", true, "call back at 5"},
		{"double semicolon", ";; call back", true, "call back"},
		{"upper case", "NOTE: vip customer", true, "vip customer"},
		{"title case", "Note: vip", true, "vip"},
		{"no space after colon", "note:vip", true, "vip"},
		{"space before colon", "note : vip", true, "vip"},
		{"leading spaces and tabs", " \t\nnote: x", true, "x"},
		{"crlf before", "\r\nnote: x", true, "x"},
		{"bold (WhatsApp form, Slack and Discord **)", "*note:* x", true, "x"},
		{"italic underscore", "_note:_ x", true, "x"},
		{"strike", "~note:~ x", true, "x"},
		{"inline code", "`note:` x", true, "x"},
		{"code fence", "```note:``` x", true, "x"},
		{"raw Discord bold", "**note:** x", true, "x"},
		{"raw Discord underline", "__note:__ x", true, "x"},
		{"raw Discord spoiler", "||note:|| x", true, "x"},
		{"raw Discord strike", "~~note:~~ x", true, "x"},
		{"bold italic", "*_note:_* x", true, "x"},
		{"quote", "> note: x", true, "x"},
		{"block quote", ">>> note: x", true, "x"},
		{"Slack escaped quote", "&gt; note: x", true, "x"},
		{"quoted bold", "> *note:* x", true, "x"},
		{"no-break space", "\u00a0note: x", true, "x"},
		{"figure space", "\u2007note: x", true, "x"},
		{"narrow no-break space", "\u202fnote: x", true, "x"},
		{"zero-width space", "\u200bnote: x", true, "x"},
		{"zero-width non-joiner", "\u200cnote: x", true, "x"},
		{"zero-width joiner", "\u200dnote: x", true, "x"},
		{"word joiner", "\u2060note: x", true, "x"},
		{"BOM", "\ufeffnote: x", true, "x"},
		{"ideographic space", "\u3000note: x", true, "x"},
		{"zero-width inside the word", "no\u200bte: x", true, "x"},
		{"soft hyphen inside the word", "no\u00adte: x", true, "x"},
		{"leading emoji", "📝 note: x", true, "x"},
		{"emoji glued", "🔒note: x", true, "x"},
		{"emoji with variation selector", "✏️ note: x", true, "x"},
		{"emoji with skin tone", "👍🏽 note: x", true, "x"},
		{"ZWJ emoji sequence", "👩\u200d💻 note: x", true, "x"},
		{"Slack emoji shortcode", ":memo: note: x", true, "x"},
		{"Discord custom emoji", ":secret_stuff: note: x", true, "x"},
		{"full width", "ｎｏｔｅ： x", true, "x"},
		{"full width upper", "ＮＯＴＥ: x", true, "x"},
		{"bullet", "• note: x", true, "x"},
		{"dash bullet", "- note: x", true, "x"},
		{"everything at once", "\ufeff> 📝 **\u00a0NOTE\u200b :** x", true, "x"},
		{"body keeps its own markup", "note: *urgent* client", true, "*urgent* client"},
		{"bold word, colon outside", "*Note*: customer is rude", true, "customer is rude"},
		{"italic word, colon outside", "_note_: x", true, "x"},
		{"code word, colon outside", "`note`: x", true, "x"},
		{"strike word, colon outside", "~note~: x", true, "x"},
		{"raw Discord bold word, colon outside", "**Note**: x", true, "x"},
		{"spoiler word, colon outside", "||note||: x", true, "x"},
		{"markup inside the double semicolon", "*;*; x", true, "x"},
		{"after a mention", "@Ana note: check the invoice", true, "@Ana check the invoice"},
		{"after a long name", "@Ana María Souza Lima note: x", true, "@Ana María Souza Lima x"},
		{"after two mentions", "@Ana @Bruno ;; x", true, "@Ana @Bruno x"},
		{"bold prefix after a mention", "@Ana *note:* x", true, "@Ana x"},
		{"quoted mention", "> @Ana note: x", true, "@Ana x"},
		{"mention, then please note (fails closed)", "@Ana please note: x", true, "@Ana please x"},
		{"prefix too far behind the mention", "@Ana one two three four five six note: x", false, "@Ana one two three four five six note: x"},
		{"prefix on the next line after a mention", "@Ana hi\nnote: x", false, "@Ana hi\nnote: x"},
		{"mention without prefix is a reply", "@Ana is our billing expert", false, "@Ana is our billing expert"},

		{"notebook is a reply", "notebook arrives tomorrow", false, "notebook arrives tomorrow"},
		{"note without colon is a reply", "note that we close at 5", false, "note that we close at 5"},
		{"note inside the text", "please note: we close at 5", false, "please note: we close at 5"},
		{"plural is a note too (default prefix)", "Notes: x", true, "x"},
		{"emoji alone is a reply", "📝 call back", false, "📝 call back"},
		{"single semicolon", "; x", false, "; x"},
		{"empty", "", false, ""},
		{"shortcode then text", ":wave: hello", false, ":wave: hello"},
		{"Spanish not configured", "nota: x", false, "nota: x"},
	}
	for _, c := range cases {
		note, body := b.isNote(c.text)
		if note != c.note || body != c.body {
			t.Errorf("%s: isNote(%q) = %t, %q; want %t, %q", c.name, c.text, note, body, c.note, c.body)
		}
	}
}

func TestNotePrefixesAreConfigurable(t *testing.T) {
	t.Parallel()
	b := newTestBridge(t, Options{NotePrefixes: []string{"Nota:", "NOTE:"}})
	for text, want := range map[string]bool{"nota: x": true, "NOTA: x": true, "*Nota:* x": true, "note: x": true, ";; x": false} {
		if got, _ := b.isNote(text); got != want {
			t.Errorf("isNote(%q) = %t, want %t", text, got, want)
		}
	}
}

func TestReplyPrefixIsMatchedLikeNotes(t *testing.T) {
	t.Parallel()
	b := newTestBridge(t, Options{})
	cases := []struct {
		text  string
		reply bool
		body  string
	}{
		{"reply: Hello *Ana*", true, "Hello *Ana*"},
		{"REPLY: hi", true, "hi"},
		{"*reply:* hi", true, "hi"},
		{"\u200breply : hi", true, "hi"},
		{"@Ana reply: hi", false, "@Ana reply: hi"}, // a mention before the reply prefix: kept as a note (fails closed)
		{"_reply_: hi", true, "hi"},
		{"> reply: your refund is approved", false, "> reply: your refund is approved"}, // quoting a colleague
		{"&gt; reply: approved", false, "&gt; reply: approved"},                         // Slack's escaped quote
		{"- reply: approved", false, "- reply: approved"},                               // a list item
		{"📝 reply: approved", false, "📝 reply: approved"},                               // an emoji first
		{":memo: reply: approved", false, ":memo: reply: approved"},                     // a shortcode first
		{"\u00a0reply: hi", true, "hi"},
		{"replying later", false, "replying later"},
		{"hi", false, "hi"},
	}
	for _, c := range cases {
		reply, body := b.isReply(c.text)
		if reply != c.reply || body != c.body {
			t.Errorf("isReply(%q) = %t, %q; want %t, %q", c.text, reply, body, c.reply, c.body)
		}
	}
}
