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
		s.consolidateDemo()
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
		// The round lists both files of the measure, with their hashes, never their bytes; the measure's own
		// fields are snake_case like the rest.
		csvSum := sha256.Sum256([]byte("pratica,esito\n1,ok\n"))
		var round struct {
			Round    map[string]any `json:"round"`
			Measures []struct {
				ID       string `json:"id"`
				Leaf     string `json:"leaf"`
				Unit     string `json:"unit"`
				Evidence []map[string]any
			} `json:"measures"`
		}
		rec = s.get("/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30", oiv)
		decode(t, rec, &round)
		listed := map[string]string{}
		for _, m := range round.Measures {
			if m.ID == measure {
				if m.Leaf != "C1.1.1.1" || m.Unit != "AD2" {
					t.Fatalf("measure fields %+v", m)
				}
				for _, f := range m.Evidence {
					if _, ok := f["data"]; ok || f["size"] == nil || f["uploaded_at"] == nil || f["uploaded_by"] == nil {
						t.Fatalf("listed file %v", f)
					}
					listed[f["id"].(string)] = f["sha256"].(string)
				}
			}
		}
		if len(listed) != 2 || listed[ev.ID] != ev.SHA256 || listed[csvEv.ID] != hex.EncodeToString(csvSum[:]) {
			t.Fatalf("evidence of the round %v (%d %s)", listed, rec.Code, rec.Body)
		}
		if seed, ok := round.Round["sample_seed"].(string); !ok || seed != "0" {
			t.Fatalf("seed before any draw %#v", round.Round["sample_seed"])
		}
		if rec := s.do(request{method: http.MethodDelete, path: "/api/v1/evidence/" + csvEv.ID, token: dir2}); rec.Code != 204 {
			t.Fatalf("remove %d %s", rec.Code, rec.Body)
		}
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/sample", token: rpct, body: `{"seed":5}`}); rec.Code != 200 {
			t.Fatalf("sample %d %s", rec.Code, rec.Body)
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
		found, drawn := false, 0
		for _, r := range rows[2:] {
			if r[0] == "C1.1.1.1" && r[2] == "AD2" && r[3] == "non rilevato" {
				found = true
			}
			// Every measure in the sample says why it was drawn; the others say nothing.
			if len(r) > 8 && r[8] == "sì" {
				drawn++
				if len(r) < 11 || r[10] == "" {
					t.Fatalf("a sampled measure without its reason: %q", r)
				}
			} else if len(r) > 10 && r[10] != "" {
				t.Fatalf("a reason for a measure not drawn: %q", r)
			}
		}
		if drawn == 0 {
			t.Fatal("nothing drawn at 20%")
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

// TestRoundsListAndSeed: the cycle's rounds newest first; the seed goes out as a string (every digit of a
// 63-bit number survives JavaScript) and comes in as a number or a string.
func TestRoundsListAndSeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		rpct, oiv := s.login("rpct"), s.login("oiv")
		const rounds = "/api/v1/cycles/2026-2028/monitoring/rounds"
		var list struct {
			Items []struct {
				ReferenceDate string  `json:"reference_date"`
				State         string  `json:"state"`
				SampleSeed    any     `json:"sample_seed"`
				OpenedAt      string  `json:"opened_at"`
				ClosedAt      *string `json:"closed_at"`
				Measures      int     `json:"measures"`
				SelfAssessed  *int    `json:"self_assessed"`
				Checked       *int    `json:"checked"`
			} `json:"items"`
		}
		decode(t, s.get(rounds, oiv), &list)
		if list.Items == nil || len(list.Items) != 0 {
			t.Fatalf("no rounds: %+v", list)
		}
		// An open campaign's measures are proposals: no round before the cycle is consolidated.
		decodeProblem(t, s.do(request{method: http.MethodPost, path: rounds, token: rpct, body: `{"reference_date":"2026-06-30"}`}), 409, "cycle_not_adopted")
		s.consolidateDemo()
		if rec := s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/monitoring/plan", token: rpct,
			body: `{"frequency":"semestrale","reference_dates":["2026-06-30","2026-12-31"],"sample_percent":50}`}); rec.Code != 200 {
			t.Fatalf("plan %d %s", rec.Code, rec.Body)
		}
		for _, d := range []string{"2026-06-30", "2026-12-31"} {
			if rec := s.do(request{method: http.MethodPost, path: rounds, token: rpct, body: `{"reference_date":"` + d + `"}`}); rec.Code != 201 {
				t.Fatalf("round %d %s", rec.Code, rec.Body)
			}
		}
		if rec := s.do(request{method: http.MethodPost, path: rounds + "/2026-06-30/close", token: rpct}); rec.Code != 200 {
			t.Fatalf("close %d", rec.Code)
		}
		rec := s.get(rounds, s.login("dir1"))
		decode(t, rec, &list)
		if rec.Code != 200 || len(list.Items) != 2 || list.Items[0].ReferenceDate != "2026-12-31" || list.Items[0].State != "open" ||
			list.Items[0].ClosedAt != nil || list.Items[1].State != "closed" || list.Items[1].ClosedAt == nil || list.Items[0].OpenedAt == "" ||
			list.Items[0].Measures == 0 || list.Items[0].SelfAssessed == nil || list.Items[0].Checked == nil || list.Items[0].SampleSeed != "0" {
			t.Fatalf("rounds %d %s", rec.Code, rec.Body)
		}

		var view struct {
			Round struct {
				SampleSeed any      `json:"sample_seed"`
				Sample     []string `json:"sample"`
			} `json:"round"`
		}
		const big = "9007199254740993" // 2^53 + 1: a JavaScript number would read ...992
		for _, body := range []string{`{"seed":` + big + `}`, `{"seed":"` + big + `"}`} {
			rec := s.do(request{method: http.MethodPost, path: rounds + "/2026-12-31/sample", token: rpct, body: body})
			decode(t, rec, &view)
			if rec.Code != 200 || view.Round.SampleSeed != big || len(view.Round.Sample) == 0 {
				t.Fatalf("sample with %s: %d %s", body, rec.Code, rec.Body)
			}
		}
		rec = s.do(request{method: http.MethodPost, path: rounds + "/2026-12-31/sample", token: rpct, body: `{}`})
		decode(t, rec, &view)
		if seed, ok := view.Round.SampleSeed.(string); rec.Code != 200 || !ok || seed == "0" || seed == "" {
			t.Fatalf("random seed %d %s", rec.Code, rec.Body)
		}
		decodeProblem(t, s.do(request{method: http.MethodPost, path: rounds + "/2026-12-31/sample", token: rpct, body: `{"seed":"dodici"}`}), 422, "body_invalid")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: rounds + "/2026-12-31/sample", token: rpct, body: `{"seed":-4}`}), 422, "body_invalid")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: rounds + "/2026-12-31/sample", token: rpct, body: `{"seed":"9223372036854775808"}`}), 422, "sample_invalid")
	})
}
