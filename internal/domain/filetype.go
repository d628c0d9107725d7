package domain

import (
	"archive/zip"
	"bytes"
	"net/http"
	"strings"
	"unicode/utf8"
)

// DetectEvidenceType names the type of a file from its bytes (never from its name or the client's claim), and
// reports whether evidence of that type is accepted: PDF, images, office documents (OOXML and legacy), ODF,
// plain text and CSV.
func DetectEvidenceType(data []byte) (string, bool) {
	if len(data) >= 8 && bytes.Equal(data[:8], []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return "application/x-ole-storage", true // .doc, .xls, .ppt
	}
	sniffed := http.DetectContentType(data)
	switch {
	case sniffed == "application/pdf", sniffed == "image/png", sniffed == "image/jpeg", sniffed == "image/gif", sniffed == "image/webp":
		return sniffed, true
	case sniffed == "application/zip":
		return zipType(data)
	case strings.HasPrefix(sniffed, "text/plain"):
		if utf8.Valid(data) {
			if looksLikeCSV(data) {
				return "text/csv", true
			}
			return "text/plain; charset=utf-8", true
		}
		return "text/plain", true
	}
	return sniffed, false
}

func zipType(data []byte) (string, bool) {
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "application/zip", false
	}
	for _, f := range r.File {
		switch {
		case f.Name == "mimetype":
			rc, err := f.Open()
			if err != nil {
				return "application/zip", false
			}
			buf := make([]byte, 100)
			n, _ := rc.Read(buf)
			rc.Close()
			if mt := string(buf[:n]); strings.HasPrefix(mt, "application/vnd.oasis.opendocument.") {
				return mt, true
			}
		case f.Name == "[Content_Types].xml":
			return "application/vnd.openxmlformats-officedocument", true
		}
	}
	return "application/zip", false // a plain archive could hide anything
}

func looksLikeCSV(data []byte) bool {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	return bytes.Count(first, []byte(",")) >= 1 || bytes.Count(first, []byte(";")) >= 1
}
