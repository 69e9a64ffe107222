package media

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"

	// Decoders of the image types an agent may share that WhatsApp does
	// not show as images.
	_ "image/gif"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"
)

// jpegQuality is the quality of the JPEG fallback: high enough that a
// photo does not visibly change, small enough to fit where PNG did not.
const jpegQuality = 90

// Convert applies d.Convert to data and returns the bytes to send and
// their MIME type. An image converts to PNG (lossless) unless the PNG is
// over d.Limit, when a JPEG is tried (a WebP photo can grow past 5 MB as
// PNG); the caller checks the result against d.Limit again.
func Convert(d Decision, data []byte) ([]byte, string, error) {
	switch d.Convert {
	case NoConversion:
		return data, d.MIME, nil
	case ToPNG:
		img, format, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, "", fmt.Errorf("decode image for conversion to png: %w", err)
		}
		var out bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.DefaultCompression}
		if err := enc.Encode(&out, img); err != nil {
			return nil, "", fmt.Errorf("encode %s as png: %w", format, err)
		}
		if d.Limit <= 0 || int64(out.Len()) <= d.Limit {
			return out.Bytes(), "image/png", nil
		}
		// JPEG has no alpha: flatten onto white, as a viewer shows it.
		flat := image.NewRGBA(img.Bounds())
		draw.Draw(flat, flat.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.Draw(flat, flat.Bounds(), img, img.Bounds().Min, draw.Over)
		var j bytes.Buffer
		if err := jpeg.Encode(&j, flat, &jpeg.Options{Quality: jpegQuality}); err != nil {
			return nil, "", fmt.Errorf("encode %s as jpeg: %w", format, err)
		}
		if j.Len() < out.Len() {
			return j.Bytes(), "image/jpeg", nil
		}
		return out.Bytes(), "image/png", nil
	}
	return nil, "", fmt.Errorf("unknown conversion %q", d.Convert)
}
