package plots

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"sync"
)

// encodeRGB writes img as a PNG of 8-bit RGB without row filters,
// compressed at zlib's best speed, or, if img is not opaque, as
// image/png's fastest encoding does. A figure is mostly flat colour, which
// deflate packs as well unfiltered as filtered: this skips image/png's
// adaptive choice of filter for each row, which took half of the PNG
// encoding's time, for files of about the same size. The bytes depend
// only on img: deflate cuts its blocks at fixed offsets of its input,
// whatever the writes it comes in, and a compressor that is reset is as
// a new one.
//
// Rows are compressed one at a time by a compressor kept for the next
// figure (see encoders), and the file is put together in one buffer of
// its exact size: a figure's pixels as raw rows are 1.7 MB, and fresh
// memory is much of what a short process spends its time on.
func encodeRGB(w io.Writer, img *image.RGBA) error {
	b := img.Bounds()
	width, height := b.Dx(), b.Dy()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		p := img.Pix[img.PixOffset(b.Min.X, y):]
		for x := 0; x < width; x++ {
			if p[4*x+3] != 0xff {
				return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, img)
			}
		}
	}
	e := getEncoder()
	defer encoders.Put(e)
	row := e.row[:0]
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row = append(row[:0], 0) // filter: none
		p := img.Pix[img.PixOffset(b.Min.X, y):]
		for x := 0; x < width; x++ {
			row = append(row, p[4*x], p[4*x+1], p[4*x+2])
		}
		if _, err := e.zw.Write(row); err != nil {
			return err
		}
	}
	e.row = row
	if err := e.zw.Close(); err != nil {
		return err
	}
	data := e.z.Bytes()
	const chunk = 1 << 20
	nchunks := (len(data) + chunk - 1) / chunk
	out := make([]byte, 0, len(pngHeader)+12+13+12*nchunks+len(data)+12)
	out = append(out, pngHeader...)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(height))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits, truecolour; compression, filter, interlace 0
	out = appendChunk(out, "IHDR", ihdr[:])
	for len(data) > 0 {
		n := min(len(data), chunk)
		out = appendChunk(out, "IDAT", data[:n])
		data = data[n:]
	}
	out = appendChunk(out, "IEND", nil)
	_, err := w.Write(out)
	return err
}

// pngHeader starts every PNG file.
const pngHeader = "\x89PNG\r\n\x1a\n"

// A pngEncoder is a zlib compressor, the buffer it fills and a row, kept
// from one figure to the next in encoders: a compressor's tables are
// several hundred kB.
type pngEncoder struct {
	zw  *zlib.Writer
	z   bytes.Buffer
	row []byte
}

var encoders sync.Pool

// getEncoder returns a pngEncoder from encoders, reset to compress into
// its empty buffer.
func getEncoder() *pngEncoder {
	e, ok := encoders.Get().(*pngEncoder)
	if !ok {
		e = new(pngEncoder)
		e.zw, _ = zlib.NewWriterLevel(&e.z, zlib.BestSpeed) // the level is valid
	}
	e.z.Reset()
	e.zw.Reset(&e.z)
	return e
}

// appendChunk appends a PNG chunk to dst: length, type, data and CRC.
func appendChunk(dst []byte, typ string, data []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(data)))
	dst = append(dst, typ...)
	dst = append(dst, data...)
	crc := crc32.Update(crc32.ChecksumIEEE([]byte(typ)), crc32.IEEETable, data)
	return binary.BigEndian.AppendUint32(dst, crc)
}
