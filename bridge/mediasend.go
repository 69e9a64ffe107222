package bridge

import (
	"context"
	"errors"
	"path"
	"strings"

	"github.com/switchboard/switchboard/bridge/media"
)

// MediaRefused is the error for a file WhatsApp would not take (or that
// is over options.max_attachment_bytes): permanent, so the thread is told
// at once, with a code carrying the kind, size and limit that the thread's
// explanation names (mediaRefusalWhy).
func MediaRefused(r media.Refusal) *DeliveryError {
	err := errors.New("refused " + string(r.Kind) + " of " + media.HumanSize(r.Size) + " (limit " + media.HumanSize(r.Limit) + ")")
	if r.Cause == media.UnsupportedType {
		err = errors.New("refused " + r.MIME + ": not a type WhatsApp's media upload takes")
	}
	return &DeliveryError{Permanent: true, Reason: ReasonMediaRejected, Code: r.Code(), Err: err}
}

// sendAgentFile sends one file an agent shared in the thread, with caption
// (the agent's name line, or ""). A file
// declared too large is refused before a byte is downloaded; the download
// stops at the limit of the type it was declared as; the bytes then decide
// (media.Decide) and a file WhatsApp would refuse, or that is over
// options.max_attachment_bytes, is refused before anything is uploaded.
// The customer channel converts and picks the message type by the same
// decision.
func (b *Bridge) sendAgentFile(ctx context.Context, dc deliveryContext, f AgentFile, caption string, opts ...SendOption) (outcome, error) {
	ws, ok := b.workspaces[dc.thread.Ref.Workspace]
	if !ok {
		return outcome{}, notConfigured(string(dc.thread.Ref.Workspace) + " workspace")
	}
	pre := media.Precheck(f.MimeType, f.Size, b.opts.MaxAttachmentBytes)
	if pre.Refused != nil {
		return outcome{}, MediaRefused(*pre.Refused)
	}
	f.MaxBytes = pre.Limit
	file, err := ws.DownloadFile(ctx, f)
	if err != nil {
		if de, ok := AsDeliveryError(err); ok && de.Permanent && de.Code != CodeFileTooLarge {
			de.Reason = ReasonNotInChannel // shown as "the file could not be read"
		}
		return outcome{}, err
	}
	if d := media.Decide(file.Data, file.MimeType, b.opts.MaxAttachmentBytes); d.Refused != nil {
		return outcome{}, MediaRefused(*d.Refused)
	}
	opts = append(opts, b.emailThread(ctx, dc)) // email_thread.go
	id, err := b.channelFor(dc.conv.Inbox).SendMedia(ctx, dc.conv.Inbox, dc.contact.Address, file, caption, opts...)
	return outcome{externalID: id}, err
}

// mediaRefusalWhy explains a media refusal code (MediaRefused) in an
// agent's words: what was refused, its size, the limit and what to do
// instead.
func mediaRefusalWhy(lang, code string) (string, bool) {
	r, ok := media.ParseCode(code)
	if !ok {
		return "", false
	}
	if r.Cause == media.UnsupportedType {
		return Text(lang, "media.refused_type", r.MIME), true
	}
	if r.Cause == media.TooLargeForConfig {
		return Text(lang, "media.refused_config", media.HumanSize(r.Size), media.HumanSize(r.Limit)), true
	}
	switch r.Kind {
	case media.KindImage, media.KindVideo, media.KindAudio:
		return Text(lang, "media.refused_"+string(r.Kind), media.HumanSize(r.Size), media.HumanSize(r.Limit)), true
	}
	return Text(lang, "media.refused_document", media.HumanSize(r.Size), media.HumanSize(r.Limit)), true
}

// downloadCustomerMedia fetches what a customer sent, refusing a file
// over options.max_attachment_bytes (before downloading it when the
// channel can tell its size first), and names it by its real type: a
// voice note arrives in the thread as a playable .ogg.
func (b *Bridge) downloadCustomerMedia(ctx context.Context, inbox InboxID, mediaID string) (File, error) {
	customer := b.channelFor(inbox)
	if customer == nil {
		return File{}, notConfigured(string(b.inboxChannel(inbox)))
	}
	var file File
	var err error
	if lim, ok := customer.(LimitedMediaDownloader); ok && b.opts.MaxAttachmentBytes > 0 {
		file, err = lim.DownloadMediaUpTo(ctx, mediaID, b.opts.MaxAttachmentBytes)
	} else {
		file, err = customer.DownloadMedia(ctx, mediaID)
	}
	if err != nil {
		return File{}, err
	}
	if max := b.opts.MaxAttachmentBytes; max > 0 && int64(len(file.Data)) > max {
		return File{}, TooLargeSized("media "+mediaID, int64(len(file.Data)), max)
	}
	return namedByContent(file), nil
}

// namedByContent gives a file the MIME type its bytes show and a matching
// extension, so Slack and Discord offer the right player (Discord plays
// an attachment by its content type, Slack by its file name).
func namedByContent(f File) File {
	sniffed := media.Sniff(f.Data).MIME
	if sniffed == "" {
		return f
	}
	f.MimeType = sniffed
	ext := map[string]string{"audio/ogg": ".ogg", "audio/mp4": ".m4a", "audio/mpeg": ".mp3", "audio/aac": ".aac",
		"audio/amr": ".amr", "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "video/mp4": ".mp4",
		"video/3gpp": ".3gp", "application/pdf": ".pdf"}[sniffed]
	if ext != "" && !strings.EqualFold(path.Ext(f.Name), ext) {
		f.Name = strings.TrimSuffix(f.Name, path.Ext(f.Name)) + ext
	}
	return f
}

// mediaMissingText is the thread's text for a customer file that could
// not be carried: too large (with its size and the limit), or not
// fetched.
func mediaMissingText(lang, text string, err error) string {
	var se *SizeError
	if errors.As(err, &se) {
		size := media.HumanSize(se.Size)
		if se.Size <= 0 {
			size = Text(lang, "media.more_than", media.HumanSize(se.Max))
		}
		return Text(lang, "media.inbound_too_large", text, size, media.HumanSize(se.Max))
	}
	return Text(lang, "post.media_missing", text, err.Error())
}
