package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/document/doctest"
	"github.com/argine-pa/argine/internal/httpapi"
)

// TestDocumentRoutes: the annex downloads as ODT and DOCX whatever the server has; the PDF without
// LibreOffice is a 503 that says, in Italian, what to do instead; with it, an accessible PDF.
func TestDocumentRoutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db) // no renderer
		rpct := s.login("rpct")
		odt := s.get("/api/v1/cycles/2026-2028/exports/registro.odt", rpct)
		if odt.Code != 200 || odt.Header().Get("Content-Type") != document.MimeODT ||
			!strings.Contains(odt.Header().Get("Content-Disposition"), "_2026-2028_BOZZA_registro.odt") {
			t.Fatalf("odt %d %v", odt.Code, odt.Header())
		}
		content, styles, _ := doctest.ODTText(t, odt.Body.Bytes())
		doctest.InOrder(t, content, "Registro dei rischi corruttivi", "Quadro d'insieme", "Piano delle misure per processo")
		if !strings.Contains(styles, "BOZZA") {
			t.Error("the draft annex has no BOZZA")
		}
		docx := s.get("/api/v1/cycles/2026-2028/exports/registro.docx", rpct)
		if docx.Code != 200 || docx.Header().Get("Content-Type") != document.MimeDOCX {
			t.Fatalf("docx %d", docx.Code)
		}
		doctest.DOCXText(t, docx.Body.Bytes())
		pdf := s.get("/api/v1/cycles/2026-2028/exports/registro.pdf", rpct)
		var p struct{ Code, Detail string }
		if err := json.Unmarshal(pdf.Body.Bytes(), &p); err != nil || pdf.Code != 503 || p.Code != "pdf_renderer_unavailable" ||
			!strings.Contains(p.Detail, "LibreOffice") || !strings.Contains(p.Detail, "ODT o DOCX") {
			t.Fatalf("pdf without renderer %d %s", pdf.Code, pdf.Body)
		}
		// Another ente's user still finds nothing: the 404 comes before the renderer's absence.
		if other := s.get("/api/v1/cycles/2026-2028/exports/registro.pdf", s.login("x-rpct")); other.Code != 404 {
			t.Fatalf("another ente's pdf %d", other.Code)
		}
		cmp := s.get("/api/v1/cycles/2026-2028/comparison", rpct)
		if cmp.Code != 404 || !strings.Contains(cmp.Body.String(), "previous_cycle_not_found") {
			t.Fatalf("comparison without a previous cycle %d %s", cmp.Code, cmp.Body)
		}
		annual := s.get("/api/v1/cycles/2026-2028/exports/relazione-annuale.xlsx", rpct)
		if annual.Code != 200 || !strings.Contains(annual.Header().Get("Content-Disposition"), "relazione-annuale.xlsx") {
			t.Fatalf("annual report %d", annual.Code)
		}
	})
}

// TestDocumentPDFRoute: with LibreOffice, the route gives the accessible PDF of the annex.
func TestDocumentPDFRoute(t *testing.T) {
	r := document.DetectRenderer()
	if !r.Available() {
		t.Skip("LibreOffice not installed (apt-get install -y libreoffice-writer-nogui): PDF route check skipped")
	}
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db, func(d *httpapi.Deps) { d.Documents = r })
		pdf := s.get("/api/v1/cycles/2026-2028/exports/registro.pdf", s.login("rpct"))
		if pdf.Code != 200 || pdf.Header().Get("Content-Type") != document.MimePDF {
			t.Fatalf("pdf %d %s", pdf.Code, pdf.Body.String()[:min(200, pdf.Body.Len())])
		}
		info := doctest.CheckPDF(t, pdf.Body.Bytes())
		doctest.InOrder(t, info.Text, "Registro dei rischi corruttivi", "BOZZA", "Quadro d'insieme")
	})
}

