package seed

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
	"unicode/utf8"

	"github.com/argine-pa/argine/internal/domain"
)

func loadCatalogue(t *testing.T) domain.Catalogue {
	t.Helper()
	cat, err := StarterCatalogue()
	if err != nil {
		t.Fatalf("the starter catalogue must load: %v", err)
	}
	return cat
}

func TestStarterCatalogueCounts(t *testing.T) {
	cat := loadCatalogue(t)
	if n := len(cat.EnablingFactors); n != 8 {
		t.Errorf("%d enabling factors, want 8", n)
	}
	if n := len(cat.MeasureTypes); n != 11 {
		t.Errorf("%d measure types, want 11", n)
	}
	if n := len(cat.GeneralMeasures); n != 15 {
		t.Errorf("%d general measures, want 15", n)
	}
	if n := len(cat.RiskEvents); n < 39 {
		t.Errorf("%d risk events, want at least 39", n)
	}
	perArea := map[string]int{}
	for _, e := range cat.RiskEvents {
		for _, a := range e.RiskAreas {
			perArea[a]++
		}
	}
	areas := StarterRiskAreaCodes()
	if len(areas) != 13 {
		t.Fatalf("%d starter areas, want 13", len(areas))
	}
	for _, a := range areas {
		if perArea[a] < 3 {
			t.Errorf("area %s has %d risk events, want at least 3", a, perArea[a])
		}
	}
}

func TestStarterCatalogueCodes(t *testing.T) {
	cat := loadCatalogue(t)
	var factors []string
	for _, f := range cat.EnablingFactors {
		factors = append(factors, f.Code)
	}
	if got := strings.Join(factors, " "); got != "FA-a FA-b FA-c FA-d FA-e FA-f FA-g FA-h" {
		t.Errorf("enabling factors %s", got)
	}
	var types []string
	known := map[string]bool{}
	for _, m := range cat.MeasureTypes {
		types = append(types, m.Code)
		known[m.Code] = true
		if m.Name == "" || m.ExampleIndicator == "" {
			t.Errorf("measure type %s lacks a name or an example indicator", m.Code)
		}
	}
	if got := strings.Join(types, " "); got != "T01 T02 T03 T04 T05 T06 T07 T08 T09 T10 T11" {
		t.Errorf("measure types %s", got)
	}
	for i, g := range cat.GeneralMeasures {
		if want := "MG" + twoDigits(i+1); g.Code != want {
			t.Errorf("general measure #%d is %s, want %s", i+1, g.Code, want)
		}
		if !known[g.MeasureType] {
			t.Errorf("general measure %s: measure type %q is not a known T code", g.Code, g.MeasureType)
		}
		if g.LegalBasis == "" {
			t.Errorf("general measure %s has no legal basis", g.Code)
		}
	}
}

func twoDigits(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

func TestStarterRiskEventsAreDraftBehaviours(t *testing.T) {
	for _, e := range loadCatalogue(t).RiskEvents {
		if !e.ToValidate {
			t.Errorf("%s: starter events are drafts the RPCT validates (to_validate)", e.Code)
		}
		if !e.Active {
			t.Errorf("%s: starter events are active", e.Code)
		}
		first, _ := utf8.DecodeRuneInString(e.Description)
		if !unicode.IsUpper(first) {
			t.Errorf("%s: a behaviour starts with an uppercase letter: %q", e.Code, e.Description)
		}
		if n := len(strings.Fields(e.Description)); n < 5 {
			t.Errorf("%s: a behaviour has at least 5 words, got %d: %q", e.Code, n, e.Description)
		}
		if strings.Contains(e.Description, "323") {
			t.Errorf("%s: art. 323 c.p. is abrogated and must not be cited: %q", e.Code, e.Description)
		}
		switch e.Source {
		case "ARGINE_SEED", "PNA2013_ALL3", "PNA2022_CONTRATTI", "DLGS231_2007", "DLGS36_2023", "PNRR":
		default:
			t.Errorf("%s: unexpected source %q", e.Code, e.Source)
		}
		if strings.HasPrefix(e.Code, "ER-BBIS-") != (e.RiskAreas[0] == "B-bis") {
			t.Errorf("%s: code does not match its first area %s", e.Code, e.RiskAreas[0])
		}
	}
}

func TestStarterCatalogueReturnsFreshSlices(t *testing.T) {
	a := loadCatalogue(t)
	a.RiskEvents[0].Description = "changed"
	if b := loadCatalogue(t); b.RiskEvents[0].Description == "changed" {
		t.Fatal("callers must not share the catalogue's slices")
	}
}

func problemsOf(t *testing.T, err error) []domain.FieldError {
	t.Helper()
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *domain.ValidationError, got %T %v", err, err)
	}
	if !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("validation errors wrap ErrInvalid")
	}
	return ve.Problems
}

