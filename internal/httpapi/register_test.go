package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

const assessmentBody = `{"version":%d,"risks":[{"event_code":"ER-C-01","context":"Sportello del registro",
 "enabling_factors":["FA-b"],"decision":"treat_new_measures","priority":1,"measures":["m1"],
 "inherent":{"reason":"Giudizio motivato sulla base delle evidenze","values":[
  {"code":"KRI-1","value":2,"reason":"r1"},{"code":"KRI-2","value":3,"reason":"r2"},{"code":"KRI-3","value":1,"reason":"r3"},
  {"code":"KRI-4","value":2,"reason":"r4"},{"code":"KRI-5","value":1,"reason":"r5"},{"code":"KRI-6","value":2,"reason":"r6"},
  {"code":"IMP-1","value":2,"reason":"i1"},{"code":"IMP-2","value":1,"reason":"i2"},{"code":"IMP-3","value":1,"reason":"i3"},
  {"code":"IMP-4","value":2,"reason":"i4"}]}}],
 "measures":[{"key":"m1","nature":"specific","type":"T05","title":"Digitalizzazione delle pratiche","unit":"AD2",
  "start":"2026-03-01","end":"2026-11-30","phases":[{"title":"Analisi","deadline":"2026-04-30"}],
  "indicators":[{"name":"pratiche telematiche / totale","baseline":"80%","target":"95%"}]}]}`

func TestAssessmentThroughHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		path := "/api/v1/cycles/2026-2028/nodes/B3.2.1.2/assessment" // an Area 2 leaf the demo leaves unassessed
		ref2, dir2 := s.login("ref2"), s.login("dir2")
		rec := s.do(request{method: http.MethodPut, path: path, token: ref2, body: strings.Replace(assessmentBody, "%d", "0", 1)})
		if rec.Code != 200 {
			t.Fatalf("save: %d %s", rec.Code, rec.Body)
		}
		var saved struct {
			Version int64  `json:"version"`
			Level   string `json:"level"`
			Risks   []struct {
				InherentScore struct{ Level string } `json:"inherent_score"`
			} `json:"risks"`
		}
		decode(t, rec, &saved)
		// Likelihood max(2,3,1,2,1,2) = alto, impact max(2,1,1,2) = medio → alto.
		if saved.Version != 1 || saved.Level != "alto" || saved.Risks[0].InherentScore.Level != "alto" {
			t.Fatalf("saved %s", rec.Body)
		}
		// A second writer still holding version 0 gets 409 with the current version.
		p := decodeProblem(t, s.do(request{method: http.MethodPut, path: path, token: dir2, body: strings.Replace(assessmentBody, "%d", "0", 1)}), 409, "version_conflict")
		if p.CurrentVersion != 1 {
			t.Fatalf("current version %d", p.CurrentVersion)
		}
		bad := strings.Replace(strings.Replace(assessmentBody, "%d", "1", 1), `"end":"2026-11-30"`, `"end":"2026-01-01"`, 1)
		p = decodeProblem(t, s.do(request{method: http.MethodPut, path: path, token: dir2, body: bad}), 422, "assessment_invalid")
		if p.Errors[0].Field != "measures[0].end" || p.Errors[0].Code != "end_before_start" {
			t.Fatalf("errors %+v", p.Errors)
		}
		// The register and heat map show it to the OIV.
		var reg struct {
			Total int `json:"total"`
			Items []struct {
				Node          string   `json:"node"`
				MeasureTypes  []string `json:"measure_types"`
				InherentLevel string   `json:"inherent_level"`
			} `json:"items"`
		}
		decode(t, s.get("/api/v1/cycles/2026-2028/register?with_total=true&level=alto&q=B3.2.1.2", s.login("oiv")), &reg)
		if reg.Total != 1 || reg.Items[0].Node != "B3.2.1.2" || reg.Items[0].MeasureTypes[0] != "T05" {
			t.Fatalf("register %+v", reg)
		}
		var heat map[string]json.RawMessage
		decode(t, s.get("/api/v1/cycles/2026-2028/heatmap?q=B3.2.1.2", s.login("rpct")), &heat)
		if !strings.Contains(string(heat["inherent"]), `"likelihood":3,"impact":2,"count":1`) {
			t.Fatalf("heat map %s", heat["inherent"])
		}
		// Director of Area 1 cannot write an Area 2 leaf even with a well-formed request.
		decodeProblem(t, s.do(request{method: http.MethodPut, path: path, token: s.login("dir1"), body: strings.Replace(assessmentBody, "%d", "1", 1)}), 403, "forbidden")
	})
}

