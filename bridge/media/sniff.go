package media

import (
	"bytes"
	"encoding/binary"
)

// Format is what a file's bytes say it is.
type Format struct {
	// MIME is "" when no signature matched.
	MIME string
	// Codec names the codec inside a container when it matters to
	// WhatsApp: "opus" or "vorbis" in Ogg.
	Codec string
	// Animated is true for an animated WebP or a looping GIF.
	Animated bool
	// Tracks are the sample entry types (codecs) of an MP4 or 3GPP file's
	// tracks, e.g. "avc1", "mp4a", "hvc1"; nil when none could be read.
	Tracks []string
}

// Sniff tells a file's type from its first bytes (its signature), not
// from what the sender declared: workspaces name types from extensions,
// and WhatsApp checks the bytes.
func Sniff(data []byte) Format {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return Format{MIME: "image/jpeg"}
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return Format{MIME: "image/png"}
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return Format{MIME: "image/gif", Animated: gifAnimated(data)}
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return Format{MIME: "image/webp", Animated: webpAnimated(data)}
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WAVE":
		return Format{MIME: "audio/wav"}
	case len(data) >= 26 && string(data[:2]) == "BM" && binary.LittleEndian.Uint32(data[14:18]) >= 12:
		return Format{MIME: "image/bmp"} // BITMAPFILEHEADER then a DIB header of a known size
	case bytes.HasPrefix(data, []byte("OggS")):
		return oggFormat(data)
	case bytes.HasPrefix(data, []byte("#!AMR")):
		return Format{MIME: "audio/amr"}
	case bytes.HasPrefix(data, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		return Format{MIME: "video/webm"} // Matroska/WebM: WhatsApp plays neither
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return Format{MIME: "application/pdf"}
	case bytes.HasPrefix(data, []byte("ID3")):
		return Format{MIME: "audio/mpeg"}
	case len(data) >= 2 && data[0] == 0xFF && data[1]&0xF6 == 0xF0:
		return Format{MIME: "audio/aac"} // ADTS: sync word, layer 00
	case len(data) >= 2 && data[0] == 0xFF && data[1]&0xE0 == 0xE0 && data[1]&0x06 != 0:
		return Format{MIME: "audio/mpeg"} // an MPEG audio frame without ID3 tag
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		return isoFormat(data)
	}
	return Format{}
}

// isoFormat reads an ISO base media file's major brand (the ftyp box).
func isoFormat(data []byte) Format {
	brand := string(data[8:12])
	switch {
	case brand == "M4A " || brand == "M4B " || brand == "M4P ":
		return Format{MIME: "audio/mp4"}
	case brand == "heic" || brand == "heix" || brand == "mif1" || brand == "msf1" || brand == "avif":
		return Format{MIME: "image/heic"}
	case brand == "qt  ":
		return Format{MIME: "video/quicktime"}
	}
	f := Format{MIME: "video/mp4"}
	if brand[:3] == "3gp" || brand[:3] == "3g2" {
		f.MIME = "video/3gpp"
	}
	f.Tracks = sampleEntries(data)
	return f
}

// isoContainers are the boxes on the way from moov to a track's sample
// descriptions (ISO/IEC 14496-12: moov/trak/mdia/minf/stbl/stsd).
var isoContainers = map[string]bool{"moov": true, "trak": true, "mdia": true, "minf": true, "stbl": true}

// sampleEntries walks the box tree and returns the type of each track's
// first sample entry: its codec.
func sampleEntries(data []byte) []string {
	var out []string
	for len(data) >= 8 {
		size := uint64(binary.BigEndian.Uint32(data[:4]))
		typ := string(data[4:8])
		header := uint64(8)
		switch size {
		case 0:
			size = uint64(len(data))
		case 1:
			if len(data) < 16 {
				return out
			}
			size, header = binary.BigEndian.Uint64(data[8:16]), 16
		}
		if size < header || size > uint64(len(data)) {
			return out
		}
		payload := data[header:size]
		switch {
		case isoContainers[typ]:
			out = append(out, sampleEntries(payload)...)
		case typ == "stsd" && len(payload) >= 16:
			// version/flags, entry count, then the first entry's size and type.
			out = append(out, string(payload[12:16]))
		}
		data = data[size:]
	}
	return out
}

// oggFormat looks at the first packet of an Ogg stream, which names its
// codec: "OpusHead" or "\x01vorbis".
func oggFormat(data []byte) Format {
	f := Format{MIME: "audio/ogg"}
	if len(data) < 27 {
		return f
	}
	segments := int(data[26])
	start := 27 + segments
	if len(data) < start+8 {
		return f
	}
	switch payload := data[start:]; {
	case bytes.HasPrefix(payload, []byte("OpusHead")):
		f.Codec = "opus"
	case bytes.HasPrefix(payload, []byte("\x01vorbis")):
		f.Codec = "vorbis"
	}
	return f
}

// webpAnimated reads the VP8X header's animation flag.
func webpAnimated(data []byte) bool {
	return len(data) >= 21 && string(data[12:16]) == "VP8X" && data[20]&0x02 != 0
}

// gifAnimated reports whether a GIF loops (a NETSCAPE2.0 application
// extension), as every animated GIF in practice does; converting one to
// PNG would keep its first frame only, so it goes as a document instead.
func gifAnimated(data []byte) bool {
	return bytes.Contains(data, []byte("NETSCAPE2.0"))
}
