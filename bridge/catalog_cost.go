package bridge

// costTexts are the texts of the cost section of /switchboard metrics,
// /metrics and the digests: messages Meta priced, per team and category.
var costTexts = map[string]translations{
	"cost.title":    {"en": "Cost", "es": "Coste", "pt": "Custo"},
	"cost.billable": {"en": "Billable", "es": "Cobrados", "pt": "Cobradas"},
	"cost.free":     {"en": "Free", "es": "Gratis", "pt": "Grátis"},
	"cost.total":    {"en": "Total", "es": "Total", "pt": "Total"},
	"cost.no_team":  {"en": "(no conversation)", "es": "(sin conversación)", "pt": "(sem conversa)"},
	"cost.no_rate":  {"en": "no rate", "es": "sin tarifa", "pt": "sem tarifa"},
	"cost.unpriced": {
		"en": "No rate for %s in the configuration (pricing.rates): those messages are counted, not priced.",
		"es": "No hay tarifa para %s en la configuración (pricing.rates): esos mensajes se cuentan, pero no se valoran.",
		"pt": "Não há tarifa para %s na configuração (pricing.rates): essas mensagens são contadas, mas não valoradas.",
	},
}