func TestValidateRiskEvent(t *testing.T) {
	known := map[string]bool{"A": true, "B": true, "B-bis": true}
	good := domain.RiskEvent{Code: "ER-A-99", Description: "Il dirigente favorisce un candidato", RiskAreas: []string{"A", "B-bis"}, Source: "ENTE"}
	if err := domain.ValidateRiskEvent(good, known); err != nil {
		t.Fatalf("good event rejected: %v", err)
	}
	cases := []struct {
		name   string
		edit   func(*domain.RiskEvent)
		known  map[string]bool
		field  string
		code   string
		passes bool // with nil knownAreas
	}{
		{"empty code", func(e *domain.RiskEvent) { e.Code = "" }, known, "code", "required", false},
		{"lower-case code", func(e *domain.RiskEvent) { e.Code = "er-a-99" }, known, "code", "code_invalid", false},
		{"one-character code", func(e *domain.RiskEvent) { e.Code = "E" }, known, "code", "code_invalid", false},
		{"code with space", func(e *domain.RiskEvent) { e.Code = "ER A 99" }, known, "code", "code_invalid", false},
		{"code starting with dash", func(e *domain.RiskEvent) { e.Code = "-ER" }, known, "code", "code_invalid", false},
		{"code too long", func(e *domain.RiskEvent) { e.Code = strings.Repeat("X", 33) }, known, "code", "code_invalid", false},
		{"short description", func(e *domain.RiskEvent) { e.Description = "Troppo breve" }, known, "description", "too_short", false},
		{"blank description", func(e *domain.RiskEvent) { e.Description = "                    " }, known, "description", "too_short", false},
		{"no area", func(e *domain.RiskEvent) { e.RiskAreas = nil }, known, "risk_areas", "required", false},
		{"empty area", func(e *domain.RiskEvent) { e.RiskAreas = []string{"A", ""} }, known, "risk_areas", "required", false},
		{"duplicate area", func(e *domain.RiskEvent) { e.RiskAreas = []string{"A", "A"} }, known, "risk_areas", "list_duplicate", false},
		{"unknown area", func(e *domain.RiskEvent) { e.RiskAreas = []string{"Z"} }, known, "risk_areas", "reference_unknown", true},
		{"empty source", func(e *domain.RiskEvent) { e.Source = " " }, known, "source", "required", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := good
			e.RiskAreas = append([]string(nil), good.RiskAreas...)
			tc.edit(&e)
			err := domain.ValidateRiskEvent(e, tc.known)
			if err == nil {
				t.Fatal("want an error")
			}
			if code := domain.CodeOf(err); code != "risk_event_invalid" {
				t.Errorf("error code %q, want risk_event_invalid", code)
			}
			ps := problemsOf(t, err)
			if len(ps) != 1 || ps[0].Field != tc.field || ps[0].Code != tc.code {
				t.Errorf("problems %+v, want one on %s with code %s", ps, tc.field, tc.code)
			}
			if err := domain.ValidateRiskEvent(e, nil); (err == nil) != tc.passes {
				t.Errorf("with nil knownAreas: err %v, want passing=%v", err, tc.passes)
			}
		})
	}
	t.Run("all fields at once", func(t *testing.T) {
		ps := problemsOf(t, domain.ValidateRiskEvent(domain.RiskEvent{}, known))
		var fields []string
		for _, p := range ps {
			fields = append(fields, p.Field)
		}
		if got := strings.Join(fields, " "); got != "code description risk_areas source" {
			t.Errorf("fields %s", got)
		}
	})
}

