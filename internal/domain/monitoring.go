package domain

import (
	"hash/fnv"
	"math/rand/v2"
	"sort"
)

// ImplementationStatus is a measure's state of implementation in a monitoring round (first-level check).
type ImplementationStatus string

// The implementation statuses of the monitoring.
const (
	StatusNotStarted       ImplementationStatus = "non_avviata"
	StatusOnTime           ImplementationStatus = "in_corso_nei_tempi"
	StatusLate             ImplementationStatus = "in_ritardo"
	StatusImplemented      ImplementationStatus = "attuata"
	StatusPartly           ImplementationStatus = "parzialmente_attuata"
	StatusNotImplemented   ImplementationStatus = "non_attuata"
	StatusNoLongerRelevant ImplementationStatus = "non_piu_applicabile"
)

// Valid reports whether s is a known status.
func (s ImplementationStatus) Valid() bool {
	switch s {
	case StatusNotStarted, StatusOnTime, StatusLate, StatusImplemented, StatusPartly, StatusNotImplemented, StatusNoLongerRelevant:
		return true
	}
	return false
}

// NeedsReason: every status but "attuata" must be explained.
func (s ImplementationStatus) NeedsReason() bool { return s != StatusImplemented }

// CheckOutcome is the RPCT's second-level check of a self-assessment.
type CheckOutcome string

// The outcomes of the second-level check.
const (
	CheckConfirmed    CheckOutcome = "confermato"
	CheckNotConfirmed CheckOutcome = "non_confermato"
	CheckMoreNeeded   CheckOutcome = "integrazioni_richieste"
)

// Valid reports whether o is a known outcome.
func (o CheckOutcome) Valid() bool {
	return o == CheckConfirmed || o == CheckNotConfirmed || o == CheckMoreNeeded
}

// Suitability is the RPCT's judgement on whether a measure works.
type Suitability string

// The suitability judgements.
const (
	Suitable       Suitability = "idonea"
	PartlySuitable Suitability = "parzialmente_idonea"
	NotSuitable    Suitability = "non_idonea"
)

// Valid reports whether s is a known judgement (empty: not judged yet).
func (s Suitability) Valid() bool {
	return s == "" || s == Suitable || s == PartlySuitable || s == NotSuitable
}

// Sample draws percent of ids reproducibly: the same ids, percent and seed always give the same sample, so a
// recorded seed lets anyone re-draw it. At least one id is drawn when percent > 0 and ids is not empty.
func Sample(ids []string, percent int, seed uint64) []string {
	if percent <= 0 || len(ids) == 0 {
		return []string{}
	}
	sorted := append([]string(nil), ids...)
	sort.Strings(sorted)
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	r.Shuffle(len(sorted), func(i, j int) { sorted[i], sorted[j] = sorted[j], sorted[i] })
	n := (len(sorted)*percent + 99) / 100
	out := sorted[:min(n, len(sorted))]
	sort.Strings(out)
	return out
}

// SuggestedImplementationValue proposes the value of the indicator "grado di attuazione delle misure"
// (1 basso, 2 medio, 3 alto risk) from the statuses of a leaf's measures in the last monitoring round: all
// implemented → 1; any not implemented, not started or late → 3; otherwise 2. 0 when there is nothing to go on.
func SuggestedImplementationValue(statuses []ImplementationStatus) int {
	if len(statuses) == 0 {
		return 0
	}
	worst := 1
	for _, s := range statuses {
		switch s {
		case StatusImplemented, StatusNoLongerRelevant:
		case StatusNotImplemented, StatusNotStarted, StatusLate:
			worst = 3
		default:
			worst = max(worst, 2)
		}
	}
	return worst
}

// The reasons a measure is drawn for the second-level check.
const (
	SampleReasonHighRisk = "high_risk" // it treats a risk of a high level (alto or molto alto)
	SampleReasonOverdue  = "overdue"   // its end date has passed and it is not implemented
	SampleReasonRandom   = "random"    // drawn at random within its stratum (unit and area)
)

// SampleCriteria are the plan's criteria applied by a draw: every measure of a high-level risk (HighRisk),
// every overdue measure (Overdue), then Percent of the rest in every stratum.
type SampleCriteria struct {
	HighRisk bool `json:"high_risk"`
	Overdue  bool `json:"overdue"`
	Percent  int  `json:"percent"`
}

// SampleCandidate is a measure that may be drawn, with what the criteria look at.
type SampleCandidate struct {
	ID, Unit, Area    string
	HighRisk, Overdue bool
}

// SampleReason says why a measure is in the sample; Stratum is the unit and area of a random draw.
type SampleReason struct {
	Reason  string `json:"reason"`
	Stratum string `json:"stratum,omitempty"`
}

// SampleByCriteria draws the sample reproducibly: the same candidates, criteria and seed always give the same
// sample and reasons. The measures a criterion takes whole come first (high risk before overdue); the rest is
// grouped in strata by unit and area and percent of each stratum is drawn (rounded up, so every stratum with
// candidates is represented when percent > 0). Each stratum draws from its own generator, derived from the seed
// and the stratum's name, so adding a measure to one unit does not change the draw of another.
func SampleByCriteria(cands []SampleCandidate, c SampleCriteria, seed uint64) ([]string, map[string]SampleReason) {
	sorted := append([]SampleCandidate(nil), cands...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	reasons := map[string]SampleReason{}
	strata := map[string][]string{}
	for _, m := range sorted {
		switch {
		case c.HighRisk && m.HighRisk:
			reasons[m.ID] = SampleReason{Reason: SampleReasonHighRisk}
		case c.Overdue && m.Overdue:
			reasons[m.ID] = SampleReason{Reason: SampleReasonOverdue}
		default:
			key := m.Unit + " / " + m.Area
			strata[key] = append(strata[key], m.ID)
		}
	}
	if c.Percent > 0 {
		for key, ids := range strata {
			h := fnv.New64a()
			h.Write([]byte(key))
			s := h.Sum64()
			r := rand.New(rand.NewPCG(seed, s^0x9e3779b97f4a7c15))
			r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
			n := (len(ids)*min(c.Percent, 100) + 99) / 100
			for _, id := range ids[:n] {
				reasons[id] = SampleReason{Reason: SampleReasonRandom, Stratum: key}
			}
		}
	}
	out := make([]string, 0, len(reasons))
	for id := range reasons {
		out = append(out, id)
	}
	sort.Strings(out)
	return out, reasons
}
