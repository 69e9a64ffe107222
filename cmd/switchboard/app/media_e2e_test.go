package app_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge/media/mediatest"
)

// The files of these tests are real (bridge/media/mediatest): a lossless
// WebP, an Ogg/Opus voice note, an M4A and an MP4, generated here.
var mediaTeal = color.NRGBA{R: 0x12, G: 0x9a, B: 0x8c, A: 0xff}

// videoRefused is how the thread explains a 20 MB video.
const videoRefused = "larger than WhatsApp accepts for videos (16 MB)"

// withMaxAttachment sets options.max_attachment_bytes.
func withMaxAttachment(size string) option {
	return func(_ *env, yaml *strings.Builder) { fmt.Fprintf(yaml, "  max_attachment_bytes: %s\n", size) }
}

// requirePNGOf decodes an upload and checks every pixel is c.
func requirePNGOf(t *testing.T, data []byte, w, h int, c color.NRGBA) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	require.NoError(t, err, "the upload is a PNG")
	require.Equal(t, image.Rect(0, 0, w, h), img.Bounds())
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			require.Equal(t, c, color.NRGBAModel.Convert(img.At(x, y)))
		}
	}
}

// waitUploads waits for n uploads to the fake Graph API.
func waitUploads(t *testing.T, wa *whatsapptest.Server, n int) []whatsapptest.Upload {
	t.Helper()
	var ups []whatsapptest.Upload
	require.Eventually(t, func() bool { ups = wa.Uploads(); return len(ups) >= n }, waitLong, 10*time.Millisecond, "%d uploads", n)
	return ups
}

// agentMedia are the files both workspaces' tests share, in order: what
// WhatsApp must receive for each.
type agentMedia struct {
	name, mime string
	data       []byte
}

func agentMediaFiles() (webp, voice, m4a, webm, video agentMedia) {
	return agentMedia{"photo.webp", "image/webp", mediatest.WebP(6, 4, mediaTeal)},
		agentMedia{"voice-message.ogg", "audio/ogg", mediatest.OggOpus(25)},
		agentMedia{"note.m4a", "audio/mp4", mediatest.M4A(2048)},
		agentMedia{"audio_clip.webm", "audio/webm", mediatest.WebMAudio(4096)},
		agentMedia{"clip.mp4", "video/mp4", mediatest.MP4(20 << 20)}
}

// checkAgentMedia checks what the fake Graph API received for the files
// of agentMediaFiles shared one by one: share sends file i and returns
// once it is shared; waitRefusal(sub) waits for sub in the thread.
func checkAgentMedia(t *testing.T, wa *whatsapptest.Server, share func(i int, f agentMedia), waitRefusal func(sub string)) {
	webp, voice, m4a, webm, video := agentMediaFiles()

	share(0, webp)
	ups := waitUploads(t, wa, 1)
	require.Equal(t, "image/png", ups[0].MimeType, "converted, never a sticker")
	require.Equal(t, "photo.png", ups[0].Filename)
	requirePNGOf(t, ups[0].Data, 6, 4, mediaTeal)
	sends := wa.WaitForSends(t, 1, waitLong)
	require.Equal(t, "image", sends[0].Type)
	require.Equal(t, ups[0].ID, sends[0].MediaID)

	share(1, voice)
	ups = waitUploads(t, wa, 2)
	require.Equal(t, "audio/ogg", ups[1].MimeType)
	require.Equal(t, voice.data, ups[1].Data)
	require.True(t, mediatest.OggCRCOK(ups[1].Data), "the Ogg pages arrive intact")
	sends = wa.WaitForSends(t, 2, waitLong)
	require.Equal(t, "audio", sends[1].Type)
	require.True(t, sends[1].Voice, "sent as a voice note")
	require.Equal(t, ups[1].ID, sends[1].MediaID)

	share(2, m4a)
	ups = waitUploads(t, wa, 3)
	require.Equal(t, "audio/mp4", ups[2].MimeType)
	require.Equal(t, m4a.data, ups[2].Data)
	sends = wa.WaitForSends(t, 3, waitLong)
	require.Equal(t, "audio", sends[2].Type)
	require.False(t, sends[2].Voice, "an M4A is audio, not a voice note")

	share(3, webm)
	waitRefusal(webmRefused)
	require.Len(t, wa.Uploads(), 3, "the WebM was not uploaded")
	require.Len(t, wa.Sends(), 3, "nor sent")

	share(4, video)
	waitRefusal(videoRefused)
	require.Len(t, wa.Uploads(), 3, "the video was not uploaded")
	require.Len(t, wa.Sends(), 3, "nor sent")
}

// webmRefused is how the thread explains a WebM recording (a browser's,
// or a Slack audio clip), which WhatsApp's upload refuses.
const webmRefused = "WhatsApp does not take files of this type (video/webm)"

