package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/service"
)

// leadUnitDeleteRules returns the ON DELETE rule of node_lead_units' foreign keys, by referenced table.
func leadUnitDeleteRules(t *testing.T, db *database.DB) map[string]string {
	t.Helper()
	var rows []struct{ Parent, Rule string }
	q := `SELECT "table" AS parent, on_delete AS rule FROM pragma_foreign_key_list('node_lead_units')`
	if db.Dialect == database.Postgres {
		q = `SELECT confrelid::regclass::text AS parent,
		        CASE confdeltype WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' WHEN 'a' THEN 'NO ACTION' ELSE confdeltype::text END AS rule
		     FROM pg_constraint WHERE conrelid = 'node_lead_units'::regclass AND contype = 'f'`
	}
	if err := db.Gorm.Raw(q).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.Parent] = strings.ToUpper(r.Rule)
	}
	return out
}

// Lead-unit choices are campaign history (migration 00028): neither a node nor a cycle takes them with it in a
// cascade; the migration keeps them both ways; a replaced map clears them explicitly, one audit record each.
func TestLeadUnitsAreNeverDeletedByCascade(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		leadAD1(t, x)
		leadRows := func() int64 {
			var n int64
			if err := db.Gorm.Table("node_lead_units").Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		if got := leadUnitDeleteRules(t, db); got["process_nodes"] != "RESTRICT" || got["cycles"] != "RESTRICT" {
			t.Fatalf("ON DELETE rules of node_lead_units: %v", got)
		}
		// Rolling 00028 back restores the cascades and keeps the choice; applying it again keeps it too.
		m, err := db.NewMigrator()
		if err != nil {
			t.Fatal(err)
		}
		for {
			v, err := m.Down(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if v == 28 || v == 0 {
				break
			}
		}
		if got := leadUnitDeleteRules(t, db); got["process_nodes"] != "CASCADE" || got["cycles"] != "CASCADE" || leadRows() != 1 {
			t.Fatalf("after rolling 00028 back: rules %v, %d choices", got, leadRows())
		}
		if _, err := m.Up(ctx); err != nil {
			t.Fatal(err)
		}
		if got := leadUnitDeleteRules(t, db); got["process_nodes"] != "RESTRICT" || got["cycles"] != "RESTRICT" || leadRows() != 1 {
			t.Fatalf("after applying 00028 again: rules %v, %d choices", got, leadRows())
		}
		// A plain deletion of the node, or of the cycle, is refused while the choice exists.
		var node string
		if err := db.Gorm.Raw("SELECT node_id FROM node_lead_units").Scan(&node).Error; err != nil || node == "" {
			t.Fatalf("the choice's node: %q %v", node, err)
		}
		if err := db.Gorm.Exec("DELETE FROM process_nodes WHERE id = ?", node).Error; err == nil {
			t.Fatal("a node with a lead-unit choice was deleted")
		}
		if leadRows() != 1 {
			t.Fatal("the choice went with a refused deletion")
		}
		// A replaced map (allowed: no assessment yet) clears the choice on the record.
		changed := dbtest.SmallMap()
		changed.Nodes[3].Title = "Relazione previsionale e programmatica (rivista)"
		res, err := x.maps.Import(ctx, x.tn, "2026-2028", changed)
		if err != nil || res.Outcome != service.ImportReplaced {
			t.Fatalf("replacing the map: %+v %v", res, err)
		}
		if leadRows() != 0 {
			t.Fatal("the old map's lead-unit choice survived the replacement")
		}
		var audit []struct{ EntityID, Before, After string }
		if err := db.Gorm.Raw("SELECT entity_id, before, after FROM audit_log WHERE ente_id = ? AND entity = 'assessment' AND action = 'set_lead_unit' ORDER BY seq",
			x.tn.EnteID).Scan(&audit).Error; err != nil {
			t.Fatal(err)
		}
		if len(audit) != 2 || audit[1].EntityID != "2026-2028/A1.1.1.1" || !strings.Contains(audit[1].Before, `"lead_unit":"AD1"`) ||
			!strings.Contains(audit[1].After, "process_map_replaced") {
			t.Fatalf("audit of the cleared choice: %+v", audit)
		}
		leaves, err := x.reg.Leaves(ctx, x.rpct, "2026-2028", service.LeavesQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if l := leafByCode(t, leaves, "A1.1.1.1"); l.LeadUnit != "SG" || l.LeadUnitChosen {
			t.Fatalf("the leaf after the replacement leads with %q (chosen %v), want the map's first unit", l.LeadUnit, l.LeadUnitChosen)
		}
	})
}