// TestAdoptedDocumentsOverHTTP: adoption prepares the annex PDF in the background and keeps it; every later
// download of the adopted annex, in each format, is the same bytes.
func TestAdoptedDocumentsOverHTTP(t *testing.T) {
	r := document.DetectRenderer()
	if !r.Available() {
		t.Skip("LibreOffice not installed (apt-get install -y libreoffice-writer-nogui): adopted PDF check skipped")
	}
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db, func(d *httpapi.Deps) { d.Documents = r })
		rpct, oiv := s.login("rpct"), s.login("oiv")
		post := func(token, path, body string) {
			t.Helper()
			if rec := s.do(request{method: http.MethodPost, path: path, token: token, body: body}); rec.Code != 200 {
				t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
			}
		}
		for _, d := range []struct{ user, unit string }{{"dir1", "SG"}, {"dir1", "AD1"}, {"dir2", "AD2"}, {"dir3", "AD3"}} {
			post(s.login(d.user), "/api/v1/cycles/2026-2028/assessments/transitions", `{"action":"submit","unit":"`+d.unit+`"}`)
		}
		var reg struct {
			Items []struct{ Node string } `json:"items"`
		}
		decode(t, s.get("/api/v1/cycles/2026-2028/register?page_size=1000", rpct), &reg)
		seen := map[string]bool{}
		var nodes []string
		for _, it := range reg.Items {
			if !seen[it.Node] {
				seen[it.Node] = true
				nodes = append(nodes, `"`+it.Node+`"`)
			}
		}
		post(rpct, "/api/v1/cycles/2026-2028/assessments/transitions", `{"action":"approve","all_or_nothing":true,"nodes":[`+strings.Join(nodes, ",")+`]}`)
		var tree struct {
			Nodes []treeNode `json:"nodes"`
		}
		decode(t, s.get("/api/v1/cycles/2026-2028/process-map", rpct), &tree)
		var walk func([]treeNode)
		walk = func(ns []treeNode) {
			for _, n := range ns {
				if n.IsLeaf && !seen[n.Code] {
					post(rpct, "/api/v1/cycles/2026-2028/exclusions", `{"node":"`+n.Code+`","reason":"Non valutato nel ciclo dimostrativo"}`)
				}
				walk(n.Children)
			}
		}
		walk(tree.Nodes)
		post(rpct, "/api/v1/cycles/2026-2028/consolidate", "")
		post(rpct, "/api/v1/cycles/2026-2028/adopt", `{"deliberation_number":"7","deliberation_date":"2027-01-27"}`)
		// The background rendering lands in rendered_documents; wait for it (a conversion of the demo annex).
		var kept []byte
		for i := 0; i < 600 && kept == nil; i++ {
			var rows []struct{ Content []byte }
			if err := db.Gorm.Raw("SELECT content FROM rendered_documents WHERE name = 'registro.pdf'").Scan(&rows).Error; err != nil {
				t.Fatal(err)
			}
			if len(rows) == 1 {
				kept = rows[0].Content
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if kept == nil {
			t.Fatal("adoption did not prepare the annex PDF")
		}
		for _, file := range []string{"registro.pdf", "registro.odt", "registro.docx"} {
			first := s.get("/api/v1/cycles/2026-2028/exports/"+file, oiv)
			again := s.get("/api/v1/cycles/2026-2028/exports/"+file, rpct)
			if first.Code != 200 || !bytes.Equal(first.Body.Bytes(), again.Body.Bytes()) ||
				strings.Contains(first.Header().Get("Content-Disposition"), "BOZZA") {
				t.Fatalf("%s: %d, equal %v, %s", file, first.Code, bytes.Equal(first.Body.Bytes(), again.Body.Bytes()), first.Header().Get("Content-Disposition"))
			}
			if file == "registro.pdf" {
				if !bytes.Equal(first.Body.Bytes(), kept) {
					t.Fatal("the PDF served is not the one prepared at adoption")
				}
				info := doctest.CheckPDF(t, kept)
				doctest.InOrder(t, info.Text, "Registro dei rischi corruttivi", "deliberazione n. 7 del 27 gennaio 2027", "Quadro d'insieme")
			}
		}
	})
}
