package seed

import (
	"bytes"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/argine-pa/argine/internal/domain"
)

// The starter catalogue: risk events (drafts for the RPCT to validate), the PNA 2019 enabling factors, the
// eleven measure types and the general measures, in Italian.
//
//go:embed catalogue
var catalogueFiles embed.FS

// CatalogueDir is the starter catalogue's folder inside the embedded files.
const CatalogueDir = "catalogue"

// The five files of a catalogue and their headers.
const (
	RiskEventsFile      = "risk_events.csv"
	EnablingFactorsFile = "enabling_factors.csv"
	MeasureTypesFile    = "measure_types.csv"
	GeneralMeasuresFile = "general_measures.csv"
	MeasureFactorsFile  = "measure_factors.csv"
)

// CatalogueRelease numbers the shipped starter catalogue. Raise it whenever the files change: at start-up every
// ente whose recorded release is lower receives the entries it lacks (service.Catalogues.ApplyCatalogueReleases),
// so an update reaches existing databases without a migration, and never overwrites what the RPCT changed.
//
//	1  the first catalogue (67 risk events, FA-a..FA-h, T01..T11, MG01..MG15)
//	2  anti-money-laundering reporting (ER-AML-*), digital procurement of d.lgs. 36/2023 and d.lgs. 209/2024
//	   (ER-B-08..13), PNRR (ER-BBIS-06..07); the enabling factors each general measure addresses
const CatalogueRelease = 2

var (
	riskEventsHeader      = []string{"code", "description", "risk_areas", "source", "to_validate"}
	enablingFactorsHeader = []string{"code", "description", "source"}
	measureTypesHeader    = []string{"code", "name", "example_indicator"}
	generalMeasuresHeader = []string{"code", "name", "legal_basis", "measure_type"}
	measureFactorsHeader  = []string{"measure_code", "enabling_factor"}
)

// starterRiskAreas are the risk-area codes of a chamber of commerce (domain spec §7.1) the starter events use.
var starterRiskAreas = []string{"A", "B", "B-bis", "C", "D", "E", "F", "G", "H", "I", "L", "M", "N"}

// StarterRiskAreaCodes returns the 13 chamber risk-area codes, A..N with B-bis, in order.
func StarterRiskAreaCodes() []string { return append([]string(nil), starterRiskAreas...) }

// maxCatalogueProblems caps the problems collected, so one broken file does not flood the report.
const maxCatalogueProblems = 100

var (
	measureTypeCode    = regexp.MustCompile(`^T[0-9]{2}$`)
	generalMeasureCode = regexp.MustCompile(`^MG[0-9]{2}$`)
)

// CatalogueFS exposes the five CSV files of the starter catalogue.
func CatalogueFS() fs.FS {
	sub, err := fs.Sub(catalogueFiles, CatalogueDir)
	if err != nil {
		panic(err) // the path is a compile-time constant of an embedded folder
	}
	return sub
}

// StarterCatalogue parses and validates the embedded starter catalogue. Every call returns fresh slices.
func StarterCatalogue() (domain.Catalogue, error) {
	areas := make(map[string]bool, len(starterRiskAreas))
	for _, a := range starterRiskAreas {
		areas[a] = true
	}
	return readCatalogue(CatalogueFS(), "seed/"+CatalogueDir, areas)
}

// catalogueReader collects problems across the five files.
type catalogueReader struct {
	problems  []domain.FieldError
	truncated bool
}

func (r *catalogueReader) add(file string, line int, column, code, format string, args ...any) {
	if len(r.problems) >= maxCatalogueProblems {
		r.truncated = true
		return
	}
	r.problems = append(r.problems, domain.FieldError{File: file, Line: line, Column: column, Code: code,
		Message: fmt.Sprintf(format, args...)})
}

// csvRecord is one data row with its 1-based line in the file.
type csvRecord struct {
	line   int
	fields []string
}

