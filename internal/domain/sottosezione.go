package domain

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// The parts of PIAO sottosezione 2.3 beside the register (D.M. 132/2022 art. 3 c. 1 lett. c; PNA 2019 All. 1
// §3, §6.3, §7; ANAC's indications of 23 July 2025): context analysis, strategic objectives, riesame, public
// consultation and ANAC's self-check. Each is one document per cycle, edited by the RPCT at a version.

// PartKind names a part of the sottosezione.
type PartKind string

const (
	PartContext      PartKind = "context"
	PartObjectives   PartKind = "objectives"
	PartRiesame      PartKind = "riesame"
	PartConsultation PartKind = "consultation"
	PartSelfCheck    PartKind = "self_check"
)

// PartKinds lists the parts in the order of the sottosezione.
var PartKinds = []PartKind{PartContext, PartObjectives, PartConsultation, PartRiesame, PartSelfCheck}

// Bounds of the sottosezione's documents.
const (
	MaxPartText  = 20000 // a narrative field, in characters
	MaxPartShort = 500   // a label, source, name
	MaxPartItems = 500   // items of one list
	MaxPartLinks = 20    // evidence links of one answer
)

type partChecker struct{ problems []FieldError }

func (c *partChecker) add(field, code, format string, args ...any) {
	c.problems = append(c.problems, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (c *partChecker) text(field string, s *string, max int, required bool) {
	*s = strings.TrimSpace(*s)
	switch {
	case required && *s == "":
		c.add(field, "required", "%s is required", field)
	case utf8.RuneCountInString(*s) > max:
		c.add(field, "too_long", "%s must be at most %d characters", field, max)
	}
}

func (c *partChecker) date(field, s string, required bool) {
	if (s != "" || required) && !IsDate(s) {
		c.add(field, "date_invalid", "%s must be a date as YYYY-MM-DD", field)
	}
}

func (c *partChecker) year(field string, y int, required bool) {
	if (y != 0 || required) && (y < 1990 || y > 2100) {
		c.add(field, "year_invalid", "%s must be a year between 1990 and 2100", field)
	}
}

func (c *partChecker) count(field string, n int) bool {
	if n > MaxPartItems {
		c.add(field, "too_many", "%s may have at most %d items", field, MaxPartItems)
		return false
	}
	return true
}

func (c *partChecker) oneOf(field, v string, allowed []string, required bool) {
	if v == "" && !required {
		return
	}
	if !slices.Contains(allowed, v) {
		c.add(field, "value_invalid", "%s must be one of %s", field, strings.Join(allowed, ", "))
	}
}

// itemID gives an item without an id a new one and checks a given one is a UUID, unique in the document.
func (c *partChecker) itemID(field string, id *string, seen map[string]bool) {
	*id = strings.TrimSpace(*id)
	if *id == "" {
		*id = uuid.NewString()
	} else if _, err := uuid.Parse(*id); err != nil {
		c.add(field, "id_invalid", "%s must be a UUID (or empty for a new item)", field)
		return
	}
	if seen[*id] {
		c.add(field, "id_duplicate", "%s repeats the id of another item", field)
	}
	seen[*id] = true
}

func (c *partChecker) err(code string) error {
	if len(c.problems) == 0 {
		return nil
	}
	return &ValidationError{Code: code, Problems: c.problems}
}

// ---- Context analysis -------------------------------------------------------------------------------------

// Context item categories: the external context (PNA 2019 All. 1 §3.1) and the internal one (§3.2).
var (
	ExternalCategories = []string{"territorio", "economia", "criminalita", "corruzione", "stakeholder"}
	InternalCategories = []string{"organizzazione", "personale", "procedimenti_disciplinari", "procedimenti_penali",
		"segnalazioni_whistleblowing", "rilievi_controlli"}
)

// ContextItem is one fact of the context: a figure (a number with its year, so years compare) or a described
// item (a stakeholder, an organisational fact), with its source and the date of the source. Assessments
// cite items by id as "dati a supporto".
type ContextItem struct {
	ID         string   `json:"id"`
	Category   string   `json:"category"`
	Label      string   `json:"label"`
	Value      *float64 `json:"value,omitempty"`
	Unit       string   `json:"unit,omitempty"`        // e.g. "persone", "%", "procedimenti"
	Year       int      `json:"year,omitempty"`        // the year the figure refers to (required with a value)
	OrgUnit    string   `json:"org_unit,omitempty"`    // staff by unit: the code of the organisational unit
	Source     string   `json:"source,omitempty"`      // e.g. "ISTAT", "Relazione DIA 2025"
	SourceDate string   `json:"source_date,omitempty"` // YYYY-MM-DD
	Text       string   `json:"text,omitempty"`
}

// ContextScope is the external or internal half of the analysis: a narrative and its items.
type ContextScope struct {
	Text  string        `json:"text"`
	Items []ContextItem `json:"items"`
}

// ContextAnalysis is the cycle's context analysis.
type ContextAnalysis struct {
	External ContextScope `json:"external"`
	Internal ContextScope `json:"internal"`
	Demo     bool         `json:"demo,omitempty"` // demo data, shown as such
}

// Validate normalises the analysis (new items get ids) and checks it; orgUnits are the map's unit codes.
func (a *ContextAnalysis) Validate(orgUnits []string) error {
	c := &partChecker{}
	seen := map[string]bool{}
	for _, s := range []struct {
		name  string
		scope *ContextScope
		cats  []string
	}{{"external", &a.External, ExternalCategories}, {"internal", &a.Internal, InternalCategories}} {
		c.text(s.name+".text", &s.scope.Text, MaxPartText, false)
		if s.scope.Items == nil {
			s.scope.Items = []ContextItem{}
		}
		if !c.count(s.name+".items", len(s.scope.Items)) {
			continue
		}
		for i := range s.scope.Items {
			it := &s.scope.Items[i]
			p := fmt.Sprintf("%s.items[%d]", s.name, i)
			c.itemID(p+".id", &it.ID, seen)
			c.oneOf(p+".category", it.Category, s.cats, true)
			c.text(p+".label", &it.Label, MaxPartShort, true)
			c.text(p+".unit", &it.Unit, 50, false)
			c.text(p+".source", &it.Source, MaxPartShort, false)
			c.text(p+".text", &it.Text, MaxPartText, false)
			c.date(p+".source_date", it.SourceDate, false)
			c.year(p+".year", it.Year, it.Value != nil)
			it.OrgUnit = strings.TrimSpace(it.OrgUnit)
			if it.OrgUnit != "" && !slices.Contains(orgUnits, it.OrgUnit) {
				c.add(p+".org_unit", "unit_unknown", "no organisational unit %q in the cycle's map", it.OrgUnit)
			}
		}
	}
	return c.err("context_invalid")
}

// ItemIDs lists the ids of every item of the analysis.
func (a *ContextAnalysis) ItemIDs() map[string]bool {
	out := map[string]bool{}
	for _, it := range append(slices.Clone(a.External.Items), a.Internal.Items...) {
		out[it.ID] = true
	}
	return out
}

// TrendPoint is a figure's value in a year.
type TrendPoint struct {
	Year  int     `json:"year"`
	Value float64 `json:"value"`
	Item  string  `json:"item"`
}

// Trend is a figure followed over the years: the items with the same category, label and unit.
type Trend struct {
	Category string       `json:"category"`
	Label    string       `json:"label"`
	OrgUnit  string       `json:"org_unit,omitempty"`
	Points   []TrendPoint `json:"points"`
	// Change is the difference between the last two years, when there are two.
	Change *float64 `json:"change,omitempty"`
}

// Trends groups the figures of the analysis into year-over-year series, in the order they first appear.
func (a *ContextAnalysis) Trends() []Trend {
	var out []Trend
	idx := map[string]int{}
	for _, it := range append(slices.Clone(a.External.Items), a.Internal.Items...) {
		if it.Value == nil || it.Year == 0 {
			continue
		}
		key := it.Category + "\x00" + strings.ToLower(it.Label) + "\x00" + it.OrgUnit
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, Trend{Category: it.Category, Label: it.Label, OrgUnit: it.OrgUnit, Points: []TrendPoint{}})
		}
		out[i].Points = append(out[i].Points, TrendPoint{Year: it.Year, Value: *it.Value, Item: it.ID})
	}
	for i := range out {
		p := out[i].Points
		slices.SortStableFunc(p, func(x, y TrendPoint) int { return x.Year - y.Year })
		if n := len(p); n >= 2 && p[n-1].Year != p[n-2].Year {
			d := p[n-1].Value - p[n-2].Value
			out[i].Change = &d
		}
	}
	return out
}

