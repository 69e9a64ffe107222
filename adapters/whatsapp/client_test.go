package whatsapp_test

import (
	"context"
	"image/color"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/media"
	"github.com/switchboard/switchboard/bridge/media/mediatest"
	"github.com/switchboard/switchboard/bridge/templates"
)

const (
	inbox    bridge.InboxID         = "106540352242922"
	customer bridge.CustomerAddress = "16505551234"
)

func setupClient(t *testing.T) (*whatsapp.Client, *whatsapptest.Server) {
	t.Helper()
	srv := whatsapptest.New(t)
	c := whatsapp.NewClient(srv.Token)
	c.BaseURL = srv.URL
	return c, srv
}

func TestClientSendText(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	id, err := c.SendText(context.Background(), inbox, customer, "see https://example.com")
	require.NoError(t, err)
	sends := srv.WaitForSends(t, 1, 5*time.Second)
	require.Equal(t, sends[0].WAMID, id)
	require.True(t, strings.HasPrefix(id, "wamid."))
	require.Equal(t, string(inbox), sends[0].PhoneNumberID)
	require.Equal(t, string(customer), sends[0].To)
	require.Equal(t, "text", sends[0].Type)
	require.Equal(t, "see https://example.com", sends[0].Text)
	require.True(t, sends[0].PreviewURL)
	require.Contains(t, string(sends[0].Raw), `"recipient_type":"individual"`)
}

func TestClientSplitsLongTextInOrder(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	line := strings.Repeat("é", 99) + "\n" // 100 runes, 200+ bytes
	text := strings.Repeat(line, 90)       // 9,000 runes
	id, err := c.SendText(context.Background(), inbox, customer, text)
	require.NoError(t, err)
	sends := srv.Sends()
	require.Len(t, sends, 3)
	require.Equal(t, sends[2].WAMID, id, "the last part's id is returned")
	var joined []string
	for _, s := range sends {
		require.LessOrEqual(t, utf8.RuneCountInString(s.Text), whatsapp.MaxTextLength)
		require.False(t, strings.HasPrefix(s.Text, "\n"))
		joined = append(joined, s.Text)
	}
	require.True(t, text == strings.Join(joined, "\n"), "cut on line breaks, nothing lost")
}

func TestSplitText(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"short"}, whatsapp.SplitText("short", 10))
	require.Equal(t, []string{"aaa bbb", "ccc"}, whatsapp.SplitText("aaa bbb ccc", 8))
	require.Equal(t, []string{"line one", "two"}, whatsapp.SplitText("line one\ntwo", 10))
	require.Equal(t, []string{"abcde", "fghij", "k"}, whatsapp.SplitText("abcdefghijk", 5), "no boundary: hard cut")
	require.Equal(t, []string{"😀😀", "😀"}, whatsapp.SplitText("😀😀😀", 2), "counts characters, not bytes")
}

