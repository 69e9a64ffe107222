package media_test

import (
	"bytes"
	"image"
	"image/color"
	_ "image/jpeg"
	"image/png"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/image/bmp"

	"github.com/switchboard/switchboard/bridge/media"
	"github.com/switchboard/switchboard/bridge/media/mediatest"
)

var teal = color.NRGBA{R: 0x12, G: 0x9a, B: 0x8c, A: 0xff}

// pad grows a real file to n bytes: trailing bytes change neither its
// signature nor what a sniffer reads.
func pad(data []byte, n int) []byte {
	if len(data) >= n {
		return data
	}
	return append(data, make([]byte, n-len(data))...)
}

func TestSniffReadsTheGeneratedFiles(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want media.Format
	}{
		{"webp", mediatest.WebP(3, 2, teal), media.Format{MIME: "image/webp"}},
		{"animated webp", mediatest.AnimatedWebPHeader(), media.Format{MIME: "image/webp", Animated: true}},
		{"png", mediatest.PNG(2, 2, teal), media.Format{MIME: "image/png"}},
		{"ogg opus", mediatest.OggOpus(5), media.Format{MIME: "audio/ogg", Codec: "opus"}},
		{"m4a", mediatest.M4A(16), media.Format{MIME: "audio/mp4"}},
		{"mp4", mediatest.MP4(16), media.Format{MIME: "video/mp4"}},
		{"mp4 with tracks", mediatest.MP4With(16, "avc1", "mp4a"), media.Format{MIME: "video/mp4", Tracks: []string{"avc1", "mp4a"}}},
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}, media.Format{MIME: "image/jpeg"}},
		{"pdf", []byte("%PDF-1.7\n"), media.Format{MIME: "application/pdf"}},
		{"webm", mediatest.WebMAudio(16), media.Format{MIME: "video/webm"}},
		{"wav", append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 8)...), media.Format{MIME: "audio/wav"}},
		{"mp3 with id3", []byte("ID3\x04\x00\x00\x00\x00\x00\x00"), media.Format{MIME: "audio/mpeg"}},
		{"aac adts", []byte{0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC}, media.Format{MIME: "audio/aac"}},
		{"amr", []byte("#!AMR\n\x3c"), media.Format{MIME: "audio/amr"}},
		{"text", []byte("hello, world"), media.Format{}},
		{"empty", nil, media.Format{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, media.Sniff(c.data))
		})
	}
}

