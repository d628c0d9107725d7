package document

import (
	"archive/zip"
	"bufio"
	"hash/crc32"
	"io"
	"strings"
	"time"
)

// esc escapes text for XML content and attributes, dropping characters XML 1.0 cannot carry (a control
// character pasted from a spreadsheet must not make the whole document unreadable).
func esc(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteRune(r)
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// zipWriter writes a package whose every entry carries the same fixed time, so that equal content gives equal
// bytes.
type zipWriter struct {
	z   *zip.Writer
	at  time.Time
	cur *bufio.Writer
}

func newZip(w io.Writer, at time.Time) *zipWriter { return &zipWriter{z: zip.NewWriter(w), at: at} }

// stored writes an uncompressed entry with no data descriptor and no extra field, as ODF asks of "mimetype".
func (z *zipWriter) stored(name string, data []byte) error {
	fh := &zip.FileHeader{Name: name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data))}
	fh.ModifiedDate, fh.ModifiedTime = msDos(z.at)
	w, err := z.z.CreateRaw(fh)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// entry starts a deflated entry and returns a buffered writer for it, valid until the next entry or close.
func (z *zipWriter) entry(name string) (*bufio.Writer, error) {
	if err := z.flush(); err != nil {
		return nil, err
	}
	w, err := z.z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.at})
	if err != nil {
		return nil, err
	}
	z.cur = bufio.NewWriterSize(w, 64<<10)
	return z.cur, nil
}

func (z *zipWriter) file(name, content string) error {
	w, err := z.entry(name)
	if err != nil {
		return err
	}
	_, err = w.WriteString(content)
	return err
}

func (z *zipWriter) flush() error {
	if z.cur == nil {
		return nil
	}
	err := z.cur.Flush()
	z.cur = nil
	return err
}

func (z *zipWriter) close() error {
	if err := z.flush(); err != nil {
		return err
	}
	return z.z.Close()
}

func msDos(t time.Time) (date, tm uint16) {
	t = t.UTC()
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	tm = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return
}

// errWriter keeps the first write error so that long sequences of writes read cleanly.
type errWriter struct {
	w   *bufio.Writer
	err error
}

func (e *errWriter) s(parts ...string) {
	for _, p := range parts {
		if e.err != nil {
			return
		}
		_, e.err = e.w.WriteString(p)
	}
}
