package export

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/domain"
)

// The monitoring column carries each measure's latest outcome; a filtered source keeps only the risks asked
// for and the measures they use.
func TestRegisterMonitoringColumnAndFilter(t *testing.T) {
	p := domain.PNA2019Qualitative()
	a := &domain.Assessment{State: domain.StateDraft,
		Risks: []domain.RiskEntry{{ID: "r1", EventDescription: "Primo evento", Measures: []string{"m1"}},
			{ID: "r2", EventDescription: "Secondo evento", Measures: []string{"m2"}}},
		Measures: []domain.Measure{{ID: "m1", Key: "m1", Title: "Prima misura"}, {ID: "m2", Key: "m2", Title: "Seconda misura"}}}
	meta := Meta{Ente: "e", Cycle: "2026-2028", Methodology: p, MeasureMonitoring: map[string]string{"m1": "attuata (rilevazione al 30/06/2026)"}}
	nodes := []domain.MapNode{{Level: domain.LevelMacro, Code: "A1", Title: "Macro"}, {Level: domain.LevelAction, Code: "A1.1", ParentCode: "A1", Title: "Azione", RiskAreas: []string{"B"}}}
	src := Filtered(LeavesFromMap(meta, nodes, map[string]*domain.Assessment{"A1.1": a}), func(id string) bool { return id == "r1" })
	var b bytes.Buffer
	if err := WriteXLSX(&b, src); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(RegisterSheet)
	idx := map[string]int{}
	for i, c := range RegisterLayout(p) {
		idx[c.Key] = i
	}
	if len(rows) != 3 || rows[2][idx[ColEvent]] != "Primo evento" || rows[2][idx[ColMeasure]] != "Prima misura" ||
		rows[2][idx[ColMonitoring]] != "attuata (rilevazione al 30/06/2026)" || rows[2][idx[ColMacro]] != "A1 Macro" {
		t.Fatalf("rows %q", rows)
	}
	if legend, _ := f.GetRows(LegendSheet); len(legend) < 10 {
		t.Fatalf("legend %q", legend)
	}
}