// TestDecide is the decision table: what the bytes are × how big × what
// the workspace declared → how WhatsApp gets the file, or why not.
func TestDecide(t *testing.T) {
	const mb = 1 << 20
	webp := mediatest.WebP(4, 4, teal)
	ogg := mediatest.OggOpus(10)
	webmAudio := mediatest.WebMAudio(64)
	wav := append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 8)...)
	vorbis := append([]byte(nil), ogg...)
	copy(vorbis[28:36], "\x01vorbis\x00") // first packet of a Vorbis stream
	cases := []struct {
		name     string
		data     []byte
		declared string
		maxBytes int64
		kind     media.Kind
		mime     string
		voice    bool
		convert  media.Conversion
		refused  *media.Refusal
	}{
		{"png is an image", mediatest.PNG(2, 2, teal), "image/png", 0, media.KindImage, "image/png", false, "", nil},
		{"png declared as octet-stream is still an image", mediatest.PNG(2, 2, teal), "application/octet-stream", 0, media.KindImage, "image/png", false, "", nil},
		{"png of 5 MB exactly is an image", pad(mediatest.PNG(2, 2, teal), 5*mb), "image/png", 0, media.KindImage, "image/png", false, "", nil},
		{"png over 5 MB is refused", pad(mediatest.PNG(2, 2, teal), 5*mb+1), "image/png", 0, media.KindImage, "image/png", false, "",
			&media.Refusal{Kind: media.KindImage, Cause: media.TooLargeForWhatsApp, Size: 5*mb + 1, Limit: 5 * mb}},
		{"webp becomes a png image, never a sticker", webp, "image/webp", 0, media.KindImage, "image/png", false, media.ToPNG, nil},
		{"webp declared as png is still converted", webp, "image/png", 0, media.KindImage, "image/png", false, media.ToPNG, nil},
		{"animated webp is refused", mediatest.AnimatedWebPHeader(), "image/webp", 0, media.KindDocument, "image/webp", false, "",
			&media.Refusal{Kind: media.KindImage, Cause: media.UnsupportedType, Size: int64(len(mediatest.AnimatedWebPHeader())), MIME: "image/webp (animated)"}},
		{"ogg opus is a voice note", ogg, "audio/ogg", 0, media.KindAudio, "audio/ogg", true, "", nil},
		{"ogg opus declared as webm is a voice note", ogg, "audio/webm", 0, media.KindAudio, "audio/ogg", true, "", nil},
		{"ogg vorbis goes as a document (audio/ogg is an upload type)", vorbis, "audio/ogg", 0, media.KindDocument, "audio/ogg", false, "", nil},
		{"ogg opus over 16 MB is refused", pad(ogg, 16*mb+1), "audio/ogg", 0, media.KindAudio, "audio/ogg", true, "",
			&media.Refusal{Kind: media.KindAudio, Cause: media.TooLargeForWhatsApp, Size: 16*mb + 1, Limit: 16 * mb}},
		{"m4a is audio", mediatest.M4A(64), "audio/mp4", 0, media.KindAudio, "audio/mp4", false, "", nil},
		{"m4a declared as x-m4a is audio", mediatest.M4A(64), "audio/x-m4a", 0, media.KindAudio, "audio/mp4", false, "", nil},
		{"mp4 container declared as audio is audio", mediatest.MP4(64), "audio/mp4", 0, media.KindAudio, "audio/mp4", false, "", nil},
		{"mp4 is a video", mediatest.MP4(64), "video/mp4", 0, media.KindVideo, "video/mp4", false, "", nil},
		{"h.264 + aac mp4 is a video", mediatest.MP4With(64, "avc1", "mp4a"), "video/mp4", 0, media.KindVideo, "video/mp4", false, "", nil},
		{"hevc mp4 is a document (WhatsApp plays H.264 only)", mediatest.MP4With(64, "hvc1", "mp4a"), "video/mp4", 0, media.KindDocument, "video/mp4", false, "", nil},
		{"h.264 with opus audio is a document (AAC only)", mediatest.MP4With(64, "avc1", "Opus"), "video/mp4", 0, media.KindDocument, "video/mp4", false, "", nil},
		{"mp4 of 20 MB is refused", mediatest.MP4(20 * mb), "video/mp4", 0, media.KindVideo, "video/mp4", false, "",
			&media.Refusal{Kind: media.KindVideo, Cause: media.TooLargeForWhatsApp, Size: int64(len(mediatest.MP4(20 * mb))), Limit: 16 * mb}},
		{"webm audio is refused: WhatsApp takes no webm, not even as a document", webmAudio, "audio/webm", 0, media.KindDocument, "video/webm", false, "",
			&media.Refusal{Kind: media.KindDocument, Cause: media.UnsupportedType, Size: int64(len(webmAudio)), MIME: "video/webm"}},
		{"wav is refused", wav, "audio/wav", 0, media.KindDocument, "audio/wav", false, "",
			&media.Refusal{Kind: media.KindDocument, Cause: media.UnsupportedType, Size: int64(len(wav)), MIME: "audio/wav"}},
		{"pdf is a document", []byte("%PDF-1.7\n"), "application/pdf", 0, media.KindDocument, "application/pdf", false, "", nil},
		{"a csv goes as the plain text it is", []byte("a,b\n1,2\n"), "text/csv", 0, media.KindDocument, "text/plain", false, "", nil},
		{"a docx keeps its declared type", []byte("PK\x03\x04 docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 0, media.KindDocument,
			"application/vnd.openxmlformats-officedocument.wordprocessingml.document", false, "", nil},
		{"a zip is refused", []byte("PK\x03\x04 zip"), "application/zip", 0, media.KindDocument, "application/zip", false, "",
			&media.Refusal{Kind: media.KindDocument, Cause: media.UnsupportedType, Size: 8, MIME: "application/zip"}},
		{"bytes that lie about being a jpeg are refused", []byte("not a picture"), "image/jpeg", 0, media.KindDocument, "application/octet-stream", false, "",
			&media.Refusal{Kind: media.KindDocument, Cause: media.UnsupportedType, Size: 13, MIME: "application/octet-stream"}},
		{"a document over 100 MB is refused", make([]byte, 100*mb+1), "application/pdf", 0, media.KindDocument, "application/pdf", false, "",
			&media.Refusal{Kind: media.KindDocument, Cause: media.TooLargeForWhatsApp, Size: 100*mb + 1, Limit: 100 * mb}},
		{"the configured limit refuses a small png", pad(mediatest.PNG(2, 2, teal), 2*mb), "image/png", 1 * mb, media.KindImage, "image/png", false, "",
			&media.Refusal{Kind: media.KindImage, Cause: media.TooLargeForConfig, Size: 2 * mb, Limit: 1 * mb}},
		{"the configured limit above WhatsApp's changes nothing", mediatest.PNG(2, 2, teal), "image/png", 50 * mb, media.KindImage, "image/png", false, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := media.Decide(c.data, c.declared, c.maxBytes)
			require.Equal(t, c.kind, d.Kind)
			require.Equal(t, c.mime, d.MIME)
			require.Equal(t, c.voice, d.Voice)
			require.Equal(t, c.convert, d.Convert)
			require.Equal(t, c.refused, d.Refused)
			if c.refused == nil {
				require.GreaterOrEqual(t, d.Limit, int64(len(c.data)))
			}
		})
	}
}

