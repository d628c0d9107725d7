package httpapi_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// Evidence uploads: a ZIP dressed as an office document and executable names are refused with codes the
// screen shows; names lose path parts and bidi controls; downloads are attachments of the detected type.
func TestEvidenceUploadHardening(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		rpct, dir2, oiv := s.login("rpct"), s.login("dir2"), s.login("oiv")
		var a struct {
			Measures []struct{ ID string } `json:"measures"`
		}
		decode(t, s.get("/api/v1/cycles/2026-2028/nodes/C1.1.1.1/assessment", dir2), &a)
		s.consolidateDemo()
		if rec := s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/monitoring/plan", token: rpct,
			body: `{"frequency":"semestrale","reference_dates":["2026-06-30"],"sample_percent":20}`}); rec.Code != 200 {
			t.Fatalf("plan %d %s", rec.Code, rec.Body)
		}
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/cycles/2026-2028/monitoring/rounds", token: rpct, body: `{"reference_date":"2026-06-30"}`}); rec.Code != 201 {
			t.Fatalf("round %d %s", rec.Code, rec.Body)
		}
		base := "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/measures/" + a.Measures[0].ID + "/evidence"

		var fake bytes.Buffer
		zw := zip.NewWriter(&fake)
		for name, data := range map[string]string{"[Content_Types].xml": "<Types/>", "index.html": "<script>alert(1)</script>"} {
			w, _ := zw.Create(name)
			w.Write([]byte(data))
		}
		zw.Close()
		for _, c := range []struct {
			name string
			data []byte
			code string
		}{
			{"relazione.docx", fake.Bytes(), "file_type_refused"},
			{"fattura\u202Efdp.exe", []byte("%PDF-1.4\n%%EOF\n"), "file_name_refused"},
			{"verbale.pdf.js", []byte("testo semplice\n"), "file_name_refused"},
		} {
			ctype, body := multipartBody(t, c.name, c.data)
			p := decodeProblem(t, s.upload(base, dir2, ctype, body), 422, "evidence_invalid")
			if p.Errors[0].Field != "file" || p.Errors[0].Code != c.code {
				t.Errorf("%q: %+v, want %s", c.name, p.Errors, c.code)
			}
		}

		pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
		ctype, body := multipartBody(t, "../../tmp/ver\u202Ebale\u200B.pdf", pdf)
		rec := s.upload(base, dir2, ctype, body)
		var ev struct{ ID, Name string }
		decode(t, rec, &ev)
		if rec.Code != 201 || ev.Name != "verbale.pdf" {
			t.Fatalf("upload %d %s", rec.Code, rec.Body)
		}
		rec = s.get("/api/v1/evidence/"+ev.ID, oiv)
		h := rec.Header()
		if rec.Code != 200 || h.Get("Content-Type") != "application/pdf" || h.Get("Content-Disposition") != `attachment; filename=verbale.pdf` ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-store" {
			t.Fatalf("download %d %v", rec.Code, h)
		}
		// A row stored before these checks, with a type and name taken from the client, is served safely.
		if err := db.Gorm.Exec("UPDATE evidence_files SET content_type = ?, name = ? WHERE id = ?",
			"text/html", "pagina\u202Elmth.html", ev.ID).Error; err != nil {
			t.Fatal(err)
		}
		rec = s.get("/api/v1/evidence/"+ev.ID, oiv)
		if ct, cd := rec.Header().Get("Content-Type"), rec.Header().Get("Content-Disposition"); ct != "application/octet-stream" || cd != "attachment; filename=allegato.bin" {
			t.Fatalf("legacy row served as %q %q", ct, cd)
		}
	})
}