// TestClientSendMedia sends real files (bridge/media/mediatest): the
// bytes decide the message type, a WebP is converted to PNG, an Ogg/Opus
// recording is a voice note.
func TestClientSendMedia(t *testing.T) {
	t.Parallel()
	teal := color.NRGBA{R: 0x12, G: 0x9a, B: 0x8c, A: 0xff}
	png := mediatest.PNG(3, 3, teal)
	tests := []struct {
		name, mime, fileName, caption string
		data                          []byte
		wantType, wantCaption         string
		wantMIME, wantName            string
		wantVoice                     bool
		wantSends                     int
	}{
		{"a PNG goes as an image with caption", "image/png", "a.png", "look", png, "image", "look", "image/png", "a.png", false, 1},
		{"a PDF goes as a document with its filename", "application/pdf", "invoice.pdf", "your invoice", []byte("%PDF-1.7\n%%EOF\n"), "document", "your invoice", "application/pdf", "invoice.pdf", false, 1},
		{"a WebP is converted to a PNG image, never a sticker", "image/webp", "s.webp", "", mediatest.WebP(3, 3, teal), "image", "", "image/png", "s.png", false, 1},
		{"an MP4 goes as a video", "video/mp4", "v.mp4", "clip", mediatest.MP4(64), "video", "clip", "video/mp4", "v.mp4", false, 1},
		{"an M4A goes as audio", "audio/mp4", "a.m4a", "", mediatest.M4A(64), "audio", "", "audio/mp4", "a.m4a", false, 1},
		{"Ogg/Opus is a voice note; its caption goes first as text", "audio/ogg; codecs=opus", "v.ogg", "listen", mediatest.OggOpus(5), "audio", "", "audio/ogg", "v.ogg", true, 2},
		{"a CSV goes as a plain-text document", "text/csv", "orders.csv", "", []byte("id,total\n1,9.90\n"), "document", "", "text/plain", "orders.csv", false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setupClient(t)
			id, err := c.SendMedia(context.Background(), inbox, customer,
				bridge.File{Name: tt.fileName, MimeType: tt.mime, Data: tt.data}, tt.caption)
			require.NoError(t, err)
			ups := srv.Uploads()
			require.Len(t, ups, 1)
			require.Equal(t, tt.wantMIME, ups[0].MimeType)
			require.Equal(t, tt.wantName, ups[0].Filename)
			if tt.wantMIME == "image/png" {
				require.Equal(t, "image/png", media.Sniff(ups[0].Data).MIME, "PNG bytes uploaded")
			} else {
				require.Equal(t, tt.data, ups[0].Data)
			}
			sends := srv.Sends()
			require.Len(t, sends, tt.wantSends)
			m := sends[len(sends)-1] // the media goes last
			require.Equal(t, tt.wantType, m.Type)
			require.Equal(t, ups[0].ID, m.MediaID)
			require.Equal(t, tt.wantCaption, m.Caption)
			require.Equal(t, tt.wantVoice, m.Voice)
			if tt.wantType == "document" {
				require.Equal(t, tt.fileName, m.Filename)
			}
			if tt.wantSends == 2 {
				require.Equal(t, tt.caption, sends[0].Text, "a caption the type cannot carry goes first")
			}
			require.Equal(t, m.WAMID, id, "the media's id, for its receipts")
		})
	}
}

// TestClientSendMediaRefusesTypesWhatsAppDoesNotTake: Graph's upload
// takes a fixed list of types, documents included; anything else (a WebM
// recording, bytes that are not the JPEG they claim, a WebP that does not
// decode) is refused before uploading, naming the type.
func TestClientSendMediaRefusesTypesWhatsAppDoesNotTake(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, mime, wantMIME string
		data                 []byte
	}{
		{"webm", "audio/webm", "video/webm", mediatest.WebMAudio(32)},
		{"a lying jpeg", "image/jpeg", "application/octet-stream", []byte("not a picture")},
		{"a broken webp", "image/webp", "image/webp", mediatest.WebP(4, 4, color.NRGBA{A: 0xff})[:24]},
		{"an animated webp", "image/webp", "image/webp (animated)", mediatest.AnimatedWebPHeader()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setupClient(t)
			_, err := c.SendMedia(context.Background(), inbox, customer, bridge.File{Name: "f", MimeType: tc.mime, Data: tc.data}, "")
			de, ok := bridge.AsDeliveryError(err)
			require.True(t, ok, "%v", err)
			require.True(t, de.Permanent)
			r, ok := media.ParseCode(de.Code)
			require.True(t, ok, de.Code)
			require.Equal(t, media.UnsupportedType, r.Cause)
			require.Equal(t, tc.wantMIME, r.MIME)
			require.Empty(t, srv.Uploads())
		})
	}
}

// TestFakeRefusesUploadTypesGraphRefuses: the fake answers an unlisted
// upload type as Graph does (error 100), so no test can rely on an upload
// Meta would refuse.
func TestFakeRefusesUploadTypesGraphRefuses(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	_, err := c.UploadMedia(context.Background(), inbox, bridge.File{Name: "a.zip", MimeType: "application/zip", Data: []byte("PK\x03\x04")})
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, "100", de.Code)
	require.Empty(t, srv.Uploads())
}

