// Package mediatest writes small real media files for tests: a lossless
// WebP, a PNG, an Ogg/Opus voice note, an M4A and an MP4, each built to
// its format's specification so decoders and sniffers read them as the
// real thing (no bytes pretending to be a type).
package mediatest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
)

// WebP is a lossless (VP8L) WebP of w×h pixels, all of colour c; w and h
// at most 16384. Every prefix code is a "simple code" of one symbol, which
// has zero length (WebP lossless bitstream specification, section 3.7.2.1.1),
// so the pixels take no bits at all.
func WebP(w, h int, c color.NRGBA) []byte {
	var bw bitWriter
	bw.write(0x2f, 8) // signature
	bw.write(uint32(w-1), 14)
	bw.write(uint32(h-1), 14)
	alpha := uint32(0)
	if c.A != 0xff {
		alpha = 1
	}
	bw.write(alpha, 1)
	bw.write(0, 3) // version
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	// Green, red, blue, alpha, distance: one symbol each.
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		if sym > 1 {
			bw.write(1, 1) // 8-bit symbol
			bw.write(uint32(sym), 8)
		} else {
			bw.write(0, 1)
			bw.write(uint32(sym), 1)
		}
	}
	return riff("WEBP", chunk("VP8L", bw.bytes()))
}

// AnimatedWebPHeader is the start of an animated WebP: the VP8X chunk with
// its animation flag, then an ANIM chunk. Enough for a sniffer, not for a
// decoder.
func AnimatedWebPHeader() []byte {
	vp8x := make([]byte, 10)
	vp8x[0] = 0x02            // animation
	vp8x[4], vp8x[7] = 63, 63 // 64×64 (stored minus one, 24-bit)
	anim := make([]byte, 6)
	return riff("WEBP", append(chunk("VP8X", vp8x), chunk("ANIM", anim)...))
}

// PNG is a w×h PNG of colour c.
func PNG(w, h int, c color.NRGBA) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // an in-memory NRGBA always encodes
	}
	return buf.Bytes()
}

// opusSilence is a 20 ms CELT-only Opus frame of silence (TOC 0xF8:
// configuration 31, fullband 20 ms, mono, one frame), the packet
// encoders emit for digital silence.
var opusSilence = []byte{0xF8, 0xFF, 0xFE}

// OggOpus is a mono Ogg/Opus stream (RFC 7845) of frames 20 ms silence
// packets: an OpusHead page, an OpusTags page and one audio page, each
// with its CRC. frames at most 255.
func OggOpus(frames int) []byte {
	const serial, preSkip = 0x5357, 312
	head := []byte("OpusHead")
	head = append(head, 1, 1) // version, one channel
	head = binary.LittleEndian.AppendUint16(head, preSkip)
	head = binary.LittleEndian.AppendUint32(head, 48000)
	head = append(head, 0, 0, 0) // output gain, channel mapping family 0
	tags := []byte("OpusTags")
	vendor := "switchboard mediatest"
	tags = binary.LittleEndian.AppendUint32(tags, uint32(len(vendor)))
	tags = append(tags, vendor...)
	tags = binary.LittleEndian.AppendUint32(tags, 0) // no comments

	packets := make([][]byte, frames)
	for i := range packets {
		packets[i] = opusSilence
	}
	var out []byte
	out = append(out, oggPage(0x02, 0, serial, 0, [][]byte{head})...)
	out = append(out, oggPage(0x00, 0, serial, 1, [][]byte{tags})...)
	out = append(out, oggPage(0x04, uint64(preSkip+960*frames), serial, 2, packets)...)
	return out
}

// oggPage builds one Ogg page (RFC 3533) of packets shorter than 255
// bytes each.
func oggPage(flags byte, granule uint64, serial, seq uint32, packets [][]byte) []byte {
	p := []byte("OggS")
	p = append(p, 0, flags)
	p = binary.LittleEndian.AppendUint64(p, granule)
	p = binary.LittleEndian.AppendUint32(p, serial)
	p = binary.LittleEndian.AppendUint32(p, seq)
	p = append(p, 0, 0, 0, 0) // CRC, filled below
	p = append(p, byte(len(packets)))
	for _, pk := range packets {
		p = append(p, byte(len(pk)))
	}
	for _, pk := range packets {
		p = append(p, pk...)
	}
	binary.LittleEndian.PutUint32(p[22:26], oggCRC(p))
	return p
}

