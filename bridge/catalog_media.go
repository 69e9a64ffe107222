package bridge

// mediaTexts explain files that cannot be carried: an agent's file
// refused before it reaches WhatsApp (after "fail.prefix"), and a
// customer's file too large for the thread.
var mediaTexts = map[string]translations{
	"media.refused_image": {
		"en": "the image (%s) is larger than WhatsApp accepts for images (%s), so it was not sent. Send a smaller image, or share a link instead.",
		"es": "la imagen (%s) es más grande de lo que WhatsApp acepta para imágenes (%s), así que no se envió. Envía una imagen más pequeña o comparte un enlace.",
		"pt": "a imagem (%s) é maior do que o WhatsApp aceita para imagens (%s), por isso não foi enviada. Envie uma imagem menor ou compartilhe um link.",
	},
	"media.refused_video": {
		"en": "the video (%s) is larger than WhatsApp accepts for videos (%s), so it was not sent. Share a link instead.",
		"es": "el vídeo (%s) es más grande de lo que WhatsApp acepta para vídeos (%s), así que no se envió. Comparte un enlace en su lugar.",
		"pt": "o vídeo (%s) é maior do que o WhatsApp aceita para vídeos (%s), por isso não foi enviado. Compartilhe um link em vez disso.",
	},
	"media.refused_audio": {
		"en": "the audio (%s) is larger than WhatsApp accepts for audio (%s), so it was not sent. Share a link instead.",
		"es": "el audio (%s) es más grande de lo que WhatsApp acepta para audio (%s), así que no se envió. Comparte un enlace en su lugar.",
		"pt": "o áudio (%s) é maior do que o WhatsApp aceita para áudio (%s), por isso não foi enviado. Compartilhe um link em vez disso.",
	},
	"media.refused_document": {
		"en": "the file (%s) is larger than WhatsApp accepts for documents (%s), so it was not sent. Share a link instead.",
		"es": "el archivo (%s) es más grande de lo que WhatsApp acepta para documentos (%s), así que no se envió. Comparte un enlace en su lugar.",
		"pt": "o arquivo (%s) é maior do que o WhatsApp aceita para documentos (%s), por isso não foi enviado. Compartilhe um link em vez disso.",
	},
	"media.refused_config": {
		"en": "the file (%s) is larger than the %s switchboard carries to customers, so it was not sent. Share a link instead.",
		"es": "el archivo (%s) supera los %s que switchboard lleva a los clientes, así que no se envió. Comparte un enlace en su lugar.",
		"pt": "o arquivo (%s) passa dos %s que o switchboard leva aos clientes, por isso não foi enviado. Compartilhe um link em vez disso.",
	},
	"media.refused_type": {
		"en": "WhatsApp does not take files of this type (%s), not even as a document, so it was not sent. Convert it (to MP3, M4A, MP4 or PDF, for example) or share a link instead.",
		"es": "WhatsApp no acepta archivos de este tipo (%s), ni siquiera como documento, así que no se envió. Conviértelo (a MP3, M4A, MP4 o PDF, por ejemplo) o comparte un enlace.",
		"pt": "o WhatsApp não aceita arquivos deste tipo (%s), nem como documento, por isso não foi enviado. Converta-o (para MP3, M4A, MP4 ou PDF, por exemplo) ou compartilhe um link.",
	},
	"media.inbound_too_large": {
		"en": "%s — the customer's file (%s) is larger than the %s switchboard carries into threads, so it is not shown here. Ask them for a smaller file or a link.",
		"es": "%s — el archivo del cliente (%s) supera los %s que switchboard lleva a los hilos, así que no se muestra aquí. Pídele un archivo más pequeño o un enlace.",
		"pt": "%s — o arquivo do cliente (%s) passa dos %s que o switchboard leva às conversas, por isso não aparece aqui. Peça um arquivo menor ou um link.",
	},
	"media.more_than": {"en": "more than %s", "es": "más de %s", "pt": "mais de %s"},
}
