package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// directorOf names the demo director writing for each unit.
var directorOf = map[string]string{"SG": "dir1", "AD1": "dir1", "AD2": "dir2", "AD3": "dir3"}

// DemoMarker starts the context of every demo risk entry, so demo data is recognisable anywhere it shows.
const DemoMarker = "[Dati dimostrativi] "

// rnd is a small deterministic generator: the demo register is the same on every machine and every run.
type rnd struct{ state uint64 }

func newRnd(seedText string) *rnd {
	h := fnv.New64a()
	h.Write([]byte(seedText))
	return &rnd{state: h.Sum64() | 1}
}

func (r *rnd) intn(n int) int {
	r.state ^= r.state << 13
	r.state ^= r.state >> 7
	r.state ^= r.state << 17
	return int(r.state % uint64(n))
}

// judgement draws a PNA 2019 qualitative judgement, leaning towards level bias (1..3).
func judgement(r *rnd, bias int) domain.Judgement {
	j := domain.Judgement{Reason: "Giudizio sintetico motivato sulla base delle evidenze disponibili per il processo"}
	codes := []string{"KRI-1", "KRI-2", "KRI-3", "KRI-4", "KRI-5", "KRI-6", "IMP-1", "IMP-2", "IMP-3", "IMP-4"}
	for _, c := range codes {
		v := bias + r.intn(3) - 1
		v = max(1, min(3, v))
		j.Values = append(j.Values, domain.IndicatorValue{Code: c, Value: v, Reason: "Valutazione dell'indicatore " + c + " motivata dal dirigente"})
	}
	return j
}

var specificTypes = []string{"T01", "T02", "T04", "T05", "T06", "T08", "T10"}

// typeFactor is the enabling factor a specific measure of each type neutralises by its nature (PNA 2019 All. 1
// §5.1): a control the lack of controls, a rotation the exclusive responsibility of few ...
var typeFactor = map[string]string{"T01": "FA-a", "T02": "FA-b", "T04": "FA-c", "T05": "FA-c", "T06": "FA-f", "T08": "FA-d", "T10": "FA-e"}

// typeCost is the cost and sustainability note of the specific measures of a few types (the others have none).
var typeCost = map[string]string{
	"T05": "Adeguamento della modulistica e del gestionale documentale: circa 1.500 euro sul capitolo dei servizi informatici.",
	"T06": "Formazione in aula con docenti interni: circa 20 ore-uomo, nessun costo esterno.",
	"T08": "Segregazione tra istruttoria e decisione con il personale in servizio: nessun costo aggiuntivo, sostenibile con l'attuale dotazione.",
}

// AssessmentFor builds a plausible assessment of a leaf: risks events matching its risk areas, judgements,
// ponderazione and measures (one specific measure per risk and one general measure); the specific measures
// of treated risks name the enabling factors they address, a few with a cost note.
func AssessmentFor(leaf domain.Node, events []domain.RiskEvent, risks int, year int) domain.Assessment {
	r := newRnd(leaf.Code)
	var matching []domain.RiskEvent
	for _, e := range events {
		for _, a := range e.RiskAreas {
			for _, la := range leaf.RiskAreas {
				if a == la {
					matching = append(matching, e)
				}
			}
		}
	}
	if len(matching) == 0 {
		matching = events
	}
	unit := leaf.Units[0]
	a := domain.Assessment{}
	general := domain.Measure{Key: "g1", Nature: "general", GeneralCode: []string{"MG01", "MG02", "MG09", "MG11"}[r.intn(4)],
		Type: "T06", Title: "Applicazione della misura generale al processo", Unit: unit,
		Start: fmt.Sprintf("%d-01-31", year), End: fmt.Sprintf("%d-12-31", year),
		Phases:     []domain.Phase{{Title: "Attuazione e rendicontazione", Deadline: fmt.Sprintf("%d-11-30", year)}},
		Indicators: []domain.MeasureIndicator{{Name: "adempimenti svolti / previsti", Baseline: "0%", Target: "100%"}},
		Status:     domain.MeasureConfirmed}
	switch general.GeneralCode {
	case "MG01":
		general.Type = "T03"
	case "MG02":
		general.Type = "T10"
	case "MG11":
		general.Type = "T02"
	}
	for i := 0; i < risks; i++ {
		ev := matching[r.intn(len(matching))]
		bias := 1 + r.intn(3)
		inherent := judgement(r, bias)
		residual := judgement(r, max(1, bias-1))
		key := fmt.Sprintf("s%d", i+1)
		a.Risks = append(a.Risks, domain.RiskEntry{EventCode: ev.Code,
			Context:         DemoMarker + "evento contestualizzato nell'azione " + leaf.Code,
			EnablingFactors: []string{[]string{"FA-a", "FA-b", "FA-d", "FA-e"}[r.intn(4)]},
			Inherent:        inherent, Decision: []domain.Decision{domain.DecisionTreat, domain.DecisionKeep}[r.intn(2)],
			Priority: i + 1, Measures: []string{key, "g1"}, Residual: &residual})
		if a.Risks[i].Decision == domain.DecisionKeep {
			a.Risks[i].Measures = []string{"g1"}
		}
		t := specificTypes[r.intn(len(specificTypes))]
		a.Measures = append(a.Measures, domain.Measure{Key: key, Nature: "specific", Type: t,
			Title:       fmt.Sprintf("Misura specifica %s per l'azione %s", t, leaf.Code),
			Description: "Misura programmata per neutralizzare i fattori abilitanti individuati", Unit: unit,
			Owner: "Responsabile del servizio", Start: fmt.Sprintf("%d-02-01", year), End: fmt.Sprintf("%d-12-31", year),
			Phases: []domain.Phase{{Title: "Avvio", Deadline: fmt.Sprintf("%d-04-30", year)},
				{Title: "Messa a regime", Deadline: fmt.Sprintf("%d-10-31", year)}},
			Indicators: []domain.MeasureIndicator{{Name: "pratiche verificate / pratiche", Baseline: "0%", Target: "20%"}},
			Status:     domain.MeasureNew})
		// A measure that treats its risk addresses the risk's enabling factor and the one its type neutralises;
		// drawn from nothing random, so the rest of the demo stays as it was.
		if a.Risks[i].Decision == domain.DecisionTreat {
			m := &a.Measures[len(a.Measures)-1]
			m.EnablingFactors = append([]string{}, a.Risks[i].EnablingFactors...)
			if f := typeFactor[t]; f != m.EnablingFactors[0] {
				m.EnablingFactors = append(m.EnablingFactors, f)
			}
			if c, ok := typeCost[t]; ok {
				m.CostNote = c + demoCostNote
			}
		}
	}
	a.Measures = append(a.Measures, general)
	return a
}

