package bridge

// assistTexts are the texts of suggestions and summaries (assist_agent.go)
// and of the workspaces' forms and commands for them.
var assistTexts = map[string]translations{
	"assist.off": {
		"en": "✨ AI assist is off here: no assistant is configured. An administrator turns it on in the `assistant:` section of switchboard's configuration (see docs/ai.md); it can run offline, without any key.",
		"es": "✨ La asistencia con IA está desactivada: no hay ningún asistente configurado. Un administrador la activa en la sección `assistant:` de la configuración de switchboard (ver docs/ai.md); puede funcionar sin conexión, sin ninguna clave.",
		"pt": "✨ A assistência com IA está desligada: nenhum assistente está configurado. Um administrador a liga na seção `assistant:` da configuração do switchboard (veja docs/ai.md); ela pode funcionar offline, sem nenhuma chave.",
	},

	// A draft, shown privately to the agent who asked.
	"assist.draft_header": {
		"en": "✨ *Suggested reply* (AI%s). Only you see this; nothing reaches the customer until you press Send:",
		"es": "✨ *Respuesta sugerida* (IA%s). Solo tú ves esto; nada llega al cliente hasta que pulses Enviar:",
		"pt": "✨ *Resposta sugerida* (IA%s). Só você vê isto; nada chega ao cliente até você tocar em Enviar:",
	},
	"assist.draft_sources": {
		"en": "📚 Sources: %s",
		"es": "📚 Fuentes: %s",
		"pt": "📚 Fontes: %s",
	},
	"assist.draft_no_sources": {
		"en": "📚 No knowledge-base passage supports it: check the facts before sending.",
		"es": "📚 Ningún pasaje de la base de conocimiento la respalda: comprueba los datos antes de enviarla.",
		"pt": "📚 Nenhum trecho da base de conhecimento a sustenta: confira os fatos antes de enviar.",
	},
	"assist.draft_press": {
		"en": "*Send* sends it as your reply, *Edit* lets you change it first, *Discard* drops it.",
		"es": "*Enviar* la envía como tu respuesta, *Editar* te deja cambiarla antes, *Descartar* la elimina.",
		"pt": "*Enviar* a envia como sua resposta, *Editar* deixa você mudá-la antes, *Descartar* a elimina.",
	},
	"assist.draft_empty": {
		"en": "✨ The assistant found nothing worth suggesting for this conversation yet. Write your reply as usual.",
		"es": "✨ El asistente aún no encontró nada que sugerir para esta conversación. Escribe tu respuesta como siempre.",
		"pt": "✨ O assistente ainda não encontrou nada para sugerir nesta conversa. Escreva sua resposta como sempre.",
	},
	"assist.send":    {"en": "Send", "es": "Enviar", "pt": "Enviar"},
	"assist.edit":    {"en": "Edit", "es": "Editar", "pt": "Editar"},
	"assist.discard": {"en": "Discard", "es": "Descartar", "pt": "Descartar"},
	"assist.retry":   {"en": "Try again", "es": "Otra sugerencia", "pt": "Outra sugestão"},

	// Pressing the draft's buttons.
	"assist.sent_post": {
		"en": "✨ %s sent an AI-suggested reply:",
		"es": "✨ %s envió una respuesta sugerida por la IA:",
		"pt": "✨ %s enviou uma resposta sugerida pela IA:",
	},
	"assist.sent_post_edited": {
		"en": "✨ %s sent an AI-suggested reply, edited:",
		"es": "✨ %s envió una respuesta sugerida por la IA, editada:",
		"pt": "✨ %s enviou uma resposta sugerida pela IA, editada:",
	},
	"assist.draft_gone": {
		"en": "This suggestion was already sent or discarded, so nothing was sent now. Press *Suggest reply* on the card, or write !suggest, for a new one.",
		"es": "Esta sugerencia ya se envió o se descartó, así que ahora no se envió nada. Pulsa *Sugerir respuesta* en la tarjeta, o escribe !suggest, para otra.",
		"pt": "Esta sugestão já foi enviada ou descartada, então nada foi enviado agora. Toque em *Sugerir resposta* no cartão, ou escreva !suggest, para outra.",
	},
	"assist.draft_not_yours": {
		"en": "This suggestion was made for %s: only they can send it. Write !suggest for one of your own.",
		"es": "Esta sugerencia se hizo para %s: solo esa persona puede enviarla. Escribe !suggest para una tuya.",
		"pt": "Esta sugestão foi feita para %s: só essa pessoa pode enviá-la. Escreva !suggest para uma sua.",
	},
	"assist.draft_blank": {
		"en": "The edited reply is empty, so nothing was sent.",
		"es": "La respuesta editada está vacía, así que no se envió nada.",
		"pt": "A resposta editada está vazia, então nada foi enviado.",
	},
	"assist.discarded": {
		"en": "🗑️ Suggestion discarded.",
		"es": "🗑️ Sugerencia descartada.",
		"pt": "🗑️ Sugestão descartada.",
	},
	"assist.draft_discarded": {
		"en": "🗑️ This draft is gone: it was discarded (the customer may have deleted a message it quoted). Nothing was sent. Press *Suggest reply* on the card, or write !suggest, for a new one.",
		"es": "🗑️ Este borrador ya no existe: se descartó (puede que el cliente borrara un mensaje que citaba). No se envió nada. Pulsa *Sugerir respuesta* en la tarjeta, o escribe !suggest, para otro.",
		"pt": "🗑️ Este rascunho não existe mais: foi descartado (o cliente pode ter apagado uma mensagem que ele citava). Nada foi enviado. Toque em *Sugerir resposta* no cartão, ou escreva !suggest, para outro.",
	},
	"assist.sending": {
		"en": "✓ Sending the suggestion as your reply. The thread shows it once sent, or you are told why not.",
		"es": "✓ Enviando la sugerencia como tu respuesta. El hilo la muestra al enviarse, o se te dice por qué no.",
		"pt": "✓ Enviando a sugestão como sua resposta. O fio a mostra quando for enviada, ou você fica sabendo por que não.",
	},
	"assist.edit_help": {
		"en": "This workspace cannot open a form here: copy the suggestion, change it and write it in the thread as your reply.",
		"es": "Este espacio de trabajo no puede abrir un formulario aquí: copia la sugerencia, cámbiala y escríbela en el hilo como tu respuesta.",
		"pt": "Este espaço de trabalho não pode abrir um formulário aqui: copie a sugestão, mude-a e escreva-a no fio como sua resposta.",
	},
	"assist.edit_gone": {
		"en": "This suggestion can no longer be edited: it was sent or discarded, or it was made for someone else.",
		"es": "Esta sugerencia ya no se puede editar: se envió o se descartó, o se hizo para otra persona.",
		"pt": "Esta sugestão não pode mais ser editada: foi enviada ou descartada, ou foi feita para outra pessoa.",
	},
	// The edit form (Slack modal title: at most 24 characters; Discord
	// label: at most 45).
	"assist.edit_title":  {"en": "Edit the suggestion", "es": "Editar la sugerencia", "pt": "Editar a sugestão"},
	"assist.edit_label":  {"en": "Your reply, as the customer will read it", "es": "Tu respuesta, tal como la leerá el cliente", "pt": "Sua resposta, como o cliente vai ler"},
	"assist.edit_send":   {"en": "Send", "es": "Enviar", "pt": "Enviar"},
	"assist.edit_cancel": {"en": "Cancel", "es": "Cancelar", "pt": "Cancelar"},

	// Failures.
	"assist.failed": {
		"en": "⚠️ The AI assistant is not answering right now, so there is no suggestion. Nothing was sent to the customer: write your reply as usual, or try again in a minute.",
		"es": "⚠️ El asistente de IA no responde ahora mismo, así que no hay sugerencia. No se envió nada al cliente: escribe tu respuesta como siempre, o inténtalo de nuevo en un minuto.",
		"pt": "⚠️ O assistente de IA não está respondendo agora, então não há sugestão. Nada foi enviado ao cliente: escreva sua resposta como sempre, ou tente de novo em um minuto.",
	},
	"assist.summary_failed": {
		"en": "⚠️ The AI assistant is not answering right now, so there is no summary. Try again in a minute.",
		"es": "⚠️ El asistente de IA no responde ahora mismo, así que no hay resumen. Inténtalo de nuevo en un minuto.",
		"pt": "⚠️ O assistente de IA não está respondendo agora, então não há resumo. Tente de novo em um minuto.",
	},

	// Summaries, posted in the thread for everyone in it.
	"assist.summary_post": {
		"en": "🧾 *Summary* (AI, may be wrong), asked by %s:\n%s",
		"es": "🧾 *Resumen* (IA, puede equivocarse), pedido por %s:\n%s",
		"pt": "🧾 *Resumo* (IA, pode estar errado), pedido por %s:\n%s",
	},
	"assist.summary_transfer": {
		"en": "🧾 *Summary so far* (AI, may be wrong):\n%s",
		"es": "🧾 *Resumen hasta ahora* (IA, puede equivocarse):\n%s",
		"pt": "🧾 *Resumo até agora* (IA, pode estar errado):\n%s",
	},
	"assist.summary_handover": {
		"en": "🧾 *Summary of the assistant's conversation* (AI, may be wrong):\n%s",
		"es": "🧾 *Resumen de la conversación con el asistente* (IA, puede equivocarse):\n%s",
		"pt": "🧾 *Resumo da conversa com o assistente* (IA, pode estar errado):\n%s",
	},
	"assist.erased_retry": {
		"en": "🤖 The customer deleted a message while the assistant was writing this, so it was dropped (it might quote it). Ask again.",
		"es": "🤖 El cliente borró un mensaje mientras el asistente escribía esto, así que se descartó (podría citarlo). Vuelve a pedirlo.",
		"pt": "🤖 O cliente apagou uma mensagem enquanto o assistente escrevia isto, então foi descartado (poderia citá-la). Peça de novo.",
	},
	"assist.summary_nothing": {
		"en": "🧾 There is nothing to summarise yet.",
		"es": "🧾 Aún no hay nada que resumir.",
		"pt": "🧾 Ainda não há nada para resumir.",
	},
	// On the card of a customer's next conversation, after the link to
	// the earlier one.
	"assist.card_last_summary": {
		"en": "🧾 Last time (AI): %s",
		"es": "🧾 La última vez (IA): %s",
		"pt": "🧾 Da última vez (IA): %s",
	},

	// The card button, and Discord's answers to /suggest and /summary.
	"button.suggest": {"en": "✨ Suggest reply", "es": "✨ Sugerir respuesta", "pt": "✨ Sugerir resposta"},
	"assist.discord_suggesting": {
		"en": "✨ Drafting a reply; only you will see it.",
		"es": "✨ Preparando una respuesta; solo tú la verás.",
		"pt": "✨ Preparando uma resposta; só você vai vê-la.",
	},
	// The acknowledgement of a suggestion asked where the workspace gives
	// none of its own (Slack's button, "!suggest").
	"assist.suggesting": {
		"en": "✨ Drafting a reply…",
		"es": "✨ Preparando una respuesta…",
		"pt": "✨ Preparando uma resposta…",
	},
	"assist.discord_summarising": {
		"en": "🧾 Summarising; the summary will appear in the thread.",
		"es": "🧾 Resumiendo; el resumen aparecerá en el hilo.",
		"pt": "🧾 Resumindo; o resumo vai aparecer no fio.",
	},
	"discord.cmd.suggest": {"en": "Get an AI-suggested reply, shown only to you", "es": "Obtener una respuesta sugerida por la IA, solo para ti", "pt": "Obter uma resposta sugerida pela IA, só para você"},
	"discord.cmd.summary": {"en": "Post an AI summary of this conversation in the thread", "es": "Publicar en el hilo un resumen de esta conversación hecho por la IA", "pt": "Publicar no fio um resumo desta conversa feito pela IA"},
}
