package bridge

// templateSendTexts are the texts of sending templates from a thread, the 24-hour window on the card, template errors.
var templateSendTexts = map[string]translations{
	// The card: the window and its button.
	"window.label":    {"en": "WhatsApp window", "es": "Ventana de WhatsApp", "pt": "Janela do WhatsApp"},
	"window.open":     {"en": "🟢 open · closes %s", "es": "🟢 abierta · se cierra %s", "pt": "🟢 aberta · fecha %s"},
	"window.closing":  {"en": "🟠 open · closes %s", "es": "🟠 abierta · se cierra %s", "pt": "🟠 aberta · fecha %s"},
	"window.closed":   {"en": "🔴 closed · templates only", "es": "🔴 cerrada · solo plantillas", "pt": "🔴 fechada · só modelos"},
	"window.in":       {"en": "in %s", "es": "en %s", "pt": "em %s"},
	"button.template": {"en": "Send template", "es": "Enviar plantilla", "pt": "Enviar modelo"},

	// The send and its thread post.
	"tpl.post":    {"en": "📨 Template *%s* (%s)%s:", "es": "📨 Plantilla *%s* (%s)%s:", "pt": "📨 Modelo *%s* (%s)%s:"},
	"tpl.post_by": {"en": "sent by %s", "es": "enviada por %s", "pt": "enviado por %s"},
	"tpl.window_closed": {
		"en": "The customer last wrote more than 24 hours ago, so WhatsApp only lets the business send an approved template: your message was NOT sent. Send a template to reach them; once they answer you can write freely for 24 hours.",
		"es": "El cliente escribió por última vez hace más de 24 horas, así que WhatsApp solo permite a la empresa enviar una plantilla aprobada: tu mensaje NO se envió. Envía una plantilla para contactarlo; cuando conteste podrás escribir libremente durante 24 horas.",
		"pt": "O cliente escreveu pela última vez há mais de 24 horas, então o WhatsApp só permite à empresa enviar um modelo aprovado: sua mensagem NÃO foi enviada. Envie um modelo para falar com ele; quando responder, você poderá escrever livremente por 24 horas.",
	},
	"tpl.choose_button": {"en": "Send a template", "es": "Enviar una plantilla", "pt": "Enviar um modelo"},
	"tpl.usage": {
		"en": "To send an approved template (it reaches the customer even after 24 hours), write in this thread:\n!template name value 1 | value 2\nAdd @language to choose the language: !template name@pt_BR value 1 | value 2\nTemplates for this customer:",
		"es": "Para enviar una plantilla aprobada (llega al cliente aunque hayan pasado 24 horas), escribe en este hilo:\n!template nombre valor 1 | valor 2\nAñade @idioma para elegir el idioma: !template nombre@pt_BR valor 1 | valor 2\nPlantillas para este cliente:",
		"pt": "Para enviar um modelo aprovado (chega ao cliente mesmo depois de 24 horas), escreva nesta conversa:\n!template nome valor 1 | valor 2\nAcrescente @idioma para escolher o idioma: !template nome@pt_BR valor 1 | valor 2\nModelos para este cliente:",
	},
	"tpl.line":      {"en": "%s@%s · values: %d", "es": "%s@%s · valores: %d", "pt": "%s@%s · valores: %d"},
	"tpl.more":      {"en": "… and %d more", "es": "… y %d más", "pt": "… e mais %d"},
	"tpl.none":      {"en": "No approved template yet. Templates are created in Meta's WhatsApp Manager and appear here once Meta approves them.", "es": "Todavía no hay plantillas aprobadas. Las plantillas se crean en el Administrador de WhatsApp de Meta y aparecen aquí cuando Meta las aprueba.", "pt": "Ainda não há modelos aprovados. Os modelos são criados no Gerenciador do WhatsApp da Meta e aparecem aqui quando a Meta os aprova."},
	"tpl.no_params": {"en": "no values", "es": "sin valores", "pt": "sem valores"},
	"tpl.example":   {"en": "(e.g. %s)", "es": "(p. ej. %s)", "pt": "(ex.: %s)"},

	// Refusals, answered privately before anything is sent.
	"tpl.not_thread": {"en": "Templates are sent from a conversation's thread: use this inside one.", "es": "Las plantillas se envían desde el hilo de una conversación: úsalo dentro de uno.", "pt": "Os modelos são enviados a partir do fio de uma conversa: use isto dentro de um."},
	"tpl.no_account": {
		"en": "switchboard does not know which WhatsApp Business Account %s belongs to, so it cannot find its templates. Nothing was sent. An admin must set whatsapp.business_account_id in the configuration (docs/configuration.md).",
		"es": "switchboard no sabe a qué cuenta de WhatsApp Business pertenece %s, así que no encuentra sus plantillas. No se envió nada. Un administrador debe configurar whatsapp.business_account_id (docs/configuration.md).",
		"pt": "O switchboard não sabe a qual conta do WhatsApp Business %s pertence, então não encontra os modelos dela. Nada foi enviado. Um administrador precisa configurar whatsapp.business_account_id (docs/configuration.md).",
	},
	"tpl.moved":      {"en": "This conversation moved to team %s: send the template from its thread there. %s", "es": "Esta conversación pasó al equipo %s: envía la plantilla desde su hilo allí. %s", "pt": "Esta conversa passou para a equipe %s: envie o modelo a partir do fio de lá. %s"},
	"tpl.not_member": {"en": "You are not an agent of team %s, so you cannot send templates in its conversations. Nothing was sent.", "es": "No eres agente del equipo %s, así que no puedes enviar plantillas en sus conversaciones. No se envió nada.", "pt": "Você não é agente da equipe %s, então não pode enviar modelos nas conversas dela. Nada foi enviado."},
	"tpl.held": {
		"en": "%s holds this conversation: only they can send the customer a template (or a supervisor after !takeover). Nothing was sent. Ask them here in the thread.",
		"es": "%s tiene esta conversación: solo esa persona puede enviar una plantilla al cliente (o un supervisor tras !takeover). No se envió nada. Pídeselo aquí en el hilo.",
		"pt": "%s está com esta conversa: só essa pessoa pode enviar um modelo ao cliente (ou um supervisor após !takeover). Nada foi enviado. Peça aqui no fio.",
	},
	"tpl.newer_thread": {
		"en": "This conversation was resolved and the customer has a newer one: send the template there. Nothing was sent. %s",
		"es": "Esta conversación se resolvió y el cliente tiene una más reciente: envía la plantilla allí. No se envió nada. %s",
		"pt": "Esta conversa foi resolvida e o cliente tem uma mais recente: envie o modelo lá. Nada foi enviado. %s",
	},
	"tpl.unknown":      {"en": "There is no template called “%s” for this number. Nothing was sent.", "es": "No hay ninguna plantilla llamada «%s» para este número. No se envió nada.", "pt": "Não há nenhum modelo chamado “%s” para este número. Nada foi enviado."},
	"tpl.did_you_mean": {"en": "Did you mean: %s?", "es": "¿Quisiste decir: %s?", "pt": "Você quis dizer: %s?"},
	"tpl.no_language": {
		"en": "Template “%s” has no “%s” version. Nothing was sent. It exists in: %s — e.g. !template %s@%s …",
		"es": "La plantilla «%s» no tiene versión «%s». No se envió nada. Existe en: %s — p. ej. !template %s@%s …",
		"pt": "O modelo “%s” não tem versão “%s”. Nada foi enviado. Ele existe em: %s — ex.: !template %s@%s …",
	},
	"tpl.which_language": {
		"en": "Template “%s” exists in several languages and the customer's (%s) does not settle which. Nothing was sent. Say which: %s — e.g. !template %s@%s …",
		"es": "La plantilla «%s» existe en varios idiomas y el del cliente (%s) no decide cuál. No se envió nada. Indica cuál: %s — p. ej. !template %s@%s …",
		"pt": "O modelo “%s” existe em vários idiomas e o do cliente (%s) não decide qual. Nada foi enviado. Diga qual: %s — ex.: !template %s@%s …",
	},
	"tpl.not_approved":       {"en": "Template “%s” (%s) cannot be sent: it is %s%s. Nothing was sent.", "es": "La plantilla «%s» (%s) no se puede enviar: está %s%s. No se envió nada.", "pt": "O modelo “%s” (%s) não pode ser enviado: está %s%s. Nada foi enviado."},
	"tpl.approved_elsewhere": {"en": "Approved in: %s.", "es": "Aprobada en: %s.", "pt": "Aprovado em: %s."},
	"tpl.status_paused":      {"en": "paused by Meta for low quality", "es": "pausada por Meta por baja calidad", "pt": "pausado pela Meta por baixa qualidade"},
	"tpl.status_rejected":    {"en": "rejected by Meta", "es": "rechazada por Meta", "pt": "rejeitado pela Meta"},
	"tpl.status_disabled":    {"en": "disabled by Meta", "es": "desactivada por Meta", "pt": "desativado pela Meta"},
	"tpl.status_pending":     {"en": "still waiting for Meta's approval", "es": "todavía pendiente de aprobación por Meta", "pt": "ainda aguardando aprovação da Meta"},
	"tpl.status_in_appeal":   {"en": "under appeal with Meta", "es": "en apelación ante Meta", "pt": "em recurso junto à Meta"},
	"tpl.status_flagged":     {"en": "flagged by Meta for low quality", "es": "marcada por Meta por baja calidad", "pt": "sinalizado pela Meta por baixa qualidade"},
	"tpl.status_deleted":     {"en": "deleted", "es": "eliminada", "pt": "excluído"},
	"tpl.param_count": {
		"en": "Template “%s” (%s) takes %d values and you gave %d. Nothing was sent. In order: %s. Separate them with |: !template %s@%s value 1 | value 2",
		"es": "La plantilla «%s» (%s) lleva %d valores y diste %d. No se envió nada. En orden: %s. Sepáralos con |: !template %s@%s valor 1 | valor 2",
		"pt": "O modelo “%s” (%s) leva %d valores e você deu %d. Nada foi enviado. Em ordem: %s. Separe-os com |: !template %s@%s valor 1 | valor 2",
	},
	"tpl.param_empty":   {"en": "Value %d (%s) of template “%s” (%s) is empty. Nothing was sent.", "es": "El valor %d (%s) de la plantilla «%s» (%s) está vacío. No se envió nada.", "pt": "O valor %d (%s) do modelo “%s” (%s) está vazio. Nada foi enviado."},
	"tpl.param_link":    {"en": "Value %d (%s) must be an https:// link to the file. Nothing was sent.", "es": "El valor %d (%s) debe ser un enlace https:// al archivo. No se envió nada.", "pt": "O valor %d (%s) deve ser um link https:// para o arquivo. Nada foi enviado."},
	"tpl.param_invalid": {"en": "These values cannot be sent (%s). Nothing was sent.", "es": "Estos valores no se pueden enviar (%s). No se envió nada.", "pt": "Estes valores não podem ser enviados (%s). Nada foi enviado."},

	// Failures Meta reports when sending (in the thread, after "this message was not delivered:").
	"fail.template_params": {
		"en": "WhatsApp refused the template's values: their number or format does not match the approved template. Check them and send it again.",
		"es": "WhatsApp rechazó los valores de la plantilla: su número o formato no coincide con la plantilla aprobada. Revísalos y envíala de nuevo.",
		"pt": "o WhatsApp recusou os valores do modelo: a quantidade ou o formato não corresponde ao modelo aprovado. Confira e envie de novo.",
	},
	"fail.template_missing": {
		"en": "WhatsApp has no approved template with that name in that language (it may have been deleted or changed in WhatsApp Manager). Pick another one.",
		"es": "WhatsApp no tiene ninguna plantilla aprobada con ese nombre en ese idioma (puede que se eliminara o cambiara en el Administrador de WhatsApp). Elige otra.",
		"pt": "o WhatsApp não tem nenhum modelo aprovado com esse nome nesse idioma (pode ter sido excluído ou alterado no Gerenciador do WhatsApp). Escolha outro.",
	},
	"fail.template_paused": {
		"en": "the template is paused by Meta because customers blocked or reported it; it cannot be sent until Meta lifts the pause. Pick another template.",
		"es": "la plantilla está pausada por Meta porque los clientes la bloquearon o denunciaron; no se puede enviar hasta que Meta levante la pausa. Elige otra plantilla.",
		"pt": "o modelo está pausado pela Meta porque clientes o bloquearam ou denunciaram; não pode ser enviado até a Meta suspender a pausa. Escolha outro modelo.",
	},
	"fail.template_disabled": {
		"en": "the template was disabled by Meta and can no longer be sent. Pick another template, or ask an admin to create a new one in WhatsApp Manager.",
		"es": "Meta desactivó la plantilla y ya no se puede enviar. Elige otra, o pide a un administrador que cree una nueva en el Administrador de WhatsApp.",
		"pt": "a Meta desativou o modelo e ele não pode mais ser enviado. Escolha outro, ou peça a um administrador para criar um novo no Gerenciador do WhatsApp.",
	},
	"fail.code_131026": {
		"en": "WhatsApp could not deliver it to this number: the customer may not use WhatsApp, may have an outdated version, may not have accepted WhatsApp's latest terms, or may have blocked the business. Reach them another way.",
		"es": "WhatsApp no pudo entregarlo a este número: puede que el cliente no use WhatsApp, tenga una versión antigua, no haya aceptado las últimas condiciones de WhatsApp o haya bloqueado a la empresa. Contáctalo de otra forma.",
		"pt": "o WhatsApp não conseguiu entregar a este número: o cliente pode não usar WhatsApp, ter uma versão antiga, não ter aceitado os termos mais recentes do WhatsApp ou ter bloqueado a empresa. Fale com ele de outra forma.",
	},
	"fail.code_131048": {
		"en": "WhatsApp is limiting what this business number may send because too many recent messages were blocked or reported as spam. Wait before sending more, and ask a supervisor to check the number's quality in WhatsApp Manager.",
		"es": "WhatsApp está limitando lo que este número de empresa puede enviar porque demasiados mensajes recientes se bloquearon o denunciaron como spam. Espera antes de enviar más y pide a un supervisor que revise la calidad del número en el Administrador de WhatsApp.",
		"pt": "o WhatsApp está limitando o que este número da empresa pode enviar porque muitas mensagens recentes foram bloqueadas ou denunciadas como spam. Espere antes de enviar mais e peça a um supervisor para verificar a qualidade do número no Gerenciador do WhatsApp.",
	},
	"fail.code_131056": {
		"en": "too many messages went to this customer in a short time (WhatsApp allows about one every few seconds). Wait a moment and send it again.",
		"es": "se enviaron demasiados mensajes a este cliente en poco tiempo (WhatsApp permite más o menos uno cada pocos segundos). Espera un momento y envíalo de nuevo.",
		"pt": "foram enviadas mensagens demais a este cliente em pouco tempo (o WhatsApp permite mais ou menos uma a cada poucos segundos). Espere um pouco e envie de novo.",
	},
	// Discord's picker (/template autocomplete, the select, the form).
	"tpl.discord_choice":      {"en": "%s (%s) · values: %d · %s", "es": "%s (%s) · valores: %d · %s", "pt": "%s (%s) · valores: %d · %s"},
	"tpl.discord_refused":     {"en": "Only agents of this team can send its templates.", "es": "Solo los agentes de este equipo pueden enviar sus plantillas.", "pt": "Só os agentes desta equipe podem enviar os modelos dela."},
	"tpl.discord_error":       {"en": "The templates could not be read; try again in a moment.", "es": "No se pudieron leer las plantillas; inténtalo de nuevo en un momento.", "pt": "Não foi possível ler os modelos; tente de novo em instantes."},
	"tpl.discord_no_match":    {"en": "No approved template matches “%s”.", "es": "Ninguna plantilla aprobada coincide con «%s».", "pt": "Nenhum modelo aprovado corresponde a “%s”."},
	"tpl.discord_pick":        {"en": "Choose the template to send to the customer (their language first); a form then asks for its values.", "es": "Elige la plantilla que enviar al cliente (primero las de su idioma); después un formulario te pide sus valores.", "pt": "Escolha o modelo a enviar ao cliente (primeiro os do idioma dele); depois um formulário pede os valores."},
	"tpl.discord_more":        {"en": "Showing %d of %d: use /template to search them all.", "es": "Se muestran %d de %d: usa /template para buscar entre todas.", "pt": "Mostrando %d de %d: use /template para buscar entre todos."},
	"tpl.discord_placeholder": {"en": "Choose a template", "es": "Elige una plantilla", "pt": "Escolha um modelo"},
	"tpl.discord_gone":        {"en": "Template %s cannot be sent any more (it is no longer approved). Nothing was sent.", "es": "La plantilla %s ya no se puede enviar (ya no está aprobada). No se envió nada.", "pt": "O modelo %s não pode mais ser enviado (não está mais aprovado). Nada foi enviado."},
	"tpl.discord_send":        {"en": "Send", "es": "Enviar", "pt": "Enviar"},
	"tpl.discord_confirm":     {"en": "Send template *%s* to the customer? It reads:", "es": "¿Enviar la plantilla *%s* al cliente? Dice:", "pt": "Enviar o modelo *%s* ao cliente? Ele diz:"},
	"tpl.discord_use_command": {"en": "Send it with /template name:%s", "es": "Envíala con /template name:%s", "pt": "Envie com /template name:%s"},
	"tpl.discord_too_many": {
		"en": "Template %s takes %d values, more than a Discord form can hold (%d). Send it with /template name:%s params:value 1 | value 2 | …",
		"es": "La plantilla %s lleva %d valores, más de los que caben en un formulario de Discord (%d). Envíala con /template name:%s params:valor 1 | valor 2 | …",
		"pt": "O modelo %s leva %d valores, mais do que cabe num formulário do Discord (%d). Envie com /template name:%s params:valor 1 | valor 2 | …",
	},
	"tpl.discord_sending": {"en": "Template %s requested: the thread shows it with its receipts, or I tell you here why not.", "es": "Plantilla %s solicitada: el hilo la muestra con sus confirmaciones, o te digo aquí por qué no.", "pt": "Modelo %s solicitado: o fio mostra o modelo com as confirmações, ou eu digo aqui por que não."},
}