// ---- Strategic objectives ---------------------------------------------------------------------------------

// ObjectiveResult is an indicator's result in a year.
type ObjectiveResult struct {
	Year     int    `json:"year"`
	Value    string `json:"value"`
	Achieved string `json:"achieved"` // si | parziale | no
	Note     string `json:"note,omitempty"`
}

// ObjectiveIndicator measures a strategic objective against a target.
type ObjectiveIndicator struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Baseline string            `json:"baseline,omitempty"`
	Target   string            `json:"target"`
	Year     int               `json:"year"` // the year the target is due
	Results  []ObjectiveResult `json:"results"`
}

// StrategicObjective is an anticorruption or transparency objective set by the governing body (L. 190/2012
// art. 1 c. 8), linked to the performance objectives of the map.
type StrategicObjective struct {
	ID                    string               `json:"id"`
	Code                  string               `json:"code"`
	Kind                  string               `json:"kind"` // anticorruzione | trasparenza
	Title                 string               `json:"title"`
	Description           string               `json:"description,omitempty"`
	PerformanceObjectives []string             `json:"performance_objectives"` // codes of the map's strategic objectives
	Indicators            []ObjectiveIndicator `json:"indicators"`
}

// Objectives is the cycle's set of strategic objectives with the act that set them.
type Objectives struct {
	Act        string               `json:"act"` // the governing body's act, e.g. "Delibera di Giunta n. 12 del 2025-12-15"
	Objectives []StrategicObjective `json:"objectives"`
	Demo       bool                 `json:"demo,omitempty"`
}