// TestPrecheck decides from the declared type and size, before downloading.
func TestPrecheck(t *testing.T) {
	const mb = 1 << 20
	cases := []struct {
		declared  string
		size, max int64
		kind      media.Kind
		limit     int64
		refused   bool
	}{
		{"video/mp4", 20 * mb, 0, media.KindVideo, 16 * mb, true},
		{"video/mp4", 16 * mb, 0, media.KindVideo, 16 * mb, false},
		{"image/jpeg", 6 * mb, 0, media.KindImage, 5 * mb, true},
		{"image/webp", 1 * mb, 0, media.KindImage, 5 * mb, false},
		{"audio/ogg", 17 * mb, 0, media.KindAudio, 16 * mb, true},
		{"audio/mpeg", 0, 0, media.KindAudio, 16 * mb, false}, // size unknown
		{"application/pdf", 99 * mb, 0, media.KindDocument, 100 * mb, false},
		{"application/pdf", 3 * mb, 2 * mb, media.KindDocument, 2 * mb, true},
		{"", 1, 0, media.KindDocument, 100 * mb, false},
	}
	for _, c := range cases {
		d := media.Precheck(c.declared, c.size, c.max)
		require.Equal(t, c.kind, d.Kind, "%+v", c)
		require.Equal(t, c.limit, d.Limit, "%+v", c)
		require.Equal(t, c.refused, d.Refused != nil, "%+v", c)
	}
}

func TestConvertWebPToPNGKeepsThePixels(t *testing.T) {
	half := color.NRGBA{R: 200, G: 30, B: 60, A: 128}
	for _, c := range []color.NRGBA{teal, half} {
		src := mediatest.WebP(7, 5, c)
		d := media.Decide(src, "image/webp", 0)
		require.Equal(t, media.ToPNG, d.Convert)
		out, mt, err := media.Convert(d, src)
		require.NoError(t, err)
		require.Equal(t, "image/png", mt)
		require.Equal(t, "image/png", media.Sniff(out).MIME)
		img, err := png.Decode(bytes.NewReader(out))
		require.NoError(t, err)
		require.Equal(t, image.Rect(0, 0, 7, 5), img.Bounds())
		for y := 0; y < 5; y++ {
			for x := 0; x < 7; x++ {
				require.Equal(t, c, color.NRGBAModel.Convert(img.At(x, y)), "pixel %d,%d", x, y)
			}
		}
		again := media.Decide(out, "image/png", 0)
		require.Equal(t, media.KindImage, again.Kind)
		require.Equal(t, media.NoConversion, again.Convert)
	}
}

