package bridge

// channelTexts are the texts of the customer channels (issue 12): the
// channel's name on the card, echoes of messages the business sent from
// outside switchboard, and refusals that say what the channel allows.
var channelTexts = map[string]translations{
	"ch.name.whatsapp":  {"en": "WhatsApp", "es": "WhatsApp", "pt": "WhatsApp"},
	"ch.name.messenger": {"en": "Messenger", "es": "Messenger", "pt": "Messenger"},
	"ch.name.instagram": {"en": "Instagram", "es": "Instagram", "pt": "Instagram"},
	"ch.name.email":     {"en": "e-mail", "es": "correo electrónico", "pt": "e-mail"},

	"card.channel":         {"en": "Channel", "es": "Canal", "pt": "Canal"},
	"card.email":           {"en": "E-mail", "es": "Correo", "pt": "E-mail"},
	"card.username":        {"en": "Username", "es": "Usuario", "pt": "Usuário"},
	"window.label_channel": {"en": "%s window", "es": "Ventana de %s", "pt": "Janela do %s"},
	"window.human": {
		"en": "🟡 only a person's replies (human agent) · ends %s",
		"es": "🟡 solo respuestas de una persona (agente humano) · termina %s",
		"pt": "🟡 só respostas de uma pessoa (agente humano) · termina %s",
	},
	"window.closed_nothing": {
		"en": "🔴 closed · nothing can be sent until the customer writes",
		"es": "🔴 cerrada · no se puede enviar nada hasta que el cliente escriba",
		"pt": "🔴 fechada · nada pode ser enviado até o cliente escrever",
	},

	"post.subject":       {"en": "📧 *Subject:* %s", "es": "📧 *Asunto:* %s", "pt": "📧 *Assunto:* %s"},
	"post.story_reply":   {"en": "↩️ _Replied to your story_", "es": "↩️ _Respondió a tu historia_", "pt": "↩️ _Respondeu ao seu story_"},
	"post.story_mention": {"en": "📣 _Mentioned you in their story_", "es": "📣 _Te mencionó en su historia_", "pt": "📣 _Mencionou você no story_"},

	// Echoes: %s is the message as the thread shows it.
	"ch.echo.messenger": {
		"en": "📤 Sent from the Facebook Page inbox, outside switchboard: %s",
		"es": "📤 Enviado desde la bandeja de entrada de la página de Facebook, fuera de switchboard: %s",
		"pt": "📤 Enviado pela caixa de entrada da página do Facebook, fora do switchboard: %s",
	},
	"ch.echo.instagram": {
		"en": "📤 Sent from the Instagram app, outside switchboard: %s",
		"es": "📤 Enviado desde la app de Instagram, fuera de switchboard: %s",
		"pt": "📤 Enviado pelo app do Instagram, fora do switchboard: %s",
	},
	"ch.echo.other": {
		"en": "📤 Sent by the business outside switchboard (%s): %s",
		"es": "📤 Enviado por la empresa fuera de switchboard (%s): %s",
		"pt": "📤 Enviado pela empresa fora do switchboard (%s): %s",
	},

	// Refusals on channels without templates (Messenger, Instagram): %s
	// is the channel's name.
	"fail.human_agent_window": {
		"en": "the customer last wrote more than 7 days ago, and %s then allows nothing from the business, not even a template. Wait for the customer to write again.",
		"es": "el cliente escribió por última vez hace más de 7 días y %s entonces no permite nada de la empresa, ni siquiera una plantilla. Espera a que el cliente vuelva a escribir.",
		"pt": "o cliente escreveu pela última vez há mais de 7 dias e o %s então não permite nada da empresa, nem mesmo um modelo. Espere o cliente escrever de novo.",
	},
	// Meta refused a message for its 24-hour window, or the bridge kept
	// an automated one back (review findings 7 and 19).
	"fail.channel_window": {
		"en": "the customer last wrote more than 24 hours ago, and %s then accepts only a reply a person writes, and only when Meta has granted this app the Human Agent permission. Write the reply yourself, or wait for the customer to write again.",
		"es": "el cliente escribió por última vez hace más de 24 horas y %s entonces solo acepta una respuesta escrita por una persona, y solo si Meta concedió a esta app el permiso Human Agent. Escribe tú la respuesta o espera a que el cliente vuelva a escribir.",
		"pt": "o cliente escreveu pela última vez há mais de 24 horas e o %s então só aceita uma resposta escrita por uma pessoa, e só se a Meta concedeu a este app a permissão Human Agent. Escreva você a resposta ou espere o cliente escrever de novo.",
	},
	"assist.draft_edit_only": {
		"en": "The customer last wrote more than 24 hours ago: %s now takes only replies a person writes, so a suggestion cannot be sent as it is. Press *Edit* to make it your own reply, or write one.",
		"es": "El cliente escribió por última vez hace más de 24 horas: %s ahora solo admite respuestas escritas por una persona, así que una sugerencia no se puede enviar tal cual. Pulsa *Editar* para hacerla tu respuesta, o escribe una.",
		"pt": "O cliente escreveu pela última vez há mais de 24 horas: o %s agora só aceita respostas escritas por uma pessoa, então uma sugestão não pode ser enviada como está. Toque em *Editar* para torná-la sua resposta, ou escreva uma.",
	},
	"ch.window_closed": {
		"en": "⛔ The customer last wrote more than 7 days ago: %s allows nothing to be sent now, not even a template. Wait for the customer to write again.",
		"es": "⛔ El cliente escribió por última vez hace más de 7 días: %s no permite enviar nada ahora, ni siquiera una plantilla. Espera a que el cliente vuelva a escribir.",
		"pt": "⛔ O cliente escreveu pela última vez há mais de 7 dias: o %s não permite enviar nada agora, nem mesmo um modelo. Espere o cliente escrever de novo.",
	},
	"ch.reaction_window_closed": {
		"en": "Your reaction was not sent: the customer last wrote more than 24 hours ago, and %s then takes only a person's written replies (for 7 days), not reactions. It shows only here.",
		"es": "Tu reacción no se envió: el cliente escribió por última vez hace más de 24 horas y %s entonces solo admite respuestas escritas de una persona (durante 7 días), no reacciones. Solo se ve aquí.",
		"pt": "Sua reação não foi enviada: o cliente escreveu pela última vez há mais de 24 horas e o %s então só aceita respostas escritas de uma pessoa (por 7 dias), não reações. Ela aparece só aqui.",
	},
	"ch.no_templates": {
		"en": "Templates are WhatsApp's: %s has none, so nothing was sent.",
		"es": "Las plantillas son de WhatsApp: %s no tiene, así que no se envió nada.",
		"pt": "Os modelos são do WhatsApp: o %s não tem, então nada foi enviado.",
	},
	"ch.no_reactions": {
		"en": "Your reaction was not sent: %s has no reactions. It shows only here.",
		"es": "Tu reacción no se envió: %s no tiene reacciones. Solo se ve aquí.",
		"pt": "Sua reação não foi enviada: o %s não tem reações. Ela aparece só aqui.",
	},
}
