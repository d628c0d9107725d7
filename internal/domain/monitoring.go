package domain

import (
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
