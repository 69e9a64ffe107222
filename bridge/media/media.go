// Package media decides how a file reaches a WhatsApp customer: as an
// image, a video, an audio (or voice) message or a document, converted
// first, or refused with a reason the agent can act on. It is pure: it
// reads bytes and answers, it never sends or stores anything. The bridge
// refuses and converts; adapters/whatsapp sends by the same decision.
//
// The limits and formats are Meta's "Supported media types" (Cloud API
// media reference,
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types):
//
//	image    image/jpeg, image/png                                   5 MB
//	video    video/mp4, video/3gpp (H.264 video + AAC audio only)    16 MB
//	audio    audio/aac, audio/amr, audio/mpeg, audio/mp4,
//	         audio/ogg (OPUS codec only; base audio/ogg refused)     16 MB
//	sticker  image/webp                        100 KB static, 500 KB animated
//	document any type                                                100 MB
//
// A voice note is an audio message with "voice": true, which Meta accepts
// for .ogg files with the OPUS codec only (Audio messages,
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/audio-messages/).
package media

import (
	"fmt"
	"mime"
	"sort"
	"strconv"
	"strings"
)

// Kind is the WhatsApp message type a file is sent as.
type Kind string

const (
	KindImage    Kind = "image"
	KindVideo    Kind = "video"
	KindAudio    Kind = "audio"
	KindDocument Kind = "document"
	KindSticker  Kind = "sticker"
)

// WhatsApp's size limits per message type (see the package comment).
// Meta counts in binary units, as its error 131052 shows ("exceeds 5 MB"
// for 5,242,881 bytes).
const (
	MaxImageBytes           int64 = 5 << 20
	MaxVideoBytes           int64 = 16 << 20
	MaxAudioBytes           int64 = 16 << 20
	MaxDocumentBytes        int64 = 100 << 20
	MaxStaticStickerBytes   int64 = 100 << 10
	MaxAnimatedStickerBytes int64 = 500 << 10
)

// Limit is WhatsApp's largest file of kind k.
func Limit(k Kind) int64 {
	switch k {
	case KindImage:
		return MaxImageBytes
	case KindVideo:
		return MaxVideoBytes
	case KindAudio:
		return MaxAudioBytes
	case KindSticker:
		return MaxAnimatedStickerBytes
	}
	return MaxDocumentBytes
}

// Conversion is what the bridge does to the bytes before sending them.
type Conversion string

const (
	NoConversion Conversion = ""
	// ToPNG: an image WhatsApp cannot show (WebP, GIF, BMP) that Go can
	// decode is re-encoded as PNG and sent as an image, never as a sticker.
	ToPNG Conversion = "png"
)

// Cause says why a file is refused.
type Cause string

const (
	// TooLargeForWhatsApp: over WhatsApp's limit for the file's kind.
	TooLargeForWhatsApp Cause = "whatsapp"
	// TooLargeForConfig: over options.max_attachment_bytes.
	TooLargeForConfig Cause = "config"
	// UnsupportedType: a type WhatsApp's media upload does not take at all,
	// not even as a document (uploadTypes).
	UnsupportedType Cause = "type"
)

// Refusal is a file that cannot be sent, with what the agent is told.
type Refusal struct {
	Kind  Kind
	Cause Cause
	Size  int64 // bytes; 0 when unknown
	Limit int64
	// MIME is the refused type (UnsupportedType only).
	MIME string
}

// uploadTypes are the MIME types POST /{phone-number-id}/media accepts;
// any other is refused with error 100 ("Param file must be a file with one
// of the following types: …", the list below), so a file of another type
// cannot reach WhatsApp even as a document.
var uploadTypes = map[string]bool{
	"audio/aac": true, "audio/mp4": true, "audio/mpeg": true, "audio/amr": true, "audio/ogg": true, "audio/opus": true,
	"application/vnd.ms-powerpoint": true, "application/msword": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
	"application/pdf": true, "text/plain": true, "application/vnd.ms-excel": true,
	"image/jpeg": true, "image/png": true, "image/webp": true, "video/mp4": true, "video/3gpp": true,
}

