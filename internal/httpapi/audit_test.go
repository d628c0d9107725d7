package httpapi_test

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

func TestAuditThroughHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		oiv := s.login("oiv")
		// The demo set-up itself is on the trail: the ente, the map, the catalogue, the users, the assessments.
		var page struct {
			Total int `json:"total"`
			Items []struct {
				Seq       int64  `json:"seq"`
				Entity    string `json:"entity"`
				Action    string `json:"action"`
				ActorName string `json:"actor_name"`
				RequestID string `json:"request_id"`
			} `json:"items"`
		}
		decode(t, s.get("/api/v1/audit?entity=session&action=login", oiv), &page)
		if page.Total < 1 || page.Items[0].RequestID == "" {
			t.Fatalf("the sign-in is not on the trail with its request id: %+v", page)
		}
		var v struct {
			Valid   bool  `json:"valid"`
			Records int64 `json:"records"`
		}
		decode(t, s.get("/api/v1/audit/verify", s.login("rpct")), &v)
		if !v.Valid || v.Records < 50 {
			t.Fatalf("verify %+v", v)
		}
		rec := s.get("/api/v1/audit/export?format=csv&entity=user", oiv)
		rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
		if err != nil || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" || rows[0][0] != "seq" || len(rows) < 8 {
			t.Fatalf("csv export: %v %d rows %q", err, len(rows), rec.Header().Get("Content-Type"))
		}
		rec = s.get("/api/v1/audit/export?format=json", oiv)
		sc := bufio.NewScanner(strings.NewReader(rec.Body.String()))
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		var n int64
		var prev int64
		for sc.Scan() {
			var r struct {
				Seq int64 `json:"seq"`
			}
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.Seq != prev+1 {
				t.Fatalf("json line %d: %v seq %d", n, err, r.Seq)
			}
			prev = r.Seq
			n++
		}
		if n < v.Records { // later sign-ins may have added records since the verification
			t.Fatalf("json export has %d records, the chain %d", n, v.Records)
		}
		decodeProblem(t, s.get("/api/v1/audit/export?format=xml", oiv), 422, "format_invalid")
	})
}
