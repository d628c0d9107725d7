package httpapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/export"
)

func multipartBody(t *testing.T, name string, data []byte) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	w.Close()
	return w.FormDataContentType(), b.Bytes()
}

func (s *server) upload(path, token, ctype string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ctype)
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return rec
}

func TestEvidenceFiles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		rpct, dir2, oiv := s.login("rpct"), s.login("dir2"), s.login("oiv")
		var a struct {
			Measures []struct{ ID, Unit string } `json:"measures"`
		}
		decode(t, s.get("/api/v1/cycles/2026-2028/nodes/C1.1.1.1/assessment", dir2), &a)
		measure := a.Measures[0].ID
		if rec := s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/monitoring/plan", token: rpct,
			body: `{"frequency":"semestrale","reference_dates":["2026-06-30"],"sample_percent":20}`}); rec.Code != 200 {
			t.Fatalf("plan %d %s", rec.Code, rec.Body)
		}
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/cycles/2026-2028/monitoring/rounds", token: rpct, body: `{"reference_date":"2026-06-30"}`}); rec.Code != 201 {
			t.Fatalf("round %d %s", rec.Code, rec.Body)
		}
		base := "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/measures/" + measure + "/evidence"
		pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
		ctype, body := multipartBody(t, "verbale controlli.pdf", pdf)
		rec := s.upload(base, dir2, ctype, body)
		var ev struct {
			ID          string `json:"id"`
			SHA256      string `json:"sha256"`
			ContentType string `json:"content_type"`
			Name        string `json:"name"`
		}
		decode(t, rec, &ev)
		sum := sha256.Sum256(pdf)
		if rec.Code != 201 || ev.SHA256 != hex.EncodeToString(sum[:]) || ev.ContentType != "application/pdf" || ev.Name != "verbale controlli.pdf" {
			t.Fatalf("upload %d %s", rec.Code, rec.Body)
		}
		decodeProblem(t, s.upload(base, dir2, ctype, body), 409, "evidence_duplicate")
		exeType, exe := multipartBody(t, "fattura.pdf", append([]byte("MZ\x90\x00\x03"), bytes.Repeat([]byte{0}, 200)...))
		decodeProblem(t, s.upload(base, dir2, exeType, exe), 422, "evidence_invalid")
		bigType, big := multipartBody(t, "grande.txt", bytes.Repeat([]byte("a"), 70<<10))
		decodeProblem(t, s.upload(base, dir2, bigType, big), 413, "file_too_large")
		// A body cut in the middle of the file: nothing is stored.
		txtType, txt := multipartBody(t, "note.txt", []byte(strings.Repeat("riga di testo\n", 100)))
		decodeProblem(t, s.upload(base, dir2, txtType, txt[:len(txt)/2]), 400, "upload_incomplete")
		decodeProblem(t, s.upload(base, s.login("dir1"), txtType, txt), 403, "forbidden")

		rec = s.get("/api/v1/evidence/"+ev.ID, oiv)
		if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), pdf) || rec.Header().Get("Content-Type") != "application/pdf" {
			t.Fatalf("download %d", rec.Code)
		}
		decodeProblem(t, s.get("/api/v1/evidence/"+ev.ID, s.login("admin")), 403, "forbidden")
		decodeProblem(t, s.get("/api/v1/evidence/"+ev.ID, s.login("x-rpct")), 404, "evidence_not_found")

		// The unit may remove evidence while the round is open, never after.
		ctypeCSV, bodyCSV := multipartBody(t, "dati.csv", []byte("pratica,esito\n1,ok\n"))
		rec = s.upload(base, dir2, ctypeCSV, bodyCSV)
		var csvEv struct {
			ID          string `json:"id"`
			ContentType string `json:"content_type"`
		}
		decode(t, rec, &csvEv)
		if rec.Code != 201 || csvEv.ContentType != "text/csv" {
			t.Fatalf("csv upload %d %s", rec.Code, rec.Body)
		}
		if rec := s.do(request{method: http.MethodDelete, path: "/api/v1/evidence/" + csvEv.ID, token: dir2}); rec.Code != 204 {
			t.Fatalf("remove %d %s", rec.Code, rec.Body)
		}
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/close", token: rpct}); rec.Code != 200 {
			t.Fatalf("close %d", rec.Code)
		}
		decodeProblem(t, s.do(request{method: http.MethodDelete, path: "/api/v1/evidence/" + ev.ID, token: dir2}), 409, "round_closed")
		rep := s.get("/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/report.xlsx", oiv)
		if rep.Code != 200 {
			t.Fatalf("monitoring report %d", rep.Code)
		}
		wb, err := excelize.OpenReader(bytes.NewReader(rep.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := wb.GetRows("Monitoraggio")
		if strings.Join(rows[1], "|") != strings.Join(export.MonitoringHeaders, "|") {
			t.Fatalf("report header %q", rows[1])
		}
		found := false
		for _, r := range rows[2:] {
			if r[0] == "C1.1.1.1" && r[2] == "AD2" && r[3] == "non rilevato" {
				found = true
			}
		}
		if !found {
			t.Fatalf("the measure is not in the report: %q", rows)
		}
		mpdf := s.get("/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/report.pdf", oiv)
		if mpdf.Code != 200 || !bytes.Contains(mpdf.Body.Bytes(), []byte("C1.1.1.1")) || !bytes.Contains(mpdf.Body.Bytes(), []byte("non rilevato")) ||
			!bytes.Contains(mpdf.Body.Bytes(), []byte("/Title")) {
			t.Fatalf("monitoring pdf %d", mpdf.Code)
		}
		decodeProblem(t, s.upload(base, dir2, txtType, txt), 409, "round_closed")
	})
}