// actorFor builds the actor of the demo director responsible for a unit.
func actorFor(ctx context.Context, s *store.Store, ente *domain.Ente, prefix, unit string) (domain.Actor, error) {
	u, err := s.UserByUsername(ctx, ente.ID, prefix+directorOf[unit])
	if err != nil {
		return domain.Actor{}, err
	}
	return domain.Actor{UserID: u.ID, EnteID: ente.ID, EnteCode: ente.Code, Username: u.Username,
		Grants: u.Grants, GrantsVersion: u.GrantsVersion}, nil
}

// FillRegister assesses leaves of the demo cycle that have no assessment yet: with all, every leaf;
// otherwise up to perArea leaves for each risk area, so every area and unit shows on the heat map. It returns
// how many assessments it wrote.
func FillRegister(ctx context.Context, s *store.Store, reg *service.Register, enteCode string, all bool, perArea, risks int) (int, error) {
	return fillRegister(ctx, s, reg, enteCode, seed.DemoCycle, "", all, perArea, risks)
}

// FillRegisterAs assesses every leaf of another ente whose demo-like directors carry a username prefix (the
// scale datasets of the benchmarks).
func FillRegisterAs(ctx context.Context, s *store.Store, reg *service.Register, enteCode, prefix string) (int, error) {
	return fillRegister(ctx, s, reg, enteCode, seed.DemoCycle, prefix, true, 0, 2)
}

func fillRegister(ctx context.Context, s *store.Store, reg *service.Register, enteCode, cycleCode, prefix string, all bool, perArea, risks int) (int, error) {
	ente, err := s.EnteByCode(ctx, enteCode)
	if err != nil {
		return 0, err
	}
	cycle, err := s.CycleByCode(ctx, ente.ID, cycleCode)
	if err != nil {
		return 0, err
	}
	nodes, err := s.Nodes(ctx, ente.ID, cycle.ID)
	if err != nil {
		return 0, err
	}
	events, err := s.RiskEvents(ctx, ente.ID, store.RiskEventFilter{})
	if err != nil {
		return 0, err
	}
	var chosen []domain.Node
	taken := map[string]int{}
	for _, n := range nodes {
		if !n.IsLeaf || len(n.Units) == 0 {
			continue
		}
		if all {
			chosen = append(chosen, n)
			continue
		}
		area := "-"
		if len(n.RiskAreas) > 0 {
			area = n.RiskAreas[0]
		}
		if taken[area] < perArea {
			taken[area]++
			chosen = append(chosen, n)
		}
	}
	sort.SliceStable(chosen, func(i, j int) bool { return chosen[i].Position < chosen[j].Position })
	written := 0
	actors := map[string]domain.Actor{}
	for _, n := range chosen {
		unit := n.Units[0]
		actor, ok := actors[unit]
		if !ok {
			if actor, err = actorFor(ctx, s, ente, prefix, unit); err != nil {
				return written, err
			}
			actors[unit] = actor
		}
		current, err := reg.Assessment(ctx, actor, cycleCode, n.Code)
		if err != nil {
			return written, err
		}
		if current.Version > 0 {
			continue
		}
		if _, err := reg.SaveAssessment(ctx, actor, cycleCode, n.Code, AssessmentFor(n, events, risks, cycle.StartYear)); err != nil {
			return written, fmt.Errorf("demo: assessment of %s: %w", n.Code, err)
		}
		written++
	}
	return written, nil
}