// TestAgentMediaReachesTheCustomerAsTheyCanOpenIt (Slack): a WebP becomes
// a PNG image, an Ogg/Opus recording a voice note, an M4A audio; a WebM
// audio clip is refused in the thread (WhatsApp takes no WebM), and a
// 20 MB video with WhatsApp's limit before a byte is downloaded.
func TestAgentMediaReachesTheCustomerAsTheyCanOpenIt(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.media1", time.Now(), "send me everything")
		card := e.waitCardAndThread("send me everything")
		downloadsBefore := 0
		checkAgentMedia(t, e.wa, func(i int, f agentMedia) {
			url := e.slack.AddFile(f.name, f.data)
			ts := fmt.Sprintf("17000001%02d.000100", i)
			if i == 4 {
				downloadsBefore = e.slack.Calls("files-pri")
			}
			require.Equal(t, http.StatusOK, e.postSlackEvent(slacktest.FileShare(fmt.Sprintf("EvMedia%d", i), channel, card.TS, ts, "UAGENT1", "",
				slacktest.SharedFile{ID: fmt.Sprintf("FMEDIA%d", i), Name: f.name, Mimetype: f.mime, Size: int64(len(f.data)), URL: url, User: "UAGENT1"})))
		}, func(sub string) {
			e.waitCardAndThread(sub)
			if sub == videoRefused {
				e.waitCardAndThread("(20 MB)", "Share a link instead")
				require.Equal(t, downloadsBefore, e.slack.Calls("files-pri"), "refused before downloading")
			}
		})
	})
}

// TestDiscordAgentMediaReachesTheCustomerAsTheyCanOpenIt is the same on
// Discord, the Ogg/Opus file shared as a Discord voice message.
func TestDiscordAgentMediaReachesTheCustomerAsTheyCanOpenIt(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text")
		d.customerWrites("34612345678", "Ana", "wamid.dmedia1", time.Now(), "send me everything")
		c := d.waitConv(t, d.home, 1)
		checkAgentMedia(t, d.wa, func(i int, f agentMedia) {
			a := discordtest.Attachment{Filename: f.name, ContentType: f.mime, Data: f.data}
			if i == 1 {
				d.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: c.thread, Author: dAna, Attachments: []discordtest.Attachment{a},
					Flags: discordtest.FlagVoiceMessage})
				return
			}
			d.say(t, c, dAna, "", a)
		}, func(sub string) {
			d.waitPost(t, c, sub)
			if sub != videoRefused {
				return
			}
			d.waitPost(t, c, "(20 MB)")
			for _, r := range d.fake.Requests() {
				require.False(t, r.Route == discordtest.Route("GET /attachments") && strings.HasSuffix(r.Path, "/clip.mp4"),
					"refused before downloading: %+v", r)
			}
		})
	})
}

// customerSendsMedia posts a WhatsApp media message whose file the fake
// Graph API serves under mediaID.
func customerSendsMedia(t *testing.T, baseURL string, wa *whatsapptest.Server, wamid, typ, mediaID, mimeType string, data []byte, extra map[string]any) {
	t.Helper()
	wa.AddMedia(mediaID, mimeType, data)
	content := map[string]any{"id": mediaID, "mime_type": mimeType}
	for k, v := range extra {
		content[k] = v
	}
	resp := whatsapptest.PostWebhook(t, baseURL+"/webhooks/whatsapp", appSecret, whatsapptest.Envelope(whatsapptest.Value{
		PhoneNumberID: phoneID, Contacts: []whatsapptest.Contact{{WaID: "34612345678", Name: "Ana"}},
		Messages: []map[string]any{whatsapptest.Message("34612345678", wamid, time.Now(), typ, content)},
	}))
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

// inboundTooLarge is how the thread explains a customer's file over
// options.max_attachment_bytes (1 MiB in these tests).
const inboundTooLarge = "larger than the 1 MB switchboard carries into threads"

// outboundTooLarge is how the thread explains an agent's 2 MB file over
// options.max_attachment_bytes.
const outboundTooLarge = "file (2 MB) is larger than the 1 MB switchboard carries to customers"

// TestMaxAttachmentBytesAppliesBothWays: with max_attachment_bytes of
// 1 MiB, a 2 MB video from the customer is explained in the thread with
// its size and the limit, and neither downloaded nor uploaded; a 2 MB PDF
// from the agent is refused the same way before a byte is downloaded. A
// small photo still arrives.
func TestMaxAttachmentBytesAppliesBothWays(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withMaxAttachment("1MiB"))
		customerSendsMedia(t, e.baseURL, e.wa, "wamid.bigvid1", "video", "MEDIABIG1", "video/mp4", mediatest.MP4(2<<20), map[string]any{"caption": "my unboxing"})
		card := e.waitCardAndThread(inboundTooLarge, "(2 MB)", "my unboxing")
		require.Zero(t, e.wa.Downloads(), "refused from Graph's file_size, before downloading")
		require.Empty(t, e.slack.Uploads())

		pdf := append([]byte("%PDF-1.7\n"), make([]byte, 2<<20)...)
		url := e.slack.AddFile("manual.pdf", pdf)
		require.Equal(t, http.StatusOK, e.postSlackEvent(slacktest.FileShare("EvBigPDF", channel, card.TS, "1700000201.000100", "UAGENT1", "",
			slacktest.SharedFile{ID: "FBIGPDF", Name: "manual.pdf", Mimetype: "application/pdf", Size: int64(len(pdf)), URL: url, User: "UAGENT1"})))
		e.waitCardAndThread(outboundTooLarge)
		require.Zero(t, e.slack.Calls("files-pri"), "refused before downloading")
		require.Empty(t, e.wa.Uploads())

		photo := mediatest.PNG(2, 2, mediaTeal)
		customerSendsMedia(t, e.baseURL, e.wa, "wamid.small1", "image", "MEDIASMALL1", "image/png", photo, nil)
		var ups []slacktest.Upload
		require.Eventually(t, func() bool { ups = e.slack.Uploads(); return len(ups) == 1 }, waitLong, 10*time.Millisecond)
		require.Equal(t, photo, ups[0].Data)
	})
}