// UploadTypes lists the MIME types WhatsApp's media upload accepts, for
// fakes that answer like Graph.
func UploadTypes() []string {
	out := make([]string, 0, len(uploadTypes))
	for t := range uploadTypes {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Decision is how one file goes to the customer.
type Decision struct {
	Kind Kind
	// Voice sends an audio message as a voice note (ogg/opus only).
	Voice bool
	// MIME is the type to upload with: the sniffed one, or the declared
	// one when the bytes were not looked at (Precheck).
	MIME    string
	Convert Conversion
	// Limit is the most bytes the file may have to go as Kind.
	Limit   int64
	Refused *Refusal
}

// Precheck decides from what a workspace declares (type and size), before
// a byte is downloaded: it refuses a file that is declared too large, and
// its Limit bounds the download. maxBytes is options.max_attachment_bytes
// (0: none). size 0 means unknown.
func Precheck(declaredMIME string, size, maxBytes int64) Decision {
	f := Format{MIME: baseMIME(declaredMIME), Codec: codecParam(declaredMIME)}
	if f.MIME == "audio/ogg" && f.Codec == "" {
		// Workspaces declare voice clips as plain audio/ogg; OPUS is the
		// only Ogg WhatsApp plays, and Decide checks it in the bytes.
		f.Codec = "opus"
	}
	d := decide(f)
	// Only sizes are refused here: a declared type is often generic
	// (application/octet-stream, or none) where the bytes are a PDF or
	// a picture, and Decide refuses by the bytes.
	d.Refused = nil
	return d.bound(size, maxBytes)
}

// Decide decides from the bytes themselves (Sniff), the declared type
// only breaking ties a file's signature leaves open (an MP4 container of
// audio only). maxBytes is options.max_attachment_bytes (0: none).
func Decide(data []byte, declaredMIME string, maxBytes int64) Decision {
	f := Sniff(data)
	if f.MIME == "" {
		// No signature Sniff knows: never sent as media, whatever the
		// declared type says (WhatsApp would refuse it with 131053). A
		// declared media type the bytes do not match is dropped too.
		mt := baseMIME(declaredMIME)
		if mt == "" || sniffable(mt) {
			mt = "application/octet-stream"
		}
		return decide(Format{MIME: mt}).bound(int64(len(data)), maxBytes)
	}
	if f.MIME == "video/mp4" && strings.HasPrefix(baseMIME(declaredMIME), "audio/") {
		f.MIME = "audio/mp4" // an .m4a whose brand does not say audio
	}
	return decide(f).bound(int64(len(data)), maxBytes)
}

// sniffable reports whether Sniff knows the signature of mt: a file
// declared as one of these whose bytes do not match is not what it says.
func sniffable(mt string) bool {
	switch mt {
	case "image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp",
		"video/mp4", "video/3gpp", "audio/mp4", "audio/ogg", "audio/mpeg", "audio/aac", "audio/amr":
		return true
	}
	return false
}

func decide(f Format) Decision {
	d := Decision{Kind: KindDocument, MIME: f.MIME, Limit: MaxDocumentBytes}
	switch f.MIME {
	case "image/jpeg", "image/png":
		d.Kind = KindImage
	case "image/webp", "image/gif", "image/bmp":
		if f.Animated {
			// A still would lose the animation; as a document the upload
			// refuses a GIF and takes a WebP only as a sticker (512×512,
			// 500 KB), which an agent's animation rarely is.
			d.Refused = &Refusal{Kind: KindImage, Cause: UnsupportedType, MIME: f.MIME + " (animated)"}
			return d
		}
		// Never a sticker: an agent's picture is a picture.
		d.Kind, d.MIME, d.Convert = KindImage, "image/png", ToPNG
	case "video/mp4", "video/3gpp":
		if playableTracks(f.Tracks) {
			d.Kind = KindVideo
		}
	case "audio/aac", "audio/amr", "audio/mpeg", "audio/mp4":
		d.Kind = KindAudio
	case "audio/ogg":
		// Base audio/ogg (Vorbis) is refused by WhatsApp; OPUS plays, as
		// a voice note.
		if f.Codec == "opus" {
			d.Kind, d.Voice = KindAudio, true
		}
	}
	if d.Kind != KindDocument {
		d.Limit = Limit(d.Kind)
		return d
	}
	if strings.HasPrefix(d.MIME, "text/") {
		d.MIME = "text/plain" // CSV, HTML, Markdown…: plain text is what they are
	}
	if !uploadTypes[d.MIME] {
		d.Refused = &Refusal{Kind: KindDocument, Cause: UnsupportedType, MIME: d.MIME}
	}
	return d
}

// bound refuses a file of size over its limit or over maxBytes, and
// lowers Limit to maxBytes.
func (d Decision) bound(size, maxBytes int64) Decision {
	if d.Refused != nil {
		d.Refused.Size = size
		return d
	}
	if size > d.Limit {
		d.Refused = &Refusal{Kind: d.Kind, Cause: TooLargeForWhatsApp, Size: size, Limit: d.Limit}
		return d
	}
	if maxBytes > 0 && maxBytes < d.Limit {
		d.Limit = maxBytes
		if size > maxBytes {
			d.Refused = &Refusal{Kind: d.Kind, Cause: TooLargeForConfig, Size: size, Limit: maxBytes}
		}
	}
	return d
}

// playableTracks reports whether WhatsApp plays a video of these tracks:
// H.264 video and AAC audio only (Supported media types). A file whose
// tracks could not be read is given the benefit of the doubt.
func playableTracks(tracks []string) bool {
	for _, t := range tracks {
		switch t {
		case "avc1", "avc3", "mp4a":
		default:
			return false
		}
	}
	return true
}

func baseMIME(s string) string {
	mt, _, err := mime.ParseMediaType(s)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(s))
	}
	return mt
}