// oggCRC is Ogg's CRC-32: polynomial 0x04C11DB7, initial value 0, not
// reflected, no final XOR (hash/crc32 only does the reflected kind).
func oggCRC(data []byte) uint32 {
	var crc uint32
	for _, b := range data {
		crc ^= uint32(b) << 24
		for range 8 {
			if crc&0x80000000 != 0 {
				crc = crc<<1 ^ 0x04C11DB7
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// OggCRCOK checks every page's CRC of an Ogg stream, so a test can tell
// a file reached a fake unchanged and well formed.
func OggCRCOK(data []byte) bool {
	for len(data) > 0 {
		if len(data) < 27 || string(data[:4]) != "OggS" {
			return false
		}
		n := int(data[26])
		if len(data) < 27+n {
			return false
		}
		size := 27 + n
		for _, s := range data[27 : 27+n] {
			size += int(s)
		}
		if len(data) < size {
			return false
		}
		page := append([]byte(nil), data[:size]...)
		want := binary.LittleEndian.Uint32(page[22:26])
		copy(page[22:26], []byte{0, 0, 0, 0})
		if oggCRC(page) != want {
			return false
		}
		data = data[size:]
	}
	return true
}

// M4A is a minimal MPEG-4 audio file (ISO/IEC 14496-12): an ftyp box of
// brand "M4A ", a moov box with its movie header, and an mdat of n bytes.
func M4A(n int) []byte {
	return isoFile("M4A ", []string{"M4A ", "mp42", "isom"}, n)
}

// MP4 is a minimal MPEG-4 video file (brand "isom") with an mdat of n
// bytes: big enough for a size limit, still a real container.
func MP4(n int) []byte {
	return isoFile("isom", []string{"isom", "iso2", "avc1", "mp41"}, n)
}

// MP4With is an MP4 whose tracks have the given sample entry types
// (codecs such as "avc1", "hvc1", "mp4a"), each in its own
// trak/mdia/minf/stbl/stsd, and an mdat of n bytes.
func MP4With(n int, codecs ...string) []byte {
	var traks []byte
	for _, c := range codecs {
		entry := box(c, make([]byte, 8))              // reserved(6) + data_reference_index(2); the codec's own fields left out
		stsd := binary.BigEndian.AppendUint32(nil, 0) // version, flags
		stsd = binary.BigEndian.AppendUint32(stsd, 1) // one entry
		stsd = append(stsd, entry...)
		traks = append(traks, box("trak", box("mdia", box("minf", box("stbl", box("stsd", stsd)))))...)
	}
	return isoFile("isom", []string{"isom", "iso2", "avc1", "mp41"}, n, traks...)
}

func isoFile(major string, compatible []string, n int, moovExtra ...byte) []byte {
	ftyp := []byte(major)
	ftyp = binary.BigEndian.AppendUint32(ftyp, 0)
	for _, b := range compatible {
		ftyp = append(ftyp, b...)
	}
	mvhd := make([]byte, 100)                         // version 0
	binary.BigEndian.PutUint32(mvhd[12:], 1000)       // timescale
	binary.BigEndian.PutUint32(mvhd[16:], 1000)       // duration: 1 s
	binary.BigEndian.PutUint32(mvhd[20:], 0x00010000) // rate 1.0
	binary.BigEndian.PutUint16(mvhd[24:], 0x0100)     // volume 1.0
	for i, v := range []uint32{0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000} {
		binary.BigEndian.PutUint32(mvhd[36+4*i:], v) // unity matrix
	}
	binary.BigEndian.PutUint32(mvhd[96:], 2) // next track id
	out := box("ftyp", ftyp)
	out = append(out, box("moov", append(box("mvhd", mvhd), moovExtra...))...)
	return append(out, box("mdat", make([]byte, n))...)
}

// WebMAudio is the start of a WebM audio recording as browsers make them
// (Slack's audio clips): the EBML header of DocType "webm" and a Segment
// whose Tracks hold one Opus audio track, then n bytes of cluster data.
// Enough for a sniffer and for a document upload, not for a player.
func WebMAudio(n int) []byte {
	header := ebml(0x1A45DFA3, concat(
		ebml(0x4286, []byte{1}), ebml(0x42F7, []byte{1}), ebml(0x42F2, []byte{4}), ebml(0x42F3, []byte{8}),
		ebml(0x4282, []byte("webm")), ebml(0x4287, []byte{4}), ebml(0x4285, []byte{2})))
	track := ebml(0xAE, concat(ebml(0xD7, []byte{1}), ebml(0x83, []byte{2}), ebml(0x86, []byte("A_OPUS"))))
	segment := ebml(0x18538067, concat(ebml(0x1654AE6B, track), ebml(0x1F43B675, make([]byte, n))))
	return append(header, segment...)
}

// ebml writes one EBML element: its id, its size as an 8-byte vint, its
// data.
func ebml(id uint32, data []byte) []byte {
	var out []byte
	for shift := 24; shift >= 0; shift -= 8 {
		if b := byte(id >> shift); b != 0 || len(out) > 0 {
			out = append(out, b)
		}
	}
	size := binary.BigEndian.AppendUint64(nil, uint64(len(data)))
	size[0] = 0x01 // 8-byte length marker
	out = append(out, size...)
	return append(out, data...)
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func box(typ string, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(payload)))
	b = append(b, typ...)
	return append(b, payload...)
}

func riff(form string, chunks []byte) []byte {
	b := []byte("RIFF")
	b = binary.LittleEndian.AppendUint32(b, uint32(4+len(chunks)))
	b = append(b, form...)
	return append(b, chunks...)
}

func chunk(fourcc string, payload []byte) []byte {
	b := []byte(fourcc)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(payload)))
	b = append(b, payload...)
	if len(payload)%2 == 1 {
		b = append(b, 0) // chunks are padded to an even size
	}
	return b
}

// bitWriter writes bits least significant first, as VP8L reads them.
type bitWriter struct {
	buf  []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) write(v uint32, n uint) {
	w.acc |= uint64(v) << w.nacc
	w.nacc += n
	for w.nacc >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

func (w *bitWriter) bytes() []byte {
	if w.nacc > 0 {
		return append(w.buf, byte(w.acc))
	}
	return w.buf
}
