package media

import (
	"bytes"
	"fmt"
	"image"
	"image/png"

	// Decoders of the image types an agent may share that WhatsApp does
	// not show as images.
	_ "image/gif"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"
)

// Convert applies d.Convert to data and returns the bytes to send.
// Converting is done before uploading, and the result is checked against
// d.Limit again by the caller (a PNG may be larger than its WebP).
func Convert(d Decision, data []byte) ([]byte, error) {
	switch d.Convert {
	case NoConversion:
		return data, nil
	case ToPNG:
		img, format, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("decode image for conversion to png: %w", err)
		}
		var out bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&out, img); err != nil {
			return nil, fmt.Errorf("encode %s as png: %w", format, err)
		}
		return out.Bytes(), nil
	}
	return nil, fmt.Errorf("unknown conversion %q", d.Convert)
}