// TestRegisterHeatCells checks that each register row carries the heat-map cells of its judgements, that the
// heat map's count of every cell is the number of rows carrying it, and that the cell filters select exactly
// those rows.
func TestRegisterHeatCells(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		oiv := s.login("oiv")
		type row struct {
			RiskID        string `json:"risk_id"`
			InherentLevel string `json:"inherent_level"`
			ResidualLevel string `json:"residual_level"`
			InherentCell  []int  `json:"inherent_cell"`
			ResidualCell  []int  `json:"residual_cell"`
			Event         string `json:"event_description"`
		}
		type page struct {
			Total int   `json:"total"`
			Items []row `json:"items"`
		}
		type heatmap struct {
			Inherent []struct{ Likelihood, Impact, Count int } `json:"inherent"`
			Residual []struct{ Likelihood, Impact, Count int } `json:"residual"`
		}
		register := func(query string) page {
			t.Helper()
			rec := s.get("/api/v1/cycles/2026-2028/register?with_total=true&page_size=1000"+query, oiv)
			if rec.Code != http.StatusOK {
				t.Fatalf("register%s: %d %s", query, rec.Code, rec.Body)
			}
			var p page
			decode(t, rec, &p)
			if p.Total != len(p.Items) {
				t.Fatalf("register%s: %d rows on the page, total %d", query, len(p.Items), p.Total)
			}
			return p
		}
		cellOf := func(c []int) string {
			if c == nil {
				return ""
			}
			if len(c) != 2 {
				t.Fatalf("cell %v is not [likelihood, impact]", c)
			}
			return fmt.Sprintf("%d-%d", c[0], c[1])
		}
		all := register("")
		if all.Total < 50 {
			t.Fatalf("the demo register has only %d rows", all.Total)
		}
		// Without with_total a page carries no total, only whether more follow: the first page of one row has
		// more, the last page none, and a bad value is refused with the parameter's name.
		for _, c := range []struct {
			query string
			more  bool
		}{{"page_size=1", true}, {fmt.Sprintf("page_size=10&page=%d", (all.Total+9)/10), false}} {
			rec := s.get("/api/v1/cycles/2026-2028/register?"+c.query, oiv)
			var p map[string]json.RawMessage
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", c.query, rec.Code, rec.Body)
			}
			if _, counted := p["total"]; counted || string(p["has_more"]) != fmt.Sprint(c.more) {
				t.Fatalf("%s: total given unasked, or has_more %s, want %v", c.query, p["has_more"], c.more)
			}
		}
		if rec := s.get("/api/v1/cycles/2026-2028/register?with_total=yes", oiv); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "with_total") {
			t.Fatalf("with_total=yes: %d %s", rec.Code, rec.Body)
		}
		// A cell is present exactly when its judgement is; JSON null otherwise.
		rec := s.get("/api/v1/cycles/2026-2028/register?page_size=1", oiv)
		if !strings.Contains(rec.Body.String(), `"inherent_cell":[`) || !strings.Contains(rec.Body.String(), `"residual_cell":`) {
			t.Fatalf("row without cells: %s", rec.Body)
		}
		for _, r := range all.Items {
			if (r.InherentCell != nil) != (r.InherentLevel != "") || (r.ResidualCell != nil) != (r.ResidualLevel != "") {
				t.Fatalf("row %+v: cells and levels disagree", r)
			}
		}
		// The text filter looks for the longest word of the first risk event the demo wrote (the demo's choice of
		// events follows the catalogue, which grows between releases).
		word := ""
		for _, w := range strings.Fields(all.Items[0].Event) {
			if w = strings.Trim(w, ".,;:()«»\"'"); len(w) > len(word) {
				word = w
			}
		}
		// The marker filter (DM 7 March 2019 "*" and "**") narrows the heat map exactly as it narrows the register.
		for _, filters := range []string{"", "&unit=AD2", "&level=alto", "&q=" + url.QueryEscape(word), "&risk_area=M",
			"&marker=%2A", "&marker=%2A%2A", "&marker=none"} {
			var h heatmap
			decode(t, s.get("/api/v1/cycles/2026-2028/heatmap?"+filters, oiv), &h)
			rows := register(filters)
			if rows.Total == 0 && filters != "&marker=%2A%2A" { // no demo leaf lies under a "**" node: both stay empty
				t.Fatalf("no register rows with %q", filters)
			}
			for _, side := range []struct {
				name  string
				cells []struct{ Likelihood, Impact, Count int }
				of    func(row) []int
			}{
				{"inherent", h.Inherent, func(r row) []int { return r.InherentCell }},
				{"residual", h.Residual, func(r row) []int { return r.ResidualCell }},
			} {
				carried := map[string][]string{} // cell -> risk ids of the rows carrying it
				for _, r := range rows.Items {
					if c := cellOf(side.of(r)); c != "" {
						carried[c] = append(carried[c], r.RiskID)
					}
				}
				if len(side.cells) != len(carried) {
					t.Fatalf("%s%s: heat map has %d cells, the register %d: %+v vs %v", side.name, filters, len(side.cells), len(carried), side.cells, carried)
				}
				for _, c := range side.cells {
					key := fmt.Sprintf("%d-%d", c.Likelihood, c.Impact)
					if len(carried[key]) != c.Count {
						t.Fatalf("%s cell %s%s: heat map counts %d, %d register rows carry it", side.name, key, filters, c.Count, len(carried[key]))
					}
					// The filter returns exactly those rows.
					got := register(filters + "&" + side.name + "_cell=" + key)
					var ids []string
					for _, r := range got.Items {
						ids = append(ids, r.RiskID)
					}
					if strings.Join(ids, ",") != strings.Join(carried[key], ",") {
						t.Fatalf("%s_cell=%s%s: rows %v, want %v", side.name, key, filters, ids, carried[key])
					}
				}
			}
		}
		// Both filters together, and a cell nobody is in.
		first := all.Items[0]
		both := register("&inherent_cell=" + cellOf(first.InherentCell) + "&residual_cell=" + cellOf(first.ResidualCell))
		for _, r := range both.Items {
			if cellOf(r.InherentCell) != cellOf(first.InherentCell) || cellOf(r.ResidualCell) != cellOf(first.ResidualCell) {
				t.Fatalf("both cells: row %+v", r)
			}
		}
		if both.Total == 0 || register("&inherent_cell=9-9").Total != 0 {
			t.Fatalf("both cells: %d rows; cell 9-9 not empty", both.Total)
		}
		// A malformed cell is a 422 naming the parameter, on the register and on the heat map alike.
		for _, bad := range []string{"3", "3-", "-2", "a-b", "0-1", "1-0", "3-2-1", "-1-2", "+3-2", " 3-2", "3,2", "99999-1"} {
			for _, name := range []string{"inherent_cell", "residual_cell"} {
				for _, path := range []string{"/register", "/heatmap"} {
					p := decodeProblem(t, s.get("/api/v1/cycles/2026-2028"+path+"?"+name+"="+url.QueryEscape(bad), oiv), 422, "filter_invalid")
					if len(p.Errors) != 1 || p.Errors[0].Field != name || p.Errors[0].Code != "not_cell" {
						t.Fatalf("%s %s=%q: errors %+v", path, name, bad, p.Errors)
					}
				}
			}
		}
	})
}

