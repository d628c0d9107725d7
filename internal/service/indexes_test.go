package service_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// indexMap is a map of n actions spread over 30 units and 30 risk areas (one of each per action), as a large
// body's map is: each unit owns a few dozen leaves.
func indexMap(n int) *domain.ProcessMap {
	m := &domain.ProcessMap{StrategicObjectives: []domain.RefItem{{Code: "OS1", Title: "Obiettivo"}}}
	for u := 1; u <= 30; u++ {
		m.Units = append(m.Units, domain.RefItem{Code: fmt.Sprintf("U%02d", u), Title: fmt.Sprintf("Ufficio %d", u)})
	}
	for a := 1; a <= 30; a++ {
		m.RiskAreas = append(m.RiskAreas, domain.RefItem{Code: fmt.Sprintf("R%02d", a), Title: "Area"})
	}
	l := func(s ...string) []string { return append([]string{}, s...) }
	m.Nodes = append(m.Nodes,
		domain.MapNode{Level: domain.LevelMacro, Code: "X1", Title: "Macro", Function: "F", Units: l(), StrategicObjectives: l(), RiskAreas: l()},
		domain.MapNode{Level: domain.LevelProcess, Code: "X1.1", ParentCode: "X1", Title: "Processo", Function: "F", Units: l("U01"), StrategicObjectives: l(), RiskAreas: l("R01")},
		domain.MapNode{Level: domain.LevelSubprocess, Code: "X1.1.1", ParentCode: "X1.1", Title: "Sotto-processo", Function: "F", Units: l("U01"), StrategicObjectives: l(), RiskAreas: l("R01")})
	for i := 1; i <= n; i++ {
		m.Nodes = append(m.Nodes, domain.MapNode{Level: domain.LevelAction, Code: fmt.Sprintf("X1.1.1.%d", i), ParentCode: "X1.1.1",
			Title: "Azione", Function: "F", Units: l(fmt.Sprintf("U%02d", i%30+1)), StrategicObjectives: l(), RiskAreas: l(fmt.Sprintf("R%02d", i%30+1))})
	}
	return m
}