// Validate checks the objectives; perf are the codes of the map's strategic (performance) objectives.
func (o *Objectives) Validate(perf []string) error {
	c := &partChecker{}
	c.text("act", &o.Act, MaxPartShort, false)
	if o.Objectives == nil {
		o.Objectives = []StrategicObjective{}
	}
	if !c.count("objectives", len(o.Objectives)) {
		return c.err("objectives_invalid")
	}
	seen, codes := map[string]bool{}, map[string]bool{}
	for i := range o.Objectives {
		ob := &o.Objectives[i]
		p := fmt.Sprintf("objectives[%d]", i)
		c.itemID(p+".id", &ob.ID, seen)
		c.text(p+".code", &ob.Code, 20, true)
		if ob.Code != "" && codes[ob.Code] {
			c.add(p+".code", "code_duplicate", "code %q is used by another objective", ob.Code)
		}
		codes[ob.Code] = true
		c.oneOf(p+".kind", ob.Kind, []string{"anticorruzione", "trasparenza"}, true)
		c.text(p+".title", &ob.Title, MaxPartShort, true)
		c.text(p+".description", &ob.Description, MaxPartText, false)
		if ob.PerformanceObjectives == nil {
			ob.PerformanceObjectives = []string{}
		}
		for j, code := range ob.PerformanceObjectives {
			if !slices.Contains(perf, code) {
				c.add(fmt.Sprintf("%s.performance_objectives[%d]", p, j), "objective_unknown",
					"no performance objective %q in the cycle's map", code)
			}
		}
		if ob.Indicators == nil {
			ob.Indicators = []ObjectiveIndicator{}
		}
		if !c.count(p+".indicators", len(ob.Indicators)) {
			continue
		}
		for j := range ob.Indicators {
			in := &ob.Indicators[j]
			q := fmt.Sprintf("%s.indicators[%d]", p, j)
			c.itemID(q+".id", &in.ID, seen)
			c.text(q+".name", &in.Name, MaxPartShort, true)
			c.text(q+".baseline", &in.Baseline, MaxPartShort, false)
			c.text(q+".target", &in.Target, MaxPartShort, true)
			c.year(q+".year", in.Year, true)
			if in.Results == nil {
				in.Results = []ObjectiveResult{}
			}
			years := map[int]bool{}
			for k := range in.Results {
				r := &in.Results[k]
				rp := fmt.Sprintf("%s.results[%d]", q, k)
				c.year(rp+".year", r.Year, true)
				if years[r.Year] {
					c.add(rp+".year", "year_duplicate", "the indicator already has a result for %d", r.Year)
				}
				years[r.Year] = true
				c.text(rp+".value", &r.Value, MaxPartShort, true)
				c.oneOf(rp+".achieved", r.Achieved, []string{"si", "parziale", "no"}, true)
				c.text(rp+".note", &r.Note, MaxPartText, false)
			}
		}
	}
	return c.err("objectives_invalid")
}