func TestConvertRefusesBytesThatDoNotDecode(t *testing.T) {
	broken := mediatest.WebP(4, 4, teal)[:20]
	_, _, err := media.Convert(media.Decision{Convert: media.ToPNG}, broken)
	require.Error(t, err)
}

// TestConvertFallsBackToJPEGWhenThePNGIsTooLarge: a photo-like BMP
// (a gradient with grain) whose PNG is over the limit goes as a JPEG of
// the same picture.
func TestConvertFallsBackToJPEGWhenThePNGIsTooLarge(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 96, 64))
	seed := uint32(1)
	for y := 0; y < 64; y++ {
		for x := 0; x < 96; x++ {
			seed = seed*1664525 + 1013904223
			grain := uint8(seed >> 29)
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x*2) + grain, G: uint8(y*3) + grain, B: 128 + grain, A: 0xff})
		}
	}
	var src bytes.Buffer
	require.NoError(t, bmp.Encode(&src, img))
	d := media.Decide(src.Bytes(), "image/bmp", 0)
	require.Equal(t, media.ToPNG, d.Convert)
	png, mt, err := media.Convert(d, src.Bytes())
	require.NoError(t, err)
	require.Equal(t, "image/png", mt)

	d.Limit = int64(len(png)) - 1
	out, mt, err := media.Convert(d, src.Bytes())
	require.NoError(t, err)
	require.Equal(t, "image/jpeg", mt)
	require.Equal(t, "image/jpeg", media.Sniff(out).MIME)
	require.LessOrEqual(t, int64(len(out)), d.Limit)
	got, _, err := image.Decode(bytes.NewReader(out))
	require.NoError(t, err)
	require.Equal(t, img.Bounds(), got.Bounds())
	r, g, b, _ := got.At(40, 30).RGBA()
	want := img.NRGBAAt(40, 30)
	require.InDelta(t, float64(want.R), float64(r>>8), 12)
	require.InDelta(t, float64(want.G), float64(g>>8), 12)
	require.InDelta(t, float64(want.B), float64(b>>8), 12)
}

func TestRefusalCodeRoundTrips(t *testing.T) {
	r := media.Refusal{Kind: media.KindVideo, Cause: media.TooLargeForWhatsApp, Size: 20 << 20, Limit: 16 << 20}
	got, ok := media.ParseCode(r.Code())
	require.True(t, ok)
	require.Equal(t, r, got)
	typ := media.Refusal{Kind: media.KindDocument, Cause: media.UnsupportedType, Size: 10, MIME: "video/webm"}
	got, ok = media.ParseCode(typ.Code())
	require.True(t, ok)
	require.Equal(t, typ, got)
	for _, code := range []string{"", "file_too_large", "media_refused:video", "media_refused:video:whatsapp:x:1:", "media_refused:video:whatsapp:1:1"} {
		_, ok := media.ParseCode(code)
		require.False(t, ok, code)
	}
}

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{5 << 20: "5 MB", 16 << 20: "16 MB", 100 << 10: "100 KB", 20<<20 + 512<<10: "20.5 MB", 900: "900 bytes"} {
		require.Equal(t, want, media.HumanSize(n))
	}
}

func TestOggOpusPagesCarryValidCRCs(t *testing.T) {
	ogg := mediatest.OggOpus(3)
	require.True(t, mediatest.OggCRCOK(ogg))
	ogg[len(ogg)-1] ^= 0xFF
	require.False(t, mediatest.OggCRCOK(ogg), "a changed byte breaks its page's CRC")
}
