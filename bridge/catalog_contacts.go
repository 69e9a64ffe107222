package bridge

// contactsTexts are the light CRM's texts (issue 12, docs/contacts.md):
// the thread commands' answers, the card's person fields and the contact
// card.
var contactsTexts = map[string]translations{
	"crm.none":          {"en": "none", "es": "ninguna", "pt": "nenhuma"},
	"crm.erased":        {"en": "This contact's personal data was erased: there is nothing to edit.", "es": "Los datos personales de este contacto se borraron: no hay nada que editar.", "pt": "Os dados pessoais deste contato foram apagados: não há nada para editar."},
	"crm.labels":        {"en": "Labels: %s. Add one with !label add vip, remove it with !label remove vip.", "es": "Etiquetas: %s. Añade una con !label add vip y quítala con !label remove vip.", "pt": "Etiquetas: %s. Adicione uma com !label add vip e remova com !label remove vip."},
	"crm.label_usage":   {"en": "Usage: !label add <label>, !label remove <label>, or !label to list them.", "es": "Uso: !label add <etiqueta>, !label remove <etiqueta>, o !label para verlas.", "pt": "Uso: !label add <etiqueta>, !label remove <etiqueta>, ou !label para listá-las."},
	"crm.bad_label":     {"en": "A label has 1 to %d characters, without , = ` or *.", "es": "Una etiqueta tiene de 1 a %d caracteres, sin , = ` ni *.", "pt": "Uma etiqueta tem de 1 a %d caracteres, sem , = ` nem *."},
	"crm.label_had":     {"en": "The contact already has the label `%s`.", "es": "El contacto ya tiene la etiqueta `%s`.", "pt": "O contato já tem a etiqueta `%s`."},
	"crm.label_added":   {"en": "🏷️ Label `%s` added.", "es": "🏷️ Etiqueta `%s` añadida.", "pt": "🏷️ Etiqueta `%s` adicionada."},
	"crm.label_missing": {"en": "The contact has no label `%s`.", "es": "El contacto no tiene la etiqueta `%s`.", "pt": "O contato não tem a etiqueta `%s`."},
	"crm.label_removed": {"en": "🏷️ Label `%s` removed.", "es": "🏷️ Etiqueta `%s` quitada.", "pt": "🏷️ Etiqueta `%s` removida."},
	"crm.stage_usage":   {"en": "Stage: %s. Set it with !stage <stage>; stages: %s.", "es": "Etapa: %s. Cámbiala con !stage <etapa>; etapas: %s.", "pt": "Etapa: %s. Mude com !stage <etapa>; etapas: %s."},
	"crm.bad_stage":     {"en": "There is no stage “%s”. Stages: %s.", "es": "No existe la etapa «%s». Etapas: %s.", "pt": "Não existe a etapa “%s”. Etapas: %s."},
	"crm.stage_set":     {"en": "📈 Stage: %s.", "es": "📈 Etapa: %s.", "pt": "📈 Etapa: %s."},
	"crm.attrs":         {"en": "Attributes: %s. Set one with !attr plan=gold, clear it with !attr plan=", "es": "Atributos: %s. Pon uno con !attr plan=gold y bórralo con !attr plan=", "pt": "Atributos: %s. Defina um com !attr plan=gold e apague com !attr plan="},
	"crm.attr_usage":    {"en": "Usage: !attr <name>=<value> (the name in lower case letters, digits and _), !attr <name>= to clear it, or !attr to list them.", "es": "Uso: !attr <nombre>=<valor> (el nombre en minúsculas, dígitos y _), !attr <nombre>= para borrarlo, o !attr para verlos.", "pt": "Uso: !attr <nome>=<valor> (o nome em minúsculas, dígitos e _), !attr <nome>= para apagar, ou !attr para listá-los."},
	"crm.attr_unset":    {"en": "The contact has no attribute %s.", "es": "El contacto no tiene el atributo %s.", "pt": "O contato não tem o atributo %s."},
	"crm.attr_cleared":  {"en": "Attribute %s cleared.", "es": "Atributo %s borrado.", "pt": "Atributo %s apagado."},
	"crm.attr_set":      {"en": "Attribute %s = %s.", "es": "Atributo %s = %s.", "pt": "Atributo %s = %s."},
	"crm.bad_value":     {"en": "⚠️ %s cannot be “%s”: it is %s. Nothing was changed.", "es": "⚠️ %s no puede ser «%s»: es %s. No se cambió nada.", "pt": "⚠️ %s não pode ser “%s”: é %s. Nada foi alterado."},
	"crm.type_number":   {"en": "a number (e.g. 12 or 12.5)", "es": "un número (p. ej. 12 o 12,5)", "pt": "um número (ex.: 12 ou 12,5)"},
	"crm.type_date":     {"en": "a date (YYYY-MM-DD, e.g. 2026-03-31)", "es": "una fecha (AAAA-MM-DD, p. ej. 2026-03-31)", "pt": "uma data (AAAA-MM-DD, ex.: 2026-03-31)"},
	"crm.type_list":     {"en": "one of: %s", "es": "uno de: %s", "pt": "um de: %s"},
	"crm.type_text":     {"en": "text of 1 to %d characters", "es": "un texto de 1 a %d caracteres", "pt": "um texto de 1 a %d caracteres"},
	"crm.name_usage":    {"en": "Usage: !name <the contact's name>.", "es": "Uso: !name <nombre del contacto>.", "pt": "Uso: !name <nome do contato>."},
	"crm.name_set":      {"en": "The contact is now called %s.", "es": "El contacto ahora se llama %s.", "pt": "O contato agora se chama %s."},
	"crm.cnote_usage":   {"en": "Usage: !cnote <text>: a private note about the contact, kept across conversations and never sent.", "es": "Uso: !cnote <texto>: una nota privada sobre el contacto, que se guarda entre conversaciones y nunca se envía.", "pt": "Uso: !cnote <texto>: uma nota privada sobre o contato, guardada entre conversas e nunca enviada."},
	"crm.cnote_saved":   {"en": "📝 Note about %s saved (never sent; !contact shows it).", "es": "📝 Nota sobre %s guardada (nunca se envía; !contact la muestra).", "pt": "📝 Nota sobre %s salva (nunca enviada; !contact a mostra)."},
	"crm.merge_usage":   {"en": "Usage: !merge <#contact number | +phone | e-mail>: shows what would be merged; add confirm (!merge 12 confirm) to merge. A merge cannot be undone.", "es": "Uso: !merge <#número de contacto | +teléfono | e-mail>: muestra qué se fusionaría; añade confirm (!merge 12 confirm) para fusionar. Una fusión no se puede deshacer.", "pt": "Uso: !merge <#número do contato | +telefone | e-mail>: mostra o que seria mesclado; acrescente confirm (!merge 12 confirm) para mesclar. Uma mesclagem não pode ser desfeita."},
	"crm.merge_none":    {"en": "No single contact matches “%s”: use its number (#12), its phone or its e-mail.", "es": "Ningún contacto único coincide con «%s»: usa su número (#12), su teléfono o su e-mail.", "pt": "Nenhum contato único corresponde a “%s”: use o número (#12), o telefone ou o e-mail."},
	"crm.merge_same":    {"en": "That is this conversation's contact already.", "es": "Ese ya es el contacto de esta conversación.", "pt": "Esse já é o contato desta conversa."},
	"crm.merge_erased":  {"en": "Contact #%d was erased: it cannot be merged.", "es": "El contacto #%d se borró: no se puede fusionar.", "pt": "O contato #%d foi apagado: não pode ser mesclado."},
	"crm.merge_merged":  {"en": "Contact #%d was merged into #%v already.", "es": "El contacto #%d ya se fusionó con #%v.", "pt": "O contato #%d já foi mesclado em #%v."},
	"crm.merged":        {"en": "🔗 %s merged contact #%d (%s) into this one: %s, %d labels, %d attributes, its notes and conversations.", "es": "🔗 %s fusionó el contacto #%d (%s) con este: %s, %d etiquetas, %d atributos, sus notas y conversaciones.", "pt": "🔗 %s mesclou o contato #%d (%s) neste: %s, %d etiquetas, %d atributos, suas notas e conversas."},

	// !merge previews and its refusals (crm_merge.go); replies to an erased contact.
	"crm.merge_fuzzy":      {"en": "!merge needs an exact contact: its number (#12), its +phone or its e-mail, not a name or label (“%s”). Find the number with /switchboard contact <name>.", "es": "!merge necesita un contacto exacto: su número (#12), su +teléfono o su e-mail, no un nombre ni una etiqueta («%s»). Busca el número con /switchboard contact <nombre>.", "pt": "!merge precisa de um contato exato: o número (#12), o +telefone ou o e-mail, não um nome nem uma etiqueta (“%s”). Encontre o número com /switchboard contact <nome>."},
	"crm.merge_supervisor": {"en": "Contact #%d is not a suggested match for this contact and has no conversation in your teams: ask a supervisor to merge it.", "es": "El contacto #%d no es una coincidencia sugerida para este contacto y no tiene conversaciones en tus equipos: pide a un supervisor que lo fusione.", "pt": "O contato #%d não é uma correspondência sugerida para este contato e não tem conversas nas suas equipes: peça a um supervisor que o mescle."},
	"crm.merge_person":     {"en": "#%d %s (%s; %d conversations)", "es": "#%d %s (%s; %d conversaciones)", "pt": "#%d %s (%s; %d conversas)"},
	"crm.merge_preview":    {"en": "Merge %s into this conversation's contact %s? Its identities, labels, attributes, notes and conversations move here; this cannot be undone. To merge, write !merge #%d confirm.", "es": "¿Fusionar %s con el contacto de esta conversación %s? Sus identidades, etiquetas, atributos, notas y conversaciones pasan aquí; no se puede deshacer. Para fusionar, escribe !merge #%d confirm.", "pt": "Mesclar %s no contato desta conversa %s? As identidades, etiquetas, atributos, notas e conversas dele passam para cá; não pode ser desfeito. Para mesclar, escreva !merge #%d confirm."},
	"crm.reply_erased":     {"en": "This contact's personal data was erased: nothing can be sent to them.", "es": "Los datos personales de este contacto se borraron: no se le puede enviar nada.", "pt": "Os dados pessoais deste contato foram apagados: nada pode ser enviado a ele."},

	// The status card.
	"crm.card_labels":        {"en": "Labels", "es": "Etiquetas", "pt": "Etiquetas"},
	"crm.card_stage":         {"en": "Stage", "es": "Etapa", "pt": "Etapa"},
	"crm.card_attributes":    {"en": "Attributes", "es": "Atributos", "pt": "Atributos"},
	"crm.card_also_on":       {"en": "Also on", "es": "También en", "pt": "Também em"},
	"crm.card_also_link":     {"en": "%s: conversation #%d (%s)", "es": "%s: conversación #%d (%s)", "pt": "%s: conversa #%d (%s)"},
	"crm.card_suggest_label": {"en": "Same person?", "es": "¿Misma persona?", "pt": "Mesma pessoa?"},
	"crm.suggest_phone":      {"en": "Same phone as #%d %s — `!merge %d`", "es": "Mismo teléfono que #%d %s — `!merge %d`", "pt": "Mesmo telefone que #%d %s — `!merge %d`"},
	"crm.suggest_email":      {"en": "Same e-mail as #%d %s — `!merge %d`", "es": "Mismo e-mail que #%d %s — `!merge %d`", "pt": "Mesmo e-mail que #%d %s — `!merge %d`"},

	// The contact card (!contact, /switchboard contact, /contact).
	"crm.contact_title":  {"en": "👤 *%s* · contact #%d", "es": "👤 *%s* · contacto #%d", "pt": "👤 *%s* · contato #%d"},
	"crm.contact_stage":  {"en": "Stage: %s", "es": "Etapa: %s", "pt": "Etapa: %s"},
	"crm.contact_labels": {"en": "Labels: %s", "es": "Etiquetas: %s", "pt": "Etiquetas: %s"},
	"crm.contact_attrs":  {"en": "Attributes: %s", "es": "Atributos: %s", "pt": "Atributos: %s"},
	"crm.contact_idents": {"en": "On: %s", "es": "En: %s", "pt": "Em: %s"},
	"crm.contact_convs":  {"en": "Latest conversations:", "es": "Últimas conversaciones:", "pt": "Últimas conversas:"},
	"crm.contact_note":   {"en": "📝 %s %s: %s", "es": "📝 %s %s: %s", "pt": "📝 %s %s: %s"},
	"crm.help_line": {
		"en": "Contacts: /switchboard contact <+phone | e-mail | name | label:vip> finds a contact; in a thread: !contact, !label add|remove <label>, !stage <stage>, !attr name=value, !name <name>, !merge <#id | +phone | e-mail>, !cnote <note>.",
		"es": "Contactos: /switchboard contact <+teléfono | e-mail | nombre | label:vip> busca un contacto; en un hilo: !contact, !label add|remove <etiqueta>, !stage <etapa>, !attr nombre=valor, !name <nombre>, !merge <#id | +teléfono | e-mail>, !cnote <nota>.",
		"pt": "Contatos: /switchboard contact <+telefone | e-mail | nome | label:vip> encontra um contato; num fio: !contact, !label add|remove <etiqueta>, !stage <etapa>, !attr nome=valor, !name <nome>, !merge <#id | +telefone | e-mail>, !cnote <nota>.",
	},
	"crm.contact_usage": {"en": "Usage: /switchboard contact <+phone | e-mail | name | label:vip>", "es": "Uso: /switchboard contact <+teléfono | e-mail | nombre | label:vip>", "pt": "Uso: /switchboard contact <+telefone | e-mail | nome | label:vip>"},
	"crm.contact_none":  {"en": "No contact matches “%s”.", "es": "Ningún contacto coincide con «%s».", "pt": "Nenhum contato corresponde a “%s”."},
	"crm.contact_many":  {"en": "%d contacts match; the first ones:", "es": "Coinciden %d contactos; los primeros:", "pt": "%d contatos correspondem; os primeiros:"},
}
