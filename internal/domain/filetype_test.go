package domain

import (
	"archive/zip"
	"bytes"
	"testing"
)

type entry struct {
	name   string
	data   string
	stored bool
}

func zipOf(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		method := zip.Deflate
		if e.stored {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const contentTypes = `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>`

// A ZIP passes as an office document only with the structure of one; the type served is Argine's constant.
func TestZIPEvidenceNeedsTheStructureOfAnOfficeDocument(t *testing.T) {
	for _, c := range []struct {
		name    string
		data    []byte
		want    string
		accepts bool
	}{
		{"docx", zipOf(t, entry{"[Content_Types].xml", contentTypes, false}, entry{"_rels/.rels", "<Relationships/>", false},
			entry{"word/document.xml", "<w:document/>", false}), TypeDOCX, true},
		{"xlsx", zipOf(t, entry{"[Content_Types].xml", contentTypes, false}, entry{"_rels/.rels", "<Relationships/>", false},
			entry{"xl/workbook.xml", "<workbook/>", false}), TypeXLSX, true},
		{"odt", zipOf(t, entry{"mimetype", TypeODT, true}, entry{"content.xml", "<office:document-content/>", false},
			entry{"META-INF/manifest.xml", "<manifest/>", false}), TypeODT, true},
		{"only [Content_Types].xml, then a payload", zipOf(t, entry{"[Content_Types].xml", contentTypes, false},
			entry{"payload.exe", "MZ", false}), "application/zip", false},
		{"ooxml without a main part", zipOf(t, entry{"[Content_Types].xml", contentTypes, false}, entry{"_rels/.rels", "<Relationships/>", false},
			entry{"evil.html", "<script>", false}), "application/zip", false},
		{"macro-enabled workbook", zipOf(t, entry{"[Content_Types].xml", `<Types><Override ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>`, false},
			entry{"_rels/.rels", "<Relationships/>", false}, entry{"xl/workbook.xml", "<workbook/>", false}), "application/vnd.ms-office.macro", false},
		{"vbaProject.bin", zipOf(t, entry{"[Content_Types].xml", contentTypes, false}, entry{"_rels/.rels", "<Relationships/>", false},
			entry{"word/document.xml", "<w:document/>", false}, entry{"word/vbaProject.bin", "x", false}), "application/vnd.ms-office.macro", false},
		{"mimetype naming a type of its own", zipOf(t, entry{"mimetype", "application/vnd.oasis.opendocument.text\r\nX-Evil: 1", true},
			entry{"content.xml", "x", false}, entry{"META-INF/manifest.xml", "x", false}), "application/zip", false},
		{"mimetype with html", zipOf(t, entry{"mimetype", "application/vnd.oasis.opendocument.html", true},
			entry{"content.xml", "x", false}, entry{"META-INF/manifest.xml", "x", false}), "application/zip", false},
		{"mimetype compressed", zipOf(t, entry{"mimetype", TypeODT, false}, entry{"content.xml", "x", false},
			entry{"META-INF/manifest.xml", "x", false}), "application/zip", false},
		{"mimetype not first", zipOf(t, entry{"content.xml", "x", false}, entry{"mimetype", TypeODT, true},
			entry{"META-INF/manifest.xml", "x", false}), "application/zip", false},
		{"odf without content", zipOf(t, entry{"mimetype", TypeODT, true}, entry{"evil.js", "x", false}), "application/zip", false},
		{"odf with Basic macros", zipOf(t, entry{"mimetype", TypeODT, true}, entry{"content.xml", "x", false},
			entry{"META-INF/manifest.xml", "x", false}, entry{"Basic/Standard/Module1.xml", "x", false}), "application/vnd.ms-office.macro", false},
	} {
		got, ok := DetectEvidenceType(c.data)
		if got != c.want || ok != c.accepts {
			t.Errorf("%s: %q %v, want %q %v", c.name, got, ok, c.want, c.accepts)
		}
	}
}

func TestEvidenceFileNames(t *testing.T) {
	for in, want := range map[string]string{
		"verbale controlli.pdf":         "verbale controlli.pdf",
		"../../etc/passwd":              "passwd",
		`C:\Users\rossi\verbale.pdf`:    "verbale.pdf",
		"fattura\u202Efdp.txt":          "fatturafdp.txt",
		"ver\u200Bbale\u2066.pdf\u2069": "verbale.pdf",
		"nota\x00.txt":                  "nota.txt",
		"":                              "allegato",
		"..":                            "allegato",
		"relazione.pdf. . ":             "relazione.pdf",
		"città – esito «finale».pdf":    "città – esito «finale».pdf",
	} {
		got, bad := CleanEvidenceName(in)
		if bad != nil || got != want {
			t.Errorf("CleanEvidenceName(%q) = %q %v, want %q", in, got, bad, want)
		}
	}
	for _, in := range []string{"setup.exe", "fattura\u202Efdp.exe", "script.JS", "x.pdf.exe.", "macro.xlsm", "pagina.html", "a.bat "} {
		if _, bad := CleanEvidenceName(in); bad == nil || bad.Code != "file_name_refused" || bad.Field != "file" {
			t.Errorf("CleanEvidenceName(%q) accepted: %v", in, bad)
		}
	}
	long := string(bytes.Repeat([]byte("a"), 500)) + ".pdf"
	if got, _ := CleanEvidenceName(long); len([]rune(got)) != MaxEvidenceNameRunes || got[len(got)-4:] != ".pdf" {
		t.Errorf("long name %d %q", len(got), got[len(got)-10:])
	}
}

func TestServedEvidenceType(t *testing.T) {
	for stored, want := range map[string]string{"application/pdf": "application/pdf", TypeODS: TypeODS,
		"text/html": "application/octet-stream", "application/vnd.oasis.opendocument.text\r\nX: y": "application/octet-stream",
		"application/vnd.openxmlformats-officedocument": "application/octet-stream"} {
		if got := ServedEvidenceType(stored); got != want {
			t.Errorf("ServedEvidenceType(%q) = %q, want %q", stored, got, want)
		}
	}
}
