package bridge

import (
	"context"
	"strings"

	"golang.org/x/text/language"
)

// MetricsReply is the answer to a metrics command: the text to show the
// asker privately and, when "chart" was asked, the digest chart as a PNG.
type MetricsReply struct {
	Text  string
	Chart []byte
}

// MetricsInbound is implemented by the bridge for adapters whose private
// answers can carry a file (Discord's interaction responses): the same
// figures as HandleAgentCommand's "metrics", with the chart attached.
type MetricsInbound interface {
	HandleMetricsCommand(ctx context.Context, cmd AgentCommand) (MetricsReply, error)
}

var _ MetricsInbound = (*Bridge)(nil)

// HandleMetricsCommand answers cmd.Text ("metrics [words…]", the words of
// Slack's /switchboard metrics) through the code path Slack's command
// takes, keeping the chart instead of dropping it.
func (b *Bridge) HandleMetricsCommand(ctx context.Context, cmd AgentCommand) (MetricsReply, error) {
	words := strings.Fields(cmd.Text)
	if len(words) > 0 && strings.EqualFold(words[0], "metrics") {
		words = words[1:]
	}
	return b.metricsReply(ctx, cmd, words, b.answerLanguage(cmd))
}

// answerLanguage is the language of a private answer to cmd: the asker's
// own (cmd.Lang, a Discord interaction's locale) when we ship texts in it,
// else the language of the team whose channel it was typed in.
func (b *Bridge) answerLanguage(cmd AgentCommand) string {
	if l, ok := SupportedLanguage(cmd.Lang); ok {
		return l
	}
	return b.commandLanguage(cmd.ChannelID)
}

// SupportedLanguage maps a client locale ("es-ES", "pt-BR", "en-US") to a
// language we ship texts in ("es", "pt", "en"); ok is false for an empty
// or unsupported one (French), whose reader gets the team's language.
func SupportedLanguage(locale string) (lang string, ok bool) {
	if strings.TrimSpace(locale) == "" {
		return "", false
	}
	_, idx, conf := languageMatcher.Match(language.Make(locale))
	if conf == language.No {
		return "", false
	}
	base, _ := supportedLanguages[idx].Base()
	return base.String(), true
}