// readTable reads one CSV file strictly: it must exist, be UTF-8, have exactly the expected header and
// the same number of columns on every row. Blank lines are skipped. Rows with problems are left out.
func (r *catalogueReader) readTable(fsys fs.FS, label, name string, header []string) []csvRecord {
	file := path.Join(label, name)
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		r.add(file, 0, "", "file_missing", "cannot read the file: %v", errors.Unwrap(err))
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		r.add(file, 0, "", "file_empty", "the file is empty: expected the header %s", strings.Join(header, ","))
		return nil
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // checked below, with positions
	var rows []csvRecord
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				r.add(file, pe.Line, strconv.Itoa(pe.Column), "csv_syntax", "%v", pe.Err)
			} else {
				r.add(file, 0, "", "csv_syntax", "%v", err)
			}
			return nil // a broken quote desynchronises the rest of the file
		}
		line, _ := cr.FieldPos(0)
		if first {
			first = false
			if !slices.Equal(rec, header) {
				r.add(file, line, "", "header_invalid", "header is %q, expected %q",
					strings.Join(rec, ","), strings.Join(header, ","))
				return nil
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		ok := true
		if len(rec) != len(header) {
			r.add(file, line, "", "column_count", "%d columns, expected %d (%s)", len(rec), len(header),
				strings.Join(header, ","))
			ok = false
		}
		for i, f := range rec {
			if !utf8.ValidString(f) {
				r.add(file, line, colName(header, i), "not_utf8", "text is not valid UTF-8")
				ok = false
			}
		}
		if ok {
			rows = append(rows, csvRecord{line: line, fields: rec})
		}
	}
	return rows
}

func colName(header []string, i int) string {
	if i < len(header) {
		return header[i]
	}
	return strconv.Itoa(i + 1)
}

// codes tracks the codes met in one file to report duplicates with the line of the first occurrence.
type codes map[string]int

func (r *catalogueReader) unique(seen codes, file string, rec csvRecord, code string) bool {
	if first, dup := seen[code]; dup {
		r.add(file, rec.line, "code", "duplicate_code", "code %s already used at line %d", code, first)
		return false
	}
	seen[code] = rec.line
	return true
}

func (r *catalogueReader) required(file string, rec csvRecord, header []string, cols ...int) bool {
	ok := true
	for _, i := range cols {
		if strings.TrimSpace(rec.fields[i]) == "" {
			r.add(file, rec.line, header[i], "required", "%s is required", header[i])
			ok = false
		}
	}
	return ok
}

// fieldProblems re-locates a domain validation error at a file line.
func (r *catalogueReader) fieldProblems(file string, line int, err error) {
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		r.add(file, line, "", "invalid", "%v", err)
		return
	}
	for _, p := range ve.Problems {
		r.add(file, line, p.Field, p.Code, "%s", p.Message)
	}
}

