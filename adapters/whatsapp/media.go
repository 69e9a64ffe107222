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
	"path"
	"strconv"
	"strings"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/media"
)

var _ bridge.LimitedMediaDownloader = (*Client)(nil)

// captionAllowed says which media messages carry a caption; audio and
// stickers do not.
func captionAllowed(typ string) bool {
	return typ == "image" || typ == "video" || typ == "document"
}

// SendMedia uploads file and sends it by the returned media id, as the
// bytes decide (media.Decide): an image WhatsApp cannot show is converted
// to PNG first (a WebP never goes as a sticker), an Ogg/Opus recording
// goes as a voice note ("voice": true, Meta's audio messages reference),
// other playable audio as audio, and other files WhatsApp's upload takes
// as documents. A file over WhatsApp's limit for its type, or of a type
// the upload refuses (WebM, WAV, ZIP…), is refused before it is uploaded
// (bridge.MediaRefused).
// A caption on a type that cannot carry one (audio, sticker) goes first,
// as a text message: the agent's name line reads above the voice note,
// and a caption that fails makes the delivery retry before the media went
// out, so a retry never sends the media twice. The media's id is
// returned, so its receipts land on the reply.
// A quote (bridge.Quoting) goes on the media message.
func (c *Client) SendMedia(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, file bridge.File, caption string, opts ...bridge.SendOption) (string, error) {
	file, d, err := prepareMedia(file)
	if err != nil {
		return "", err
	}
	mediaID, err := c.UploadMedia(ctx, inbox, file)
	if err != nil {
		return "", err
	}
	typ := string(d.Kind)
	if caption != "" && !captionAllowed(typ) {
		if _, err := c.SendText(ctx, inbox, to, caption); err != nil {
			return "", fmt.Errorf("send caption before %s (nothing was sent): %w", typ, err)
		}
	}
	obj := map[string]any{"id": mediaID}
	if caption != "" && captionAllowed(typ) {
		obj["caption"] = caption
	}
	if d.Voice {
		obj["voice"] = true
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
	return c.sendMessage(ctx, inbox, msg)
}

// prepareMedia applies media.Decide to file: the bytes to upload, their
// MIME type and name, and how to send them. An image to convert that does
// not decode is refused.
func prepareMedia(file bridge.File) (bridge.File, media.Decision, error) {
	d := media.Decide(file.Data, file.MimeType, 0)
	if d.Refused != nil {
		return file, d, bridge.MediaRefused(*d.Refused)
	}
	data, mimeType, err := media.Convert(d, file.Data)
	if err != nil {
		// A WebP, GIF or BMP that does not decode: WhatsApp would not
		// show it either, and its upload type would make it a sticker.
		sniffed := media.Sniff(file.Data).MIME
		return file, d, bridge.MediaRefused(media.Refusal{Kind: media.KindImage, Cause: media.UnsupportedType, Size: int64(len(file.Data)), MIME: sniffed})
	}
	if d.Convert != media.NoConversion {
		if int64(len(data)) > d.Limit {
			return file, d, bridge.MediaRefused(media.Refusal{Kind: d.Kind, Cause: media.TooLargeForWhatsApp, Size: int64(len(data)), Limit: d.Limit})
		}
		ext := map[string]string{"image/png": ".png", "image/jpeg": ".jpg"}[mimeType]
		file.Name = strings.TrimSuffix(file.Name, path.Ext(file.Name)) + ext
	}
	file.Data, file.MimeType = data, mimeType
	return file, d, nil
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
	return c.DownloadMediaUpTo(ctx, mediaID, maxMediaBytes)
}

// DownloadMediaUpTo implements bridge.LimitedMediaDownloader: DownloadMedia
// refusing a file over maxBytes (at most WhatsApp's largest), from the
// size Graph gives before the download, or at the limit while reading
// when that size was missing or wrong.
func (c *Client) DownloadMediaUpTo(ctx context.Context, mediaID string, maxBytes int64) (bridge.File, error) {
	if maxBytes <= 0 || maxBytes > maxMediaBytes {
		maxBytes = maxMediaBytes
	}
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
	if size, err := strconv.ParseInt(string(info.FileSize), 10, 64); err == nil && size > maxBytes {
		// Refused before downloading a byte.
		return bridge.File{}, bridge.TooLargeSized("media "+mediaID, size, maxBytes)
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
	data, err := bridge.ReadLimited(resp.Body, maxBytes, "media "+mediaID)
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