// ---- Riesame ----------------------------------------------------------------------------------------------

// Riesame is the annual review of the whole prevention system (PNA 2019 All. 1 §6.3): what worked, what did
// not, what changes in the next cycle. Small bodies may record the confirmation of the plan instead.
type Riesame struct {
	Year      int    `json:"year"`
	Date      string `json:"date"`
	Worked    string `json:"worked"`
	NotWorked string `json:"not_worked"`
	Changes   string `json:"changes"`
	// Confirmation (simplified regime only): the plan is confirmed for the next year, with the conditions
	// the PNA 2022 sets all declared true.
	Confirmation *Confirmation `json:"confirmation,omitempty"`
	Demo         bool          `json:"demo,omitempty"`
}

// Confirmation is the declaration that lets a body under 50 employees confirm its plan (PNA 2022 §10.1.2).
type Confirmation struct {
	NoCorruptionFacts       bool   `json:"no_corruption_facts"`
	NoOrganisationalChanges bool   `json:"no_organisational_changes"`
	NoObjectiveChanges      bool   `json:"no_objective_changes"`
	NoMaladministration     bool   `json:"no_maladministration"`
	Act                     string `json:"act"`
}

// Validate checks the riesame; simplified says whether the ente is under the simplified regime.
func (r *Riesame) Validate(simplified bool) error {
	c := &partChecker{}
	c.year("year", r.Year, true)
	c.date("date", r.Date, false)
	c.text("worked", &r.Worked, MaxPartText, false)
	c.text("not_worked", &r.NotWorked, MaxPartText, false)
	c.text("changes", &r.Changes, MaxPartText, false)
	if cf := r.Confirmation; cf != nil {
		if !simplified {
			c.add("confirmation", "not_simplified", "only an ente under the simplified regime confirms its plan")
		} else {
			c.text("confirmation.act", &cf.Act, MaxPartShort, true)
			if !cf.NoCorruptionFacts || !cf.NoOrganisationalChanges || !cf.NoObjectiveChanges || !cf.NoMaladministration {
				c.add("confirmation", "conditions_unmet", "the plan is confirmed only if every condition holds")
			}
		}
	}
	return c.err("riesame_invalid")
}

// ---- Consultation -----------------------------------------------------------------------------------------

// Contribution is one contribution received in the consultation and how it was considered.
type Contribution struct {
	ID        string `json:"id"`
	Date      string `json:"date"`
	From      string `json:"from"`
	Summary   string `json:"summary"`
	Outcome   string `json:"outcome"` // accolto | parzialmente_accolto | non_accolto | da_valutare
	Reasoning string `json:"reasoning"`
}

