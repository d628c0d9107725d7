package domain

import (
	"fmt"
	"strings"
	"time"
)

// TransparencyObligation is one row of the grid of publication obligations of the sottosezione's
// transparency part (d.lgs. 33/2013 art. 10 co. 1: who produces and who publishes each datum, and when).
type TransparencyObligation struct {
	ID             string     `json:"id,omitempty"`
	Code           string     `json:"code"`
	Section        string     `json:"section"`         // "Amministrazione trasparente" sotto-sezione di 1° livello
	Subsection     string     `json:"subsection"`      // sotto-sezione di 2° livello
	Obligation     string     `json:"obligation"`      // denominazione del singolo obbligo
	LegalReference string     `json:"legal_reference"` // riferimento normativo
	Content        string     `json:"content"`         // contenuti dell'obbligo
	Frequency      string     `json:"frequency"`       // aggiornamento: tempestivo, trimestrale, semestrale, annuale
	ProducingUnit  string     `json:"producing_unit"`  // unit responsible for producing the data
	PublishingUnit string     `json:"publishing_unit"` // unit responsible for publishing it
	Deadline       string     `json:"deadline"`        // free text, e.g. "entro 30 giorni dall'adozione"
	Source         string     `json:"source"`          // the act or grid the row follows
	Version        int64      `json:"version"`
	DerivedFrom    string     `json:"derived_from,omitempty"`
	UpdatedAt      *time.Time `json:"updated_at,omitempty"`
}

// Bounds of the transparency grid.
const (
	MaxObligations      = 1000
	MaxObligationText   = 4000
	MaxCivicAccessCount = 1_000_000
)

// Validate checks an obligation against the units of the cycle's map.
func (o *TransparencyObligation) Validate(units map[string]bool) error {
	var problems []FieldError
	add := func(field, code, format string, args ...any) {
		problems = append(problems, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	o.Code, o.Section, o.Obligation = strings.TrimSpace(o.Code), strings.TrimSpace(o.Section), strings.TrimSpace(o.Obligation)
	if o.Code == "" {
		add("code", "required", "a code, unique in the cycle (e.g. AT-01)")
	} else if len(o.Code) > 32 || strings.ContainsAny(o.Code, " /\\?#%") {
		add("code", "code_invalid", "at most 32 characters, no spaces or / \\ ? # %%")
	}
	if o.Section == "" {
		add("section", "required", "the sotto-sezione of Amministrazione trasparente")
	}
	if o.Obligation == "" {
		add("obligation", "required", "the obligation's name")
	}
	for field, v := range map[string]string{"section": o.Section, "subsection": o.Subsection, "obligation": o.Obligation,
		"legal_reference": o.LegalReference, "content": o.Content, "frequency": o.Frequency, "deadline": o.Deadline, "source": o.Source} {
		if len([]rune(v)) > MaxObligationText {
			add(field, "too_long", "at most %d characters", MaxObligationText)
		}
	}
	if o.ProducingUnit != "" && !units[o.ProducingUnit] {
		add("producing_unit", "unit_unknown", "unknown organisational unit %q", o.ProducingUnit)
	}
	if o.PublishingUnit != "" && !units[o.PublishingUnit] {
		add("publishing_unit", "unit_unknown", "unknown organisational unit %q", o.PublishingUnit)
	}
	if len(problems) > 0 {
		return &ValidationError{Code: "obligation_invalid", Problems: problems}
	}
	return nil
}

// PublicationCheck is the state of publication of an obligation at a monitoring round, scored as ANAC's
// grid for the OIV attestation does: publication 0 or 2, the other four 0 to 3; nil is "n/a" (e.g.
// completeness per office for a body without separate offices).
type PublicationCheck struct {
	ObligationID    string     `json:"obligation_id"`
	Published       *int       `json:"published"`
	CompleteContent *int       `json:"complete_content"`
	CompleteOffices *int       `json:"complete_offices"`
	UpToDate        *int       `json:"up_to_date"`
	OpenFormat      *int       `json:"open_format"`
	Notes           string     `json:"notes"`
	CheckedBy       string     `json:"checked_by,omitempty"`
	CheckedAt       *time.Time `json:"checked_at,omitempty"`
	Version         int64      `json:"version"`
}

// Validate checks the scores' ranges.
func (c *PublicationCheck) Validate() error {
	var problems []FieldError
	if c.Published != nil && *c.Published != 0 && *c.Published != 2 {
		problems = append(problems, FieldError{Field: "published", Code: "out_of_range", Message: "0 (not published) or 2 (published), as in ANAC's grid"})
	}
	for field, v := range map[string]*int{"complete_content": c.CompleteContent, "complete_offices": c.CompleteOffices,
		"up_to_date": c.UpToDate, "open_format": c.OpenFormat} {
		if v != nil && (*v < 0 || *v > 3) {
			problems = append(problems, FieldError{Field: field, Code: "out_of_range", Message: "from 0 to 3, or null for n/a"})
		}
	}
	if len([]rune(c.Notes)) > MaxObligationText {
		problems = append(problems, FieldError{Field: "notes", Code: "too_long", Message: fmt.Sprintf("at most %d characters", MaxObligationText)})
	}
	if c.Published != nil && *c.Published == 0 {
		// Nothing published: the other dimensions have nothing to judge but their lowest value.
		for _, v := range []*int{c.CompleteContent, c.CompleteOffices, c.UpToDate, c.OpenFormat} {
			if v != nil && *v > 0 {
				problems = append(problems, FieldError{Field: "published", Code: "inconsistent", Message: "an obligation not published scores 0 on the other columns"})
				break
			}
		}
	}
	if len(problems) > 0 {
		return &ValidationError{Code: "publication_check_invalid", Problems: problems}
	}
	return nil
}

// CivicAccessKinds are the three kinds of access request (d.lgs. 33/2013 art. 5 co. 1 and 2; L. 241/1990).
var CivicAccessKinds = []string{"semplice", "generalizzato", "documentale"}

// CivicAccessCount is a year's count of access requests of one kind.
type CivicAccessCount struct {
	Year     int    `json:"year"`
	Kind     string `json:"kind"`
	Received int    `json:"received"`
	Accepted int    `json:"accepted"`
	Refused  int    `json:"refused"`
	Pending  int    `json:"pending"`
	Version  int64  `json:"version"`
}

// Validate checks a count: known kind, plausible year, non-negative and bounded numbers, and the outcomes
// not exceeding the requests received.
func (c *CivicAccessCount) Validate() error {
	var problems []FieldError
	add := func(field, code, msg string) {
		problems = append(problems, FieldError{Field: field, Code: code, Message: msg})
	}
	known := false
	for _, k := range CivicAccessKinds {
		known = known || k == c.Kind
	}
	if !known {
		add("kind", "value_unknown", "semplice, generalizzato or documentale")
	}
	if c.Year < 2013 || c.Year > 2100 {
		add("year", "out_of_range", "a year from 2013 (d.lgs. 33/2013)")
	}
	for field, v := range map[string]int{"received": c.Received, "accepted": c.Accepted, "refused": c.Refused, "pending": c.Pending} {
		if v < 0 || v > MaxCivicAccessCount {
			add(field, "out_of_range", fmt.Sprintf("from 0 to %d", MaxCivicAccessCount))
		}
	}
	if c.Accepted+c.Refused+c.Pending > c.Received {
		add("received", "inconsistent", "accepted + refused + pending cannot exceed the requests received")
	}
	if len(problems) > 0 {
		return &ValidationError{Code: "civic_access_invalid", Problems: problems}
	}
	return nil
}
