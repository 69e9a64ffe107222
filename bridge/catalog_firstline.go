package bridge

// firstLineTexts are the texts of the first-line assistant, to customers
// and in the thread (assist_firstline.go), and of LLM routing.
var firstLineTexts = map[string]translations{
	// To the customer, in their language. Written by people, never by the AI.
	"fl.disclosure": {
		"en": "🤖 I'm an automated assistant and I answer from our help articles. Write “%s” at any time to talk to a person.",
		"es": "🤖 Soy un asistente automático y respondo con nuestros artículos de ayuda. Escribe «%s» en cualquier momento para hablar con una persona.",
		"pt": "🤖 Sou um assistente automático e respondo com nossos artigos de ajuda. Escreva “%s” a qualquer momento para falar com uma pessoa.",
	},
	"fl.to_person": {
		"en": "I'm passing you to a person from our team; they will answer you here shortly.",
		"es": "Te paso con una persona de nuestro equipo; te responderá aquí en breve.",
		"pt": "Vou passar você para uma pessoa da nossa equipe; ela vai responder aqui em breve.",
	},
	"fl.to_person_closed": {
		"en": "I'm passing you to a person from our team; we are closed now, and they will answer you here as soon as we open.",
		"es": "Te paso con una persona de nuestro equipo; ahora estamos cerrados y te responderá aquí en cuanto abramos.",
		"pt": "Vou passar você para uma pessoa da nossa equipe; agora estamos fechados, e ela vai responder aqui assim que abrirmos.",
	},

	// In the thread, in the team's language.
	"fl.name": {"en": "🤖 Assistant", "es": "🤖 Asistente", "pt": "🤖 Assistente"},
	"fl.started": {
		"en": "🤖 The assistant is answering this customer first, from the knowledge base. Claim, `!takeover` or simply reply here to take over.",
		"es": "🤖 El asistente atiende primero a este cliente, con la base de conocimiento. Reclama, usa `!takeover` o simplemente responde aquí para tomar el control.",
		"pt": "🤖 O assistente atende este cliente primeiro, com a base de conhecimento. Assuma, use `!takeover` ou simplesmente responda aqui para assumir.",
	},
	"fl.sources": {"en": "📚 Sources: %s", "es": "📚 Fuentes: %s", "pt": "📚 Fontes: %s"},
	"fl.handed_over": {
		"en": "Handed over to people: %s.",
		"es": "Pasada a personas: %s.",
		"pt": "Passada para pessoas: %s.",
	},
	"fl.reason.requested":      {"en": "the customer asked for a person", "es": "el cliente pidió una persona", "pt": "o cliente pediu uma pessoa"},
	"fl.reason.max_turns":      {"en": "its answers did not resolve the question", "es": "sus respuestas no resolvieron la consulta", "pt": "as respostas não resolveram a dúvida"},
	"fl.reason.low_confidence": {"en": "the knowledge base has no confident answer", "es": "la base de conocimiento no tiene una respuesta segura", "pt": "a base de conhecimento não tem uma resposta segura"},
	"fl.reason.negative":       {"en": "the customer seems upset", "es": "el cliente parece molesto", "pt": "o cliente parece chateado"},
	"fl.reason.agent":          {"en": "an agent took over", "es": "un agente tomó el control", "pt": "um agente assumiu"},
	"fl.reason.unavailable": {
		"en": "the AI provider is unavailable; the customer got no AI text",
		"es": "el proveedor de IA no está disponible; el cliente no recibió texto de IA",
		"pt": "o provedor de IA está indisponível; o cliente não recebeu texto de IA",
	},
	"fl.reason.unsupported": {"en": "the customer sent something that is not text", "es": "el cliente envió algo que no es texto", "pt": "o cliente enviou algo que não é texto"},
	"fl.reason.hours":       {"en": "the team is open now", "es": "el equipo ya está abierto", "pt": "a equipe já está aberta"},
	"fl.reason.off":         {"en": "the team's first line is turned off", "es": "la primera línea del equipo está desactivada", "pt": "a primeira linha da equipe está desativada"},
	"fl.taken_over": {
		"en": "🤖 %s took over from the assistant.",
		"es": "🤖 %s tomó el control en lugar del asistente.",
		"pt": "🤖 %s assumiu no lugar do assistente.",
	},
	"fl.customer_told": {
		"en": "🤖 The customer was told: “%s”",
		"es": "🤖 Se le dijo al cliente: «%s»",
		"pt": "🤖 O cliente recebeu: “%s”",
	},
	"fl.card_assignee":   {"en": "🤖 Assistant (answering)", "es": "🤖 Asistente (respondiendo)", "pt": "🤖 Assistente (respondendo)"},
	"fl.button_takeover": {"en": "Take over", "es": "Tomar el control", "pt": "Assumir"},
}