// TestAssessmentIdentityThroughHTTP: the client sends back the ids it read, which keep the rows; an id that is
// not the assessment's own is a 422 naming the field; withdrawn measures come in their own read-only list.
func TestAssessmentIdentityThroughHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		path := "/api/v1/cycles/2026-2028/nodes/B3.2.1.2/assessment"
		ref2 := s.login("ref2")
		if rec := s.do(request{method: http.MethodPut, path: path, token: ref2, body: strings.Replace(assessmentBody, "%d", "0", 1)}); rec.Code != 200 {
			t.Fatalf("save: %d %s", rec.Code, rec.Body)
		}
		var read map[string]any
		decode(t, s.get(path, ref2), &read)
		measure := read["measures"].([]any)[0].(map[string]any)
		risk := read["risks"].([]any)[0].(map[string]any)
		id, riskID := measure["id"].(string), risk["id"].(string)
		if id == "" || riskID == "" || measure["version"].(float64) != 1 || fmt.Sprint(read["withdrawn_measures"]) != "[]" {
			t.Fatalf("read %v", read)
		}
		measure["title"] = "Digitalizzazione completa delle pratiche"
		body, _ := json.Marshal(read)
		rec := s.do(request{method: http.MethodPut, path: path, token: ref2, body: string(body)})
		if rec.Code != 200 {
			t.Fatalf("save back: %d %s", rec.Code, rec.Body)
		}
		var again map[string]any
		decode(t, rec, &again)
		m2 := again["measures"].([]any)[0].(map[string]any)
		if m2["id"] != id || m2["version"].(float64) != 2 || again["risks"].([]any)[0].(map[string]any)["id"] != riskID {
			t.Fatalf("identity lost: %v", again)
		}
		m2["id"] = "01890000-0000-7000-8000-000000000000"
		body, _ = json.Marshal(again)
		p := decodeProblem(t, s.do(request{method: http.MethodPut, path: path, token: ref2, body: string(body)}), 422, "assessment_invalid")
		if len(p.Errors) != 1 || p.Errors[0].Field != "measures[0].id" || p.Errors[0].Code != "unknown_id" {
			t.Fatalf("errors %+v", p.Errors)
		}
	})
}

