package bridge

// waidTexts are the texts of WhatsApp usernames and business-scoped user
// ids (issue 12): customers who show a username instead of their phone
// number, and customers who change their number.
var waidTexts = map[string]translations{
	// Above an e-mail whose sender the receiving server could not
	// authenticate (no dmarc=pass nor dkim=pass for the From domain).
	"post.email_unverified": {
		"en": "⚠️ The mail server could not confirm this sender (DKIM/DMARC failed): the From address may be forged. Do not share personal data before checking who wrote.",
		"es": "⚠️ El servidor de correo no pudo confirmar este remitente (DKIM/DMARC fallaron): la dirección From puede ser falsa. No compartas datos personales sin comprobar quién escribe.",
		"pt": "⚠️ O servidor de e-mail não conseguiu confirmar este remetente (DKIM/DMARC falharam): o endereço From pode ser falso. Não compartilhe dados pessoais sem verificar quem escreveu.",
	},
	// A system message: the customer moved to another WhatsApp number
	// (shown masked); the contact, its history and assignment stay.
	"waid.number_changed": {
		"en": "The customer changed their WhatsApp number to %s. Same contact: history and assignment continue.",
		"es": "El cliente cambió su número de WhatsApp a %s. Es el mismo contacto: el historial y la asignación continúan.",
		"pt": "O cliente mudou o número do WhatsApp para %s. É o mesmo contato: o histórico e a atribuição continuam.",
	},
	// A system message: WhatsApp gave the customer a new business-scoped id.
	"waid.user_id_changed": {
		"en": "WhatsApp changed this customer's identifier. Same contact: history and assignment continue.",
		"es": "WhatsApp cambió el identificador de este cliente. Es el mismo contacto: el historial y la asignación continúan.",
		"pt": "O WhatsApp mudou o identificador deste cliente. É o mesmo contato: o histórico e a atribuição continuam.",
	},
	// The card's line for a customer without a shared phone number.
	"waid.card_username": {"en": "WhatsApp username", "es": "Usuario de WhatsApp", "pt": "Usuário do WhatsApp"},
	"waid.username_only": {
		"en": "%s (phone number not shared)",
		"es": "%s (no comparte su número)",
		"pt": "%s (número não compartilhado)",
	},
	"waid.no_phone": {"en": "phone number not shared", "es": "no comparte su número", "pt": "número não compartilhado"},
	// /switchboard new with a username or BSUID where the number goes.
	"waid.start_username": {
		"en": "A conversation can only be started with a phone number. A customer who shows only a WhatsApp username cannot be written to first, but you can answer them as soon as they write to us.",
		"es": "Solo se puede iniciar una conversación con un número de teléfono. A un cliente que muestra solo un usuario de WhatsApp no se le puede escribir primero, pero puedes responderle en cuanto nos escriba.",
		"pt": "Só é possível iniciar uma conversa com um número de telefone. Um cliente que mostra apenas um usuário do WhatsApp não pode receber a primeira mensagem, mas você pode respondê-lo assim que ele nos escrever.",
	},
}
