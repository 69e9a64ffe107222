package discord

import (
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// Every answer to an interaction is in the asker's client language when
// we ship texts in it (the interaction's locale: "es-ES", "es-419",
// "pt-BR", "en-US"), else in the language of the team at home where it
// was asked. Slack answers in the team's language only: Slack does not
// send the user's locale with a slash command.

// answerLang is the language to answer interaction in; home is the
// channel of the team it concerns (the thread's parent, or the channel).
func (g *Gateway) answerLang(in *discordgo.Interaction, home string) string {
	if in != nil {
		if l, ok := bridge.SupportedLanguage(string(in.Locale)); ok {
			return l
		}
	}
	return g.lang(home)
}

// shortTextKeys maps each short answer of defaultTexts to its catalogue
// key. The answers are written in English where they are decided (many
// call sites, several files); localizeAnswer translates them once, where
// every interaction is answered.
var shortTextKeys = map[string]string{
	"refused": "discord.refused", "not_thread": "discord.not_thread", "done": "discord.done",
	"note_saved": "discord.note_saved", "error": "discord.error", "transfer_arg": "discord.transfer_arg",
	"note_empty": "discord.note_empty", "unknown": "discord.unknown",
}

// localizeAnswer puts a short answer (one of defaultTexts, "done" with
// its verb) into lang; other content, already in the right language or
// coming from the bridge, is left alone. Texts overridden in g.Texts are
// the operator's and are not translated.
func (g *Gateway) localizeAnswer(resp *discordgo.InteractionResponse, lang string) {
	if resp == nil || resp.Data == nil || lang == "" {
		return
	}
	translate := func(s string) string {
		for short, key := range shortTextKeys {
			if _, custom := g.Texts[short]; custom {
				continue
			}
			en := defaultTexts[short]
			if !strings.Contains(en, "%s") {
				if s == en {
					return bridge.Text(lang, key)
				}
				continue
			}
			if m := formatRE(en).FindStringSubmatch(s); m != nil {
				return bridge.Text(lang, key, m[1])
			}
		}
		return s
	}
	resp.Data.Content = translate(resp.Data.Content)
	for _, c := range resp.Data.Choices {
		c.Name = translate(c.Name)
	}
}

var formatREs = map[string]*regexp.Regexp{}

// formatRE matches a text made with format's one %s.
func formatRE(format string) *regexp.Regexp {
	if re, ok := formatREs[format]; ok {
		return re
	}
	before, after, _ := strings.Cut(format, "%s")
	re := regexp.MustCompile("^" + regexp.QuoteMeta(before) + "(.*?)" + regexp.QuoteMeta(after) + "$")
	formatREs[format] = re
	return re
}

func init() {
	for short := range shortTextKeys { // fill formatREs before handlers run concurrently
		if strings.Contains(defaultTexts[short], "%s") {
			formatRE(defaultTexts[short])
		}
	}
}

// commandLocales are the client locales we give command descriptions in.
var commandLocales = map[discordgo.Locale]string{
	discordgo.SpanishES: "es", discordgo.SpanishLATAM: "es", discordgo.PortugueseBR: "pt",
}

// localizeCommands adds description_localizations (es-ES, es-419, pt-BR)
// to the commands and options whose descriptions are in the catalogue
// ("discord.cmd.<name>", "discord.opt.<option>"); names stay English so
// the same words work in every client and in the docs.
func localizeCommands(cmds []*discordgo.ApplicationCommand) {
	for _, c := range cmds {
		if m := descriptions("discord.cmd." + c.Name); m != nil {
			c.DescriptionLocalizations = &m
		}
		if c.Name != CmdMetrics {
			continue
		}
		for _, o := range c.Options {
			if m := descriptions("discord.opt." + o.Name); m != nil {
				o.DescriptionLocalizations = m
			}
		}
	}
}

func descriptions(key string) map[discordgo.Locale]string {
	if bridge.Text("en", key) == key {
		return nil // not in the catalogue
	}
	out := map[discordgo.Locale]string{}
	for loc, lang := range commandLocales {
		out[loc] = truncateRunes(bridge.Text(lang, key), 100)
	}
	return out
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// interactionLang is answerLang for an interaction whose home is not yet
// known: the thread's parent (cached), or the channel itself.
func (g *Gateway) interactionLang(s *discordgo.Session, in *discordgo.Interaction) string {
	if l, ok := bridge.SupportedLanguage(string(in.Locale)); ok {
		return l
	}
	home := in.ChannelID
	if p, ok := g.parents.Load(in.ChannelID); ok && p.(string) != "" {
		home = p.(string)
	}
	return g.lang(home)
}
