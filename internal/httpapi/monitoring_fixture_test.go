package httpapi_test

import (
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// consolidateDemo approves every assessment of the demo cycle and consolidates it behind the services' back:
// only the measures of approved assessments of a consolidated (or adopted) cycle are monitored, and the demo
// cycle is an open campaign. The lifecycle itself is tested in the service and lifecycle tests.
func (s *server) consolidateDemo() {
	s.t.Helper()
	for _, q := range []string{
		"UPDATE assessments SET state = 'approved' WHERE cycle_id IN (SELECT id FROM cycles WHERE code = '2026-2028')",
		"UPDATE cycles SET state = 'consolidated' WHERE code = '2026-2028'",
	} {
		if err := s.db.Gorm.Exec(q).Error; err != nil {
			s.t.Fatal(err)
		}
	}
}

// TestMeasureMonitoringThroughHTTP: a measure's monitoring page over HTTP — 404 while the campaign is open (its
// assessment is a proposal), then the measure as planned with its unit's name and an empty history.
func TestMeasureMonitoringThroughHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		oiv := s.login("oiv")
		var a struct {
			Measures []struct{ ID, Title string } `json:"measures"`
		}
		decode(t, s.get("/api/v1/cycles/2026-2028/nodes/C1.1.1.1/assessment", s.login("dir2")), &a)
		path := "/api/v1/cycles/2026-2028/monitoring/measures/" + a.Measures[0].ID
		decodeProblem(t, s.get(path, oiv), 404, "measure_not_found")
		s.consolidateDemo()
		var page struct {
			Measure struct {
				Title  string `json:"title"`
				Phases []any  `json:"phases"`
			} `json:"measure"`
			UnitTitle string `json:"unit_title"`
			Monitored bool   `json:"monitored"`
			Rounds    []any  `json:"rounds"`
		}
		rec := s.get(path, oiv)
		decode(t, rec, &page)
		if rec.Code != 200 || page.Measure.Title != a.Measures[0].Title || !page.Monitored || page.Rounds == nil || page.UnitTitle == "" {
			t.Fatalf("measure page %d %s", rec.Code, rec.Body)
		}
	})
}
