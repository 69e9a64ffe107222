package whatsapp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/switchboard/switchboard/bridge"
)

// MediaType picks the WhatsApp message type for a MIME type. Formats
// WhatsApp cannot show inline (GIF, HEIC, WebM, WAV…) go as documents, which
// accept any type, rather than failing with 131053.
func MediaType(mimeType string) string {
	mt, _, err := mime.ParseMediaType(mimeType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(mimeType))
	}
	switch mt {
	case "image/jpeg", "image/png":
		return "image"
	case "image/webp":
		return "sticker"
	case "video/mp4", "video/3gpp":
		return "video"
	case "audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg":
		return "audio"
	}
	return "document"
}

// WhatsApp's size limits per media type (Cloud API media reference). A
// static sticker may be at most 100 KB and an animated one 500 KB; which
// one a WebP is cannot be told before downloading it, so the larger limit
// applies here and Meta refuses a static sticker between the two.
const (
	maxImageBytes    = 5 << 20
	maxAudioBytes    = 16 << 20
	maxVideoBytes    = 16 << 20
	maxDocumentBytes = 100 << 20
	maxStickerBytes  = 500 << 10
)

// MediaLimit implements bridge.MediaLimiter: the WhatsApp message type a
// file of mimeType is sent as (see MediaType) and the largest such file
// WhatsApp accepts.
func (c *Client) MediaLimit(mimeType string) (string, int64) {
	typ := MediaType(mimeType)
	switch typ {
	case "image":
		return typ, maxImageBytes
	case "audio":
		return typ, maxAudioBytes
	case "video":
		return typ, maxVideoBytes
	case "sticker":
		return typ, maxStickerBytes
	}
	return typ, maxDocumentBytes
}

var _ bridge.MediaLimiter = (*Client)(nil)

// captionAllowed says which media messages carry a caption; audio and
// stickers do not.
func captionAllowed(typ string) bool {
	return typ == "image" || typ == "video" || typ == "document"
}

// SendMedia uploads file and sends it by the returned media id. A caption on
// a type that cannot carry one (audio, sticker) follows as a text message,
// and the id of that last message is returned.
// A quote (bridge.Quoting) goes on the media message.
func (c *Client) SendMedia(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, file bridge.File, caption string, opts ...bridge.SendOption) (string, error) {
	mediaID, err := c.UploadMedia(ctx, inbox, file)
	if err != nil {
		return "", err
	}
	typ := MediaType(file.MimeType)
	obj := map[string]any{"id": mediaID}
	if caption != "" && captionAllowed(typ) {
		obj["caption"] = caption
	}
	if typ == "document" {
		name := file.Name
		if name == "" {
			name = "file"
		}
		obj["filename"] = name
	}
	msg := map[string]any{
		"recipient_type": "individual",
		"to":             string(to),
		"type":           typ,
		typ:              obj,
	}
	quote(msg, bridge.ApplySendOptions(opts))
	id, err := c.sendMessage(ctx, inbox, msg)
	if err != nil || caption == "" || captionAllowed(typ) {
		return id, err
	}
	textID, err := c.SendText(ctx, inbox, to, caption)
	if err != nil {
		return id, fmt.Errorf("send caption after %s (the %s was sent): %w", typ, typ, err)
	}
	return textID, nil
}

// UploadMedia stores file with Meta (POST /{phone-number-id}/media) and
// returns the media id, valid for 30 days.
func (c *Client) UploadMedia(ctx context.Context, inbox bridge.InboxID, file bridge.File) (string, error) {
	if inbox == "" {
		return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "no_inbox",
			Err: fmt.Errorf("upload whatsapp media: empty phone number id")}
	}
	mt, _, err := mime.ParseMediaType(file.MimeType)
	if err != nil || mt == "" {
		mt = "application/octet-stream"
	}
	name := file.Name
	if name == "" {
		name = "file"
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("messaging_product", "whatsapp")
	_ = w.WriteField("type", mt)
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": "file", "filename": name}))
	h.Set("Content-Type", mt)
	part, err := w.CreatePart(h)
	if err == nil {
		_, err = part.Write(file.Data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "encode", Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(string(inbox), "media"), &buf)
	if err != nil {
		return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "request", Err: err}
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	var out struct {
		ID string `json:"id"`
	}
	if err := c.do(req, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: "bad_response",
			Err: fmt.Errorf("media upload answered without an id")}
	}
	return out.ID, nil
}

// DownloadMedia fetches an attachment a customer sent: GET /{media-id}
// gives a short-lived URL, which is then fetched with the same Bearer token
// (following redirects). Graph gives no file name, so the media id plus an
// extension for the type stands in.
func (c *Client) DownloadMedia(ctx context.Context, mediaID string) (bridge.File, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(mediaID), nil)
	if err != nil {
		return bridge.File{}, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "request", Err: err}
	}
	var info struct {
		URL      string     `json:"url"`
		MimeType string     `json:"mime_type"`
		FileSize flexNumber `json:"file_size"`
	}
	if err := c.do(req, &info); err != nil {
		return bridge.File{}, fmt.Errorf("look up media %s: %w", mediaID, err)
	}
	if size, err := strconv.ParseInt(string(info.FileSize), 10, 64); err == nil && size > maxMediaBytes {
		// Refused before downloading a byte.
		return bridge.File{}, bridge.TooLarge("media "+mediaID, maxMediaBytes)
	}
	if info.URL == "" {
		return bridge.File{}, &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: "bad_response",
			Err: fmt.Errorf("media %s: graph api gave no url", mediaID)}
	}
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, info.URL, nil)
	if err != nil {
		return bridge.File{}, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "request", Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+c.AccessToken)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return bridge.File{}, fmt.Errorf("download media %s: %w", mediaID, ClassifyTransportError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return bridge.File{}, fmt.Errorf("download media %s: %w", mediaID, ClassifyResponse(resp.StatusCode, resp.Header, body))
	}
	data, err := bridge.ReadLimited(resp.Body, maxMediaBytes, "media "+mediaID)
	if err != nil {
		if de, ok := bridge.AsDeliveryError(err); ok {
			return bridge.File{}, de
		}
		return bridge.File{}, fmt.Errorf("download media %s: %w", mediaID, ClassifyTransportError(err))
	}
	mimeType := info.MimeType
	if mimeType == "" {
		mimeType = resp.Header.Get("Content-Type")
	}
	return bridge.File{Name: mediaID + extensionFor(mimeType), MimeType: mimeType, Data: data}, nil
}

// extensionFor picks a common extension; mime.ExtensionsByType's first
// answer depends on the host's mime tables (".jfif" for JPEG on some).
func extensionFor(mimeType string) string {
	mt, _, _ := mime.ParseMediaType(mimeType)
	switch mt {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/webp":
		return ".webp"
	case "video/mp4":
		return ".mp4"
	case "audio/ogg":
		return ".ogg"
	case "audio/mpeg":
		return ".mp3"
	case "application/pdf":
		return ".pdf"
	}
	if exts, _ := mime.ExtensionsByType(mt); len(exts) > 0 {
		return exts[0]
	}
	return ""
}