// TestClientSendMediaRefusesOverTheLimitBeforeUploading: a 20 MB video
// is over WhatsApp's 16 MB; nothing is uploaded and the error carries the
// kind, size and limit the thread names.
func TestClientSendMediaRefusesOverTheLimitBeforeUploading(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	video := mediatest.MP4(20 << 20)
	_, err := c.SendMedia(context.Background(), inbox, customer, bridge.File{Name: "v.mp4", MimeType: "video/mp4", Data: video}, "")
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok, "%v", err)
	require.True(t, de.Permanent)
	r, ok := media.ParseCode(de.Code)
	require.True(t, ok, de.Code)
	require.Equal(t, media.Refusal{Kind: media.KindVideo, Cause: media.TooLargeForWhatsApp, Size: int64(len(video)), Limit: 16 << 20}, r)
	require.Empty(t, srv.Uploads())
	require.Empty(t, srv.Sends())
}

func TestClientSendTemplate(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	tpl := templates.Template{Name: "order_update", Language: "pt_BR",
		Components: []templates.Component{{Type: "BODY", Text: "Olá {{1}}, o pedido {{2}} saiu."}}}
	msg, err := templates.Build(tpl, []string{"Ana", "#42"})
	require.NoError(t, err)
	id, err := c.SendTemplate(context.Background(), inbox, customer, msg)
	require.NoError(t, err)
	sends := srv.Sends()
	require.Len(t, sends, 1)
	require.Equal(t, id, sends[0].WAMID)
	require.Equal(t, "order_update", sends[0].Template.Name)
	require.Equal(t, "pt_BR", sends[0].Template.Language)
	require.Equal(t, []string{"Ana", "#42"}, sends[0].Template.BodyParams)
	require.JSONEq(t, `[{"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"#42"}]}]`,
		string(sends[0].Template.Components), "Meta's documented shape")
}

func TestClientSendReaction(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	_, err := c.SendReaction(context.Background(), inbox, customer, "wamid.IN", "👍")
	require.NoError(t, err)
	_, err = c.SendReaction(context.Background(), inbox, customer, "wamid.IN", "")
	require.NoError(t, err)
	sends := srv.Sends()
	require.Equal(t, &whatsapptest.ReactionSend{MessageID: "wamid.IN", Emoji: "👍"}, sends[0].Reaction)
	require.Equal(t, &whatsapptest.ReactionSend{MessageID: "wamid.IN"}, sends[1].Reaction, "empty emoji removes")
}

func TestClientMarkRead(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	require.NoError(t, c.MarkRead(context.Background(), inbox, "wamid.IN", false))
	require.NoError(t, c.MarkRead(context.Background(), inbox, "wamid.IN2", true))
	require.Empty(t, srv.Sends(), "a read is no message")
	require.Equal(t, []whatsapptest.Read{
		{PhoneNumberID: string(inbox), MessageID: "wamid.IN"},
		{PhoneNumberID: string(inbox), MessageID: "wamid.IN2", Typing: true},
	}, srv.Reads(), "typing rides on the read call")

	srv.ScriptReads(whatsapptest.Failure{Status: 400, Code: 100, Message: "(#100) Invalid parameter"})
	err := c.MarkRead(context.Background(), inbox, "wamid.OLD", true)
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok)
	require.True(t, de.Permanent, "a refused read is not retried")
	require.Len(t, srv.Reads(), 2, "a refused read is not recorded")

	srv.FailNext(1, http.StatusInternalServerError, 131000, "")
	require.NoError(t, c.MarkRead(context.Background(), inbox, "wamid.IN3", false), "FailNext is for messages…")
	_, err = c.SendText(context.Background(), inbox, customer, "hi")
	require.Error(t, err, "…and fails the next one")
}

func TestClientDownloadMedia(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	srv.AddMedia("1234567890987654321", "image/jpeg", []byte("\xff\xd8jpeg"))
	f, err := c.DownloadMedia(context.Background(), "1234567890987654321")
	require.NoError(t, err)
	require.Equal(t, bridge.File{Name: "1234567890987654321.jpg", MimeType: "image/jpeg", Data: []byte("\xff\xd8jpeg")}, f)

	_, err = c.DownloadMedia(context.Background(), "missing")
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok)
	require.True(t, de.Permanent)
}

