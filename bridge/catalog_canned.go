package bridge

// cannedTexts are the texts of canned responses: the preview and its Send
// button, the post of what was sent, the /switchboard canned answers and
// the workspaces' pickers.
var cannedTexts = map[string]translations{
	// In a thread (!canned).
	"canned.usage": {
		"en": "Write !canned <name> to preview a canned response before sending it. %s",
		"es": "Escribe !canned <nombre> para ver una respuesta predefinida antes de enviarla. %s",
		"pt": "Escreva !canned <nome> para ver uma resposta pronta antes de enviá-la. %s",
	},
	"canned.unknown": {
		"en": "There is no canned response called “%s” here. %s",
		"es": "Aquí no hay ninguna respuesta predefinida llamada «%s». %s",
		"pt": "Não há resposta pronta chamada “%s” aqui. %s",
	},
	"canned.available": {"en": "Available: %s.", "es": "Disponibles: %s.", "pt": "Disponíveis: %s."},
	"canned.none": {
		"en": "This team has no canned responses yet: a supervisor adds them with /switchboard canned add (Slack) or /canned-admin add (Discord).",
		"es": "Este equipo aún no tiene respuestas predefinidas: un supervisor las añade con /switchboard canned add (Slack) o /canned-admin add (Discord).",
		"pt": "Esta equipe ainda não tem respostas prontas: um supervisor as adiciona com /switchboard canned add (Slack) ou /canned-admin add (Discord).",
	},
	"canned.preview": {
		"en": "👀 *%s* (%s), as the customer will read it (only you see this):",
		"es": "👀 *%s* (%s), tal como lo leerá el cliente (solo tú ves esto):",
		"pt": "👀 *%s* (%s), como o cliente vai ler (só você vê isto):",
	},
	"canned.missing": {
		"en": "⚠️ No value here for %s: it is left out.",
		"es": "⚠️ Aquí no hay valor para %s: se omite.",
		"pt": "⚠️ Não há valor aqui para %s: fica de fora.",
	},
	"canned.held": {
		"en": "⛔ %s holds this conversation: only they can reply.",
		"es": "⛔ %s tiene esta conversación: solo esa persona puede responder.",
		"pt": "⛔ %s está com esta conversa: só essa pessoa pode responder.",
	},
	"canned.held_not_sent": {
		"en": "%s holds this conversation, so the canned response was NOT sent to the customer. Ask them here in the thread, or claim it once they release it.",
		"es": "%s tiene esta conversación, así que la respuesta predefinida NO se envió al cliente. Pídesela aquí en el hilo, o tómala cuando la suelte.",
		"pt": "%s está com esta conversa, então a resposta pronta NÃO foi enviada ao cliente. Peça aqui no fio, ou assuma quando ela for liberada.",
	},
	"canned.window_closed": {
		"en": "⛔ WhatsApp's 24-hour window is closed: this cannot be sent now; send an approved template instead.",
		"es": "⛔ La ventana de 24 horas de WhatsApp está cerrada: esto no se puede enviar ahora; envía una plantilla aprobada.",
		"pt": "⛔ A janela de 24 horas do WhatsApp está fechada: isto não pode ser enviado agora; envie um modelo aprovado.",
	},
	"canned.press_send": {
		"en": "Press *Send* to send it as your reply.",
		"es": "Pulsa *Enviar* para enviarlo como tu respuesta.",
		"pt": "Toque em *Enviar* para enviá-lo como sua resposta.",
	},
	"canned.send":         {"en": "Send", "es": "Enviar", "pt": "Enviar"},
	"canned.any_language": {"en": "any language", "es": "cualquier idioma", "pt": "qualquer idioma"},
	"canned.gone": {
		"en": "The canned response *%s* (%s) no longer exists, so nothing was sent. Write !canned to see the ones you can use.",
		"es": "La respuesta predefinida *%s* (%s) ya no existe, así que no se envió nada. Escribe !canned para ver las que puedes usar.",
		"pt": "A resposta pronta *%s* (%s) não existe mais, então nada foi enviado. Escreva !canned para ver as que você pode usar.",
	},
	"canned.sent_post": {
		"en": "📤 %s sent the canned response *%s*:",
		"es": "📤 %s envió la respuesta predefinida *%s*:",
		"pt": "📤 %s enviou a resposta pronta *%s*:",
	},
	"canned.requested": {
		"en": "✓ *%s*: sending as your reply. The thread shows it once sent, or you are told why not.",
		"es": "✓ *%s*: enviando como tu respuesta. El hilo lo muestra al enviarse, o se te dice por qué no.",
		"pt": "✓ *%s*: enviando como sua resposta. O fio mostra quando for enviado, ou você fica sabendo por que não.",
	},
	"canned.preview_coming": {
		"en": "Preview of “%s” on its way, only for you.",
		"es": "La vista previa de «%s» llega enseguida, solo para ti.",
		"pt": "A prévia de “%s” chega já, só para você.",
	},

	// /switchboard canned (Slack) and /canned-admin (Discord).
	"canned.help_line": {
		"en": "Canned responses: /switchboard canned list | add <name> [en|es|pt] <text> | edit <name> [language] <text> | remove <name> [language]; in a thread: !canned <name>.",
		"es": "Respuestas predefinidas: /switchboard canned list | add <nombre> [en|es|pt] <texto> | edit <nombre> [idioma] <texto> | remove <nombre> [idioma]; en un hilo: !canned <nombre>.",
		"pt": "Respostas prontas: /switchboard canned list | add <nome> [en|es|pt] <texto> | edit <nome> [idioma] <texto> | remove <nome> [idioma]; num fio: !canned <nome>.",
	},
	"canned.admin_usage": {
		"en": "Canned responses:\n• list [team|global]: what agents can send here\n• add <name> [en|es|pt|any] <text>: a new one for this channel's team (supervisors)\n• edit <name> [language] <text>: change one added here\n• remove <name> [language]: remove it (every language when none is given)\nWrite global/<name> for every team, or <team>/<name> for another team. Variables: %s.\nExample: add refund es Hola {{contact.first_name}}, tu reembolso está en camino.",
		"es": "Respuestas predefinidas:\n• list [equipo|global]: lo que los agentes pueden enviar aquí\n• add <nombre> [en|es|pt|any] <texto>: una nueva para el equipo de este canal (supervisores)\n• edit <nombre> [idioma] <texto>: cambia una añadida aquí\n• remove <nombre> [idioma]: la elimina (en todos los idiomas si no se indica)\nEscribe global/<nombre> para todos los equipos, o <equipo>/<nombre> para otro equipo. Variables: %s.\nEjemplo: add refund es Hola {{contact.first_name}}, tu reembolso está en camino.",
		"pt": "Respostas prontas:\n• list [equipe|global]: o que os agentes podem enviar aqui\n• add <nome> [en|es|pt|any] <texto>: uma nova para a equipe deste canal (supervisores)\n• edit <nome> [idioma] <texto>: altera uma adicionada aqui\n• remove <nome> [idioma]: remove (em todos os idiomas se nenhum for dado)\nEscreva global/<nome> para todas as equipes, ou <equipe>/<nome> para outra equipe. Variáveis: %s.\nExemplo: add refund pt Olá {{contact.first_name}}, seu reembolso está a caminho.",
	},
	"canned.scope_global": {"en": "every team", "es": "todos los equipos", "pt": "todas as equipes"},
	"canned.scope_team":   {"en": "team %s", "es": "el equipo %s", "pt": "a equipe %s"},
	"canned.unknown_scope": {
		"en": "There is no team called “%s”. Teams: %s (or global, for every team).",
		"es": "No hay ningún equipo llamado «%s». Equipos: %s (o global, para todos).",
		"pt": "Não há equipe chamada “%s”. Equipes: %s (ou global, para todas).",
	},
	"canned.no_team_here": {
		"en": "This channel is not a team's: write <team>/<name> (or global/<name> for every team). Teams: %s",
		"es": "Este canal no es de ningún equipo: escribe <equipo>/<nombre> (o global/<nombre> para todos). Equipos: %s",
		"pt": "Este canal não é de nenhuma equipe: escreva <equipe>/<nome> (ou global/<nome> para todas). Equipes: %s",
	},
	"canned.list_team":   {"en": "*Team %s*", "es": "*Equipo %s*", "pt": "*Equipe %s*"},
	"canned.list_global": {"en": "*Every team*", "es": "*Todos los equipos*", "pt": "*Todas as equipes*"},
	"canned.list_empty":  {"en": "none yet", "es": "ninguna todavía", "pt": "nenhuma ainda"},
	"canned.list_footer": {
		"en": "In a thread, !canned <name> shows the preview with a Send button; a team's response replaces a global one of the same name and language.",
		"es": "En un hilo, !canned <nombre> muestra la vista previa con un botón Enviar; la respuesta de un equipo sustituye a la global del mismo nombre e idioma.",
		"pt": "Num fio, !canned <nome> mostra a prévia com um botão Enviar; a resposta de uma equipe substitui a global de mesmo nome e idioma.",
	},
	"canned.from_config": {"en": "config file", "es": "archivo de configuración", "pt": "arquivo de configuração"},
	"canned.not_member": {
		"en": "You are not an agent of team %s, so you cannot use its canned responses.",
		"es": "No eres agente del equipo %s, así que no puedes usar sus respuestas predefinidas.",
		"pt": "Você não é agente da equipe %s, então não pode usar as respostas prontas dela.",
	},
	"canned.bad_name": {
		"en": "“%s” cannot be a name: use a short lowercase slug (a-z, 0-9 and dashes, at most 32), e.g. %s.",
		"es": "«%s» no sirve como nombre: usa algo corto en minúsculas (a-z, 0-9 y guiones, 32 como máximo), p. ej. %s.",
		"pt": "“%s” não serve como nome: use algo curto em minúsculas (a-z, 0-9 e hífens, no máximo 32), p. ex. %s.",
	},
	"canned.not_supervisor": {
		"en": "Only a supervisor of team %s can add, edit or remove its canned responses. Anyone in the team can list and send them.",
		"es": "Solo un supervisor del equipo %s puede añadir, editar o eliminar sus respuestas predefinidas. Cualquiera del equipo puede verlas y enviarlas.",
		"pt": "Só um supervisor da equipe %s pode adicionar, editar ou remover as respostas prontas dela. Qualquer pessoa da equipe pode vê-las e enviá-las.",
	},
	"canned.not_supervisor_global": {
		"en": "Only a team supervisor can add, edit or remove the canned responses of every team.",
		"es": "Solo un supervisor de equipo puede añadir, editar o eliminar las respuestas predefinidas de todos los equipos.",
		"pt": "Só um supervisor de equipe pode adicionar, editar ou remover as respostas prontas de todas as equipes.",
	},
	"canned.empty_text": {
		"en": "Write the text after the name (and the language, if any): /switchboard canned %s refund es Hola {{contact.first_name}}, …",
		"es": "Escribe el texto tras el nombre (y el idioma, si lo hay): /switchboard canned %s refund es Hola {{contact.first_name}}, …",
		"pt": "Escreva o texto depois do nome (e do idioma, se houver): /switchboard canned %s refund pt Olá {{contact.first_name}}, …",
	},
	"canned.unknown_variable": {
		"en": "{{%s}} is not a variable switchboard knows, so nothing was saved. The variables are: %s.",
		"es": "{{%s}} no es una variable que switchboard conozca, así que no se guardó nada. Las variables son: %s.",
		"pt": "{{%s}} não é uma variável que o switchboard conheça, então nada foi salvo. As variáveis são: %s.",
	},
	"canned.too_long": {
		"en": "The text has %d characters; keep it under %d (WhatsApp's limit, with room for the variables).",
		"es": "El texto tiene %d caracteres; no pases de %d (el límite de WhatsApp, con margen para las variables).",
		"pt": "O texto tem %d caracteres; fique abaixo de %d (o limite do WhatsApp, com espaço para as variáveis).",
	},
	"canned.config_owned": {
		"en": "%s is defined in the configuration file, which wins at every start-up: change it there.",
		"es": "%s está definida en el archivo de configuración, que manda en cada arranque: cámbiala allí.",
		"pt": "%s está definida no arquivo de configuração, que prevalece a cada início: altere-a lá.",
	},
	"canned.exists": {
		"en": "%s already exists for %s; to change it: /switchboard canned edit %s …",
		"es": "%s ya existe para %s; para cambiarla: /switchboard canned edit %s …",
		"pt": "%s já existe para %s; para alterá-la: /switchboard canned edit %s …",
	},
	"canned.not_found": {
		"en": "%s does not exist for %s; to create it: /switchboard canned add %s …",
		"es": "%s no existe para %s; para crearla: /switchboard canned add %s …",
		"pt": "%s não existe para %s; para criá-la: /switchboard canned add %s …",
	},
	"canned.is_global": {
		"en": "%s belongs to every team: edit global/%s, or add one for team %s only (it then replaces the global one here).",
		"es": "%s es de todos los equipos: edita global/%s, o añade una solo para el equipo %s (sustituirá aquí a la global).",
		"pt": "%s é de todas as equipes: edite global/%s, ou adicione uma só para a equipe %s (ela substituirá a global aqui).",
	},
	"canned.added": {
		"en": "Saved %s for %s. Agents can use it now: !canned %s",
		"es": "Guardada %s para %s. Los agentes ya pueden usarla: !canned %s",
		"pt": "%s salva para %s. Os agentes já podem usá-la: !canned %s",
	},
	"canned.edited": {
		"en": "Updated %s for %s.",
		"es": "Actualizada %s para %s.",
		"pt": "%s atualizada para %s.",
	},
	"canned.removed": {
		"en": "Removed %s from %s.",
		"es": "Eliminada %s de %s.",
		"pt": "%s removida de %s.",
	},
	"canned.remove_none": {
		"en": "There is no canned response “%s” for %s.",
		"es": "No hay ninguna respuesta predefinida «%s» para %s.",
		"pt": "Não há resposta pronta “%s” para %s.",
	},

	// The Slack picker (the "Canned response" message shortcut).
	"canned.modal_title":     {"en": "Canned response", "es": "Respuesta rápida", "pt": "Resposta pronta"},
	"canned.modal_pick":      {"en": "Response", "es": "Respuesta", "pt": "Resposta"},
	"canned.modal_pick_hint": {"en": "Choose, or type to search", "es": "Elige, o escribe para buscar", "pt": "Escolha, ou digite para buscar"},
	"canned.modal_send":      {"en": "Send", "es": "Enviar", "pt": "Enviar"},
	"canned.modal_cancel":    {"en": "Cancel", "es": "Cancelar", "pt": "Cancelar"},
	"canned.modal_close":     {"en": "Close", "es": "Cerrar", "pt": "Fechar"},
	"canned.modal_preview": {
		"en": "*Preview*, as the customer will read it:",
		"es": "*Vista previa*, tal como la leerá el cliente:",
		"pt": "*Prévia*, como o cliente vai ler:",
	},
	"canned.modal_hint": {
		"en": "Choose a response to see it as the customer will read it. Send sends it as your reply in this thread.",
		"es": "Elige una respuesta para verla tal como la leerá el cliente. Enviar la envía como tu respuesta en este hilo.",
		"pt": "Escolha uma resposta para vê-la como o cliente vai ler. Enviar a envia como sua resposta neste fio.",
	},
	"canned.modal_none": {
		"en": "No canned response can be sent from here: use this shortcut on a message of a conversation thread of your team. %s",
		"es": "Desde aquí no se puede enviar ninguna respuesta predefinida: usa este atajo en un mensaje del hilo de una conversación de tu equipo. %s",
		"pt": "Nenhuma resposta pronta pode ser enviada daqui: use este atalho numa mensagem do fio de uma conversa da sua equipe. %s",
	},
}
