package bridge

// discordTexts are the texts of Discord parity (issue 17): the gateway's
// own short answers to interactions, the application commands'
// descriptions shown in each client language, and the metrics chart note.
var discordTexts = map[string]translations{
	"metrics.chart_not_here": {
		"en": "(The chart is attached on Discord's /metrics; here the daily digest carries it.)",
		"es": "(El gráfico se adjunta en /metrics de Discord; aquí lo trae el resumen diario.)",
		"pt": "(O gráfico vem anexado no /metrics do Discord; aqui ele vem no resumo diário.)",
	},
	"discord.refused": {
		"en": "Only members of this team can do that.",
		"es": "Solo los miembros de este equipo pueden hacer eso.",
		"pt": "Só membros desta equipe podem fazer isso.",
	},
	"discord.not_thread": {
		"en": "Use this command inside a conversation thread.",
		"es": "Usa este comando dentro del hilo de una conversación.",
		"pt": "Use este comando dentro do fio de uma conversa.",
	},
	"discord.done": {
		"en": "Requested: %s. The thread shows the result.",
		"es": "Pedido: %s. El hilo muestra el resultado.",
		"pt": "Pedido: %s. O fio mostra o resultado.",
	},
	"discord.note_saved": {"en": "Note saved.", "es": "Nota guardada.", "pt": "Nota salva."},
	"discord.error": {
		"en": "Something went wrong; please try again.",
		"es": "Algo salió mal; inténtalo de nuevo.",
		"pt": "Algo deu errado; tente de novo.",
	},
	"discord.transfer_arg": {
		"en": "Say whom to transfer to: /transfer agent:@someone or team:name.",
		"es": "Di a quién transferir: /transfer agent:@alguien o team:nombre.",
		"pt": "Diga para quem transferir: /transfer agent:@alguém ou team:nome.",
	},
	"discord.note_empty": {"en": "Write the note: /note text:…", "es": "Escribe la nota: /note text:…", "pt": "Escreva a nota: /note text:…"},
	"discord.unknown": {
		"en": "I do not know that button or command.",
		"es": "No conozco ese botón o comando.",
		"pt": "Não conheço esse botão ou comando.",
	},
	"discord.metrics_dates": {
		"en": "Give both from and to (YYYY-MM-DD), or neither.",
		"es": "Indica from y to (AAAA-MM-DD), o ninguno.",
		"pt": "Informe from e to (AAAA-MM-DD), ou nenhum.",
	},

	// Application command descriptions (description_localizations).
	"discord.cmd.claim":     {"en": "Take this conversation", "es": "Tomar esta conversación", "pt": "Assumir esta conversa"},
	"discord.cmd.unclaim":   {"en": "Give this conversation back to the team", "es": "Devolver esta conversación al equipo", "pt": "Devolver esta conversa à equipe"},
	"discord.cmd.resolve":   {"en": "Mark this conversation resolved", "es": "Marcar esta conversación como resuelta", "pt": "Marcar esta conversa como resolvida"},
	"discord.cmd.reopen":    {"en": "Reopen this conversation", "es": "Reabrir esta conversación", "pt": "Reabrir esta conversa"},
	"discord.cmd.transfer":  {"en": "Hand this conversation to an agent or a team", "es": "Pasar esta conversación a un agente o a un equipo", "pt": "Passar esta conversa a um agente ou a uma equipe"},
	"discord.cmd.note":      {"en": "Write an internal note (never sent to the customer)", "es": "Escribir una nota interna (nunca se envía al cliente)", "pt": "Escrever uma nota interna (nunca enviada ao cliente)"},
	"discord.cmd.status":    {"en": "Show your conversations and availability", "es": "Ver tus conversaciones y tu disponibilidad", "pt": "Ver suas conversas e sua disponibilidade"},
	"discord.cmd.queue":     {"en": "Show the team's waiting conversations", "es": "Ver las conversaciones en espera del equipo", "pt": "Ver as conversas em espera da equipe"},
	"discord.cmd.available": {"en": "Take new conversations", "es": "Recibir conversaciones nuevas", "pt": "Receber conversas novas"},
	"discord.cmd.away":      {"en": "Stop taking new conversations", "es": "Dejar de recibir conversaciones nuevas", "pt": "Parar de receber conversas novas"},
	"discord.cmd.metrics":   {"en": "Show the team's numbers", "es": "Ver las cifras del equipo", "pt": "Ver os números da equipe"},
	"discord.cmd.takeover":  {"en": "Take a conversation from the AI assistant, or (supervisors) from someone else", "es": "Tomar una conversación del asistente de IA, o (supervisores) de otra persona", "pt": "Assumir uma conversa do assistente de IA, ou (supervisores) de outra pessoa"},
	"discord.cmd.auto":      {"en": "Let presence and shifts decide your availability again", "es": "Que la presencia y los turnos decidan de nuevo tu disponibilidad", "pt": "Deixar a presença e os turnos decidirem de novo sua disponibilidade"},
	"discord.opt.period":    {"en": "today, yesterday, last 7 or 30 days", "es": "hoy, ayer, últimos 7 o 30 días", "pt": "hoje, ontem, últimos 7 ou 30 dias"},
	"discord.opt.from":      {"en": "First day, YYYY-MM-DD (with to)", "es": "Primer día, AAAA-MM-DD (con to)", "pt": "Primeiro dia, AAAA-MM-DD (com to)"},
	"discord.opt.to":        {"en": "Last day, YYYY-MM-DD (with from)", "es": "Último día, AAAA-MM-DD (con from)", "pt": "Último dia, AAAA-MM-DD (com from)"},
	"discord.opt.team":      {"en": "The team (default: this channel's)", "es": "El equipo (por defecto: el de este canal)", "pt": "A equipe (padrão: a deste canal)"},
	"discord.opt.agent":     {"en": "One agent's figures", "es": "Las cifras de un agente", "pt": "Os números de um agente"},
	"discord.opt.channel":   {"en": "One customer channel (WhatsApp, Messenger, …)", "es": "Un canal de clientes (WhatsApp, Messenger, …)", "pt": "Um canal de clientes (WhatsApp, Messenger, …)"},
	"discord.opt.label":     {"en": "Only customers with this label", "es": "Solo clientes con esta etiqueta", "pt": "Só clientes com esta etiqueta"},
	"discord.opt.inbox":     {"en": "One business number", "es": "Un número de empresa", "pt": "Um número da empresa"},
	"discord.opt.by_agent":  {"en": "One row per agent (supervisors; default yes)", "es": "Una fila por agente (supervisores; por defecto sí)", "pt": "Uma linha por agente (supervisores; padrão sim)"},
	"discord.opt.chart":     {"en": "Attach the chart as a PNG", "es": "Adjuntar el gráfico en PNG", "pt": "Anexar o gráfico em PNG"},
	"discord.opt.post":      {"en": "Also share the figures in the channel", "es": "Compartir también las cifras en el canal", "pt": "Compartilhar também os números no canal"},
}
