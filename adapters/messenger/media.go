package messenger

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path"
	"strings"

	"github.com/switchboard/switchboard/adapters/internal/metamsg"
	"github.com/switchboard/switchboard/bridge"
)

// MaxAttachmentBytes is the Send API's attachment limit (25 MB).
const MaxAttachmentBytes = 25 << 20

// attachmentType is the Send API's type for a MIME type.
func attachmentType(mimeType string) string {
	mt, _, _ := mime.ParseMediaType(mimeType)
	switch {
	case strings.HasPrefix(mt, "image/"):
		return "image"
	case strings.HasPrefix(mt, "audio/"):
		return "audio"
	case strings.HasPrefix(mt, "video/"):
		return "video"
	}
	return "file"
}

// SendMedia uploads file (Attachment Upload API, POST
// /{page-id}/message_attachments) and sends it by attachment_id. Messenger
// attachments carry no caption: a caption goes first as text, so a retry
// after a failed caption never sends the file twice. The file's mid is
// returned.
func (c *Client) SendMedia(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, file bridge.File, caption string, opts ...bridge.SendOption) (string, error) {
	if len(file.Data) > MaxAttachmentBytes {
		return "", bridge.TooLargeSized("messenger attachment", int64(len(file.Data)), MaxAttachmentBytes)
	}
	typ := attachmentType(file.MimeType)
	id, err := c.UploadAttachment(ctx, inbox, typ, file)
	if err != nil {
		return "", err
	}
	if caption != "" {
		if _, err := c.SendText(ctx, inbox, to, caption, opts...); err != nil {
			return "", fmt.Errorf("send caption before the %s (nothing was sent): %w", typ, err)
		}
	}
	return c.sendMessage(ctx, inbox, metamsg.AttachmentRequest(string(to), typ, "", id, flags(opts)))
}

// UploadAttachment stores file with Meta and returns its attachment_id.
func (c *Client) UploadAttachment(ctx context.Context, inbox bridge.InboxID, typ string, file bridge.File) (string, error) {
	mt, _, err := mime.ParseMediaType(file.MimeType)
	if err != nil || mt == "" {
		mt = "application/octet-stream"
	}
	name := file.Name
	if name == "" {
		name = "file"
	}
	msg, _ := json.Marshal(map[string]any{"attachment": map[string]any{"type": typ, "payload": map[string]any{"is_reusable": true}}})
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("message", string(msg))
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": "filedata", "filename": name}))
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
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(string(inbox), "message_attachments"), &buf)
	if err != nil {
		return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "request", Err: err}
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	var out struct {
		AttachmentID string `json:"attachment_id"`
	}
	if err := c.do(inbox, req, &out); err != nil {
		return "", err
	}
	if out.AttachmentID == "" {
		return "", &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: "bad_response",
			Err: fmt.Errorf("attachment upload answered without attachment_id")}
	}
	return out.AttachmentID, nil
}

// DownloadMedia fetches an attachment a customer sent; mediaID is its CDN
// URL (metamsg puts the URL there).
func (c *Client) DownloadMedia(ctx context.Context, mediaID string) (bridge.File, error) {
	return c.DownloadMediaUpTo(ctx, mediaID, MaxAttachmentBytes)
}

// DownloadMediaUpTo fetches the attachment at URL mediaID, refusing more
// than maxBytes. No token is sent: the URL is signed by Meta's CDN, and a
// Page token must never go to a host named in a webhook.
func (c *Client) DownloadMediaUpTo(ctx context.Context, mediaID string, maxBytes int64) (bridge.File, error) {
	u, err := url.Parse(mediaID)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return bridge.File{}, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "media_url",
			Err: fmt.Errorf("messenger attachment is not a URL")}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, mediaID, nil)
	if err != nil {
		return bridge.File{}, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "request", Err: err}
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return bridge.File{}, metamsg.ClassifyTransport(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return bridge.File{}, metamsg.Classify(resp.StatusCode, resp.Header, body)
	}
	if maxBytes <= 0 {
		maxBytes = MaxAttachmentBytes
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return bridge.File{}, metamsg.ClassifyTransport(err)
	}
	if int64(len(data)) > maxBytes {
		return bridge.File{}, bridge.TooLarge("messenger attachment", maxBytes)
	}
	mt := resp.Header.Get("Content-Type")
	if mt == "" {
		mt = http.DetectContentType(data)
	}
	return bridge.File{Name: path.Base(u.Path), MimeType: mt, Data: data}, nil
}
