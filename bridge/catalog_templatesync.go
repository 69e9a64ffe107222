package bridge

// templateSyncTexts are the texts of template sync: status changes shown
// to supervisors (templatesync.go). Arguments: %[1]s the template's name,
// %[2]s its language code, %[3]s ": reason" or "", %[4]s the status as
// Meta names it (tplsync.other only).
var templateSyncTexts = map[string]translations{
	"tplsync.approved": {
		"en": "📄 Template *%[1]s* (%[2]s) is now ✅ approved%[3]s. Agents can send it.",
		"es": "📄 La plantilla *%[1]s* (%[2]s) está ✅ aprobada%[3]s. Los agentes ya pueden enviarla.",
		"pt": "📄 O modelo *%[1]s* (%[2]s) foi ✅ aprovado%[3]s. Os agentes já podem enviá-lo.",
	},
	"tplsync.rejected": {
		"en": "📄 Template *%[1]s* (%[2]s) was ❌ rejected by Meta%[3]s. Agents cannot send it: correct it in WhatsApp Manager and submit it again.",
		"es": "📄 Meta ❌ rechazó la plantilla *%[1]s* (%[2]s)%[3]s. Los agentes no pueden enviarla: corrígela en WhatsApp Manager y envíala de nuevo a revisión.",
		"pt": "📄 A Meta ❌ rejeitou o modelo *%[1]s* (%[2]s)%[3]s. Os agentes não podem enviá-lo: corrija-o no WhatsApp Manager e envie-o de novo para análise.",
	},
	"tplsync.paused": {
		"en": "📄 Template *%[1]s* (%[2]s) is now ⏸ paused by Meta%[3]s. Agents cannot send it until it is approved again.",
		"es": "📄 Meta ⏸ pausó la plantilla *%[1]s* (%[2]s)%[3]s. Los agentes no pueden enviarla hasta que vuelva a estar aprobada.",
		"pt": "📄 A Meta ⏸ pausou o modelo *%[1]s* (%[2]s)%[3]s. Os agentes não podem enviá-lo até que seja aprovado de novo.",
	},
	"tplsync.disabled": {
		"en": "📄 Template *%[1]s* (%[2]s) is now ⛔ disabled by Meta%[3]s. Agents can no longer send it: create a new template with different content.",
		"es": "📄 Meta ⛔ desactivó la plantilla *%[1]s* (%[2]s)%[3]s. Los agentes ya no pueden enviarla: crea una plantilla nueva con otro contenido.",
		"pt": "📄 A Meta ⛔ desativou o modelo *%[1]s* (%[2]s)%[3]s. Os agentes não podem mais enviá-lo: crie um modelo novo com outro conteúdo.",
	},
	"tplsync.flagged": {
		"en": "📄 Template *%[1]s* (%[2]s) was ⚠️ flagged by Meta for low quality%[3]s. Agents cannot send it; Meta disables it unless its quality improves.",
		"es": "📄 Meta ⚠️ marcó la plantilla *%[1]s* (%[2]s) por baja calidad%[3]s. Los agentes no pueden enviarla; Meta la desactivará si su calidad no mejora.",
		"pt": "📄 A Meta ⚠️ sinalizou o modelo *%[1]s* (%[2]s) por baixa qualidade%[3]s. Os agentes não podem enviá-lo; a Meta vai desativá-lo se a qualidade não melhorar.",
	},
	"tplsync.deleted": {
		"en": "📄 Template *%[1]s* (%[2]s) was 🗑 deleted%[3]s. Agents can no longer send it.",
		"es": "📄 La plantilla *%[1]s* (%[2]s) se 🗑 eliminó%[3]s. Los agentes ya no pueden enviarla.",
		"pt": "📄 O modelo *%[1]s* (%[2]s) foi 🗑 excluído%[3]s. Os agentes não podem mais enviá-lo.",
	},
	"tplsync.pending": {
		"en": "📄 Template *%[1]s* (%[2]s) is ⏳ waiting for Meta's review%[3]s. Agents can send it once it is approved.",
		"es": "📄 La plantilla *%[1]s* (%[2]s) está ⏳ en revisión por Meta%[3]s. Los agentes podrán enviarla cuando se apruebe.",
		"pt": "📄 O modelo *%[1]s* (%[2]s) está ⏳ em análise pela Meta%[3]s. Os agentes poderão enviá-lo quando for aprovado.",
	},
	"tplsync.in_appeal": {
		"en": "📄 Template *%[1]s* (%[2]s) is ⚖️ in appeal%[3]s. Agents can send it if Meta approves it.",
		"es": "📄 La plantilla *%[1]s* (%[2]s) está ⚖️ en apelación%[3]s. Los agentes podrán enviarla si Meta la aprueba.",
		"pt": "📄 O modelo *%[1]s* (%[2]s) está ⚖️ em recurso%[3]s. Os agentes poderão enviá-lo se a Meta o aprovar.",
	},
	"tplsync.other": {
		"en": "📄 Template *%[1]s* (%[2]s) is now “%[4]s”%[3]s. Agents cannot send it until Meta approves it.",
		"es": "📄 La plantilla *%[1]s* (%[2]s) está ahora «%[4]s»%[3]s. Los agentes no pueden enviarla hasta que Meta la apruebe.",
		"pt": "📄 O modelo *%[1]s* (%[2]s) agora está “%[4]s”%[3]s. Os agentes não podem enviá-lo até que a Meta o aprove.",
	},

	// Meta's reasons (rejected_reason, or a pause with no code), lower case.
	"tplsync.reason.low_quality":          {"en": "low quality", "es": "baja calidad", "pt": "baixa qualidade"},
	"tplsync.reason.invalid_format":       {"en": "invalid format", "es": "formato no válido", "pt": "formato inválido"},
	"tplsync.reason.abusive_content":      {"en": "content against WhatsApp's policies", "es": "contenido contrario a las políticas de WhatsApp", "pt": "conteúdo contra as políticas do WhatsApp"},
	"tplsync.reason.promotional":          {"en": "promotional content", "es": "contenido promocional", "pt": "conteúdo promocional"},
	"tplsync.reason.incorrect_category":   {"en": "wrong category", "es": "categoría incorrecta", "pt": "categoria incorreta"},
	"tplsync.reason.tag_content_mismatch": {"en": "the content does not match the category", "es": "el contenido no corresponde a la categoría", "pt": "o conteúdo não corresponde à categoria"},
	"tplsync.reason.scam":                 {"en": "suspected scam", "es": "sospecha de fraude", "pt": "suspeita de fraude"},
}
