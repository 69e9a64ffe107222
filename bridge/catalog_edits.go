package bridge

// editTexts are the texts of edits and deletes (agentedit.go,
// customeredit.go): what the thread is told when an agent edits or
// deletes a reply, the correction prefix the customer reads, and how a
// customer's edit or deletion shows in the thread.
var editTexts = map[string]translations{
	// Agents' edits and deletes, in the team's language.
	"edit.sent": {
		"en": "✏️ %s, the customer already has the first version: WhatsApp cannot edit a message once it is sent. Send a new reply if the change matters.",
		"es": "✏️ %s, el cliente ya tiene la primera versión: WhatsApp no permite editar un mensaje ya enviado. Envía una nueva respuesta si el cambio importa.",
		"pt": "✏️ %s, o cliente já tem a primeira versão: o WhatsApp não permite editar uma mensagem já enviada. Envie uma nova resposta se a mudança importa.",
	},
	"edit.sent_correction": {
		"en": "✏️ %s, the customer already has the first version (WhatsApp cannot edit a sent message): the new text goes out as a correction.",
		"es": "✏️ %s, el cliente ya tiene la primera versión (WhatsApp no permite editar un mensaje enviado): el nuevo texto se envía como corrección.",
		"pt": "✏️ %s, o cliente já tem a primeira versão (o WhatsApp não permite editar uma mensagem enviada): o novo texto vai como correção.",
	},
	"edit.queued": {
		"en": "✏️ Edited before it was sent: the customer gets the new version.",
		"es": "✏️ Editado antes de enviarse: el cliente recibe la nueva versión.",
		"pt": "✏️ Editada antes do envio: o cliente recebe a nova versão.",
	},
	"edit.became_note": {
		"en": "📝 Edited into a note before it was sent: the customer will not get it.",
		"es": "📝 Convertido en nota antes de enviarse: el cliente no lo recibirá.",
		"pt": "📝 Transformada em nota antes do envio: o cliente não vai recebê-la.",
	},
	"edit.note_stays": {
		"en": "📝 This stays a note: editing never sends a message to the customer. Write a new message to reply.",
		"es": "📝 Esto sigue siendo una nota: editar nunca envía un mensaje al cliente. Escribe un mensaje nuevo para responder.",
		"pt": "📝 Isto continua sendo uma nota: editar nunca envia uma mensagem ao cliente. Escreva uma nova mensagem para responder.",
	},
	"edit.refused": {
		"en": "This message was not sent to the customer, and editing it does not send it: write a new message.",
		"es": "Este mensaje no se envió al cliente, y editarlo no lo envía: escribe un mensaje nuevo.",
		"pt": "Esta mensagem não foi enviada ao cliente, e editá-la não a envia: escreva uma nova mensagem.",
	},
	"delete.sent": {
		"en": "🗑 %s, the customer still has it: WhatsApp cannot unsend a message.",
		"es": "🗑 %s, el cliente todavía lo tiene: WhatsApp no permite anular el envío de un mensaje.",
		"pt": "🗑 %s, o cliente ainda tem a mensagem: o WhatsApp não permite cancelar o envio.",
	},
	"delete.queued": {
		"en": "🗑 Deleted before it was sent: the customer never got it.",
		"es": "🗑 Borrado antes de enviarse: el cliente nunca lo recibió.",
		"pt": "🗑 Apagada antes do envio: o cliente nunca a recebeu.",
	},
	// The customer reads this, in their language: %s is the new text.
	"edit.correction": {
		"en": "*Correction:* %s",
		"es": "*Corrección:* %s",
		"pt": "*Correção:* %s",
	},
	// A customer's edits and deletions, in the thread.
	"post.edited_text": {
		"en": "%s _(edited)_",
		"es": "%s _(editado)_",
		"pt": "%s _(editada)_",
	},
	"post.edited_short": {
		"en": "✏️ The customer edited a message (changed above).",
		"es": "✏️ El cliente editó un mensaje (cambiado arriba).",
		"pt": "✏️ O cliente editou uma mensagem (alterada acima).",
	},
	"post.edited_deleted": {
		"en": "✏️ The customer edited a message they later deleted.",
		"es": "✏️ El cliente editó un mensaje que luego borró.",
		"pt": "✏️ O cliente editou uma mensagem que depois apagou.",
	},
	"post.deleted_original": {
		"en": "🗑 _deleted by the customer_",
		"es": "🗑 _borrado por el cliente_",
		"pt": "🗑 _apagada pelo cliente_",
	},
	"post.deleted_message": {
		"en": "a deleted message",
		"es": "un mensaje borrado",
		"pt": "uma mensagem apagada",
	},
}
