package store

import (
	"context"
	"reflect"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
)

// TestAttachListsInOneStatement checks that the node lists read in one statement (the UNION ALL of the link
// tables and the missing parents) are those read one table at a time, which lists of more than
// attachListsInOneStatement nodes still use: same codes, same order, same parent codes, for the whole cycle and
// for some nodes loaded without their parents, and that another ente's or cycle's links are not read.
func TestAttachListsInOneStatement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx, s := context.Background(), New(db)
		m := &domain.ProcessMap{
			Units:               []domain.RefItem{{Code: "U1", Title: "Uno"}, {Code: "U2", Title: "Due"}, {Code: "U3", Title: "Tre"}},
			StrategicObjectives: []domain.RefItem{{Code: "O1", Title: "Obiettivo"}, {Code: "O2", Title: "Altro"}},
			RiskAreas:           []domain.RefItem{{Code: "A", Title: "Area A"}, {Code: "B", Title: "Area B"}},
			Nodes: []domain.MapNode{
				{Level: domain.LevelMacro, Code: "M1", Title: "Macro", Units: []string{"U2", "U1"}},
				{Level: domain.LevelProcess, Code: "M1.1", ParentCode: "M1", Title: "Processo", Units: []string{"U3"}, RiskAreas: []string{"B"}},
				{Level: domain.LevelSubprocess, Code: "M1.1.1", ParentCode: "M1.1", Title: "Sotto", Units: []string{"U1"}},
				{Level: domain.LevelAction, Code: "M1.1.1.1", ParentCode: "M1.1.1", Title: "Azione uno",
					Units: []string{"U3", "U1", "U2"}, StrategicObjectives: []string{"O2", "O1"}, RiskAreas: []string{"B", "A"}},
				{Level: domain.LevelAction, Code: "M1.1.1.2", ParentCode: "M1.1.1", Title: "Azione due", Units: []string{"U2"}},
			},
		}
		var cycleID string
		for _, code := range []string{"ente-a", "ente-b"} {
			e, err := s.CreateEnte(ctx, code, code)
			if err != nil {
				t.Fatal(err)
			}
			for _, cy := range []string{"2026-2028", "2027-2029"} {
				if err := s.EnsureCycle(ctx, e.ID, cy, 2026, 2028); err != nil {
					t.Fatal(err)
				}
				c, err := s.CycleByCode(ctx, e.ID, cy)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.InsertMap(ctx, e.ID, c.ID, m); err != nil {
					t.Fatal(err)
				}
				if code == "ente-a" && cy == "2026-2028" {
					cycleID = c.ID
				}
			}
		}
		var enteID string
		if err := db.Gorm.Raw("SELECT ente_id FROM cycles WHERE id = ?", cycleID).Scan(&enteID).Error; err != nil {
			t.Fatal(err)
		}
		load := func(onlyThese bool, codes ...string) []domain.Node {
			q := s.q(ctx).Table("process_nodes").Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Order("position")
			if len(codes) > 0 {
				q = q.Where("code IN ?", codes)
			}
			rows, err := scanNodes(q)
			if err != nil {
				t.Fatal(err)
			}
			return toNodes(rows)
		}
		for _, c := range []struct {
			name      string
			onlyThese bool
			codes     []string
		}{{"whole cycle", false, nil}, {"some nodes", true, []string{"M1.1", "M1.1.1.1", "M1.1.1.2"}}, {"one node", true, []string{"M1.1.1.1"}}} {
			one, perTable := load(c.onlyThese, c.codes...), load(c.onlyThese, c.codes...)
			if err := s.attachLists(ctx, enteID, cycleID, one, c.onlyThese); err != nil {
				t.Fatal(err)
			}
			if err := s.attachListsPerTable(ctx, enteID, cycleID, perTable, c.onlyThese); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(one, perTable) {
				t.Errorf("%s: one statement read\n%+v\none per table\n%+v", c.name, one, perTable)
			}
			for _, n := range one {
				if n.Code == "M1.1.1.1" {
					want := domain.MapNode{Units: []string{"U3", "U1", "U2"}, StrategicObjectives: []string{"O2", "O1"}, RiskAreas: []string{"B", "A"}}
					if n.ParentCode != "M1.1.1" || !reflect.DeepEqual(n.Units, want.Units) ||
						!reflect.DeepEqual(n.StrategicObjectives, want.StrategicObjectives) || !reflect.DeepEqual(n.RiskAreas, want.RiskAreas) {
						t.Errorf("%s: M1.1.1.1 read as parent %q, units %v, objectives %v, areas %v", c.name, n.ParentCode,
							n.Units, n.StrategicObjectives, n.RiskAreas)
					}
				}
			}
		}
	})
}
