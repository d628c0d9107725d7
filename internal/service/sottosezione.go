package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// Sottosezione keeps the parts of PIAO sottosezione 2.3 beside the register: the context analysis, the
// strategic objectives, the consultation, the riesame and ANAC's self-check (one versioned document each per
// cycle), the process descriptions on process and sub-process nodes, and the ente's simplified regime. Every
// register reader reads them; the RPCT writes them.
type Sottosezione struct {
	store *store.Store
	authz *authz.Authorizer
	maps  *ProcessMaps
}

// NewSottosezione builds the service.
func NewSottosezione(s *store.Store, az *authz.Authorizer, maps *ProcessMaps) *Sottosezione {
	return &Sottosezione{store: s, authz: az, maps: maps}
}

func (s *Sottosezione) canRead(actor domain.Actor) error {
	if !s.authz.Can(actor, authz.ObjAssessment, authz.ActRead) {
		return domain.Forbidden("forbidden", "your role does not allow reading the sottosezione")
	}
	return nil
}

func (s *Sottosezione) canWrite(actor domain.Actor) error {
	if !s.authz.Can(actor, authz.ObjCycle, authz.ActManage) {
		return domain.Forbidden("forbidden", "only the RPCT edits the sottosezione")
	}
	return nil
}

// frozenOnAdoption are the parts that make up the plan the Giunta adopts: they no longer change once adopted
// (a revision changes them). Objectives (their yearly results), the riesame and the self-check go on.
var frozenOnAdoption = map[domain.PartKind]bool{domain.PartContext: true, domain.PartConsultation: true}

func adopted(c *domain.Cycle) bool {
	return c.State == domain.CycleAdopted || c.State == domain.CyclePublished
}

// PartView is a part as read: its content, its version, and what Argine computes for it.
type PartView struct {
	Kind       domain.PartKind `json:"kind"`
	Cycle      string          `json:"cycle"`
	Version    int64           `json:"version"`
	UpdatedAt  *time.Time      `json:"updated_at"`
	Simplified bool            `json:"simplified"`
	Content    any             `json:"content"`
	Computed   any             `json:"computed"`
}

// PartInput is a write of a part: the version read (0 for the first write) and the whole new content.
type PartInput struct {
	Version int64           `json:"version"`
	Content json.RawMessage `json:"content"`
}

// emptyPart is the content of a part never written.
func emptyPart(kind domain.PartKind) any {
	switch kind {
	case domain.PartContext:
		return &domain.ContextAnalysis{External: domain.ContextScope{Items: []domain.ContextItem{}}, Internal: domain.ContextScope{Items: []domain.ContextItem{}}}
	case domain.PartObjectives:
		return &domain.Objectives{Objectives: []domain.StrategicObjective{}}
	case domain.PartRiesame:
		return &domain.Riesame{}
	case domain.PartConsultation:
		return &domain.Consultation{Contributions: []domain.Contribution{}}
	case domain.PartSelfCheck:
		sc := domain.DefaultSelfCheck()
		return &sc
	}
	return nil
}

func validKind(kind domain.PartKind) error {
	for _, k := range domain.PartKinds {
		if k == kind {
			return nil
		}
	}
	return domain.NotFound("part_not_found", "no part %q in the sottosezione", kind)
}

func decodePart(kind domain.PartKind, raw string) (any, error) {
	v := emptyPart(kind)
	if raw == "" {
		return v, nil
	}
	return v, json.Unmarshal([]byte(raw), v)
}

// Part reads a part of a cycle with its computed figures.
func (s *Sottosezione) Part(ctx context.Context, actor domain.Actor, cycleCode string, kind domain.PartKind) (*PartView, error) {
	if err := s.canRead(actor); err != nil {
		return nil, err
	}
	if err := validKind(kind); err != nil {
		return nil, err
	}
	cycle, err := s.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, actor, cycle, kind)
}

