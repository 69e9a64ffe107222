package bridge

// startTexts are the texts of agent-started conversations and of the
// template pickers' forms (the Slack modals).
var startTexts = map[string]translations{
	// Reading the number (phone.go). %s are what was typed, then the
	// formats expected (start.phone_format / start.phone_formats).
	"start.phone_format": {
		"en": "with its country code, like %s",
		"es": "con su prefijo de país, como %s",
		"pt": "com o código do país, como %s",
	},
	"start.phone_formats": {
		"en": "with its country code, like %[1]s, or as dialled in %[3]s, like %[2]s",
		"es": "con su prefijo de país, como %[1]s, o como se marca en %[3]s, como %[2]s",
		"pt": "com o código do país, como %[1]s, ou como se disca em %[3]s, como %[2]s",
	},
	"start.phone_missing": {
		"en": "Which number? Write the customer's number %s.",
		"es": "¿Qué número? Escribe el número del cliente %s.",
		"pt": "Qual número? Escreva o número do cliente %s.",
	},
	"start.phone_not_number": {
		"en": "“%s” is not a phone number. Write it %s.",
		"es": "«%s» no es un número de teléfono. Escríbelo %s.",
		"pt": "“%s” não é um número de telefone. Escreva-o %s.",
	},
	"start.phone_no_country": {
		"en": "“%s” has no country code, and this WhatsApp number has no country set (whatsapp.inboxes[].country) to read it in. Write it %s.",
		"es": "«%s» no lleva prefijo de país, y este número de WhatsApp no tiene país configurado (whatsapp.inboxes[].country) para leerlo. Escríbelo %s.",
		"pt": "“%s” não tem código do país, e este número de WhatsApp não tem país configurado (whatsapp.inboxes[].country) para lê-lo. Escreva-o %s.",
	},
	"start.phone_country_code": {
		"en": "“%s” does not start with a country code that exists. Write it %s.",
		"es": "«%s» no empieza por un prefijo de país que exista. Escríbelo %s.",
		"pt": "“%s” não começa com um código de país que exista. Escreva-o %s.",
	},
	"start.phone_too_short": {
		"en": "“%s” has too few digits for a phone number. Write it %s.",
		"es": "«%s» tiene muy pocas cifras para ser un número de teléfono. Escríbelo %s.",
		"pt": "“%s” tem poucos dígitos para um número de telefone. Escreva-o %s.",
	},
	"start.phone_too_long": {
		"en": "“%s” has too many digits for a phone number. Write it %s.",
		"es": "«%s» tiene demasiadas cifras para ser un número de teléfono. Escríbelo %s.",
		"pt": "“%s” tem dígitos demais para um número de telefone. Escreva-o %s.",
	},
	"start.phone_invalid": {
		"en": "“%s” is not a valid number in %s: no numbers like it exist there. Check it and write it %s.",
		"es": "«%s» no es un número válido en %s: allí no existen números así. Revísalo y escríbelo %s.",
		"pt": "“%s” não é um número válido em %s: não existem números assim lá. Confira e escreva-o %s.",
	},

	// Choosing the template.
	"start.template_missing": {
		"en": "A template is required: WhatsApp lets a business write first only with an approved message template. Add its name (and its values, separated by |) after the number. Approved templates:",
		"es": "Hace falta una plantilla: WhatsApp solo deja que una empresa escriba primero con una plantilla de mensaje aprobada. Añade su nombre (y sus valores, separados por |) después del número. Plantillas aprobadas:",
		"pt": "É preciso um modelo: o WhatsApp só deixa uma empresa escrever primeiro com um modelo de mensagem aprovado. Acrescente o nome dele (e os valores, separados por |) depois do número. Modelos aprovados:",
	},
	"start.no_templates": {
		"en": "The WhatsApp number of team %s has no approved templates, and WhatsApp lets a business write first only with one: create a template in Meta's WhatsApp Manager and wait for its approval.",
		"es": "El número de WhatsApp del equipo %s no tiene plantillas aprobadas, y WhatsApp solo deja que una empresa escriba primero con una: crea una plantilla en el WhatsApp Manager de Meta y espera a que la aprueben.",
		"pt": "O número de WhatsApp da equipe %s não tem modelos aprovados, e o WhatsApp só deixa uma empresa escrever primeiro com um: crie um modelo no WhatsApp Manager da Meta e aguarde a aprovação.",
	},
	"start.no_account": {
		"en": "The WhatsApp number of team %s has no WhatsApp Business Account configured (whatsapp.business_account_id), so its templates are unknown and no conversation can be started.",
		"es": "El número de WhatsApp del equipo %s no tiene cuenta de WhatsApp Business configurada (whatsapp.business_account_id): sus plantillas son desconocidas y no se puede iniciar ninguna conversación.",
		"pt": "O número de WhatsApp da equipe %s não tem conta do WhatsApp Business configurada (whatsapp.business_account_id): seus modelos são desconhecidos e nenhuma conversa pode ser iniciada.",
	},
	"start.example": {"en": "e.g. %s", "es": "p. ej. %s", "pt": "ex.: %s"},

	// Who, where, and the outcome.
	"start.usage": {
		"en": "Usage: /switchboard new <number> [team] <template> [value1 | value2 …], or /switchboard new alone for a form. Teams: %s.",
		"es": "Uso: /switchboard new <número> [equipo] <plantilla> [valor1 | valor2 …], o /switchboard new solo para un formulario. Equipos: %s.",
		"pt": "Uso: /switchboard new <número> [equipe] <modelo> [valor1 | valor2 …], ou /switchboard new sozinho para um formulário. Equipes: %s.",
	},
	"start.help": {
		"en": "Start a conversation with a customer: /switchboard new (a form) or /switchboard new <number> [team] <template> [value1 | value2].",
		"es": "Iniciar una conversación con un cliente: /switchboard new (un formulario) o /switchboard new <número> [equipo] <plantilla> [valor1 | valor2].",
		"pt": "Iniciar uma conversa com um cliente: /switchboard new (um formulário) ou /switchboard new <número> [equipe] <modelo> [valor1 | valor2].",
	},
	"start.unknown_team": {
		"en": "There is no team “%s”. Teams: %s.",
		"es": "No existe el equipo «%s». Equipos: %s.",
		"pt": "Não existe a equipe “%s”. Equipes: %s.",
	},
	"start.which_team": {
		"en": "Which team should hold the conversation? You are an agent of %s: name one after the number.",
		"es": "¿Qué equipo debe llevar la conversación? Eres agente de %s: nombra uno después del número.",
		"pt": "Qual equipe deve cuidar da conversa? Você é agente de %s: diga uma depois do número.",
	},
	"start.no_team": {
		"en": "Only agents of a team can start conversations, and you are not one of any team in this workspace.",
		"es": "Solo los agentes de un equipo pueden iniciar conversaciones, y no eres agente de ningún equipo en este espacio.",
		"pt": "Só agentes de uma equipe podem iniciar conversas, e você não é agente de nenhuma equipe neste espaço.",
	},
	"start.not_member": {
		"en": "Only agents of team %s can start its conversations, and you are not one of them.",
		"es": "Solo los agentes del equipo %s pueden iniciar sus conversaciones, y tú no eres uno de ellos.",
		"pt": "Só agentes da equipe %s podem iniciar as conversas dela, e você não é um deles.",
	},
	"start.other_workspace": {
		"en": "Team %s works in %s: start its conversations from there.",
		"es": "El equipo %s trabaja en %s: inicia sus conversaciones desde allí.",
		"pt": "A equipe %s trabalha no %s: inicie as conversas dela por lá.",
	},
	"start.no_inbox": {
		"en": "No WhatsApp number is configured, so no conversation can be started.",
		"es": "No hay ningún número de WhatsApp configurado, así que no se puede iniciar ninguna conversación.",
		"pt": "Nenhum número de WhatsApp está configurado, então nenhuma conversa pode ser iniciada.",
	},
	"start.already_open": {
		"en": "%s already has an open conversation: #%d, team %s%s. Continue there: to write outside WhatsApp's 24-hour window, send a template from that thread (the card's “Send template” button, or !template name value1 | value2).",
		"es": "%s ya tiene una conversación abierta: #%d, equipo %s%s. Sigue allí: para escribir fuera de la ventana de 24 horas de WhatsApp, envía una plantilla desde ese hilo (el botón «Enviar plantilla» de la tarjeta, o !template nombre valor1 | valor2).",
		"pt": "%s já tem uma conversa aberta: #%d, equipe %s%s. Continue nela: para escrever fora da janela de 24 horas do WhatsApp, envie um modelo a partir desse fio (o botão “Enviar modelo” do cartão, ou !template nome valor1 | valor2).",
	},
	"start.thread_soon": {"en": " (its thread opens in a moment)", "es": " (su hilo se abre en un momento)", "pt": " (o fio abre em instantes)"},
	"start.started": {
		"en": "✅ Conversation #%d with %s started in team %s and assigned to you. Its thread opens in %s in a moment, with template “%s” as the first message; once the customer answers you can write freely.",
		"es": "✅ Conversación #%d con %s iniciada en el equipo %s y asignada a ti. Su hilo se abre en %s en un momento, con la plantilla «%s» como primer mensaje; cuando el cliente responda podrás escribir libremente.",
		"pt": "✅ Conversa #%d com %s iniciada na equipe %s e atribuída a você. O fio abre em %s em instantes, com o modelo “%s” como primeira mensagem; quando o cliente responder, você poderá escrever livremente.",
	},
	"start.checked": {
		"en": "Ready to start a conversation with %s in team %s with template “%s”.",
		"es": "Listo para iniciar una conversación con %s en el equipo %s con la plantilla «%s».",
		"pt": "Pronto para iniciar uma conversa com %s na equipe %s com o modelo “%s”.",
	},
	"start.duplicate": {
		"en": "This request was handled already.",
		"es": "Esta petición ya se atendió.",
		"pt": "Este pedido já foi atendido.",
	},
	"sys.started": {
		"en": "🚀 %s started this conversation with template “%s”. Free text is possible once the customer answers (WhatsApp's 24-hour window).",
		"es": "🚀 %s inició esta conversación con la plantilla «%s». Se podrá escribir texto libre cuando el cliente responda (ventana de 24 horas de WhatsApp).",
		"pt": "🚀 %s iniciou esta conversa com o modelo “%s”. Texto livre será possível quando o cliente responder (janela de 24 horas do WhatsApp).",
	},
	"report.started": {"en": "Started", "es": "Iniciadas", "pt": "Iniciadas"},

	// The Slack template picker (adapters/slack/template.go). Titles and
	// button labels: at most 24 characters (Slack's limit).
	"tplmodal.title":       {"en": "Send template", "es": "Enviar plantilla", "pt": "Enviar modelo"},
	"tplmodal.next":        {"en": "Preview", "es": "Vista previa", "pt": "Pré-visualizar"},
	"tplmodal.send":        {"en": "Send", "es": "Enviar", "pt": "Enviar"},
	"tplmodal.cancel":      {"en": "Cancel", "es": "Cancelar", "pt": "Cancelar"},
	"tplmodal.back":        {"en": "Back", "es": "Atrás", "pt": "Voltar"},
	"tplmodal.close":       {"en": "Close", "es": "Cerrar", "pt": "Fechar"},
	"tplmodal.template":    {"en": "Template", "es": "Plantilla", "pt": "Modelo"},
	"tplmodal.choose":      {"en": "Choose an approved template", "es": "Elige una plantilla aprobada", "pt": "Escolha um modelo aprovado"},
	"tplmodal.customer":    {"en": "%s · customer's language", "es": "%s · idioma del cliente", "pt": "%s · idioma do cliente"},
	"tplmodal.body":        {"en": "Body {{%s}}", "es": "Cuerpo {{%s}}", "pt": "Corpo {{%s}}"},
	"tplmodal.header":      {"en": "Header {{%s}}", "es": "Encabezado {{%s}}", "pt": "Cabeçalho {{%s}}"},
	"tplmodal.image":       {"en": "Header image (https link)", "es": "Imagen del encabezado (enlace https)", "pt": "Imagem do cabeçalho (link https)"},
	"tplmodal.video":       {"en": "Header video (https link)", "es": "Vídeo del encabezado (enlace https)", "pt": "Vídeo do cabeçalho (link https)"},
	"tplmodal.document":    {"en": "Header document (https link)", "es": "Documento del encabezado (enlace https)", "pt": "Documento do cabeçalho (link https)"},
	"tplmodal.button_url":  {"en": "Button %d link", "es": "Enlace del botón %d", "pt": "Link do botão %d"},
	"tplmodal.button_code": {"en": "Button %d coupon code", "es": "Código de cupón del botón %d", "pt": "Código de cupom do botão %d"},
	"tplmodal.url_hint": {
		"en": "The full link, starting with %s",
		"es": "El enlace completo, que empieza por %s",
		"pt": "O link completo, começando com %s",
	},
	"tplmodal.preview": {"en": "*Preview*", "es": "*Vista previa*", "pt": "*Pré-visualização*"},
	"tplmodal.preview_hint": {
		"en": "Empty fields show Meta's examples; press Enter in a field to see your values here.",
		"es": "Los campos vacíos muestran los ejemplos de Meta; pulsa Intro en un campo para ver aquí tus valores.",
		"pt": "Campos vazios mostram os exemplos da Meta; pressione Enter num campo para ver seus valores aqui.",
	},
	"tplmodal.confirm_title": {"en": "Check and send", "es": "Revisa y envía", "pt": "Confira e envie"},
	"tplmodal.confirm": {
		"en": "This is exactly what the customer will receive (template “%s”, %s). Templates cannot be recalled once sent.",
		"es": "Esto es exactamente lo que recibirá el cliente (plantilla «%s», %s). Una plantilla enviada no se puede retirar.",
		"pt": "Isto é exatamente o que o cliente vai receber (modelo “%s”, %s). Um modelo enviado não pode ser retirado.",
	},
	"tplmodal.required":      {"en": "Fill this in.", "es": "Rellena este campo.", "pt": "Preencha este campo."},
	"tplmodal.pick_template": {"en": "Choose a template.", "es": "Elige una plantilla.", "pt": "Escolha um modelo."},
	"tplmodal.url_prefix":    {"en": "The link must start with %s", "es": "El enlace debe empezar por %s", "pt": "O link deve começar com %s"},
	"tplmodal.https":         {"en": "Give an https:// link to the file.", "es": "Indica un enlace https:// al archivo.", "pt": "Informe um link https:// para o arquivo."},
	"tplmodal.too_long": {
		"en": "These values are too long to carry to the next step; shorten them.",
		"es": "Estos valores son demasiado largos para pasar al siguiente paso; acórtalos.",
		"pt": "Estes valores são longos demais para o próximo passo; encurte-os.",
	},
	"tplmodal.none": {
		"en": "There are no approved templates to choose from.",
		"es": "No hay plantillas aprobadas para elegir.",
		"pt": "Não há modelos aprovados para escolher.",
	},
	"tplmodal.truncated": {
		"en": "Only the first %d templates are listed.",
		"es": "Solo se listan las primeras %d plantillas.",
		"pt": "Só os primeiros %d modelos são listados.",
	},

	// The Slack form of /switchboard new (adapters/slack/start.go).
	"startmodal.title":   {"en": "New conversation", "es": "Nueva conversación", "pt": "Nova conversa"},
	"startmodal.phone":   {"en": "Customer's phone number", "es": "Teléfono del cliente", "pt": "Telefone do cliente"},
	"startmodal.team":    {"en": "Team", "es": "Equipo", "pt": "Equipe"},
	"startmodal.confirm": {"en": "To %s · team %s", "es": "Para %s · equipo %s", "pt": "Para %s · equipe %s"},
	"startmodal.done":    {"en": "Conversation started", "es": "Conversación iniciada", "pt": "Conversa iniciada"},
	"startmodal.refused": {"en": "Not started", "es": "No iniciada", "pt": "Não iniciada"},
}
