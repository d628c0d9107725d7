package httpapi_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/export"
)

type importReport struct {
	Committed bool `json:"committed"`
	Created   int  `json:"created"`
	Updated   int  `json:"updated"`
	Unchanged int  `json:"unchanged"`
	Skipped   int  `json:"skipped"`
	Problems  []struct {
		Line int    `json:"line"`
		Code string `json:"code"`
	} `json:"problems"`
	Leaves []struct {
		Code   string `json:"code"`
		Action string `json:"action"`
	} `json:"leaves"`
}

func importBody(t *testing.T, name string, data []byte, parts map[string]string) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range parts {
		w.WriteField(k, v)
	}
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	w.Close()
	return w.FormDataContentType(), b.Bytes()
}

// The demo register exported to registro.xlsx imports back unchanged over HTTP; the template opens with its
// lists; a body's own layout imports through a mapping saved for next year; exports follow the filters.
func TestRegisterImportHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		rpct := s.login("rpct")
		const base = "/api/v1/cycles/2026-2028/"
		xlsx := s.get(base+"exports/registro.xlsx", rpct)
		if xlsx.Code != 200 {
			t.Fatalf("export %d", xlsx.Code)
		}
		ctype, body := importBody(t, "registro.xlsx", xlsx.Body.Bytes(), nil)
		var rep importReport
		decode(t, s.upload(base+"register-imports?dry_run=true", rpct, ctype, body), &rep)
		if rep.Committed || len(rep.Problems) != 0 || rep.Unchanged == 0 || rep.Created+rep.Updated+rep.Skipped != 0 {
			t.Fatalf("dry run of the demo export: %+v", rep)
		}
		rec := s.upload(base+"register-imports", rpct, ctype, body)
		decode(t, rec, &rep)
		if rec.Code != 200 || !rep.Committed || rep.Created+rep.Updated != 0 {
			t.Fatalf("commit %d %+v", rec.Code, rep)
		}
		decodeProblem(t, s.upload(base+"register-imports", rpct, "application/json", []byte(`{}`)), 422, "import_invalid")

		// The template: headers, lists and instructions.
		tpl := s.get(base+"register-imports/registro-modello.xlsx", rpct)
		if tpl.Code != 200 {
			t.Fatalf("template %d", tpl.Code)
		}
		f, err := excelize.OpenReader(bytes.NewReader(tpl.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		dvs, _ := f.GetDataValidations(export.TemplateSheet)
		head, _ := f.GetCellValue(export.TemplateSheet, "C2")
		instr, _ := f.GetCellValue(export.InstructionsSheet, "A1")
		if len(dvs) < 10 || head != "Codice" || instr == "" {
			t.Fatalf("template: %d validations, header %q, instructions %q", len(dvs), head, instr)
		}

		// The body's own layout: the mapping is saved, then used.
		if rec := s.do(request{method: http.MethodPut, path: "/api/v1/register-import-mapping", token: rpct,
			body: `{"columns":{"code":"Cod. attività","title":"Attività","event":"Descrizione evento","risk_no":"Num"},"version":0}`}); rec.Code != 200 {
			t.Fatalf("save mapping %d %s", rec.Code, rec.Body)
		}
		var m struct {
			Columns map[string]string `json:"columns"`
			Version int64             `json:"version"`
		}
		decode(t, s.get("/api/v1/register-import-mapping", rpct), &m)
		if m.Version != 1 || m.Columns["code"] != "Cod. attività" {
			t.Fatalf("mapping %+v", m)
		}
		own := []byte("Cod. attività;Attività;Num;Descrizione evento\nZZ.1;Attività ignota;1;Evento senza codice di mappa\n")
		ctype, body = importBody(t, "proprio.csv", own, nil)
		decode(t, s.upload(base+"register-imports?dry_run=true", rpct, ctype, body), &rep)
		if len(rep.Problems) != 1 || rep.Problems[0].Code != "action_unknown" || rep.Problems[0].Line != 2 {
			t.Fatalf("own layout: %+v", rep)
		}

		// Exports follow the register screen's filters.
		all := s.get(base+"exports/registro-excel.csv", rpct)
		some := s.get(base+"exports/registro-excel.csv?unit=AD2", rpct)
		if all.Code != 200 || some.Code != 200 || bytes.Count(some.Body.Bytes(), []byte("\n")) >= bytes.Count(all.Body.Bytes(), []byte("\n")) {
			t.Fatalf("filtered export %d %d", all.Code, some.Code)
		}
		decodeProblem(t, s.get(base+"exports/registro.xlsx?level=bogus", rpct), 422, "filter_invalid")
	})
}
