// Package doctest checks the documents of internal/document the way a reader's tools would: ODT and DOCX
// unzipped and their XML parsed back to text, PDFs through poppler (pdfinfo, pdffonts, pdftotext), and the
// office files opened by LibreOffice headless. Tests that need a tool skip with a message naming the package
// to install when it is missing.
package doctest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Need skips the test when a command is missing.
func Need(t testing.TB, cmds ...string) {
	t.Helper()
	for _, c := range cmds {
		if _, err := exec.LookPath(c); err != nil {
			pkg := map[string]string{"soffice": "libreoffice-writer-nogui", "pdfinfo": "poppler-utils", "pdffonts": "poppler-utils", "pdftotext": "poppler-utils"}[c]
			t.Skipf("%s not installed (apt-get install -y %s): check skipped", c, pkg)
		}
	}
}

// Entries returns the zip's entries in order, with their content.
func Entries(t testing.TB, b []byte) ([]*zip.File, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = data
	}
	return zr.File, out
}

// XMLText parses an XML part (failing on malformed XML) and returns its character data, with a space
// between paragraphs, cells and breaks so words of adjacent elements do not run together.
func XMLText(t testing.TB, name string, data []byte) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var b strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
		switch x := tok.(type) {
		case xml.CharData:
			b.Write(x)
		case xml.EndElement:
			switch x.Name.Local {
			case "p", "h", "tc", "table-cell", "br", "line-break":
				b.WriteByte(' ')
			}
		case xml.StartElement:
			if x.Name.Local == "br" || x.Name.Local == "line-break" {
				b.WriteByte(' ')
			}
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// ODTText checks an ODT's package (mimetype first, stored, no extra field; every part well-formed) and
// returns the text of content.xml and of styles.xml (header and footer) and meta.xml.
func ODTText(t testing.TB, b []byte) (content, styles, meta string) {
	t.Helper()
	files, parts := Entries(t, b)
	if len(files) == 0 || files[0].Name != "mimetype" || files[0].Method != zip.Store || len(files[0].Extra) != 0 {
		t.Fatalf("ODT: mimetype must be the first entry, stored, with no extra field")
	}
	if string(parts["mimetype"]) != "application/vnd.oasis.opendocument.text" {
		t.Fatalf("ODT mimetype %q", parts["mimetype"])
	}
	for _, p := range []string{"META-INF/manifest.xml", "meta.xml", "styles.xml", "content.xml"} {
		if _, ok := parts[p]; !ok {
			t.Fatalf("ODT lacks %s", p)
		}
	}
	XMLText(t, "manifest.xml", parts["META-INF/manifest.xml"])
	return XMLText(t, "content.xml", parts["content.xml"]), XMLText(t, "styles.xml", parts["styles.xml"]), XMLText(t, "meta.xml", parts["meta.xml"])
}

// DOCXText checks a DOCX's parts and returns the text of the body, of the headers and footer, and of the
// core properties.
func DOCXText(t testing.TB, b []byte) (body, headers, core string) {
	t.Helper()
	_, parts := Entries(t, b)
	for _, p := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels", "docProps/core.xml"} {
		if _, ok := parts[p]; !ok {
			t.Fatalf("DOCX lacks %s", p)
		}
		XMLText(t, p, parts[p])
	}
	CheckDOCXPackage(t, parts)
	h := XMLText(t, "header1.xml", parts["word/header1.xml"]) + " " + XMLText(t, "footer1.xml", parts["word/footer1.xml"])
	return XMLText(t, "document.xml", parts["word/document.xml"]), h, XMLText(t, "core.xml", parts["docProps/core.xml"])
}

