package bridge

// reactionTexts are the texts of reactions and quotes both ways (issue
// 17): private answers to an agent whose reaction does not reach the
// customer, the post of a reply sent quoting a customer's message, and
// the Slack "Reply to this message" modal.
var reactionTexts = map[string]translations{
	"reaction.custom": {
		"en": "Your reaction was not sent to the customer: WhatsApp shows only standard emoji, not custom ones.",
		"es": "Tu reacción no se envió al cliente: WhatsApp solo muestra emojis estándar, no personalizados.",
		"pt": "Sua reação não foi enviada ao cliente: o WhatsApp mostra só emojis padrão, não personalizados.",
	},
	"reaction.held": {
		"en": "%s holds this conversation, so your reaction was NOT sent to the customer.",
		"es": "%s tiene esta conversación, así que tu reacción NO se envió al cliente.",
		"pt": "%s está com esta conversa, então sua reação NÃO foi enviada ao cliente.",
	},
	"reaction.outside_window": {
		"en": "Your reaction was not sent: the customer last wrote more than 24 hours ago, and WhatsApp then refuses reactions. It shows only here.",
		"es": "Tu reacción no se envió: el cliente escribió por última vez hace más de 24 horas y WhatsApp entonces no admite reacciones. Solo se ve aquí.",
		"pt": "Sua reação não foi enviada: o cliente escreveu pela última vez há mais de 24 horas e o WhatsApp então recusa reações. Ela aparece só aqui.",
	},
	"reaction.failed": {
		"en": "Your reaction did not reach the customer: %s",
		"es": "Tu reacción no llegó al cliente: %s",
		"pt": "Sua reação não chegou ao cliente: %s",
	},
	"quote.held": {
		"en": "%s holds this conversation, so your reply was NOT sent to the customer. Ask them here in the thread, or claim it once they release it.",
		"es": "%s tiene esta conversación, así que tu respuesta NO se envió al cliente. Pídesela aquí en el hilo, o tómala cuando la suelte.",
		"pt": "%s está com esta conversa, então sua resposta NÃO foi enviada ao cliente. Peça aqui no fio, ou assuma quando ela for liberada.",
	},
	"quote.sent_post": {
		"en": "📤 %s replied to the customer's message:",
		"es": "📤 %s respondió al mensaje del cliente:",
		"pt": "📤 %s respondeu à mensagem do cliente:",
	},
	"quote.sent_plain": {
		"en": "📤 %s replied to the customer:",
		"es": "📤 %s respondió al cliente:",
		"pt": "📤 %s respondeu ao cliente:",
	},
	"quote.modal_title": {"en": "Reply to customer", "es": "Responder al cliente", "pt": "Responder ao cliente"},
	"quote.modal_label": {
		"en": "Your reply (the customer sees it quoting this message)",
		"es": "Tu respuesta (el cliente la verá citando este mensaje)",
		"pt": "Sua resposta (o cliente a verá citando esta mensagem)",
	},
	"quote.modal_send":  {"en": "Send", "es": "Enviar", "pt": "Enviar"},
	"quote.modal_empty": {"en": "Write a reply first.", "es": "Escribe primero una respuesta.", "pt": "Escreva uma resposta primeiro."},
}