func (s *Sottosezione) view(ctx context.Context, actor domain.Actor, cycle *domain.Cycle, kind domain.PartKind) (*PartView, error) {
	p, err := s.store.SottosezionePart(ctx, actor.EnteID, cycle.ID, kind)
	if err != nil {
		return nil, err
	}
	content, err := decodePart(kind, p.Content)
	if err != nil {
		return nil, err
	}
	settings, err := s.store.SottosezioneSettings(ctx, actor.EnteID)
	if err != nil {
		return nil, err
	}
	out := &PartView{Kind: kind, Cycle: cycle.Code, Version: p.Version, UpdatedAt: p.UpdatedAt, Simplified: settings.Simplified, Content: content}
	out.Computed, err = s.compute(ctx, actor, cycle, kind, content, settings)
	return out, err
}

// SavePart replaces a part at the version read.
func (s *Sottosezione) SavePart(ctx context.Context, actor domain.Actor, cycleCode string, kind domain.PartKind, in PartInput) (*PartView, error) {
	if err := s.canWrite(actor); err != nil {
		return nil, err
	}
	if err := validKind(kind); err != nil {
		return nil, err
	}
	cycle, err := s.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	content, err := s.validate(ctx, actor, cycle, kind, in.Content)
	if err != nil {
		return nil, err
	}
	if frozenOnAdoption[kind] && adopted(cycle) {
		return nil, domain.Conflict("cycle_adopted", "cycle %s is %s: this part is frozen in its snapshot (open a revision to change it)", cycle.Code, cycle.State)
	}
	raw, err := json.Marshal(content)
	if err != nil {
		return nil, err
	}
	err = s.store.WithTx(ctx, func(tx *store.Store) error {
		before, err := tx.SottosezionePart(ctx, actor.EnteID, cycle.ID, kind)
		if err != nil {
			return err
		}
		if _, err := tx.SetSottosezionePart(ctx, actor.EnteID, cycle.ID, kind, string(raw), in.Version, actor.UserID); err != nil {
			return err
		}
		var prev any
		if before.Version > 0 {
			prev = json.RawMessage(before.Content)
		}
		return recordPart(ctx, tx, actor, kind, cycle.Code, prev, json.RawMessage(raw))
	})
	if err != nil {
		return nil, err
	}
	return s.view(ctx, actor, cycle, kind)
}

// recordPart audits a part's change; each entity is spelt out so the audit screen's names can be checked
// against the calls (frontend auditCodes.test.ts).
func recordPart(ctx context.Context, tx *store.Store, actor domain.Actor, kind domain.PartKind, id string, before, after any) error {
	switch kind {
	case domain.PartContext:
		return record(ctx, tx, actor, "sottosezione_context", id, "update", before, after)
	case domain.PartObjectives:
		return record(ctx, tx, actor, "sottosezione_objectives", id, "update", before, after)
	case domain.PartConsultation:
		return record(ctx, tx, actor, "sottosezione_consultation", id, "update", before, after)
	case domain.PartRiesame:
		return record(ctx, tx, actor, "sottosezione_riesame", id, "update", before, after)
	case domain.PartSelfCheck:
		return record(ctx, tx, actor, "sottosezione_self_check", id, "update", before, after)
	}
	return fmt.Errorf("service: no audit entity for part %q", kind)
}

// validate decodes a part strictly (an unknown field is an error, not silently lost) and checks it.
func (s *Sottosezione) validate(ctx context.Context, actor domain.Actor, cycle *domain.Cycle, kind domain.PartKind, raw json.RawMessage) (any, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil, &domain.ValidationError{Code: "content_required", Problems: []domain.FieldError{{Field: "content", Code: "required", Message: "the part's content is required"}}}
	}
	v := emptyPart(kind)
	if sc, ok := v.(*domain.SelfCheck); ok {
		sc.Questions = nil // the client sends the whole list
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil || dec.Decode(new(any)) != io.EOF {
		msg := "the content does not match the part's structure"
		if err != nil {
			msg += ": " + err.Error()
		}
		return nil, &domain.ValidationError{Code: "content_invalid", Problems: []domain.FieldError{{Field: "content", Code: "malformed", Message: msg}}}
	}
	m, err := s.maps.Export(ctx, Tenant{EnteID: actor.EnteID, EnteCode: actor.EnteCode}, cycle.Code)
	if err != nil {
		return nil, err
	}
	settings, err := s.store.SottosezioneSettings(ctx, actor.EnteID)
	if err != nil {
		return nil, err
	}
	var verr error
	switch c := v.(type) {
	case *domain.ContextAnalysis:
		verr = c.Validate(codes(m.Units))
	case *domain.Objectives:
		verr = c.Validate(codes(m.StrategicObjectives))
	case *domain.Riesame:
		verr = c.Validate(settings.Simplified)
	case *domain.Consultation:
		verr = c.Validate()
	case *domain.SelfCheck:
		verr = c.Validate()
	}
	return prefixed("content.", verr, v)
}