// PDFInfo is what the checks of a PDF found.
type PDFInfo struct {
	Pages int
	Title string
	Text  string // pdftotext in reading order, whitespace collapsed
	Info  string // pdfinfo's whole output
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// CheckPDF runs poppler on the PDF and fails unless it is tagged, every font is embedded, and the document
// language is it-IT.
func CheckPDF(t testing.TB, pdf []byte) PDFInfo {
	t.Helper()
	Need(t, "pdfinfo", "pdffonts", "pdftotext")
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	info := run(t, "pdfinfo", path)
	out := PDFInfo{Info: info}
	if !regexp.MustCompile(`(?m)^Tagged:\s+yes$`).MatchString(info) {
		t.Errorf("PDF not tagged:\n%s", info)
	}
	if m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(info); m != nil {
		out.Pages, _ = strconv.Atoi(m[1])
	}
	if m := regexp.MustCompile(`(?m)^Title:\s+(.*)$`).FindStringSubmatch(info); m != nil {
		out.Title = strings.TrimSpace(m[1])
	}
	fonts := strings.Split(strings.TrimSpace(run(t, "pdffonts", path)), "\n")
	if len(fonts) < 3 {
		t.Errorf("PDF lists no fonts:\n%s", strings.Join(fonts, "\n"))
	}
	for _, l := range fonts[min(2, len(fonts)):] {
		// name type encoding emb sub uni object ID: "emb" is the fourth field from the end but three.
		f := strings.Fields(l)
		if len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
	}
	if !bytes.Contains(pdf, []byte("/Lang(it-IT)")) {
		t.Errorf("PDF document language is not it-IT")
	}
	out.Text = PDFText(t, pdf)
	return out
}

// PDFText is the PDF's text as pdftotext reads it (reading order), whitespace collapsed.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	Need(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "text.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(run(t, "pdftotext", "-enc", "UTF-8", path, "-")), " ")
}

// InOrder fails unless every string appears in text, each after the previous one.
func InOrder(t testing.TB, text string, want ...string) {
	t.Helper()
	at := 0
	for _, w := range want {
		i := strings.Index(text[at:], w)
		if i < 0 {
			t.Errorf("%q not found (in order) in the text after position %d", w, at)
			return
		}
		at += i + len(w)
	}
}