// readCatalogue reads the five files at the root of fsys; label prefixes file names in messages and
// knownAreas lists the risk-area codes events may use (nil: any).
func readCatalogue(fsys fs.FS, label string, knownAreas map[string]bool) (domain.Catalogue, error) {
	r := &catalogueReader{}
	var cat domain.Catalogue

	// Measure types first: general measures refer to them.
	file := path.Join(label, MeasureTypesFile)
	types := codes{}
	for _, rec := range r.readTable(fsys, label, MeasureTypesFile, measureTypesHeader) {
		f := rec.fields
		if !r.required(file, rec, measureTypesHeader, 0, 1, 2) {
			continue
		}
		if !measureTypeCode.MatchString(f[0]) {
			r.add(file, rec.line, "code", "code_invalid", "code %q: expected T followed by two digits", f[0])
			continue
		}
		if r.unique(types, file, rec, f[0]) {
			cat.MeasureTypes = append(cat.MeasureTypes, domain.MeasureType{Code: f[0], Name: f[1], ExampleIndicator: f[2]})
		}
	}

	file = path.Join(label, GeneralMeasuresFile)
	measures := codes{}
	for _, rec := range r.readTable(fsys, label, GeneralMeasuresFile, generalMeasuresHeader) {
		f := rec.fields
		if !r.required(file, rec, generalMeasuresHeader, 0, 1, 2, 3) {
			continue
		}
		if !generalMeasureCode.MatchString(f[0]) {
			r.add(file, rec.line, "code", "code_invalid", "code %q: expected MG followed by two digits", f[0])
			continue
		}
		if _, ok := types[f[3]]; !ok {
			r.add(file, rec.line, "measure_type", "reference_unknown", "measure type %q is not in %s", f[3], MeasureTypesFile)
			continue
		}
		if r.unique(measures, file, rec, f[0]) {
			cat.GeneralMeasures = append(cat.GeneralMeasures, domain.GeneralMeasure{Code: f[0], Name: f[1], LegalBasis: f[2], MeasureType: f[3]})
		}
	}

	file = path.Join(label, EnablingFactorsFile)
	factors := codes{}
	for _, rec := range r.readTable(fsys, label, EnablingFactorsFile, enablingFactorsHeader) {
		f := rec.fields
		ef := domain.EnablingFactor{Code: f[0], Description: f[1], Source: f[2]}
		if err := domain.ValidateEnablingFactor(ef); err != nil {
			r.fieldProblems(file, rec.line, err)
			continue
		}
		if r.unique(factors, file, rec, f[0]) {
			cat.EnablingFactors = append(cat.EnablingFactors, ef)
		}
	}

	// The enabling factors each general measure addresses (PNA 2019 All. 1 §5: a measure must neutralise them).
	file = path.Join(label, MeasureFactorsFile)
	linked := map[string]bool{}
	for _, rec := range r.readTable(fsys, label, MeasureFactorsFile, measureFactorsHeader) {
		f := rec.fields
		if !r.required(file, rec, measureFactorsHeader, 0, 1) {
			continue
		}
		if _, ok := measures[f[0]]; !ok {
			r.add(file, rec.line, "measure_code", "reference_unknown", "general measure %q is not in %s", f[0], GeneralMeasuresFile)
			continue
		}
		if _, ok := factors[f[1]]; !ok {
			r.add(file, rec.line, "enabling_factor", "reference_unknown", "enabling factor %q is not in %s", f[1], EnablingFactorsFile)
			continue
		}
		if linked[f[0]+"\x00"+f[1]] {
			r.add(file, rec.line, "enabling_factor", "duplicate_code", "%s is already linked to %s", f[0], f[1])
			continue
		}
		linked[f[0]+"\x00"+f[1]] = true
		for i := range cat.GeneralMeasures {
			if cat.GeneralMeasures[i].Code == f[0] {
				cat.GeneralMeasures[i].EnablingFactors = append(cat.GeneralMeasures[i].EnablingFactors, f[1])
			}
		}
	}

	file = path.Join(label, RiskEventsFile)
	events := codes{}
	for _, rec := range r.readTable(fsys, label, RiskEventsFile, riskEventsHeader) {
		f := rec.fields
		var areas []string
		if strings.TrimSpace(f[2]) != "" {
			for _, a := range strings.Split(f[2], ";") {
				areas = append(areas, strings.TrimSpace(a))
			}
		}
		toValidate, err := parseCSVBool(f[4])
		if err != nil {
			r.add(file, rec.line, "to_validate", "bool_invalid", "to_validate is %q: expected true or false", f[4])
			continue
		}
		e := domain.RiskEvent{Code: f[0], Description: f[1], RiskAreas: areas, Source: f[3], ToValidate: toValidate, Active: true}
		if err := domain.ValidateRiskEvent(e, knownAreas); err != nil {
			r.fieldProblems(file, rec.line, err)
			continue
		}
		if r.unique(events, file, rec, f[0]) {
			cat.RiskEvents = append(cat.RiskEvents, e)
		}
	}

	if len(r.problems) > 0 {
		return domain.Catalogue{}, &domain.ValidationError{Code: "catalogue_invalid", Problems: r.problems, Truncated: r.truncated}
	}
	return cat, nil
}

func parseCSVBool(s string) (bool, error) {
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, errors.New("not a boolean")
}
