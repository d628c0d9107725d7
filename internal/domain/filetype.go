package domain

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
	"unicode"
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

// Office document types Argine recognises inside a ZIP. The served type is always one of these constants,
// never text taken from the file.
const (
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeODT  = "application/vnd.oasis.opendocument.text"
	TypeODS  = "application/vnd.oasis.opendocument.spreadsheet"
	TypeODP  = "application/vnd.oasis.opendocument.presentation"
	TypeODG  = "application/vnd.oasis.opendocument.graphics"
)

var odfTypes = map[string]bool{TypeODT: true, TypeODS: true, TypeODP: true, TypeODG: true}

// ooxmlMainParts names the part that makes an OOXML package a document of each kind.
var ooxmlMainParts = []struct{ part, ctype string }{
	{"word/document.xml", TypeDOCX}, {"xl/workbook.xml", TypeXLSX}, {"ppt/presentation.xml", TypePPTX}}

// zipType accepts a ZIP only when it is structurally an office document: a ZIP that merely holds a
// "[Content_Types].xml" or a "mimetype" entry could carry anything else. OOXML needs its content types, its
// package relationships and the main part of a document, workbook or presentation; ODF needs "mimetype" as
// the first entry, stored uncompressed, naming a known ODF type, plus content.xml and the manifest. Packages
// with macros (vbaProject.bin, macro-enabled content types, ODF Basic or Scripts) are refused: evidence is
// read by people who must not be asked to run code.
func zipType(data []byte) (string, bool) {
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(r.File) == 0 || len(r.File) > 10000 {
		return "application/zip", false
	}
	names := make(map[string]*zip.File, len(r.File))
	for _, f := range r.File {
		names[f.Name] = f
		lower := strings.ToLower(f.Name)
		if strings.HasSuffix(lower, "vbaproject.bin") || strings.HasPrefix(lower, "basic/") || strings.HasPrefix(lower, "scripts/") {
			return "application/vnd.ms-office.macro", false
		}
	}
	if first := r.File[0]; first.Name == "mimetype" {
		mt, ok := readEntry(first, 100)
		if !ok || first.Method != zip.Store || !odfTypes[mt] || names["content.xml"] == nil || names["META-INF/manifest.xml"] == nil {
			return "application/zip", false
		}
		return mt, true
	}
	if ct := names["[Content_Types].xml"]; ct != nil && names["_rels/.rels"] != nil {
		types, ok := readEntry(ct, 1<<20)
		if !ok || !strings.Contains(types, "<Types") {
			return "application/zip", false
		}
		if strings.Contains(strings.ToLower(types), "macroenabled") {
			return "application/vnd.ms-office.macro", false
		}
		for _, m := range ooxmlMainParts {
			if names[m.part] != nil {
				return m.ctype, true
			}
		}
	}
	return "application/zip", false // a plain archive could hide anything
}

// readEntry reads at most limit bytes of a ZIP entry; false when it is unreadable or longer.
func readEntry(f *zip.File, limit int64) (string, bool) {
	if f.UncompressedSize64 > uint64(limit) {
		return "", false
	}
	rc, err := f.Open()
	if err != nil {
		return "", false
	}
	// Read-only: a bad entry shows in ReadAll (zip checks the CRC at the end of the data), not in Close.
	defer func() { _ = rc.Close() }()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil || int64(len(b)) > limit {
		return "", false
	}
	return string(b), true
}

// ServedEvidenceType is the Content-Type a stored file is served with: the detected type when it is one
// Argine accepts today, else application/octet-stream (rows stored before the checks were tightened may
// carry text that came from the file).
func ServedEvidenceType(stored string) string {
	switch stored {
	case "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "application/x-ole-storage",
		"text/csv", "text/plain; charset=utf-8", "text/plain", TypeDOCX, TypeXLSX, TypePPTX:
		return stored
	}
	if odfTypes[stored] {
		return stored
	}
	return "application/octet-stream"
}

// executableExtensions are refused whatever the bytes look like: a file that Windows or a browser would run
// when opened has no place among the evidence of a monitoring round.
var executableExtensions = map[string]bool{
	"exe": true, "com": true, "bat": true, "cmd": true, "scr": true, "pif": true, "msi": true, "msp": true,
	"dll": true, "cpl": true, "sys": true, "drv": true, "ocx": true, "lnk": true, "url": true, "reg": true,
	"js": true, "jse": true, "vbs": true, "vbe": true, "wsf": true, "wsh": true, "hta": true, "ps1": true,
	"psm1": true, "sh": true, "jar": true, "app": true, "apk": true, "dmg": true, "iso": true, "svg": true,
	"html": true, "htm": true, "xhtml": true, "docm": true, "xlsm": true, "pptm": true, "dotm": true, "xltm": true,
}

// MaxEvidenceNameRunes bounds a stored file name.
const MaxEvidenceNameRunes = 200

// CleanEvidenceName makes a client's file name safe to store and to show: only the last path element is
// kept, control and format characters (bidi overrides such as U+202E, which show "fattura\u202Efdp.exe" as
// "fatturaexe.pdf", and zero-width characters) are taken out, trailing dots and spaces (ignored by Windows)
// too, and the length is bounded. A name whose extension runs code is refused with file_name_refused.
func CleanEvidenceName(name string) (string, *FieldError) {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	name = strings.TrimRight(strings.TrimSpace(name), ". ")
	if name == "" || name == "." || name == ".." {
		return "allegato", nil
	}
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		ext = strings.ToLower(name[i+1:])
	}
	if executableExtensions[ext] {
		return "", &FieldError{Field: "file", Code: "file_name_refused",
			Message: "files with the extension ." + ext + " are not accepted: they could run code when opened"}
	}
	if runes := []rune(name); len(runes) > MaxEvidenceNameRunes {
		keep := MaxEvidenceNameRunes - len([]rune(ext)) - 1
		if ext == "" || keep < 1 {
			name = string(runes[:MaxEvidenceNameRunes])
		} else {
			name = string(runes[:keep]) + "." + ext
		}
	}
	return name, nil
}

func looksLikeCSV(data []byte) bool {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	return bytes.Count(first, []byte(",")) >= 1 || bytes.Count(first, []byte(";")) >= 1
}