// ConvertsWithLibreOffice opens the file with LibreOffice headless and converts it to PDF, proving it opens;
// it returns the PDF.
func ConvertsWithLibreOffice(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	Need(t, "soffice")
	dir := t.TempDir()
	src := filepath.Join(dir, name)
	if err := os.WriteFile(src, data, 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, "soffice", "-env:UserInstallation=file://"+filepath.Join(dir, "profilo"), "--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir, src)
	pdf, err := os.ReadFile(strings.TrimSuffix(src, filepath.Ext(src)) + ".pdf")
	if err != nil || len(pdf) == 0 {
		t.Fatalf("LibreOffice did not convert %s: %v", name, err)
	}
	return pdf
}

// StructText is the PDF's structure tree with its text, as poppler's `pdfinfo -struct-text` prints it: what
// assistive technology reads, element by element. It fails when the PDF has none.
func StructText(t testing.TB, pdf []byte) string {
	t.Helper()
	Need(t, "pdfinfo")
	path := filepath.Join(t.TempDir(), "struct.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out := run(t, "pdfinfo", "-struct-text", path)
	if !strings.Contains(out, "Document") {
		t.Fatalf("PDF has no structure tree:\n%s", out[:min(len(out), 500)])
	}
	return out
}

// CheckDOCXPackage checks a DOCX the way Word's package reader would, since Word itself cannot run here:
// every part is well-formed XML; [Content_Types].xml gives every part a content type and overrides only parts
// that exist; the package relationship names word/document.xml as the main document with the main document
// content type; every internal relationship target exists; every r:id the document uses is a relationship of
// the document; and every paragraph, run and table style the document, headers and footers name is defined in
// word/styles.xml with that type.
func CheckDOCXPackage(t testing.TB, parts map[string][]byte) {
	t.Helper()
	type attrs map[string]string
	elements := func(name string) []struct {
		local string
		a     attrs
	} {
		data, ok := parts[name]
		if !ok {
			t.Fatalf("DOCX lacks %s", name)
		}
		var out []struct {
			local string
			a     attrs
		}
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", name, err)
			}
			if se, ok := tok.(xml.StartElement); ok {
				a := attrs{}
				for _, at := range se.Attr {
					key := at.Name.Local
					if at.Name.Space == "http://schemas.openxmlformats.org/officeDocument/2006/relationships" {
						key = "r:" + key
					}
					a[key] = at.Value
				}
				out = append(out, struct {
					local string
					a     attrs
				}{se.Name.Local, a})
			}
		}
	}
	for name := range parts {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			elements(name)
		}
	}
	defaults, overrides := map[string]string{}, map[string]string{}
	for _, e := range elements("[Content_Types].xml") {
		switch e.local {
		case "Default":
			defaults[strings.ToLower(e.a["Extension"])] = e.a["ContentType"]
		case "Override":
			overrides[strings.TrimPrefix(e.a["PartName"], "/")] = e.a["ContentType"]
		}
	}
	for name := range overrides {
		if _, ok := parts[name]; !ok {
			t.Errorf("[Content_Types].xml overrides %s, which is not in the package", name)
		}
	}
	for name := range parts {
		if name == "[Content_Types].xml" || strings.HasSuffix(name, "/") {
			continue
		}
		if _, ok := overrides[name]; ok {
			continue
		}
		if _, ok := defaults[strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))]; !ok {
			t.Errorf("part %s has no content type", name)
		}
	}
	if ct := overrides["word/document.xml"]; ct != "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" {
		t.Errorf("word/document.xml has content type %q", ct)
	}
	// Relationships: resolve each internal target against its source part's folder.
	rels := map[string]map[string]string{} // rels part → id → target part
	for name := range parts {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		dir := filepath.Dir(filepath.Dir(name)) // "word/_rels/document.xml.rels" → "word"
		rels[name] = map[string]string{}
		for _, e := range elements(name) {
			if e.local != "Relationship" || e.a["TargetMode"] == "External" {
				continue
			}
			target := filepath.ToSlash(filepath.Clean(filepath.Join(dir, e.a["Target"])))
			if strings.HasPrefix(e.a["Target"], "/") {
				target = strings.TrimPrefix(e.a["Target"], "/")
			}
			if _, ok := parts[target]; !ok {
				t.Errorf("%s: relationship %s points to %s, which is not in the package", name, e.a["Id"], target)
			}
			rels[name][e.a["Id"]] = target
			if name == "_rels/.rels" && strings.HasSuffix(e.a["Type"], "/officeDocument") && target != "word/document.xml" {
				t.Errorf("the main document relationship points to %s", target)
			}
		}
	}
	if len(rels["_rels/.rels"]) == 0 {
		t.Error("DOCX has no package relationships")
	}
	styles := map[string]string{} // styleId → type
	for _, e := range elements("word/styles.xml") {
		if e.local == "style" {
			styles[e.a["styleId"]] = e.a["type"]
		}
	}
	for name := range parts {
		if !strings.HasPrefix(name, "word/") || !strings.HasSuffix(name, ".xml") || name == "word/styles.xml" {
			continue
		}
		own := rels["word/_rels/"+filepath.Base(name)+".rels"]
		for _, e := range elements(name) {
			for key, v := range e.a {
				if strings.HasPrefix(key, "r:") && (key == "r:id" || key == "r:embed") {
					if _, ok := own[v]; !ok {
						t.Errorf("%s uses relationship %s, which %s does not define", name, v, "word/_rels/"+filepath.Base(name)+".rels")
					}
				}
			}
			want := map[string]string{"pStyle": "paragraph", "rStyle": "character", "tblStyle": "table"}[e.local]
			if want == "" {
				continue
			}
			if got, ok := styles[e.a["val"]]; !ok || got != want {
				t.Errorf("%s names the %s style %q, which styles.xml does not define as one (%q)", name, want, e.a["val"], got)
			}
		}
	}
}
