package bridge

import (
	"fmt"

	"golang.org/x/text/language"
)

// Every text a customer or an agent reads comes from this catalogue, so it
// can be translated. Keys are stable; placeholders are fmt verbs in the
// same order in every language. English is the fallback for a missing
// translation.

// Languages we ship texts for.
var supportedLanguages = []language.Tag{language.English, language.Spanish, language.Portuguese}

var languageMatcher = language.NewMatcher(supportedLanguages)

// Text returns the catalogue text for key in lang ("en", "es", "pt", or any
// BCP 47 tag that matches one of them), formatted with args.
func Text(lang, key string, args ...any) string {
	tag, _ := language.MatchStrings(languageMatcher, lang)
	base, _ := tag.Base()
	entry, ok := catalog[key]
	if !ok {
		return key
	}
	format, ok := entry[base.String()]
	if !ok {
		format = entry["en"]
	}
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

type translations map[string]string

// catalog is every text. Capabilities keep their texts in their own file
// (catalog_<capability>.go) as a map merged here, so that parallel work
// does not collide in one literal; a key defined twice is a mistake that
// catalogDuplicates reports (and a test fails on).
var catalog, catalogDuplicates = mergeCatalogs(
	coreTexts,
	templateSyncTexts,
	templateSendTexts,
	startTexts,
	cannedTexts,
	costTexts,
	mediaTexts,
	discordTexts,
	identityTexts,
	reactionTexts,
	editTexts,
	assistTexts,
	firstLineTexts,
	offlineAssistTexts,
	channelTexts,
	waidTexts,
	contactsTexts,
	reportTexts,
)

func mergeCatalogs(parts ...map[string]translations) (map[string]translations, []string) {
	all := map[string]translations{}
	var dups []string
	for _, part := range parts {
		for k, v := range part {
			if _, ok := all[k]; ok {
				dups = append(dups, k)
			}
			all[k] = v
		}
	}
	return all, dups
}

var coreTexts = map[string]translations{
	"card.title":    {"en": "%s · conversation #%d", "es": "%s · conversación #%d", "pt": "%s · conversa #%d"},
	"card.customer": {"en": "Customer", "es": "Cliente", "pt": "Cliente"},
	"card.phone":    {"en": "Phone", "es": "Teléfono", "pt": "Telefone"},
	"card.inbox":    {"en": "Inbox", "es": "Buzón", "pt": "Caixa de entrada"},
	"card.team":     {"en": "Team", "es": "Equipo", "pt": "Equipe"},
	"card.state":    {"en": "State", "es": "Estado", "pt": "Estado"},
	"card.assignee": {"en": "Assignee", "es": "Asignado a", "pt": "Responsável"},
	"card.nobody":   {"en": "nobody yet", "es": "nadie todavía", "pt": "ninguém ainda"},
	"card.earlier":  {"en": "Earlier conversation #%d (%s)", "es": "Conversación anterior #%d (%s)", "pt": "Conversa anterior #%d (%s)"},
	"card.footer": {
		"en": "Reply in this thread to answer the customer. Start a message with %s to write an internal note.",
		"es": "Responde en este hilo para contestar al cliente. Empieza un mensaje con %s para escribir una nota interna.",
		"pt": "Responda neste fio para falar com o cliente. Comece uma mensagem com %s para escrever uma nota interna.",
	},
	"card.unknown_customer": {"en": "Unknown customer", "es": "Cliente desconocido", "pt": "Cliente desconhecido"},

	"state.pending":  {"en": "⏳ Waiting for an agent", "es": "⏳ Esperando a un agente", "pt": "⏳ Aguardando um agente"},
	"state.assigned": {"en": "🙋 Assigned", "es": "🙋 Asignada", "pt": "🙋 Atribuída"},
	"state.resolved": {"en": "✅ Resolved", "es": "✅ Resuelta", "pt": "✅ Resolvida"},

	"button.claim":      {"en": "Claim", "es": "Tomar", "pt": "Assumir"},
	"button.unclaim":    {"en": "Unclaim", "es": "Soltar", "pt": "Liberar"},
	"button.resolve":    {"en": "Resolve", "es": "Resolver", "pt": "Resolver"},
	"button.transfer":   {"en": "Transfer", "es": "Transferir", "pt": "Transferir"},
	"modal.title":       {"en": "Transfer conversation", "es": "Transferir conversación", "pt": "Transferir conversa"},
	"modal.submit":      {"en": "Transfer", "es": "Transferir", "pt": "Transferir"},
	"modal.cancel":      {"en": "Cancel", "es": "Cancelar", "pt": "Cancelar"},
	"modal.agent":       {"en": "To an agent", "es": "A un agente", "pt": "Para um agente"},
	"modal.agent_hint":  {"en": "Pick a person", "es": "Elige una persona", "pt": "Escolha uma pessoa"},
	"modal.team":        {"en": "Or to a team", "es": "O a un equipo", "pt": "Ou para uma equipe"},
	"modal.team_hint":   {"en": "Pick a team", "es": "Elige un equipo", "pt": "Escolha uma equipe"},
	"modal.reason":      {"en": "Reason (the new owner sees it)", "es": "Motivo (lo verá quien la reciba)", "pt": "Motivo (quem receber verá)"},
	"modal.reason_hint": {"en": "e.g. wants a refund", "es": "p. ej. quiere un reembolso", "pt": "ex.: quer um reembolso"},
	"modal.pick_one":    {"en": "Pick an agent or a team.", "es": "Elige un agente o un equipo.", "pt": "Escolha um agente ou uma equipe."},
	"button.reopen":     {"en": "Reopen", "es": "Reabrir", "pt": "Reabrir"},

	"post.image":     {"en": "🖼 Image", "es": "🖼 Imagen", "pt": "🖼 Imagem"},
	"post.video":     {"en": "🎬 Video", "es": "🎬 Vídeo", "pt": "🎬 Vídeo"},
	"post.audio":     {"en": "🎵 Audio", "es": "🎵 Audio", "pt": "🎵 Áudio"},
	"post.voice":     {"en": "🎤 Voice message", "es": "🎤 Mensaje de voz", "pt": "🎤 Mensagem de voz"},
	"post.document":  {"en": "📄 Document", "es": "📄 Documento", "pt": "📄 Documento"},
	"post.sticker":   {"en": "Sticker", "es": "Sticker", "pt": "Figurinha"},
	"post.location":  {"en": "📍 Location", "es": "📍 Ubicación", "pt": "📍 Localização"},
	"post.contact":   {"en": "👤 Shared contact", "es": "👤 Contacto compartido", "pt": "👤 Contato compartilhado"},
	"post.chose":     {"en": "🔘 Chose: %s", "es": "🔘 Eligió: %s", "pt": "🔘 Escolheu: %s"},
	"post.order":     {"en": "🛒 Order", "es": "🛒 Pedido", "pt": "🛒 Pedido"},
	"post.notice":    {"en": "ℹ️ WhatsApp notice: %s", "es": "ℹ️ Aviso de WhatsApp: %s", "pt": "ℹ️ Aviso do WhatsApp: %s"},
	"post.edited":    {"en": "✏️ Edited a message: %s", "es": "✏️ Editó un mensaje: %s", "pt": "✏️ Editou uma mensagem: %s"},
	"post.revoked":   {"en": "🗑 The customer deleted a message.", "es": "🗑 El cliente borró un mensaje.", "pt": "🗑 O cliente apagou uma mensagem."},
	"post.forwarded": {"en": "↪ Forwarded", "es": "↪ Reenviado", "pt": "↪ Encaminhada"},
	"post.reply_to":  {"en": "↩ In reply to: %s", "es": "↩ En respuesta a: %s", "pt": "↩ Em resposta a: %s"},
	"post.reacted":   {"en": "Reacted %s to a message", "es": "Reaccionó %s a un mensaje", "pt": "Reagiu %s a uma mensagem"},
	"post.unreacted": {"en": "Removed a reaction", "es": "Quitó una reacción", "pt": "Removeu uma reação"},
	// edges (issue 15, H4): undecodable batch items, agent file limits.
	"post.unreadable": {
		"en": "⚠️ The customer sent a message (“%s”) that switchboard could not read. It is stored as received; check the logs or ask them to send it again.",
		"es": "⚠️ El cliente envió un mensaje («%s») que switchboard no pudo leer. Está guardado tal como llegó; revisa los registros o pídele que lo envíe de nuevo.",
		"pt": "⚠️ O cliente enviou uma mensagem (“%s”) que o switchboard não conseguiu ler. Ela foi guardada como chegou; veja os registros ou peça que a envie de novo.",
	},
	"fail.file_too_large": {
		"en": "the file is larger than WhatsApp accepts (images 5 MB; audio and video 16 MB; documents 100 MB), so it was not sent. Share a smaller file or a link instead.",
		"es": "el archivo supera lo que WhatsApp acepta (imágenes 5 MB; audio y vídeo 16 MB; documentos 100 MB), así que no se envió. Comparte un archivo más pequeño o un enlace.",
		"pt": "o arquivo é maior do que o WhatsApp aceita (imagens 5 MB; áudio e vídeo 16 MB; documentos 100 MB), por isso não foi enviado. Compartilhe um arquivo menor ou um link.",
	},
	"post.unsupported": {
		"en": "⚠️ The customer sent a message WhatsApp cannot deliver to businesses (%s). Ask them to send it another way.",
		"es": "⚠️ El cliente envió un mensaje que WhatsApp no entrega a empresas (%s). Pídele que lo envíe de otra forma.",
		"pt": "⚠️ O cliente enviou uma mensagem que o WhatsApp não entrega a empresas (%s). Peça que envie de outra forma.",
	},
	"post.unknown": {
		"en": "⚠️ The customer sent a “%s” message, which switchboard cannot show yet. It is stored.",
		"es": "⚠️ El cliente envió un mensaje de tipo “%s”, que switchboard aún no puede mostrar. Está guardado.",
		"pt": "⚠️ O cliente enviou uma mensagem do tipo “%s”, que o switchboard ainda não consegue mostrar. Ela foi guardada.",
	},
	"post.media_missing": {
		"en": "%s — the file could not be fetched from WhatsApp (%s).",
		"es": "%s — no se pudo obtener el archivo de WhatsApp (%s).",
		"pt": "%s — não foi possível obter o arquivo do WhatsApp (%s).",
	},

	"sys.claimed":     {"en": "✋ %s claimed this conversation.", "es": "✋ %s tomó esta conversación.", "pt": "✋ %s assumiu esta conversa."},
	"sys.unclaimed":   {"en": "↩️ %s released this conversation; it waits for an agent.", "es": "↩️ %s soltó esta conversación; espera a un agente.", "pt": "↩️ %s liberou esta conversa; ela aguarda um agente."},
	"sys.resolved":    {"en": "✅ %s resolved this conversation.", "es": "✅ %s resolvió esta conversación.", "pt": "✅ %s resolveu esta conversa."},
	"sys.reopened_by": {"en": "🔁 %s reopened this conversation.", "es": "🔁 %s reabrió esta conversación.", "pt": "🔁 %s reabriu esta conversa."},
	"sys.reopened":    {"en": "🔁 The customer wrote again, so the conversation is open again.", "es": "🔁 El cliente volvió a escribir: la conversación está abierta de nuevo.", "pt": "🔁 O cliente escreveu de novo: a conversa está aberta outra vez."},

	"sys.remind_assignee":   {"en": "⏰ %s, the customer has been waiting for an answer for %s.", "es": "⏰ %s, el cliente lleva %s esperando respuesta.", "pt": "⏰ %s, o cliente está esperando resposta há %s."},
	"sys.remind_team":       {"en": "⏰ %s — this conversation of team %s has waited for %s with nobody on it. Press Claim to take it.", "es": "⏰ %s — esta conversación del equipo %s lleva %s esperando sin nadie. Pulsa Tomar para atenderla.", "pt": "⏰ %s — esta conversa da equipe %s espera há %s sem ninguém. Clique em Assumir para atendê-la."},
	"sys.escalated":         {"en": "🚨 %s — escalated: the customer has been waiting for %s.", "es": "🚨 %s — escalada: el cliente lleva %s esperando.", "pt": "🚨 %s — escalada: o cliente está esperando há %s."},
	"sys.assigned":          {"en": "🙋 Assigned to %s.", "es": "🙋 Asignada a %s.", "pt": "🙋 Atribuída a %s."},
	"sys.auto_reply":        {"en": "🌙 Outside business hours; the customer was told: “%s”", "es": "🌙 Fuera de horario; se le dijo al cliente: «%s»", "pt": "🌙 Fora do horário; o cliente recebeu: “%s”"},
	"sys.taken_over":        {"en": "🛡 %s took over this conversation from %s.", "es": "🛡 %s tomó el control de esta conversación (antes: %s).", "pt": "🛡 %s assumiu esta conversa no lugar de %s."},
	"sys.transferred_agent": {"en": "↪️ %s transferred this conversation to %s.%s", "es": "↪️ %s transfirió esta conversación a %s.%s", "pt": "↪️ %s transferiu esta conversa para %s.%s"},
	"sys.transfer_context": {
		"en": "↪️ *Transferred from team %s* by %s%s\n*Customer:* %s (%s)\n*So far:* %d messages since %s\n*Last messages:*\n%s\n*Earlier thread:* %s",
		"es": "↪️ *Transferida desde el equipo %s* por %s%s\n*Cliente:* %s (%s)\n*Hasta ahora:* %d mensajes desde %s\n*Últimos mensajes:*\n%s\n*Hilo anterior:* %s",
		"pt": "↪️ *Transferida da equipe %s* por %s%s\n*Cliente:* %s (%s)\n*Até agora:* %d mensagens desde %s\n*Últimas mensagens:*\n%s\n*Fio anterior:* %s",
	},
	"sys.transfer_reason": {"en": "\n*Reason:* %s", "es": "\n*Motivo:* %s", "pt": "\n*Motivo:* %s"},
	"sys.moved":           {"en": "➡️ This conversation moved to team %s: %s", "es": "➡️ Esta conversación pasó al equipo %s: %s", "pt": "➡️ Esta conversa passou para a equipe %s: %s"},
	"state.transferred":   {"en": "↪️ Transferred to %s", "es": "↪️ Transferida a %s", "pt": "↪️ Transferida para %s"},
	"who.customer":        {"en": "customer", "es": "cliente", "pt": "cliente"},
	"who.agent":           {"en": "agent", "es": "agente", "pt": "agente"},

	"tell.held": {
		"en": "%s holds this conversation, so your message was kept as an internal note and NOT sent to the customer. Ask them here in the thread, or claim it once they release it.",
		"es": "%s tiene esta conversación, así que tu mensaje quedó como nota interna y NO se envió al cliente. Pídesela aquí en el hilo, o tómala cuando la suelte.",
		"pt": "%s está com esta conversa, então sua mensagem ficou como nota interna e NÃO foi enviada ao cliente. Peça aqui no fio, ou assuma quando ela for liberada.",
	},
	"tell.claimed_by_other": {"en": "%s already holds this conversation.", "es": "%s ya tiene esta conversación.", "pt": "%s já está com esta conversa."},
	"tell.not_holder":       {"en": "Only %s, who holds this conversation, can release it.", "es": "Solo %s, que tiene esta conversación, puede soltarla.", "pt": "Só %s, que está com esta conversa, pode liberá-la."},
	// Who may act (membership.go).
	"tell.membership_unknown": {
		"en": "I cannot tell right now who the agents of %s are: the member list of the team's channel could not be read. So nothing was done and nothing was sent. Try again in a few minutes; if it lasts, ask an admin to check the app's access to the channel (channels:read).",
		"es": "Ahora mismo no puedo saber quiénes son los agentes de %s: no se pudo leer la lista de miembros del canal del equipo. Así que no se hizo nada y no se envió nada. Inténtalo en unos minutos; si sigue, pide a un administrador que revise el acceso de la app al canal (channels:read).",
		"pt": "Agora não consigo saber quem são os agentes de %s: não foi possível ler a lista de membros do canal da equipe. Então nada foi feito e nada foi enviado. Tente em alguns minutos; se continuar, peça a um administrador para verificar o acesso do app ao canal (channels:read).",
	},
	"tell.guest": {
		"en": "You are in team %s's channel as a guest from another workspace, and guests cannot act on its conversations unless an admin lists them as members. Nothing was sent.",
		"es": "Estás en el canal del equipo %s como invitado de otro espacio de trabajo, y los invitados no pueden actuar en sus conversaciones salvo que un administrador los añada como miembros. No se envió nada.",
		"pt": "Você está no canal da equipe %s como convidado de outro espaço de trabalho, e convidados não podem agir nas conversas dela, a menos que um administrador os liste como membros. Nada foi enviado.",
	},
	"tell.transfer_outsider": {
		"en": "%s is not an agent of any team, so the conversation was not handed to them. Name an agent of a team, or a team: %s",
		"es": "%s no es agente de ningún equipo, así que no se le pasó la conversación. Indica un agente de un equipo, o un equipo: %s",
		"pt": "%s não é agente de nenhuma equipe, então a conversa não foi passada para essa pessoa. Indique um agente de uma equipe, ou uma equipe: %s",
	},
	"cmd.transfer_not_member": {
		"en": "You are not an agent of team %s, so you cannot move its conversation #%d.",
		"es": "No eres agente del equipo %s, así que no puedes mover su conversación #%d.",
		"pt": "Você não é agente da equipe %s, então não pode mover a conversa #%d dela.",
	},
	"cmd.queue_no_team": {
		"en": "You are not an agent of any team, so there is nothing to show you. Ask an admin to add you to a team's channel.",
		"es": "No eres agente de ningún equipo, así que no hay nada que mostrarte. Pide a un administrador que te añada al canal de un equipo.",
		"pt": "Você não é agente de nenhuma equipe, então não há nada para mostrar. Peça a um administrador para adicionar você ao canal de uma equipe.",
	},
	"sys.agent_left": {
		"en": "%s is no longer an agent of this team, so this conversation is back in the queue.",
		"es": "%s ya no es agente de este equipo, así que esta conversación vuelve a la cola.",
		"pt": "%s não é mais agente desta equipe, então esta conversa voltou para a fila.",
	},
	"tell.not_claimed":      {"en": "Nobody holds this conversation.", "es": "Nadie tiene esta conversación.", "pt": "Ninguém está com esta conversa."},
	"tell.already_resolved": {"en": "This conversation is already resolved.", "es": "Esta conversación ya está resuelta.", "pt": "Esta conversa já está resolvida."},
	"tell.not_resolved":     {"en": "This conversation is open; there is nothing to reopen.", "es": "Esta conversación está abierta; no hay nada que reabrir.", "pt": "Esta conversa está aberta; não há o que reabrir."},
	"tell.already_yours":    {"en": "You already hold this conversation.", "es": "Ya tienes esta conversación.", "pt": "Você já está com esta conversa."},
	"tell.unknown_command": {
		"en": "Unknown command “%s”. In a conversation thread you can write !claim, !unclaim, !resolve or !reopen.",
		"es": "Comando desconocido «%s». En el hilo de una conversación puedes escribir !claim, !unclaim, !resolve o !reopen.",
		"pt": "Comando desconhecido “%s”. No fio de uma conversa você pode escrever !claim, !unclaim, !resolve ou !reopen.",
	},
	"tell.newer_thread": {
		"en": "This conversation was resolved and the customer has a newer one, so your message was NOT sent. Reply in the newer thread: %s",
		"es": "Esta conversación se resolvió y el cliente tiene una más reciente, así que tu mensaje NO se envió. Responde en el hilo nuevo: %s",
		"pt": "Esta conversa foi resolvida e o cliente tem uma mais recente, então sua mensagem NÃO foi enviada. Responda no fio novo: %s",
	},

	"tell.not_member": {
		"en": "You are not an agent of team %s, so your message was kept as an internal note and NOT sent.",
		"es": "No eres agente del equipo %s, así que tu mensaje quedó como nota interna y NO se envió.",
		"pt": "Você não é agente da equipe %s, então sua mensagem ficou como nota interna e NÃO foi enviada.",
	},
	"tell.not_supervisor": {"en": "Only a supervisor of team %s can take over a conversation.", "es": "Solo un supervisor del equipo %s puede tomar el control de una conversación.", "pt": "Só um supervisor da equipe %s pode assumir uma conversa."},
	"tell.took_over_you":  {"en": "%s took over a conversation you held: %s", "es": "%s tomó el control de una conversación que tenías: %s", "pt": "%s assumiu uma conversa que estava com você: %s"},
	"tell.moved": {
		"en": "This conversation moved to team %s, so your message was NOT sent. It continues here: %s",
		"es": "Esta conversación pasó al equipo %s, así que tu mensaje NO se envió. Continúa aquí: %s",
		"pt": "Esta conversa passou para a equipe %s, então sua mensagem NÃO foi enviada. Ela continua aqui: %s",
	},
	"tell.transfer_usage": {
		"en": "Write !transfer @agent or !transfer team-name, optionally followed by a reason. Teams: %s",
		"es": "Escribe !transfer @agente o !transfer nombre-de-equipo, y si quieres un motivo. Equipos: %s",
		"pt": "Escreva !transfer @agente ou !transfer nome-da-equipe, e se quiser um motivo. Equipes: %s",
	},
	"tell.transfer_resolved": {"en": "A resolved conversation cannot be transferred; reopen it first.", "es": "No se puede transferir una conversación resuelta; reábrela primero.", "pt": "Uma conversa resolvida não pode ser transferida; reabra-a antes."},
	"tell.transfer_held": {
		"en": "%s holds this conversation: only they or a supervisor can transfer it. Ask them here in the thread.",
		"es": "%s tiene esta conversación: solo esa persona o un supervisor puede transferirla. Pídeselo aquí en el hilo.",
		"pt": "%s está com esta conversa: só essa pessoa ou um supervisor pode transferi-la. Peça aqui no tópico.",
	},
	"tell.transfer_away":         {"en": "%s is away, so the conversation was not transferred. Pick someone available or a team.", "es": "%s está ausente, así que la conversación no se transfirió. Elige a alguien disponible o un equipo.", "pt": "%s está ausente, então a conversa não foi transferida. Escolha alguém disponível ou uma equipe."},
	"tell.transfer_same_team":    {"en": "This conversation is already in team %s.", "es": "Esta conversación ya está en el equipo %s.", "pt": "Esta conversa já está na equipe %s."},
	"tell.transfer_unknown":      {"en": "There is no team or agent called “%s”. Teams: %s", "es": "No hay ningún equipo ni agente llamado «%s». Equipos: %s", "pt": "Não há equipe nem agente chamado “%s”. Equipes: %s"},
	"tell.transfer_no_workspace": {"en": "Team %s lives in a workspace this switchboard is not connected to.", "es": "El equipo %s está en un espacio de trabajo al que este switchboard no está conectado.", "pt": "A equipe %s está em um espaço de trabalho ao qual este switchboard não está conectado."},

	"fail.prefix": {"en": "%s, this message was not delivered: %s", "es": "%s, este mensaje no se entregó: %s", "pt": "%s, esta mensagem não foi entregue: %s"},
	"fail.outside_window": {
		"en": "the customer last wrote more than 24 hours ago, and WhatsApp then only allows an approved template message. Send a template, or wait for the customer to write again.",
		"es": "el cliente escribió por última vez hace más de 24 horas y WhatsApp entonces solo permite una plantilla aprobada. Envía una plantilla o espera a que el cliente vuelva a escribir.",
		"pt": "o cliente escreveu pela última vez há mais de 24 horas e o WhatsApp então só permite um modelo aprovado. Envie um modelo ou espere o cliente escrever de novo.",
	},
	"fail.held": {
		"en": "someone else took this conversation over before it went out, so it was kept back. Ask them here in the thread.",
		"es": "otra persona tomó esta conversación antes de que saliera, así que se retuvo. Pregúntale aquí en el hilo.",
		"pt": "outra pessoa assumiu esta conversa antes de ela sair, então foi retida. Pergunte a ela aqui no tópico.",
	},
	"fail.held_assistant": {
		"en": "the conversation left the assistant before it went out, so it was kept back. Nothing AI-written reached the customer.",
		"es": "la conversación dejó al asistente antes de que saliera, así que se retuvo. Nada escrito por la IA llegó al cliente.",
		"pt": "a conversa deixou o assistente antes de ela sair, então foi retida. Nada escrito pela IA chegou ao cliente.",
	},
	"fail.undeliverable": {
		"en": "WhatsApp could not deliver it to this number (it may not use WhatsApp, or may have blocked the business).",
		"es": "WhatsApp no pudo entregarlo a este número (puede que no use WhatsApp o que haya bloqueado a la empresa).",
		"pt": "o WhatsApp não conseguiu entregar a este número (pode não usar WhatsApp ou ter bloqueado a empresa).",
	},
	"fail.token_expired": {
		"en": "switchboard's WhatsApp access token has expired or was revoked. An admin must replace it (docs/setup-whatsapp.md).",
		"es": "el token de acceso de WhatsApp de switchboard caducó o fue revocado. Un administrador debe reemplazarlo (docs/setup-whatsapp.md).",
		"pt": "o token de acesso do WhatsApp do switchboard expirou ou foi revogado. Um administrador precisa substituí-lo (docs/setup-whatsapp.md).",
	},
	"fail.unsupported":     {"en": "WhatsApp does not support this kind of message.", "es": "WhatsApp no admite este tipo de mensaje.", "pt": "o WhatsApp não aceita este tipo de mensagem."},
	"fail.invalid_request": {"en": "WhatsApp rejected it as invalid (code %s).", "es": "WhatsApp lo rechazó como inválido (código %s).", "pt": "o WhatsApp recusou como inválida (código %s)."},
	"fail.policy":          {"en": "WhatsApp blocked it because of a messaging limit or policy.", "es": "WhatsApp lo bloqueó por un límite o una política de mensajes.", "pt": "o WhatsApp bloqueou por um limite ou política de mensagens."},
	"fail.media_rejected":  {"en": "WhatsApp rejected the attachment (too large or an unsupported file type).", "es": "WhatsApp rechazó el adjunto (demasiado grande o de un tipo no admitido).", "pt": "o WhatsApp recusou o anexo (grande demais ou de um tipo não aceito)."},
	"fail.unloadable":      {"en": "switchboard could not prepare %s (its saved data is damaged or missing), so it was skipped to let the next messages of this conversation through. If something seems to be missing here or on the customer's side, please send it again.", "es": "switchboard no pudo preparar %s (sus datos guardados están dañados o faltan), así que lo omitió para que pasen los siguientes mensajes de esta conversación. Si falta algo aquí o del lado del cliente, envíalo de nuevo.", "pt": "o switchboard não conseguiu preparar %s (os dados salvos estão danificados ou faltando), então foi ignorado para que as próximas mensagens desta conversa passem. Se algo parecer faltar aqui ou do lado do cliente, envie de novo."},
	"fail.unloadable_in":   {"en": "a message from the customer", "es": "un mensaje del cliente", "pt": "uma mensagem do cliente"},
	"fail.unloadable_out":  {"en": "a message to the customer", "es": "un mensaje al cliente", "pt": "uma mensagem ao cliente"},
	"fail.unloadable_up":   {"en": "an update of this thread", "es": "una actualización de este hilo", "pt": "uma atualização desta conversa"},
	"fail.temporary":       {"en": "WhatsApp kept failing after %d attempts, so switchboard gave up. Please try again later.", "es": "WhatsApp siguió fallando tras %d intentos y switchboard desistió. Inténtalo más tarde.", "pt": "o WhatsApp continuou falhando após %d tentativas e o switchboard desistiu. Tente mais tarde."},
	"fail.unknown":         {"en": "WhatsApp refused it (code %s).", "es": "WhatsApp lo rechazó (código %s).", "pt": "o WhatsApp recusou (código %s)."},
	"fail.file":            {"en": "the attached file could not be read from the workspace.", "es": "no se pudo leer el archivo adjunto del espacio de trabajo.", "pt": "não foi possível ler o arquivo anexado do espaço de trabalho."},

	"cmd.now_available":   {"en": "✅ You are available: new conversations may be assigned to you.", "es": "✅ Estás disponible: se te pueden asignar conversaciones nuevas.", "pt": "✅ Você está disponível: novas conversas podem ser atribuídas a você."},
	"cmd.now_away":        {"en": "💤 You are away: no new conversations will be assigned to you. Use the “available” command when you are back.", "es": "💤 Estás ausente: no se te asignarán conversaciones nuevas. Usa el comando «available» al volver.", "pt": "💤 Você está ausente: nenhuma conversa nova será atribuída a você. Use o comando “available” ao voltar."},
	"cmd.state_default":   {"en": "available (default)", "es": "disponible (por defecto)", "pt": "disponível (padrão)"},
	"tell.not_stored":     {"en": "%s Your message could not be saved, so it did not reach the customer. Please send it again.", "es": "%s No se pudo guardar tu mensaje, así que no llegó al cliente. Envíalo de nuevo, por favor.", "pt": "%s Não foi possível salvar sua mensagem, então ela não chegou ao cliente. Envie-a novamente, por favor."},
	"cmd.state_available": {"en": "available (%s, since %s)", "es": "disponible (%s, desde %s)", "pt": "disponível (%s, desde %s)"},
	"cmd.state_off_shift": {"en": "away (shift: off shift now)", "es": "ausente (turno: fuera de turno ahora)", "pt": "ausente (turno: fora do turno agora)"},
	"cmd.state_on_shift":  {"en": "available (shift)", "es": "disponible (turno)", "pt": "disponível (turno)"},
	"cmd.state_away":      {"en": "away (%s, since %s)", "es": "ausente (%s, desde %s)", "pt": "ausente (%s, desde %s)"},
	"cmd.status_you":      {"en": "%s: %s · %d open conversations", "es": "%s: %s · %d conversaciones abiertas", "pt": "%s: %s · %d conversas abertas"},
	"cmd.queue_team":      {"en": "*%s* — %d waiting, %d assigned", "es": "*%s* — %d esperando, %d asignadas", "pt": "*%s* — %d aguardando, %d atribuídas"},
	"cmd.queue_waiting":   {"en": "  ⏳ #%d waiting for %s %s", "es": "  ⏳ #%d esperando desde hace %s %s", "pt": "  ⏳ #%d aguardando há %s %s"},
	"cmd.queue_assigned":  {"en": "  🙋 #%d with %s, open for %s %s", "es": "  🙋 #%d con %s, abierta hace %s %s", "pt": "  🙋 #%d com %s, aberta há %s %s"},
	"cmd.transfer_usage":  {"en": "Usage: /switchboard transfer <conversation number> <@agent|team> [reason]. Teams: %s", "es": "Uso: /switchboard transfer <número de conversación> <@agente|equipo> [motivo]. Equipos: %s", "pt": "Uso: /switchboard transfer <número da conversa> <@agente|equipe> [motivo]. Equipes: %s"},
	"cmd.no_conversation": {"en": "There is no conversation %s.", "es": "No existe la conversación %s.", "pt": "Não existe a conversa %s."},
	"cmd.transfer_done":   {"en": "Transfer of conversation #%d requested; its thread shows the result.", "es": "Transferencia de la conversación #%d solicitada; su hilo muestra el resultado.", "pt": "Transferência da conversa #%d solicitada; o fio mostra o resultado."},

	// Supervisor metrics, satisfaction surveys, SLAs and digests.
	"cmd.metrics_unavailable": {"en": "Metrics are not available in this switchboard.", "es": "Las métricas no están disponibles en este switchboard.", "pt": "As métricas não estão disponíveis neste switchboard."},
	// Metrics tables and digest charts (bridge/report).
	"report.all":            {"en": "all teams", "es": "todos los equipos", "pt": "todas as equipes"},
	"report.received":       {"en": "Received", "es": "Recibidas", "pt": "Recebidas"},
	"report.assigned":       {"en": "Assigned", "es": "Asignadas", "pt": "Atribuídas"},
	"report.resolved":       {"en": "Resolved", "es": "Resueltas", "pt": "Resolvidas"},
	"report.reopened":       {"en": "Reopened", "es": "Reabiertas", "pt": "Reabertas"},
	"report.transfer_in":    {"en": "Transfer in", "es": "Transf. entrada", "pt": "Transf. entrada"},
	"report.transfer_out":   {"en": "Transfer out", "es": "Transf. salida", "pt": "Transf. saída"},
	"report.replies":        {"en": "Replies", "es": "Respuestas", "pt": "Respostas"},
	"report.median":         {"en": "median", "es": "mediana", "pt": "mediana"},
	"report.p90":            {"en": "p90", "es": "p90", "pt": "p90"},
	"report.count":          {"en": "n", "es": "n", "pt": "n"},
	"report.first_response": {"en": "First response", "es": "1.ª respuesta", "pt": "1ª resposta"},
	"report.reply_time":     {"en": "Reply time", "es": "T. de respuesta", "pt": "T. de resposta"},
	"report.resolution":     {"en": "Resolution", "es": "Resolución", "pt": "Resolução"},
	"report.business":       {"en": "  business hrs", "es": "  h. laborables", "pt": "  h. úteis"},
	"report.backlog":        {"en": "Backlog now", "es": "Pendientes ahora", "pt": "Pendentes agora"},
	"report.open":           {"en": "open", "es": "abiertas", "pt": "abertas"},
	"report.unassigned":     {"en": "unassigned", "es": "sin asignar", "pt": "sem atribuição"},
	"report.waiting":        {"en": "waiting", "es": "esperando", "pt": "aguardando"},
	"report.oldest":         {"en": "oldest", "es": "la más antigua", "pt": "a mais antiga"},
	"report.breaching":      {"en": "past SLA", "es": "fuera de SLA", "pt": "fora do SLA"},
	"report.csat":           {"en": "CSAT", "es": "CSAT", "pt": "CSAT"},
	"report.answered":       {"en": "answered", "es": "respondidas", "pt": "respondidas"},
	"report.sla":            {"en": "SLA met", "es": "SLA cumplido", "pt": "SLA cumprido"},
	"report.sla_first":      {"en": "first", "es": "primera", "pt": "primeira"},
	"report.sla_next":       {"en": "next", "es": "siguiente", "pt": "seguinte"},
	"report.sla_resolution": {"en": "resolution", "es": "resolución", "pt": "resolução"},
	"report.agent":          {"en": "Agent", "es": "Agente", "pt": "Agente"},
	"report.agent_assigned": {"en": "Asgn", "es": "Asig", "pt": "Atrib"},
	"report.agent_replies":  {"en": "Repl", "es": "Resp", "pt": "Resp"},
	"report.agent_resolved": {"en": "Res", "es": "Res", "pt": "Res"},
	"report.agent_first":    {"en": "1st med", "es": "1.ª med", "pt": "1ª med"},
	"report.agent_reply":    {"en": "Reply med", "es": "Resp med", "pt": "Resp med"},
	"report.agent_open":     {"en": "Open", "es": "Abier", "pt": "Abert"},
	"report.agent_csat":     {"en": "CSAT", "es": "CSAT", "pt": "CSAT"},
	"report.none":           {"en": "–", "es": "–", "pt": "–"},
	"report.pending": {"en": "⏳ %d conversations are still being counted; ask again in a minute for figures that include them.",
		"es": "⏳ Aún se están contando %d conversaciones; vuelve a preguntar en un minuto para incluirlas.",
		"pt": "⏳ Ainda estão sendo contadas %d conversas; pergunte de novo em um minuto para incluí-las."},
	"report.chart_volume":        {"en": "Conversations opened by hour (%s)", "es": "Conversaciones abiertas por hora (%s)", "pt": "Conversas abertas por hora (%s)"},
	"report.chart_trend":         {"en": "Median first response per day (minutes)", "es": "Mediana de la primera respuesta por día (minutos)", "pt": "Mediana da primeira resposta por dia (minutos)"},
	"report.chart_agents":        {"en": "Conversations assigned per agent", "es": "Conversaciones asignadas por agente", "pt": "Conversas atribuídas por agente"},
	"report.chart_conversations": {"en": "conversations", "es": "conversaciones", "pt": "conversas"},
	"report.chart_minutes":       {"en": "minutes", "es": "minutos", "pt": "minutos"},

	"cmd.metrics_posted":     {"en": "📊 Shared in the channel.", "es": "📊 Compartido en el canal.", "pt": "📊 Compartilhado no canal."},
	"cmd.metrics_not_posted": {"en": "The metrics could not be shared in the channel (%s); here they are for you:", "es": "No se pudieron compartir las métricas en el canal (%s); aquí las tienes:", "pt": "Não foi possível compartilhar as métricas no canal (%s); aqui estão para você:"},
	"sys.metrics_shared":     {"en": "📊 %s shared these metrics:", "es": "📊 %s compartió estas métricas:", "pt": "📊 %s compartilhou estas métricas:"},

	"csat.question": {
		"en": "Your conversation with us is closed. How did we do?",
		"es": "Tu conversación con nosotros se cerró. ¿Cómo lo hicimos?",
		"pt": "Sua conversa conosco foi encerrada. Como nos saímos?",
	},
	// Button titles: at most 20 characters (WhatsApp's limit).
	"csat.good_button": {"en": "😀 Good", "es": "😀 Bien", "pt": "😀 Bom"},
	"csat.okay_button": {"en": "😐 Okay", "es": "😐 Regular", "pt": "😐 Regular"},
	"csat.bad_button":  {"en": "🙁 Bad", "es": "🙁 Mal", "pt": "🙁 Ruim"},
	"csat.good":        {"en": "good", "es": "bien", "pt": "bom"},
	"csat.okay":        {"en": "okay", "es": "regular", "pt": "regular"},
	"csat.bad":         {"en": "bad", "es": "mal", "pt": "ruim"},
	"csat.thanks":      {"en": "Thank you for your feedback!", "es": "¡Gracias por tu opinión!", "pt": "Obrigado pela sua avaliação!"},
	"csat.thanks_comment": {
		"en": "Thank you for your feedback! If you want to tell us more, just write it here in the next %s.",
		"es": "¡Gracias por tu opinión! Si quieres contarnos algo más, escríbelo aquí en los próximos %s.",
		"pt": "Obrigado pela sua avaliação! Se quiser contar mais, escreva aqui nos próximos %s.",
	},
	"sys.csat": {"en": "⭐ CSAT: %s", "es": "⭐ CSAT: %s", "pt": "⭐ CSAT: %s"},
	"sys.csat_failed": {"en": "The satisfaction survey was not sent: %s It does not count in the metrics.",
		"es": "La encuesta de satisfacción no se envió: %s No cuenta en las métricas.",
		"pt": "A pesquisa de satisfação não foi enviada: %s Ela não conta nas métricas."},
	"cmd.metrics_denied": {"en": "Only supervisors can read the figures of %s. You can always read your own: metrics @%s",
		"es": "Solo los supervisores pueden ver las cifras de %s. Siempre puedes ver las tuyas: metrics @%s",
		"pt": "Só os supervisores podem ver os números de %s. Você sempre pode ver os seus: metrics @%s"},
	"sys.csat_comment": {"en": "💬 CSAT comment: “%s”", "es": "💬 Comentario CSAT: «%s»", "pt": "💬 Comentário CSAT: “%s”"},

	"sla.first_response": {"en": "first response", "es": "primera respuesta", "pt": "primeira resposta"},
	"sla.next_response":  {"en": "next response", "es": "siguiente respuesta", "pt": "próxima resposta"},
	"sla.resolution":     {"en": "resolution", "es": "resolución", "pt": "resolução"},
	"sla.business":       {"en": " (business hours)", "es": " (horario laboral)", "pt": " (horário comercial)"},
	"sys.sla_warning":    {"en": "⚠️ %sSLA %s: %s of %s used%s.", "es": "⚠️ %sSLA de %s: usado %s de %s%s.", "pt": "⚠️ %sSLA de %s: usado %s de %s%s."},
	"sys.sla_breach":     {"en": "🚨 %sSLA breached — %s: %s, target %s%s.", "es": "🚨 %sSLA incumplido — %s: %s, objetivo %s%s.", "pt": "🚨 %sSLA violado — %s: %s, meta %s%s."},
	"sup.sla_warning": {
		"en": "⚠️ Team %s · conversation #%d · SLA %s: %s of %s used%s · assignee: %s",
		"es": "⚠️ Equipo %s · conversación #%d · SLA de %s: usado %s de %s%s · asignada a: %s",
		"pt": "⚠️ Equipe %s · conversa #%d · SLA de %s: usado %s de %s%s · responsável: %s",
	},
	"sup.sla_breach": {
		"en": "🚨 Team %s · conversation #%d · SLA breached — %s: %s, target %s%s · assignee: %s",
		"es": "🚨 Equipo %s · conversación #%d · SLA incumplido — %s: %s, objetivo %s%s · asignada a: %s",
		"pt": "🚨 Equipe %s · conversa #%d · SLA violado — %s: %s, meta %s%s · responsável: %s",
	},
	"digest.daily":  {"en": "📊 *Daily digest* · team %[1]s · %[2]s", "es": "📊 *Resumen diario* · equipo %[1]s · %[2]s", "pt": "📊 *Resumo diário* · equipe %[1]s · %[2]s"},
	"digest.weekly": {"en": "📊 *Weekly digest* · team %s · %s → %s", "es": "📊 *Resumen semanal* · equipo %s · %s → %s", "pt": "📊 *Resumo semanal* · equipe %s · %s → %s"},

	"cmd.help": {
		"en": "switchboard answers your WhatsApp customers from this workspace. In a conversation thread: reply to answer, start with %s for an internal note, and use the card buttons or !claim, !unclaim, !resolve, !reopen, !transfer @agent|team [reason], !takeover (supervisors). Here: /switchboard available | away | status | queue | metrics [team|@agent] [today|yesterday|7d|30d] [post] | transfer <n> <@agent|team> [reason].",
		"es": "switchboard responde a tus clientes de WhatsApp desde este espacio. En el hilo de una conversación: responde para contestar, empieza con %s para una nota interna, y usa los botones de la tarjeta o !claim, !unclaim, !resolve, !reopen, !transfer @agente|equipo [motivo], !takeover (supervisores). Aquí: /switchboard available | away | status | queue | metrics [equipo|@agente] [today|yesterday|7d|30d] [post] | transfer <n> <@agente|equipo> [motivo].",
		"pt": "O switchboard responde aos seus clientes do WhatsApp a partir deste espaço. No fio de uma conversa: responda para falar com o cliente, comece com %s para uma nota interna, e use os botões do cartão ou !claim, !unclaim, !resolve, !reopen, !transfer @agente|equipe [motivo], !takeover (supervisores). Aqui: /switchboard available | away | status | queue | metrics [equipe|@agente] [today|yesterday|7d|30d] [post] | transfer <n> <@agente|equipe> [motivo].",
	},
}