func TestValidateEnablingFactor(t *testing.T) {
	good := domain.EnablingFactor{Code: "FA-i", Description: "mancanza di strumenti informatici", Source: "ENTE"}
	if err := domain.ValidateEnablingFactor(good); err != nil {
		t.Fatalf("good factor rejected: %v", err)
	}
	cases := []struct {
		name, field, code string
		edit              func(*domain.EnablingFactor)
	}{
		{"empty code", "code", "required", func(f *domain.EnablingFactor) { f.Code = "" }},
		{"bad code", "code", "code_invalid", func(f *domain.EnablingFactor) { f.Code = "FA a" }},
		{"short description", "description", "too_short", func(f *domain.EnablingFactor) { f.Description = "breve" }},
		{"empty source", "source", "required", func(f *domain.EnablingFactor) { f.Source = "" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := good
			tc.edit(&f)
			err := domain.ValidateEnablingFactor(f)
			if domain.CodeOf(err) != "enabling_factor_invalid" {
				t.Fatalf("error %v, want enabling_factor_invalid", err)
			}
			ps := problemsOf(t, err)
			if len(ps) != 1 || ps[0].Field != tc.field || ps[0].Code != tc.code {
				t.Errorf("problems %+v, want one on %s with code %s", ps, tc.field, tc.code)
			}
		})
	}
}

// validCatalogueFS is a minimal well-formed catalogue the strictness tests break one file at a time.
func validCatalogueFS() fstest.MapFS {
	return fstest.MapFS{
		RiskEventsFile: {Data: []byte("code,description,risk_areas,source,to_validate\n" +
			"ER-A-01,\"Il dirigente favorisce, nel bando, un candidato\",A;B,ARGINE_SEED,true\n")},
		EnablingFactorsFile: {Data: []byte("code,description,source\nFA-a,mancanza di controlli,PNA2019_ALL1\n")},
		MeasureTypesFile:    {Data: []byte("code,name,example_indicator\nT01,controllo,n. controlli\n")},
		GeneralMeasuresFile: {Data: []byte("code,name,legal_basis,measure_type\nMG01,Codice di comportamento,art. 54 d.lgs. 165/2001,T01\n")},
		MeasureFactorsFile:  {Data: []byte("measure_code,enabling_factor\n")},
	}
}

