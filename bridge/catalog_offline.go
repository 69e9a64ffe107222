package bridge

// offlineAssistTexts are the lines of the offline assistant's summaries
// (bridge/assist/offline.go, which receives Text): who wants what, what
// was answered, what is pending.
var offlineAssistTexts = map[string]translations{
	"assist.offline.asked": {
		"en": "The customer wants: %s",
		"es": "El cliente quiere: %s",
		"pt": "O cliente quer: %s",
	},
	"assist.offline.asked_by": {
		"en": "%s wants: %s",
		"es": "%s quiere: %s",
		"pt": "%s quer: %s",
	},
	"assist.offline.answered": {
		"en": "Last answer: %s",
		"es": "Última respuesta: %s",
		"pt": "Última resposta: %s",
	},
	"assist.offline.pending": {
		"en": "Pending, the customer wrote after it: %s",
		"es": "Pendiente, el cliente escribió después: %s",
		"pt": "Pendente, o cliente escreveu depois: %s",
	},
	"assist.offline.unanswered": {
		"en": "Pending: nobody has answered yet.",
		"es": "Pendiente: nadie ha respondido todavía.",
		"pt": "Pendente: ninguém respondeu ainda.",
	},
	"assist.offline.nothing_pending": {
		"en": "Nothing pending: the last message was ours.",
		"es": "Nada pendiente: el último mensaje fue nuestro.",
		"pt": "Nada pendente: a última mensagem foi nossa.",
	},
	"assist.offline.counts": {
		"en": "%d messages from the customer, %d answers.",
		"es": "%d mensajes del cliente, %d respuestas.",
		"pt": "%d mensagens do cliente, %d respostas.",
	},
}
