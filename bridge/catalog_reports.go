package bridge

// reportTexts are the texts of reports split by customer channel and
// filtered by label (issue 12): the table's channel rows and scope, and
// the metrics command's usage, which names the new filters.
var reportTexts = map[string]translations{
	// The scope line: %s is the channel's name (ch.name.*) or the label.
	"report.scope_channel": {"en": "channel %s", "es": "canal %s", "pt": "canal %s"},
	"report.scope_label":   {"en": "label %s", "es": "etiqueta %s", "pt": "etiqueta %s"},
	// The channel rows' header; columns are short like the agent rows'.
	"report.channel":          {"en": "Channel", "es": "Canal", "pt": "Canal"},
	"report.channel_received": {"en": "Recv", "es": "Recib", "pt": "Receb"},
	"report.channel_started":  {"en": "Strt", "es": "Inic", "pt": "Inic"},
	// The usage of /switchboard metrics with channel: and label:. %[1]s is
	// what could not be read, %[2]s the teams, %[3]s the channels.
	"cmd.metrics_usage_filters": {
		"en": "I could not read “%[1]s”. Usage: /switchboard metrics [team|@agent] [inbox] [channel:<name>] [label:<label>] [today|yesterday|7d|30d|--from YYYY-MM-DD --to YYYY-MM-DD] [post]. Teams: %[2]s. Channels: %[3]s",
		"es": "No entendí «%[1]s». Uso: /switchboard metrics [equipo|@agente] [número] [channel:<nombre>] [label:<etiqueta>] [today|yesterday|7d|30d|--from AAAA-MM-DD --to AAAA-MM-DD] [post]. Equipos: %[2]s. Canales: %[3]s",
		"pt": "Não entendi “%[1]s”. Uso: /switchboard metrics [equipe|@agente] [número] [channel:<nome>] [label:<etiqueta>] [today|yesterday|7d|30d|--from AAAA-MM-DD --to AAAA-MM-DD] [post]. Equipes: %[2]s. Canais: %[3]s",
	},
}
