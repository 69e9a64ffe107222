package bridge

import (
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
)

// Who may write when (issue 12). A person's reply may go while the
// channel's human-agent allowance lasts (AgentWindowOpen: Messenger's and
// Instagram's HUMAN_AGENT tag, 7 days), marked as a human agent's once
// the standard window has closed; the bridge's own texts (away message,
// survey, first-line assistant) and the assistant's answers keep the
// standard window (WindowOpen), since the tag is for people only.

// ReasonHumanAgentWindow: a person's message could not go because even
// the channel's human-agent allowance has passed (Messenger, Instagram:
// 7 days) and the channel has no templates. The failure's code is the
// channel, so the text can name it.
const ReasonHumanAgentWindow FailureReason = "human_agent_window"

// personAuthored reports whether author is a person (not the bridge, not
// the assistant).
func personAuthored(author string) bool {
	return author != "" && author != assist.AgentID
}

// mayWrite reports whether a message by author may be sent to the
// customer in c now.
func mayWrite(c Conversation, author string, now time.Time) bool {
	if personAuthored(author) {
		return AgentWindowOpen(c, now)
	}
	return WindowOpen(c, now)
}

// humanAgentOptions are the send options a message by author needs now:
// the human-agent mark when only the human-agent allowance lets it go, the
// automatic mark when no person wrote it.
func humanAgentOptions(c Conversation, author string, now time.Time) []SendOption {
	if !personAuthored(author) {
		// The bridge's own texts and the assistant's answers: marked
		// automatic (e-mail's Auto-Submitted, RFC 3834).
		return []SendOption{AsAutomatic()}
	}
	if HumanAgentSend(c, now) {
		return []SendOption{AsHumanAgent()}
	}
	return nil
}

// windowAuthor is who a message counts as written by for the window
// rules: nobody (the bridge's standard window) when its content is
// automated, such as an AI-suggested draft sent as it was (review finding
// 19: Meta's Human Agent policy forbids automated content under the
// HUMAN_AGENT tag); its author otherwise. An edited draft is the agent's
// own.
func windowAuthor(author string, automated bool) string {
	if automated {
		return ""
	}
	return author
}

// windowFailureFor is the reason and code a send refused for a closed
// window on c's channel fails with: WhatsApp's (a template is the way
// out), or the human-agent limit of a channel without templates (the code
// names the channel for failureWhy). An automated message (windowAuthor)
// was refused by the standard window, which ReasonOutsideWindow says on
// every channel (failureWhy names the channel's own limit).
func windowFailureFor(c Conversation, automated bool) (FailureReason, string) {
	if automated || c.Channel.Rules().Templates {
		return ReasonOutsideWindow, ""
	}
	return ReasonHumanAgentWindow, string(c.Channel.OrWhatsApp())
}

// windowClosedText is the private line refusing something for a closed
// window on c's channel: whatsappKey (which offers a template) on a
// channel with templates, else that nothing can be sent.
func windowClosedText(lang string, c Conversation, whatsappKey string) string {
	if c.Channel.Rules().Templates {
		return Text(lang, whatsappKey)
	}
	return Text(lang, "ch.window_closed", channelName(lang, c.Channel))
}

// outsideWindowWhy says why ReasonOutsideWindow stopped a message on
// channel ch (review finding 7): WhatsApp's template advice where
// templates exist; elsewhere (Messenger, Instagram) that after 24 hours
// only a person's reply goes, under Meta's Human Agent permission. Meta
// refuses with its own window error (code 10) when the app lacks that
// permission, which the bridge cannot know beforehand.
func outsideWindowWhy(lang string, ch Channel) string {
	if ch.OrWhatsApp().Rules().Templates {
		return Text(lang, "fail.outside_window")
	}
	return Text(lang, "fail.channel_window", channelName(lang, ch))
}