// Consultation is the public consultation held before adoption (ANAC, 23 July 2025).
type Consultation struct {
	Start         string         `json:"start"`
	End           string         `json:"end"`
	Channel       string         `json:"channel"` // online | focus_group | interviste | altro
	ChannelDetail string         `json:"channel_detail"`
	Audience      string         `json:"audience"`
	Contributions []Contribution `json:"contributions"`
	Demo          bool           `json:"demo,omitempty"`
}

// ConsultationChannels are the channels of a consultation.
var ConsultationChannels = []string{"online", "focus_group", "interviste", "altro"}

// Validate checks the consultation record.
func (k *Consultation) Validate() error {
	c := &partChecker{}
	c.date("start", k.Start, false)
	c.date("end", k.End, false)
	if IsDate(k.Start) && IsDate(k.End) && k.End < k.Start {
		c.add("end", "date_order", "the end comes before the start")
	}
	c.oneOf("channel", k.Channel, ConsultationChannels, false)
	c.text("channel_detail", &k.ChannelDetail, MaxPartShort, false)
	c.text("audience", &k.Audience, MaxPartText, false)
	if k.Contributions == nil {
		k.Contributions = []Contribution{}
	}
	if c.count("contributions", len(k.Contributions)) {
		seen := map[string]bool{}
		for i := range k.Contributions {
			ct := &k.Contributions[i]
			p := fmt.Sprintf("contributions[%d]", i)
			c.itemID(p+".id", &ct.ID, seen)
			c.date(p+".date", ct.Date, false)
			c.text(p+".from", &ct.From, MaxPartShort, true)
			c.text(p+".summary", &ct.Summary, MaxPartText, true)
			c.oneOf(p+".outcome", ct.Outcome, []string{"accolto", "parzialmente_accolto", "non_accolto", "da_valutare"}, true)
			c.text(p+".reasoning", &ct.Reasoning, MaxPartText, ct.Outcome != "da_valutare")
		}
	}
	return c.err("consultation_invalid")
}

// ---- ANAC self-check --------------------------------------------------------------------------------------

// SelfCheckQuestion is one question of the checklist with the RPCT's answer and evidence links.
type SelfCheckQuestion struct {
	ID       string   `json:"id"`
	Theme    string   `json:"theme"` // chiarezza | coerenza | raccordi | allegato_unico | monitoraggio | partecipazione
	Text     string   `json:"text"`
	Answer   string   `json:"answer"` // si | parziale | no | non_applicabile | "" (not answered)
	Note     string   `json:"note,omitempty"`
	Evidence []string `json:"evidence"` // links: https URLs or paths inside Argine (/registro/...)
	// Auto names the check Argine computes for this question (see service/sottosezione.go), if any.
	Auto string `json:"auto,omitempty"`
}

// SelfCheck is the cycle's self-assessment checklist.
type SelfCheck struct {
	Questions []SelfCheckQuestion `json:"questions"`
	Demo      bool                `json:"demo,omitempty"`
}

// SelfCheckThemes are the six themes ANAC names for its 12 questions.
var SelfCheckThemes = []string{"chiarezza", "coerenza", "raccordi", "allegato_unico", "monitoraggio", "partecipazione"}

// SelfCheckAutos are the checks Argine can compute.
var SelfCheckAutos = []string{"map_complete", "measures_programmed", "monitoring_previous_year", "objectives_indicators", "consultation_held"}

