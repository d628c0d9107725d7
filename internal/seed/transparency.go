package seed

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"

	"github.com/argine-pa/argine/internal/domain"
)

// The shipped grid of publication obligations the RPCT adapts per cycle: the sub-sections of
// "Amministrazione trasparente" and their obligations, written from d.lgs. 33/2013 and ANAC delibera
// 1310/2016 Allegato 1, marking the obligations that ANAC delibera 495/2024 turned into mandatory publication
// schemes (art. 4-bis, 13, 31). Each row names in `source` what it follows. Rows about bodies of other kinds
// (e.g. art. 39 territorial planning) are left out: a chamber of commerce has none.
//
//go:embed transparency/obligations.csv
var transparencyCSV []byte

var obligationsHeader = []string{"code", "section", "subsection", "obligation", "legal_reference", "content", "frequency", "deadline", "source"}

// TransparencyObligations returns the shipped grid, in order, without units (each ente assigns its own).
func TransparencyObligations() ([]domain.TransparencyObligation, error) {
	r := csv.NewReader(bytes.NewReader(transparencyCSV))
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("seed: transparency grid: %w", err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], obligationsHeader) {
		return nil, fmt.Errorf("seed: transparency grid: header must be %v", obligationsHeader)
	}
	out := make([]domain.TransparencyObligation, 0, len(rows)-1)
	for _, c := range rows[1:] {
		out = append(out, domain.TransparencyObligation{Code: c[0], Section: c[1], Subsection: c[2], Obligation: c[3],
			LegalReference: c[4], Content: c[5], Frequency: c[6], Deadline: c[7], Source: c[8]})
	}
	return out, nil
}