// TestFilterIndexes checks on PostgreSQL, at the size of a large body (1,500 leaves, 3,000 risks, 3,000
// measures, a trail of 40,000 records beside nine other entes of the same size) and after ANALYZE, that the plan of the
// register's query uses an index for each of its filters, and so does the audit browser's for each of its
// filters, without reading the whole of the register's or the trail's tables (no sequential scan of them).
func TestFilterIndexes(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	f := newFixture(db)
	tn := f.tenant(t, "ente-indexes")
	other := f.tenant(t, "ente-other")
	f.mustImport(t, tn, "2026-2028", indexMap(1500))
	f.mustImport(t, other, "2026-2028", indexMap(1500))
	exec := func(sql string, args ...any) {
		t.Helper()
		if err := db.Gorm.Exec(sql, args...).Error; err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
	}
	for _, e := range []string{tn.EnteID, other.EnteID} {
		// Every leaf assessed: one in fifty submitted, two risks each, levels and cells spread as a register's are.
		exec(`INSERT INTO assessments (id, ente_id, cycle_id, node_id, state, level, level_rank, version, created_at, updated_at, updated_by)
			SELECT gen_random_uuid(), ente_id, cycle_id, id, CASE WHEN position % 50 = 0 THEN 'submitted' ELSE 'draft' END,
				'basso', 1, 1, now(), now(), 'x' FROM process_nodes WHERE ente_id = ? AND is_leaf`, e)
		exec(`INSERT INTO risk_entries (id, ente_id, cycle_id, assessment_id, position, event_code, event_description, context,
				enabling_factors, inherent, inherent_level, inherent_rank, inherent_cell_l, inherent_cell_i, decision, priority,
				residual, residual_level, residual_rank, residual_cell_l, residual_cell_i)
			SELECT gen_random_uuid(), a.ente_id, a.cycle_id, a.id, k, 'ER-D-01', 'Evento ' || n.code || '/' || k, '', '', '{}',
				CASE WHEN n.position % 40 = 0 THEN 'alto' WHEN n.position % 3 = 0 THEN 'medio' ELSE 'basso' END,
				1, n.position % 5 + 1, (n.position / 5) % 5 + 1, 'treat_new_measures', 0,
				'{}', 'basso', 1, (n.position + k) % 5 + 1, (n.position / 7) % 5 + 1
			FROM assessments a JOIN process_nodes n ON n.id = a.node_id, generate_series(0, 1) k WHERE a.ente_id = ?`, e)
		exec(`INSERT INTO measures (id, ente_id, cycle_id, assessment_id, position, nature, general_code, measure_type, title,
				description, unit_code, owner, start_date, end_date, phases, indicators, strategic_objective, status)
			SELECT gen_random_uuid(), a.ente_id, a.cycle_id, a.id, k, 'specific', '', CASE WHEN n.position % 60 = 0 THEN 'T09' ELSE 'T01' END,
				'Misura', '', '', '', '', '', '[]', '[]', '', CASE WHEN n.position % 70 = 0 THEN 'dropped' ELSE 'new' END
			FROM assessments a JOIN process_nodes n ON n.id = a.node_id, generate_series(0, 1) k WHERE a.ente_id = ?`, e)
		exec(`INSERT INTO measure_risks (measure_id, risk_entry_id, ente_id)
			SELECT m.id, r.id, m.ente_id FROM measures m JOIN risk_entries r ON r.assessment_id = m.assessment_id AND r.position = m.position
			WHERE m.ente_id = ?`, e)
		// The trail: saves of every leaf, sign-ins, a few users, over two years.
		exec(`INSERT INTO audit_log (ente_id, seq, at, actor_id, actor_name, client_addr, request_id, entity, entity_id, action,
				before, after, prev_hash, hash)
			SELECT ?, 1000000 + s, to_char(timestamp '2025-01-01' + s * interval '25 minutes', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'user-' || (s % 40),
				'user', '', '', CASE WHEN s % 3 = 0 THEN 'session' WHEN s % 97 = 0 THEN 'cycle' ELSE 'assessment' END,
				CASE WHEN s % 3 = 0 THEN 'user-' || (s % 40) ELSE '2026-2028/X1.1.1.' || (s % 1500 + 1) END,
				CASE WHEN s % 3 = 0 THEN 'login' WHEN s % 50 = 0 THEN 'submit' ELSE 'save' END, '', '', '', md5(s::text)
			FROM generate_series(1, 40000) s`, e)
	}
	// Eight more entes like the other one (cloneEnte: in SQL), so that the ente read is a tenth of each table
	// as on a server of many bodies: with two, half of process_nodes is the ente's, and once the planner knows
	// that a cycle belongs to one ente (migration 00038) reading the whole small table is a fair plan.
	if err := cloneEnte(ctx, db, "ente-other", 8); err != nil {
		t.Fatal(err)
	}
	// A few leaves carry a DM 7 March 2019 marker (one in a hundred), as a few processes of a real map do.
	exec(`UPDATE process_nodes SET marker = '*' WHERE is_leaf AND position % 100 = 0`)
	// A word a few events and leaf titles use, as a search looks for (the synthetic texts are all alike).
	exec(`UPDATE risk_entries SET event_description = 'Frazionamento artificioso dell''affidamento, ' || event_description
		WHERE position = 0 AND assessment_id IN (SELECT a.id FROM assessments a JOIN process_nodes n ON n.id = a.node_id WHERE n.position % 100 = 7)`)
	exec(`UPDATE process_nodes SET search_text = search_text || ' frazionamento' WHERE is_leaf AND position % 150 = 11`)
	exec("ANALYZE")
	cycle, err := f.store.CycleByCode(ctx, tn.EnteID, "2026-2028")
	if err != nil {
		t.Fatal(err)
	}
	// Each filter is served by its index, and the register's largest table is never read whole. (With two
	// entes of 1,500 leaves the planner may still hash a small table such as assessments, which is cheaper at
	// that size; what matters is that the filtered rows are found through the index.)
	seqRisks := regexp.MustCompile(`Seq Scan on risk_entries\b`)
	c := store.Cell{3, 2}
	for name, want := range map[string]struct {
		f     store.RegisterFilter
		index string
	}{
		"unit":           {store.RegisterFilter{Unit: "U07"}, "process_node_units_unit"},
		"risk_area":      {store.RegisterFilter{RiskArea: "R07"}, "process_node_risk_areas_area"},
		"level":          {store.RegisterFilter{Level: "alto"}, "risk_entries_level"},
		"state":          {store.RegisterFilter{State: "submitted"}, "assessments_state"},
		"measure_type":   {store.RegisterFilter{MeasureType: "T09"}, "measures_ente_cycle"},
		"measure_status": {store.RegisterFilter{MeasureStatus: "dropped"}, "measures_status"},
		"inherent_cell":  {store.RegisterFilter{InherentCell: &c}, "risk_entries_inherent_cell"},
		"residual_cell":  {store.RegisterFilter{ResidualCell: &c}, "risk_entries_residual_cell"},
		"marker":         {store.RegisterFilter{Marker: "*"}, "process_nodes_marker"},
		// The text search (a substring match) is bounded by the scope's index: the cycle's risks of the ente,
		// never the whole table (see migration 00036 on trigram indexes); the matches are found first.
		"q": {store.RegisterFilter{Text: "frazionamento"}, "risk_entries_ente_cycle"},
	} {
		plan, err := f.store.ExplainRegister(ctx, tn.EnteID, cycle.ID, want.f)
		if err != nil {
			t.Fatal(err)
		}
		uses := strings.Contains(plan, " using "+want.index+" ") || strings.Contains(plan, " on "+want.index+" ")
		if name == "unit" || name == "risk_area" {
			// Among ten entes, knowing that a cycle belongs to one ente (migration 00038), the planner may as well
			// read the ente's cycle's links (about 1,500) through their (ente_id, cycle_id) index and keep those of
			// the unit or area: bounded to the ente's cycle either way.
			table := strings.TrimSuffix(strings.TrimSuffix(want.index, "_unit"), "_area")
			uses = uses || strings.Contains(plan, " on "+table+"_ente_cycle ") || strings.Contains(plan, " using "+table+"_ente_cycle ")
		}
		if name == "q" {
			// Any of the indexes that lead with (ente_id, cycle_id) bounds the search to the cycle's risks; which
			// one the planner takes varies with the sampled statistics.
			uses = regexp.MustCompile(`Scan (using|on) risk_entries_(ente_cycle|level|inherent_cell|residual_cell)\b`).MatchString(plan)
		}
		if !uses || seqRisks.MatchString(plan) {
			t.Errorf("register %s: the plan does not use %s, or reads the whole of risk_entries:\n%s", name, want.index, plan)
		}
		if name == "marker" && regexp.MustCompile(`Seq Scan on process_nodes\b`).MatchString(plan) {
			t.Errorf("register marker: the plan reads the whole map (every ente's nodes):\n%s", plan)
		}
		if name == "q" && (regexp.MustCompile(`Seq Scan on process_nodes\b`).MatchString(plan) || !strings.Contains(plan, "Semi Join") && !strings.Contains(plan, "HashAggregate")) {
			t.Errorf("register q: the plan reads the whole map, or does not find the matching risks first:\n%s", plan)
		}
		if testing.Verbose() {
			t.Logf("register %s:\n%s", name, strings.TrimSpace(plan))
		}
	}
	full := regexp.MustCompile(`Seq Scan on audit_log\b`)
	indexed := regexp.MustCompile(`Index( Only)? Scan|Bitmap Index Scan`)
	check := func(name, plan string) {
		t.Helper()
		if m := full.FindString(plan); m != "" || !indexed.MatchString(plan) {
			t.Errorf("%s: the plan reads the whole trail or uses no index:\n%s", name, plan)
		}
	}
	for name, flt := range map[string]store.AuditFilter{
		"entity":    {Entity: "cycle"},
		"entity_id": {EntityID: "2026-2028/X1.1.1.77"},
		"actor":     {ActorID: "user-7"},
		"action":    {Action: "submit"},
		"from-to":   {From: "2025-03-01", To: "2025-03-02"},
		"after_seq": {AfterSeq: 1039990},
		"leaf":      {Leaf: "X1.1.1.77"},
	} {
		plan, err := f.store.ExplainAudit(ctx, tn.EnteID, flt)
		if err != nil {
			t.Fatal(err)
		}
		check("audit "+name, plan)
		if name == "leaf" && !strings.Contains(plan, "audit_log_leaf") {
			t.Errorf("audit leaf: the plan does not use audit_log_leaf:\n%s", plan)
		}
		if testing.Verbose() {
			t.Logf("audit %s:\n%s", name, strings.TrimSpace(plan))
		}
	}
}