// TestOutdatedCheckThroughHTTP: the RPCT's check names the self-assessment it looked at; once the unit changes
// the self-assessment the round shows the check as outdated, counts it, and the PDF report says so.
func TestOutdatedCheckThroughHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		path := "/api/v1/cycles/2026-2028/nodes/B3.2.1.2/assessment"
		ref2, rpct := s.login("ref2"), s.login("rpct")
		rec := s.do(request{method: http.MethodPut, path: path, token: ref2, body: strings.Replace(assessmentBody, "%d", "0", 1)})
		var saved struct {
			Measures []struct {
				ID string `json:"id"`
			} `json:"measures"`
		}
		decode(t, rec, &saved)
		const rounds = "/api/v1/cycles/2026-2028/monitoring/rounds"
		s.consolidateDemo()
		if rec := s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/monitoring/plan", token: rpct,
			body: `{"frequency":"semestrale","reference_dates":["2026-06-30"],"sample_percent":50}`}); rec.Code != 200 {
			t.Fatalf("plan %d %s", rec.Code, rec.Body)
		}
		if rec := s.do(request{method: http.MethodPost, path: rounds, token: rpct, body: `{"reference_date":"2026-06-30"}`}); rec.Code != 201 {
			t.Fatalf("round %d %s", rec.Code, rec.Body)
		}
		measure := rounds + "/2026-06-30/measures/" + saved.Measures[0].ID
		for _, step := range []struct{ token, path, body string }{
			{ref2, measure, `{"status":"attuata"}`},
			{rpct, measure + "/check", `{"check_outcome":"confermato","suitability":"idonea"}`},
			{ref2, measure, `{"status":"parzialmente_attuata","reason":"Manca l'ultima fase del controllo"}`},
		} {
			if rec := s.do(request{method: http.MethodPut, path: step.path, token: step.token, body: step.body}); rec.Code != 200 {
				t.Fatalf("%s: %d %s", step.path, rec.Code, rec.Body)
			}
		}
		var view struct {
			Measures []struct {
				ID    string `json:"id"`
				Entry *struct {
					SelfVersion    int64 `json:"self_version"`
					CheckedVersion int64 `json:"checked_version"`
					CheckOutdated  bool  `json:"check_outdated"`
				} `json:"entry"`
			} `json:"measures"`
		}
		decode(t, s.get(rounds+"/2026-06-30", s.login("oiv")), &view)
		found := false
		for _, m := range view.Measures {
			if m.ID == saved.Measures[0].ID {
				found = m.Entry != nil && m.Entry.CheckOutdated && m.Entry.SelfVersion == 2 && m.Entry.CheckedVersion == 1
			}
		}
		if !found {
			t.Fatalf("round view %+v", view)
		}
		var list struct {
			Items []struct {
				OutdatedChecks int `json:"outdated_checks"`
			} `json:"items"`
		}
		decode(t, s.get(rounds, rpct), &list)
		if len(list.Items) != 1 || list.Items[0].OutdatedChecks != 1 {
			t.Fatalf("rounds %+v", list)
		}
		pdf := s.get(rounds+"/2026-06-30/report.pdf", rpct)
		if pdf.Code != 200 || !strings.Contains(pdf.Body.String(), "Verifiche superate") || !strings.Contains(pdf.Body.String(), "superata: l'autovalutazione") {
			t.Fatalf("report: %d, no outdated check in it", pdf.Code)
		}
	})
}