func codecParam(s string) string {
	_, params, _ := mime.ParseMediaType(s)
	return strings.ToLower(params["codecs"])
}

// refusalPrefix starts the DeliveryError code of a refusal.
const refusalPrefix = "media_refused:"

// Code encodes r as a delivery error code, which the bridge stores with
// the failed delivery and turns back into the thread's explanation
// (ParseCode): "media_refused:video:whatsapp:20971520:16777216:" or
// "media_refused:document:type:0:0:video/webm".
func (r Refusal) Code() string {
	return fmt.Sprintf("%s%s:%s:%d:%d:%s", refusalPrefix, r.Kind, r.Cause, r.Size, r.Limit, r.MIME)
}

// ParseCode is the inverse of Code; ok is false for any other code.
func ParseCode(code string) (r Refusal, ok bool) {
	rest, ok := strings.CutPrefix(code, refusalPrefix)
	if !ok {
		return Refusal{}, false
	}
	parts := strings.SplitN(rest, ":", 5)
	if len(parts) != 5 {
		return Refusal{}, false
	}
	size, err1 := strconv.ParseInt(parts[2], 10, 64)
	limit, err2 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil {
		return Refusal{}, false
	}
	return Refusal{Kind: Kind(parts[0]), Cause: Cause(parts[1]), Size: size, Limit: limit, MIME: parts[4]}, true
}

// HumanSize writes n bytes the way WhatsApp's limits are written: "5 MB",
// "16 MB", "100 KB", "20.5 MB" (binary units, like Meta's).
func HumanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return trimUnit(float64(n)/(1<<20)) + " MB"
	case n >= 1<<10:
		return trimUnit(float64(n)/(1<<10)) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

func trimUnit(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}