// prefixed names a validation problem's field from the request body's root.
func prefixed(prefix string, err error, v any) (any, error) {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		for i := range ve.Problems {
			ve.Problems[i].Field = prefix + ve.Problems[i].Field
		}
		return nil, ve
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}

func codes(items []domain.RefItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Code
	}
	return out
}

// ---- computed figures ---------------------------------------------------------------------------------------

// MapCoverage is the map's coverage, computed for the internal context.
type MapCoverage struct {
	Processes              int      `json:"processes"`
	Subprocesses           int      `json:"subprocesses"`
	Leaves                 int      `json:"leaves"`
	AssessedLeaves         int      `json:"assessed_leaves"`
	ExcludedLeaves         int      `json:"excluded_leaves"`
	Marked                 int      `json:"marked"` // processes and sub-processes with a "*" or "**" marker
	Described              int      `json:"described"`
	ProcessesWithoutUnit   []string `json:"processes_without_unit"`
	ProcessesWithoutArea   []string `json:"processes_without_area"`
	ProcessesUndescribed   int      `json:"processes_undescribed"`
	AssessedPercent        float64  `json:"assessed_percent"`
	RiskAreasCovered       []string `json:"risk_areas_covered"`
	RiskAreasWithoutLeaves []string `json:"risk_areas_without_leaves"`
}