// TestDiscordMaxAttachmentBytesAppliesBothWays is the same on Discord.
func TestDiscordMaxAttachmentBytesAppliesBothWays(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text", withMaxAttachment("1MiB"))
		customerSendsMedia(t, d.baseURL, d.wa, "wamid.dbigvid1", "video", "MEDIABIG1", "video/mp4", mediatest.MP4(2<<20), map[string]any{"caption": "my unboxing"})
		c := d.waitConv(t, d.home, 1)
		d.waitPost(t, c, inboundTooLarge)
		d.waitPost(t, c, "(2 MB)")
		require.Zero(t, d.wa.Downloads(), "refused from Graph's file_size, before downloading")
		for _, m := range d.posts(c) {
			require.Empty(t, m.Files, "no file posted")
		}

		pdf := append([]byte("%PDF-1.7\n"), make([]byte, 2<<20)...)
		d.say(t, c, dAna, "", discordtest.Attachment{Filename: "manual.pdf", ContentType: "application/pdf", Data: pdf})
		d.waitPost(t, c, outboundTooLarge)
		for _, r := range d.fake.Requests() {
			require.NotEqual(t, discordtest.Route("GET /attachments"), r.Route, "refused before downloading")
		}
		require.Empty(t, d.wa.Uploads())
	})
}

// TestCustomerVoiceNoteArrivesAsPlayableAudio: a WhatsApp voice note
// (Ogg/Opus, "voice": true) is uploaded to Slack as an .ogg file, which
// Slack plays by its name.
func TestCustomerVoiceNoteArrivesAsPlayableAudio(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		voice := mediatest.OggOpus(50)
		customerSendsMedia(t, e.baseURL, e.wa, "wamid.voice1", "audio", "MEDIAVOICE1", "audio/ogg; codecs=opus", voice, map[string]any{"voice": true})
		var ups []slacktest.Upload
		require.Eventually(t, func() bool { ups = e.slack.Uploads(); return len(ups) == 1 }, waitLong, 10*time.Millisecond)
		require.Equal(t, voice, ups[0].Data)
		require.True(t, strings.HasSuffix(ups[0].Filename, ".ogg"), ups[0].Filename)
		require.Contains(t, ups[0].InitialComment, "Voice message")
	})
}

// TestDiscordCustomerVoiceNoteArrivesAsPlayableAudio: on Discord the
// voice note is an .ogg attachment of content type audio/ogg, which the
// client plays inline.
func TestDiscordCustomerVoiceNoteArrivesAsPlayableAudio(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text")
		voice := mediatest.OggOpus(50)
		customerSendsMedia(t, d.baseURL, d.wa, "wamid.dvoice1", "audio", "MEDIAVOICE1", "audio/ogg; codecs=opus", voice, map[string]any{"voice": true})
		c := d.waitConv(t, d.home, 1)
		var file discordtest.File
		d.fake.WaitFor(t, waitLong, "the voice note in the thread", func() bool {
			for _, m := range d.posts(c) {
				if len(m.Files) > 0 {
					file = m.Files[0]
					return true
				}
			}
			return false
		})
		require.Equal(t, voice, file.Data)
		require.True(t, strings.HasSuffix(file.Name, ".ogg"), file.Name)
		require.Equal(t, "audio/ogg", file.ContentType)
	})
}