func TestReadCatalogueStrict(t *testing.T) {
	areas := map[string]bool{"A": true, "B": true}
	cat, err := readCatalogue(validCatalogueFS(), "x", areas)
	if err != nil {
		t.Fatalf("valid catalogue rejected: %v", err)
	}
	if len(cat.RiskEvents) != 1 || strings.Join(cat.RiskEvents[0].RiskAreas, "|") != "A|B" || !cat.RiskEvents[0].ToValidate {
		t.Fatalf("parsed %+v", cat.RiskEvents)
	}
	cases := []struct {
		name, file, data string
		wantFile         string
		wantLine         int
		wantCode         string
	}{
		{"missing file", RiskEventsFile, "", "x/risk_events.csv", 0, "file_missing"},
		{"empty file", EnablingFactorsFile, " \n", "x/enabling_factors.csv", 0, "file_empty"},
		{"wrong header", EnablingFactorsFile, "code,descrizione,source\nFA-a,mancanza di controlli,PNA2019_ALL1\n", "x/enabling_factors.csv", 1, "header_invalid"},
		{"column count", GeneralMeasuresFile, "code,name,legal_basis,measure_type\nMG01,Codice,art. 54\n", "x/general_measures.csv", 2, "column_count"},
		{"not UTF-8", EnablingFactorsFile, "code,description,source\nFA-a,mancanza di attivit\xe0 di controllo,PNA2019_ALL1\n", "x/enabling_factors.csv", 2, "not_utf8"},
		{"csv syntax", EnablingFactorsFile, "code,description,source\nFA-a,\"mancanza di controlli,PNA2019_ALL1\n", "x/enabling_factors.csv", 2, "csv_syntax"},
		{"duplicate code", MeasureTypesFile, "code,name,example_indicator\nT01,controllo,n. controlli\n\nT01,trasparenza,pubblicazione\n", "x/measure_types.csv", 4, "duplicate_code"},
		{"unknown measure type", GeneralMeasuresFile, "code,name,legal_basis,measure_type\nMG01,Codice,art. 54,T12\n", "x/general_measures.csv", 2, "reference_unknown"},
		{"unknown area", RiskEventsFile, "code,description,risk_areas,source,to_validate\nER-A-01,Il dirigente favorisce un candidato,A;Z,ARGINE_SEED,true\n", "x/risk_events.csv", 2, "reference_unknown"},
		{"measure factor: unknown measure", MeasureFactorsFile, "measure_code,enabling_factor\nMG09,FA-a\n", "x/measure_factors.csv", 2, "reference_unknown"},
		{"measure factor: unknown factor", MeasureFactorsFile, "measure_code,enabling_factor\nMG01,FA-z\n", "x/measure_factors.csv", 2, "reference_unknown"},
		{"measure factor: twice", MeasureFactorsFile, "measure_code,enabling_factor\nMG01,FA-a\nMG01,FA-a\n", "x/measure_factors.csv", 3, "duplicate_code"},
		{"bad bool", RiskEventsFile, "code,description,risk_areas,source,to_validate\nER-A-01,Il dirigente favorisce un candidato,A,ARGINE_SEED,si\n", "x/risk_events.csv", 2, "bool_invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := validCatalogueFS()
			if tc.data == "" {
				delete(fsys, tc.file)
			} else {
				fsys[tc.file] = &fstest.MapFile{Data: []byte(tc.data)}
			}
			_, err := readCatalogue(fsys, "x", areas)
			if domain.CodeOf(err) != "catalogue_invalid" {
				t.Fatalf("error %v, want catalogue_invalid", err)
			}
			ps := problemsOf(t, err)
			if len(ps) != 1 || ps[0].File != tc.wantFile || ps[0].Line != tc.wantLine || ps[0].Code != tc.wantCode {
				t.Errorf("problems %+v, want one %s at %s line %d", ps, tc.wantCode, tc.wantFile, tc.wantLine)
			}
		})
	}
}

// The shipped catalogue links every general measure to the enabling factors it addresses, and its release 2
// carries the anti-money-laundering, digital-procurement and PNRR events.
func TestStarterCatalogueRelease2(t *testing.T) {
	cat := loadCatalogue(t)
	factors := map[string]string{}
	for _, g := range cat.GeneralMeasures {
		if len(g.EnablingFactors) == 0 {
			t.Errorf("general measure %s addresses no enabling factor", g.Code)
		}
		factors[g.Code] = strings.Join(g.EnablingFactors, " ")
	}
	if factors["MG03"] != "FA-d" || factors["MG11"] != "FA-b" || factors["MG09"] != "FA-f FA-g" {
		t.Errorf("links MG03=%q MG11=%q MG09=%q", factors["MG03"], factors["MG11"], factors["MG09"])
	}
	bySource := map[string][]string{}
	for _, e := range cat.RiskEvents {
		bySource[e.Source] = append(bySource[e.Source], e.Code)
	}
	if got := strings.Join(bySource["DLGS231_2007"], " "); got != "ER-AML-01 ER-AML-02 ER-AML-03 ER-AML-04" {
		t.Errorf("anti-money-laundering events %s", got)
	}
	if got := strings.Join(bySource["DLGS36_2023"], " "); got != "ER-B-08 ER-B-09 ER-B-10 ER-B-11 ER-B-12 ER-B-13" {
		t.Errorf("d.lgs. 36/2023 events %s", got)
	}
	if got := strings.Join(bySource["PNRR"], " "); got != "ER-BBIS-06 ER-BBIS-07" {
		t.Errorf("PNRR events %s", got)
	}
	if CatalogueRelease < 2 {
		t.Errorf("the catalogue changed: CatalogueRelease must be at least 2, it is %d", CatalogueRelease)
	}
}