func TestClientWrongTokenIsPermanent(t *testing.T) {
	t.Parallel()
	c, _ := setupClient(t)
	c.AccessToken = "expired"
	_, err := c.SendText(context.Background(), inbox, customer, "hi")
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok)
	require.True(t, de.Permanent)
	require.Equal(t, bridge.ReasonTokenExpired, de.Reason)
	require.NotContains(t, err.Error(), "expired\"", "the token is not echoed in errors")
}

func TestClientRateLimitThenSuccess(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	srv.FailNext(1, http.StatusTooManyRequests, 130429, "12")
	_, err := c.SendText(context.Background(), inbox, customer, "hi")
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok)
	require.False(t, de.Permanent)
	require.Equal(t, bridge.ReasonRateLimited, de.Reason)
	require.Equal(t, "130429", de.Code)
	require.Equal(t, 12*time.Second, de.RetryAfter)
	require.Empty(t, srv.Sends(), "a refused send is not recorded")

	id, err := c.SendText(context.Background(), inbox, customer, "hi")
	require.NoError(t, err, "the retry goes through")
	require.Equal(t, id, srv.WaitForSends(t, 1, 5*time.Second)[0].WAMID)
}

func TestClientOutsideWindowIsPermanent(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	srv.Script(whatsapptest.Failure{Status: 400, Code: 131047, Message: "Re-engagement message"})
	_, err := c.SendText(context.Background(), inbox, customer, "hi")
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok)
	require.True(t, de.Permanent)
	require.Equal(t, bridge.ReasonOutsideWindow, de.Reason)
}

func TestClientServerErrorIsTransient(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	srv.ScriptReads(whatsapptest.Failure{Status: http.StatusInternalServerError, Code: 131000, Transient: true})
	err := c.MarkRead(context.Background(), inbox, "wamid.IN", false)
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok)
	require.False(t, de.Permanent)
	require.Equal(t, bridge.ReasonTemporary, de.Reason)
	require.NoError(t, c.MarkRead(context.Background(), inbox, "wamid.IN", false), "only the first call was scripted to fail")
}

func TestClientReportsPartialLongText(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	// The first part goes through, the second is refused.
	srv.Script(whatsapptest.Failure{}, whatsapptest.Failure{Status: 503, Code: 131000, Transient: true})
	_, err := c.SendText(context.Background(), inbox, customer, strings.Repeat("word ", 1000))
	require.ErrorContains(t, err, "part 2 of 2")
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok)
	require.False(t, de.Permanent)
	require.Len(t, srv.Sends(), 1)
}

func TestClientNetworkErrorIsTransient(t *testing.T) {
	t.Parallel()
	c := whatsapp.NewClient("t")
	c.BaseURL = "http://127.0.0.1:1" // nothing listens on port 1
	_, err := c.SendText(context.Background(), inbox, customer, "hi")
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok)
	require.False(t, de.Permanent)
}

// TestClientSendMediaCaptionFailureSendsNoMedia: a caption a voice note
// cannot carry goes first; when it fails, the voice note is not sent, so
// the delivery's retry sends it once.
func TestClientSendMediaCaptionFailureSendsNoMedia(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	srv.Script(whatsapptest.Failure{}, whatsapptest.Failure{Status: 500, Code: 131000, Transient: true}) // upload ok, caption fails
	_, err := c.SendMedia(context.Background(), inbox, customer,
		bridge.File{Name: "v.ogg", MimeType: "audio/ogg", Data: mediatest.OggOpus(5)}, "*Ana:*")
	require.Error(t, err)
	require.Empty(t, srv.Sends(), "no voice note without its name line")

	id, err := c.SendMedia(context.Background(), inbox, customer,
		bridge.File{Name: "v.ogg", MimeType: "audio/ogg", Data: mediatest.OggOpus(5)}, "*Ana:*")
	require.NoError(t, err)
	sends := srv.Sends()
	require.Len(t, sends, 2, "the retry: the name line, then the voice note, once")
	require.Equal(t, "*Ana:*", sends[0].Text)
	require.True(t, sends[1].Voice)
	require.Equal(t, sends[1].WAMID, id)
}
