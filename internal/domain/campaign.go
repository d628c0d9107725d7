package domain

import (
	"fmt"
	"strings"
	"time"
)

// LeadUnit is the unit (capofila) whose director submits the assessment of a leaf owned by several units: the
// one the RPCT chose for the cycle, or else the first unit the map lists for the leaf. A leaf with no unit has
// none (nobody submits it until the map gives it one).
func LeadUnit(units []string, chosen string) string {
	if chosen != "" {
		return chosen
	}
	if len(units) == 0 {
		return ""
	}
	return units[0]
}

// LeafStatus is one leaf of a cycle as the lists of leaves show it: where its assessment stands and how much
// it still lacks, read from stored columns so a whole list costs one query.
type LeafStatus struct {
	Code  string `json:"code"`
	Title string `json:"title"`
	// Parent is the code of the leaf's parent node: leaves with the same parent are siblings (a copy's usual targets).
	Parent   string   `json:"parent"`
	Units    []string `json:"units"`
	LeadUnit string   `json:"lead_unit"`
	// LeadUnitChosen is true when the RPCT chose the lead unit; false when it is the map's first unit.
	LeadUnitChosen bool `json:"lead_unit_chosen"`
	// State is the assessment's state, or "none" when the leaf has no assessment yet.
	State   string `json:"state"`
	Version int64  `json:"version"`
	Level   string `json:"level"`
	// MissingCount is how many items the assessment lacks before it can be submitted (see
	// Assessment.CheckCompleteness); a leaf without an assessment has none counted and is not complete.
	MissingCount int  `json:"missing_count"`
	Complete     bool `json:"complete"`
	// HandedOff is set while a referente's draft waits for the director's signature.
	HandedOff *HandOff `json:"handed_off,omitempty"`
	// ExclusionReason is set when the RPCT excluded the leaf from the campaign.
	Excluded        bool       `json:"excluded"`
	ExclusionReason string     `json:"exclusion_reason,omitempty"`
	UpdatedAt       *time.Time `json:"updated_at,omitempty"`
}

// HandOff records that a draft was marked "pronto per la firma": by whom and when.
type HandOff struct {
	By     string    `json:"by"`
	ByName string    `json:"by_name"`
	At     time.Time `json:"at"`
}

// DuplicateEventWarnings lists the risks that repeat an event already entered on the same leaf (the same
// catalogue code, or the same own description ignoring case and spaces). A repetition is not refused: two
// contexts of one event can be legitimate, and a draft is saved as it is; the editor shows the warning.
func (a *Assessment) DuplicateEventWarnings() []FieldError {
	out := []FieldError{}
	first := map[string]int{}
	for i, r := range a.Risks {
		key := ""
		switch {
		case strings.TrimSpace(r.EventCode) != "":
			key = "code:" + strings.TrimSpace(r.EventCode)
		case strings.TrimSpace(r.EventDescription) != "":
			key = "text:" + strings.Join(strings.Fields(FoldSearch(r.EventDescription)), " ")
		default:
			continue
		}
		if j, seen := first[key]; seen {
			field := fmt.Sprintf("risks[%d].event_code", i)
			if r.EventCode == "" {
				field = fmt.Sprintf("risks[%d].event_description", i)
			}
			out = append(out, FieldError{Field: field, Code: "duplicate_event",
				Message: fmt.Sprintf("the same risk event is already entered as risks[%d]", j)})
			continue
		}
		first[key] = i
	}
	return out
}