// Validate checks the checklist.
func (s *SelfCheck) Validate() error {
	c := &partChecker{}
	if s.Questions == nil {
		s.Questions = []SelfCheckQuestion{}
	}
	if !c.count("questions", len(s.Questions)) {
		return c.err("self_check_invalid")
	}
	seen := map[string]bool{}
	for i := range s.Questions {
		q := &s.Questions[i]
		p := fmt.Sprintf("questions[%d]", i)
		c.itemID(p+".id", &q.ID, seen)
		c.oneOf(p+".theme", q.Theme, SelfCheckThemes, true)
		c.text(p+".text", &q.Text, 2000, true)
		c.oneOf(p+".answer", q.Answer, []string{"si", "parziale", "no", "non_applicabile"}, false)
		c.text(p+".note", &q.Note, MaxPartText, false)
		c.oneOf(p+".auto", q.Auto, SelfCheckAutos, false)
		if q.Evidence == nil {
			q.Evidence = []string{}
		}
		if len(q.Evidence) > MaxPartLinks {
			c.add(p+".evidence", "too_many", "at most %d evidence links", MaxPartLinks)
			continue
		}
		for j, l := range q.Evidence {
			l = strings.TrimSpace(l)
			q.Evidence[j] = l
			if !(strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "/")) || len(l) > 2000 ||
				strings.ContainsAny(l, " \t\r\n") {
				c.add(fmt.Sprintf("%s.evidence[%d]", p, j), "link_invalid", "an evidence link is an http(s) address or a path inside Argine")
			}
		}
	}
	return c.err("self_check_invalid")
}

// DefaultSelfCheck is the checklist a cycle starts from. ANAC's indications of 23 July 2025 propose 12
// questions on clarity, coherence, internal links, the single annex, monitoring and participation; their
// exact wording was not at hand when this was written, so these are Argine's drafts on those themes, kept as
// data the RPCT edits per cycle.
func DefaultSelfCheck() SelfCheck {
	q := func(id, theme, text, auto string) SelfCheckQuestion {
		return SelfCheckQuestion{ID: id, Theme: theme, Text: text, Auto: auto, Evidence: []string{}}
	}
	return SelfCheck{Questions: []SelfCheckQuestion{
		q("00000000-0000-4000-8000-000000000001", "chiarezza", "Gli obiettivi di prevenzione della corruzione e di trasparenza sono descritti con chiarezza e corredati di indicatori e target misurabili?", "objectives_indicators"),
		q("00000000-0000-4000-8000-000000000002", "chiarezza", "L'analisi del contesto esterno e interno riporta dati aggiornati, con fonte e data, e ne trae conseguenze per la valutazione dei rischi?", ""),
		q("00000000-0000-4000-8000-000000000003", "chiarezza", "La sottosezione è scritta in modo sintetico e comprensibile, senza ripetere contenuti di altre sezioni?", ""),
		q("00000000-0000-4000-8000-000000000004", "coerenza", "Ogni processo mappato ha un'unità organizzativa responsabile e un'area di rischio?", "map_complete"),
		q("00000000-0000-4000-8000-000000000005", "coerenza", "Le misure programmate sono coerenti con i rischi valutati e hanno fasi, tempi, responsabile e indicatori?", "measures_programmed"),
		q("00000000-0000-4000-8000-000000000006", "raccordi", "I processi e le misure sono collegati agli obiettivi di performance e di valore pubblico della sezione 2.2?", ""),
		q("00000000-0000-4000-8000-000000000007", "raccordi", "La sottosezione è coordinata con le sezioni su organizzazione, personale, formazione e digitalizzazione (es. rotazione, formazione, lavoro agile)?", ""),
		q("00000000-0000-4000-8000-000000000008", "allegato_unico", "La mappatura dei processi è in un allegato unico condiviso con le altre sezioni del PIAO, senza duplicazioni?", ""),
		q("00000000-0000-4000-8000-000000000009", "monitoraggio", "Il monitoraggio dell'anno precedente è stato svolto e i suoi esiti sono stati usati per il riesame?", "monitoring_previous_year"),
		q("00000000-0000-4000-8000-000000000010", "monitoraggio", "Il monitoraggio è programmato (tempi, responsabili, modalità, campione) e integrato con quello delle altre sezioni?", ""),
		q("00000000-0000-4000-8000-000000000011", "partecipazione", "La sottosezione è stata sottoposta a consultazione pubblica prima dell'approvazione e i contributi sono stati valutati?", "consultation_held"),
		q("00000000-0000-4000-8000-000000000012", "partecipazione", "Sono stati coinvolti i responsabili delle unità organizzative e gli organi di indirizzo nella predisposizione?", ""),
	}}
}

// ---- Process descriptions ---------------------------------------------------------------------------------