func (s *Sottosezione) coverage(ctx context.Context, actor domain.Actor, cycle *domain.Cycle) (*MapCoverage, error) {
	m, err := s.maps.Export(ctx, Tenant{EnteID: actor.EnteID, EnteCode: actor.EnteCode}, cycle.Code)
	if err != nil {
		return nil, err
	}
	descs, err := s.store.ProcessDescriptions(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	described := map[string]bool{}
	for _, d := range descs {
		described[d.Node] = !d.Empty()
	}
	assessed, err := s.store.AssessedLeaves(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	excluded, err := s.store.Exclusions(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	out := &MapCoverage{AssessedLeaves: len(assessed), ExcludedLeaves: len(excluded), ProcessesWithoutUnit: []string{},
		ProcessesWithoutArea: []string{}, RiskAreasCovered: []string{}, RiskAreasWithoutLeaves: []string{}}
	leaves := m.Leaves()
	areaSeen := map[string]bool{}
	for _, n := range m.Nodes {
		switch n.Level {
		case domain.LevelProcess:
			out.Processes++
			if len(n.Units) == 0 {
				out.ProcessesWithoutUnit = append(out.ProcessesWithoutUnit, n.Code)
			}
			if len(n.RiskAreas) == 0 {
				out.ProcessesWithoutArea = append(out.ProcessesWithoutArea, n.Code)
			}
			if !described[n.Code] {
				out.ProcessesUndescribed++
			}
		case domain.LevelSubprocess:
			out.Subprocesses++
		}
		if n.Marker != domain.MarkerNone {
			out.Marked++
		}
		if described[n.Code] {
			out.Described++
		}
		if leaves[n.Code] {
			out.Leaves++
			for _, a := range n.RiskAreas {
				areaSeen[a] = true
			}
		}
	}
	for _, a := range m.RiskAreas {
		if areaSeen[a.Code] {
			out.RiskAreasCovered = append(out.RiskAreasCovered, a.Code)
		} else {
			out.RiskAreasWithoutLeaves = append(out.RiskAreasWithoutLeaves, a.Code)
		}
	}
	if out.Leaves > 0 {
		out.AssessedPercent = float64(int(float64(out.AssessedLeaves)*1000/float64(out.Leaves))) / 10
	}
	return out, nil
}

// RiesamePrefill is what monitoring says, to start the riesame from.
type RiesamePrefill struct {
	// Cycle and Round are the cycle and reference date of the latest closed round ("" if none): the cycle's own,
	// or, before its first closes, the previous cycle's, whose year the riesame reviews.
	Cycle          string         `json:"cycle"`
	Round          string         `json:"round"`
	Measures       int            `json:"measures"`
	ByStatus       map[string]int `json:"by_status"`
	NotConfirmed   int            `json:"not_confirmed"` // self-assessments the RPCT did not confirm
	NotSuitable    []string       `json:"not_suitable"`  // measures judged not (or partly) suitable
	NotImplemented []string       `json:"not_implemented"`
	Worked         string         `json:"worked"`     // suggested text
	NotWorked      string         `json:"not_worked"` // suggested text
}

func (s *Sottosezione) riesamePrefill(ctx context.Context, actor domain.Actor, cycle *domain.Cycle) (*RiesamePrefill, error) {
	out := &RiesamePrefill{ByStatus: map[string]int{}, NotSuitable: []string{}, NotImplemented: []string{}}
	round, err := s.store.LatestClosedRound(ctx, actor.EnteID, cycle.ID)
	if errors.Is(err, domain.ErrNotFound) {
		// The riesame written at the start of a cycle reviews the year before, monitored on the previous cycle.
		prev, perr := previousCycle(ctx, s.store, actor.EnteID, cycle)
		if perr != nil {
			return nil, perr
		}
		if prev != nil {
			cycle = prev
			round, err = s.store.LatestClosedRound(ctx, actor.EnteID, prev.ID)
		}
	}
	if errors.Is(err, domain.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	out.Cycle = cycle.Code
	measures, err := s.store.CycleMeasures(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	title := map[string]string{}
	for _, m := range measures {
		title[m.ID] = m.Leaf + " – " + m.Title
	}
	entries, err := s.store.MonitoringEntries(ctx, actor.EnteID, round.ID)
	if err != nil {
		return nil, err
	}
	out.Round, out.Measures = round.ReferenceDate, len(entries)
	done := 0
	for _, e := range entries {
		out.ByStatus[string(e.Status)]++
		switch string(e.Status) {
		case "attuata":
			done++
		case "non_attuata", "in_ritardo", "parzialmente_attuata":
			out.NotImplemented = append(out.NotImplemented, title[e.MeasureID])
		}
		if e.CheckOutcome != "" && e.CheckOutcome != "confermato" {
			out.NotConfirmed++
		}
		if e.Suitability == "non_idonea" || e.Suitability == "parzialmente_idonea" {
			out.NotSuitable = append(out.NotSuitable, title[e.MeasureID])
		}
	}
	out.Worked = fmt.Sprintf("Nel monitoraggio al %s risultano attuate %d misure su %d.", round.ReferenceDate, done, len(entries))
	var nw []string
	if len(out.NotImplemented) > 0 {
		nw = append(nw, fmt.Sprintf("Misure non attuate, in ritardo o attuate in parte: %s.", strings.Join(out.NotImplemented, "; ")))
	}
	if len(out.NotSuitable) > 0 {
		nw = append(nw, fmt.Sprintf("Misure giudicate non idonee o idonee in parte: %s.", strings.Join(out.NotSuitable, "; ")))
	}
	if out.NotConfirmed > 0 {
		nw = append(nw, fmt.Sprintf("Autovalutazioni non confermate dalla verifica del RPCT: %d.", out.NotConfirmed))
	}
	out.NotWorked = strings.Join(nw, " ")
	return out, nil
}

// AutoCheck is what Argine can tell by itself for a question of the self-check.
type AutoCheck struct {
	Passed   bool     `json:"passed"`
	Summary  string   `json:"summary"`
	Details  []string `json:"details"`  // the first problems found
	Evidence []string `json:"evidence"` // paths inside Argine that show it
}

const maxCheckDetails = 20

func (s *Sottosezione) autoChecks(ctx context.Context, actor domain.Actor, cycle *domain.Cycle, settings domain.SottosezioneSettings) (map[string]AutoCheck, error) {
	out := map[string]AutoCheck{}
	cov, err := s.coverage(ctx, actor, cycle)
	if err != nil {
		return nil, err
	}
	var d []string
	for _, c := range cov.ProcessesWithoutUnit {
		d = append(d, c+": nessuna unità organizzativa")
	}
	for _, c := range cov.ProcessesWithoutArea {
		d = append(d, c+": nessuna area di rischio")
	}
	out["map_complete"] = AutoCheck{Passed: len(d) == 0 && cov.Processes > 0, Details: firstN(d),
		Summary:  fmt.Sprintf("%d processi: %d senza unità, %d senza area di rischio", cov.Processes, len(cov.ProcessesWithoutUnit), len(cov.ProcessesWithoutArea)),
		Evidence: []string{"/mappa"}}

	ms, err := s.store.ProgrammedMeasures(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	d = nil
	for _, m := range ms {
		var miss []string
		if strings.TrimSpace(m.Owner) == "" {
			miss = append(miss, "responsabile")
		}
		if m.StartDate == "" || m.EndDate == "" {
			miss = append(miss, "date")
		}
		if emptyJSONList(m.Phases) {
			miss = append(miss, "fasi")
		}
		if emptyJSONList(m.Indicators) {
			miss = append(miss, "indicatore")
		}
		if len(miss) > 0 {
			d = append(d, fmt.Sprintf("%s – %s: manca %s", m.Leaf, m.Title, strings.Join(miss, ", ")))
		}
	}
	out["measures_programmed"] = AutoCheck{Passed: len(d) == 0 && len(ms) > 0, Details: firstN(d),
		Summary:  fmt.Sprintf("%d misure programmate, %d incomplete (fasi, date, responsabile, indicatore)", len(ms), len(d)),
		Evidence: []string{"/registro"}}

	prev := cycle.StartYear - 1
	rounds, err := s.store.RoundsInYear(ctx, actor.EnteID, prev)
	if err != nil {
		return nil, err
	}
	closed := 0
	d = nil
	for _, r := range rounds {
		d = append(d, fmt.Sprintf("%s (%s)", r.ReferenceDate, r.State))
		if r.State == "closed" {
			closed++
		}
	}
	// A body under the simplified regime may monitor once a year (PNA 2022 §10): one closed round is enough;
	// otherwise Argine asks for one, too, and shows the rest.
	out["monitoring_previous_year"] = AutoCheck{Passed: closed > 0, Details: firstN(d),
		Summary:  fmt.Sprintf("%d cicli di monitoraggio con data nel %d, %d chiusi", len(rounds), prev, closed),
		Evidence: []string{"/monitoraggio"}}

	op, err := s.store.SottosezionePart(ctx, actor.EnteID, cycle.ID, domain.PartObjectives)
	if err != nil {
		return nil, err
	}
	var obj domain.Objectives
	_ = json.Unmarshal([]byte(orEmpty(op.Content)), &obj)
	d = nil
	for _, o := range obj.Objectives {
		if len(o.Indicators) == 0 {
			d = append(d, o.Code+": nessun indicatore")
		}
	}
	out["objectives_indicators"] = AutoCheck{Passed: len(obj.Objectives) > 0 && len(d) == 0, Details: firstN(d),
		Summary:  fmt.Sprintf("%d obiettivi strategici, %d senza indicatori e target", len(obj.Objectives), len(d)),
		Evidence: []string{"/sottosezione/obiettivi"}}

	cp, err := s.store.SottosezionePart(ctx, actor.EnteID, cycle.ID, domain.PartConsultation)
	if err != nil {
		return nil, err
	}
	var cons domain.Consultation
	_ = json.Unmarshal([]byte(orEmpty(cp.Content)), &cons)
	out["consultation_held"] = AutoCheck{Passed: cons.Start != "" && cons.End != "",
		Summary: fmt.Sprintf("consultazione %s, %d contributi registrati", map[bool]string{true: "dal " + cons.Start + " al " + cons.End, false: "non registrata"}[cons.Start != "" && cons.End != ""],
			len(cons.Contributions)),
		Details: []string{}, Evidence: []string{"/sottosezione/consultazione"}}
	_ = settings
	return out, nil
}

func firstN(d []string) []string {
	if d == nil {
		return []string{}
	}
	return d[:min(len(d), maxCheckDetails)]
}

func emptyJSONList(s string) bool {
	var v []any
	return json.Unmarshal([]byte(s), &v) != nil || len(v) == 0
}

func orEmpty(s string) string {
	if s == "" {
		return "{}"
	}
	return s
}

func (s *Sottosezione) compute(ctx context.Context, actor domain.Actor, cycle *domain.Cycle, kind domain.PartKind, content any, settings domain.SottosezioneSettings) (any, error) {
	switch kind {
	case domain.PartContext:
		cov, err := s.coverage(ctx, actor, cycle)
		if err != nil {
			return nil, err
		}
		return map[string]any{"coverage": cov, "trends": nonNil(content.(*domain.ContextAnalysis).Trends())}, nil
	case domain.PartObjectives:
		m, err := s.maps.Export(ctx, Tenant{EnteID: actor.EnteID, EnteCode: actor.EnteCode}, cycle.Code)
		if err != nil {
			return nil, err
		}
		return map[string]any{"performance_objectives": m.StrategicObjectives}, nil
	case domain.PartRiesame:
		p, err := s.riesamePrefill(ctx, actor, cycle)
		if err != nil {
			return nil, err
		}
		return map[string]any{"prefill": p}, nil
	case domain.PartSelfCheck:
		checks, err := s.autoChecks(ctx, actor, cycle, settings)
		if err != nil {
			return nil, err
		}
		return map[string]any{"checks": checks}, nil
	}
	return map[string]any{}, nil
}

func nonNil(t []domain.Trend) []domain.Trend {
	if t == nil {
		return []domain.Trend{}
	}
	return t
}

// ---- process descriptions ----------------------------------------------------------------------------------

func (s *Sottosezione) describable(ctx context.Context, actor domain.Actor, cycleCode, code string) (*domain.Cycle, error) {
	cycle, err := s.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	node, err := s.store.NodeByCode(ctx, actor.EnteID, cycle.ID, code)
	if err != nil {
		return nil, err
	}
	if node.Level != domain.LevelProcess && node.Level != domain.LevelSubprocess {
		return nil, domain.Conflict("node_not_describable", "%s is a %s: descriptions are on processes and sub-processes", code, node.Level)
	}
	return cycle, nil
}

// Description reads a process or sub-process description (empty at version 0 when never written).
func (s *Sottosezione) Description(ctx context.Context, actor domain.Actor, cycleCode, code string) (domain.ProcessDescription, error) {
	if err := s.canRead(actor); err != nil {
		return domain.ProcessDescription{}, err
	}
	cycle, err := s.describable(ctx, actor, cycleCode, code)
	if err != nil {
		return domain.ProcessDescription{}, err
	}
	return s.store.ProcessDescriptionOf(ctx, actor.EnteID, cycle.ID, code)
}

// SaveDescription writes a description at the version read; the cycle must not be adopted yet.
func (s *Sottosezione) SaveDescription(ctx context.Context, actor domain.Actor, cycleCode, code string, in domain.ProcessDescription) (domain.ProcessDescription, error) {
	if err := s.canWrite(actor); err != nil {
		return domain.ProcessDescription{}, err
	}
	cycle, err := s.describable(ctx, actor, cycleCode, code)
	if err != nil {
		return domain.ProcessDescription{}, err
	}
	if err := in.Validate(); err != nil {
		return domain.ProcessDescription{}, err
	}
	if adopted(cycle) {
		return domain.ProcessDescription{}, domain.Conflict("cycle_adopted", "cycle %s is %s: its map is frozen in the snapshot", cycle.Code, cycle.State)
	}
	in.Node = code
	var out domain.ProcessDescription
	err = s.store.WithTx(ctx, func(tx *store.Store) error {
		before, err := tx.ProcessDescriptionOf(ctx, actor.EnteID, cycle.ID, code)
		if err != nil {
			return err
		}
		if out, err = tx.SetProcessDescription(ctx, actor.EnteID, cycle.ID, in, in.Version, actor.UserID); err != nil {
			return err
		}
		var prev any
		if before.Version > 0 {
			prev = before
		}
		return record(ctx, tx, actor, "process_description", cycle.Code+"/"+code, "update", prev, out)
	})
	return out, err
}

// ---- settings ----------------------------------------------------------------------------------------------

// Settings reads the ente's regime with the waivers that apply.
func (s *Sottosezione) Settings(ctx context.Context, actor domain.Actor) (domain.SottosezioneSettings, error) {
	if !s.authz.Can(actor, authz.ObjCycle, authz.ActRead) {
		return domain.SottosezioneSettings{}, domain.Forbidden("forbidden", "your role does not allow reading the ente's settings")
	}
	st, err := s.store.SottosezioneSettings(ctx, actor.EnteID)
	return withWaivers(st), err
}

func withWaivers(st domain.SottosezioneSettings) domain.SottosezioneSettings {
	st.Waivers = []domain.Waiver{}
	if st.Simplified {
		st.Waivers = domain.SimplifiedWaivers
	}
	return st
}

// SaveSettings sets the ente's regime at the version read.
func (s *Sottosezione) SaveSettings(ctx context.Context, actor domain.Actor, in domain.SottosezioneSettings) (domain.SottosezioneSettings, error) {
	if err := s.canWrite(actor); err != nil {
		return domain.SottosezioneSettings{}, err
	}
	if err := in.Validate(); err != nil {
		return domain.SottosezioneSettings{}, err
	}
	var out domain.SottosezioneSettings
	err := s.store.WithTx(ctx, func(tx *store.Store) error {
		before, err := tx.SottosezioneSettings(ctx, actor.EnteID)
		if err != nil {
			return err
		}
		if out, err = tx.SetSottosezioneSettings(ctx, actor.EnteID, in, in.Version, actor.UserID); err != nil {
			return err
		}
		return record(ctx, tx, actor, "sottosezione_settings", actor.EnteCode, "update", before, out)
	})
	return withWaivers(out), err
}

// ---- judgements' supporting data ----------------------------------------------------------------------------

// checkSupportingData verifies that every context item a judgement cites exists in the cycle's context.
func checkSupportingData(ctx context.Context, st *store.Store, enteID, cycleID string, a *domain.Assessment) error {
	var cited bool
	for _, r := range a.Risks {
		cited = cited || len(r.Inherent.SupportingData) > 0 || (r.Residual != nil && len(r.Residual.SupportingData) > 0)
	}
	if !cited {
		return nil
	}
	p, err := st.SottosezionePart(ctx, enteID, cycleID, domain.PartContext)
	if err != nil {
		return err
	}
	var c domain.ContextAnalysis
	_ = json.Unmarshal([]byte(orEmpty(p.Content)), &c)
	known := c.ItemIDs()
	var problems []domain.FieldError
	check := func(path string, ids []string) {
		if len(ids) > domain.MaxPartLinks {
			problems = append(problems, domain.FieldError{Field: path, Code: "too_many", Message: fmt.Sprintf("at most %d context items", domain.MaxPartLinks)})
			return
		}
		for j, id := range ids {
			if !known[id] {
				problems = append(problems, domain.FieldError{Field: fmt.Sprintf("%s[%d]", path, j), Code: "context_item_unknown",
					Message: "no context item " + id + " in the cycle's context analysis"})
			}
		}
	}
	for i, r := range a.Risks {
		check(fmt.Sprintf("risks[%d].inherent.supporting_data", i), r.Inherent.SupportingData)
		if r.Residual != nil {
			check(fmt.Sprintf("risks[%d].residual.supporting_data", i), r.Residual.SupportingData)
		}
	}
	if len(problems) > 0 {
		return &domain.ValidationError{Code: "assessment_invalid", Problems: problems}
	}
	return nil
}

// ---- snapshot and roll-forward -----------------------------------------------------------------------------

// SottosezioneSnapshot is what the adoption snapshot keeps of the sottosezione's parts.
type SottosezioneSnapshot struct {
	Parts        map[domain.PartKind]json.RawMessage `json:"parts"`
	Descriptions []domain.ProcessDescription         `json:"descriptions"`
	Settings     domain.SottosezioneSettings         `json:"settings"`
}

// sottosezioneSnapshot reads the parts of a cycle for its snapshot.
func sottosezioneSnapshot(ctx context.Context, tx *store.Store, enteID, cycleID string) (*SottosezioneSnapshot, error) {
	out := &SottosezioneSnapshot{Parts: map[domain.PartKind]json.RawMessage{}}
	parts, err := tx.SottosezioneParts(ctx, enteID, cycleID)
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		out.Parts[p.Kind] = json.RawMessage(p.Content)
	}
	if out.Descriptions, err = tx.ProcessDescriptions(ctx, enteID, cycleID); err != nil {
		return nil, err
	}
	for i := range out.Descriptions {
		out.Descriptions[i].Version = 0
	}
	st, err := tx.SottosezioneSettings(ctx, enteID)
	out.Settings = withWaivers(st)
	out.Settings.Version = 0
	return out, err
}

// carriedParts are the parts a new cycle starts from: the context (then updated), the objectives (triennial)
// and the self-check's questions (answers are per cycle). The consultation and the riesame are the year's own.
var carriedParts = []domain.PartKind{domain.PartContext, domain.PartObjectives, domain.PartSelfCheck}

// rollSottosezioneForward writes the snapshot's parts into the new cycle, and the descriptions of the nodes
// that are still processes or sub-processes there. It returns the codes of the descriptions left behind.
func rollSottosezioneForward(ctx context.Context, tx *store.Store, actor domain.Actor, toID string, snap *SottosezioneSnapshot) ([]string, error) {
	dropped := []string{}
	if snap == nil {
		return dropped, nil
	}
	for _, k := range carriedParts {
		raw, ok := snap.Parts[k]
		if !ok {
			continue
		}
		if k == domain.PartSelfCheck {
			var sc domain.SelfCheck
			if err := json.Unmarshal(raw, &sc); err != nil {
				return nil, err
			}
			for i := range sc.Questions {
				sc.Questions[i].Answer, sc.Questions[i].Note, sc.Questions[i].Evidence = "", "", []string{}
			}
			raw, _ = json.Marshal(sc)
		}
		cur, err := tx.SottosezionePart(ctx, actor.EnteID, toID, k)
		if err != nil {
			return nil, err
		}
		if cur.Version > 0 {
			continue // the new cycle already has its own
		}
		if _, err := tx.SetSottosezionePart(ctx, actor.EnteID, toID, k, string(raw), 0, actor.UserID); err != nil {
			return nil, err
		}
	}
	for _, d := range snap.Descriptions {
		n, err := tx.NodeByCode(ctx, actor.EnteID, toID, d.Node)
		if errors.Is(err, domain.ErrNotFound) || (err == nil && n.Level != domain.LevelProcess && n.Level != domain.LevelSubprocess) {
			dropped = append(dropped, d.Node)
			continue
		}
		if err != nil {
			return nil, err
		}
		if cur, err := tx.ProcessDescriptionOf(ctx, actor.EnteID, toID, d.Node); err != nil || cur.Version > 0 {
			if err != nil {
				return nil, err
			}
			continue
		}
		if _, err := tx.SetProcessDescription(ctx, actor.EnteID, toID, d, 0, actor.UserID); err != nil {
			return nil, err
		}
	}
	return dropped, nil
}