// ProcessDescription describes a process or sub-process as ANAC's mapping asks (PNA 2019 All. 1 §3.2).
type ProcessDescription struct {
	Node             string `json:"node"`
	Input            string `json:"input"`
	Output           string `json:"output"`
	Phases           string `json:"phases"`
	Responsibilities string `json:"responsibilities"`
	Timing           string `json:"timing"`
	Constraints      string `json:"constraints"`
	Version          int64  `json:"version"`
}

// Validate checks a description's fields.
func (d *ProcessDescription) Validate() error {
	c := &partChecker{}
	for _, f := range []struct {
		name string
		v    *string
	}{{"input", &d.Input}, {"output", &d.Output}, {"phases", &d.Phases}, {"responsibilities", &d.Responsibilities},
		{"timing", &d.Timing}, {"constraints", &d.Constraints}} {
		c.text(f.name, f.v, MaxPartText, false)
	}
	return c.err("description_invalid")
}

// Empty reports whether the description says nothing.
func (d ProcessDescription) Empty() bool {
	return d.Input == "" && d.Output == "" && d.Phases == "" && d.Responsibilities == "" && d.Timing == "" && d.Constraints == ""
}

// ---- Simplified regime ------------------------------------------------------------------------------------

// SimplifiedThreshold is the headcount under which the simplified regime applies (D.M. 132/2022 art. 6).
const SimplifiedThreshold = 50

// Waiver is something a body under 50 employees may skip or keep for longer, with its basis.
type Waiver struct {
	Code  string `json:"code"`
	Title string `json:"title"`
	Basis string `json:"basis"`
}

// SimplifiedWaivers are what the simplified regime relaxes in Argine.
var SimplifiedWaivers = []Waiver{
	{"mapping_limited", "Mappatura limitata all'aggiornamento dei processi delle aree dell'art. 1, c. 16, L. 190/2012 e di quelli rilevanti per gli obiettivi di performance; descrizione dei processi facoltativa",
		"D.M. 132/2022 art. 6; PNA 2022 §10"},
	{"plan_confirmation", "Conferma della sottosezione per le due annualità successive con atto dell'organo di indirizzo, se non sono intervenuti fatti corruttivi, modifiche organizzative rilevanti, modifiche degli obiettivi strategici o ipotesi di disfunzioni amministrative significative",
		"PNA 2022 §10.1.2"},
	{"monitoring_reduced", "Monitoraggio con periodicità e campione ridotti in base alla fascia di personale (la periodicità del piano di monitoraggio resta una scelta dell'ente)",
		"PNA 2022 §10.1.3 (fasce 1-15, 16-30, 31-49: da verificare sul testo)"},
	{"staff_by_unit", "Personale per unità organizzativa facoltativo nel contesto interno: basta il numero complessivo dei dipendenti al 31 dicembre dell'anno precedente",
		"PNA 2022 §10.1"},
}

// SottosezioneSettings is the ente's choice of regime.
type SottosezioneSettings struct {
	Simplified    bool     `json:"simplified"`
	Headcount     *int     `json:"headcount"`
	HeadcountDate string   `json:"headcount_date"`
	Version       int64    `json:"version"`
	Waivers       []Waiver `json:"waivers"` // read-only: what applies, empty when not simplified
}

// Validate checks the settings: the simplified regime needs a headcount under 50 at a date.
func (s *SottosezioneSettings) Validate() error {
	c := &partChecker{}
	c.date("headcount_date", s.HeadcountDate, s.Simplified)
	if s.Headcount != nil && (*s.Headcount < 0 || *s.Headcount > 1_000_000) {
		c.add("headcount", "out_of_range", "headcount must be between 0 and 1000000")
	}
	if s.Simplified && (s.Headcount == nil || *s.Headcount >= SimplifiedThreshold) {
		c.add("headcount", "over_threshold", "the simplified regime applies to bodies with fewer than %d employees", SimplifiedThreshold)
	}
	return c.err("settings_invalid")
}
