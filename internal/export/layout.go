package export

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/domain"
)

// This file holds the layout of the register spreadsheet (registro.xlsx, and the CSV for Excel): one row per
// measure of each risk of each leaf, the risk's columns repeated on each of its measures' rows so a filter
// still shows whole lines; one column per methodology indicator for the value and one for its reason. The
// register import (internal/registerimport) reads the same layout back, so the columns carry every field
// of an assessment the import writes.

// ColumnKind says how a column's cells are typed.
type ColumnKind int

const (
	KindText ColumnKind = iota
	KindNumber
	KindDate
	KindLevel // a risk level label, coloured
)

// Column is one column of the register spreadsheet. Key is stable (the import's column mapping refers to
// it); Header is the Italian label.
type Column struct {
	Key    string
	Header string
	Kind   ColumnKind
	Width  float64
	// Import says the import reads the column (the others are computed or belong to the map).
	Import bool
}

// Stable column keys of the register layout.
const (
	ColMacro            = "macro"
	ColProcess          = "process"
	ColCode             = "code"
	ColTitle            = "title"
	ColUnits            = "units"
	ColAreas            = "areas"
	ColState            = "state"
	ColRiskNo           = "risk_no"
	ColEventCode        = "event_code"
	ColEvent            = "event"
	ColContext          = "context"
	ColFactors          = "enabling_factors"
	ColLikelihood       = "likelihood"
	ColImpact           = "impact"
	ColLevel            = "level"
	ColReason           = "reason"
	ColLikelihoodManual = "likelihood_manual"
	ColImpactManual     = "impact_manual"
	ColManualReason     = "manual_reason"
	ColOverrideLevel    = "override_level"
	ColOverrideReason   = "override_reason"
	ColDecision         = "decision"
	ColPriority         = "priority"
	ColResidualReason   = "residual_reason"
	ColResidualLevel    = "residual_level"
	ColMeasureKey       = "measure_key"
	ColNature           = "nature"
	ColGeneralCode      = "general_code"
	ColMeasureType      = "measure_type"
	ColMeasure          = "measure"
	ColDescription      = "description"
	ColMeasureUnit      = "measure_unit"
	ColOwner            = "owner"
	ColStart            = "start"
	ColEnd              = "end"
	ColMeasureStatus    = "measure_status"
	ColPhases           = "phases"
	ColIndicators       = "indicators"
	ColObjective        = "objective"
	ColCostNote         = "cost_note"
	ColMeasureFactors   = "measure_enabling_factors"
	ColMonitoring       = "monitoring_status"
)

// IndicatorValueKey and IndicatorReasonKey are the keys of an indicator's columns; residual ones are prefixed.
func IndicatorValueKey(code string) string  { return "ind:" + code + ":value" }
func IndicatorReasonKey(code string) string { return "ind:" + code + ":reason" }

// ResidualPrefix prefixes the keys of the residual judgement's indicator columns.
const ResidualPrefix = "res:"

// RegisterLayout returns the columns of the register spreadsheet for a methodology.
func RegisterLayout(p domain.Profile) []Column {
	cols := []Column{
		{ColMacro, "Macro-processo", KindText, 28, false},
		{ColProcess, "Processo", KindText, 28, false},
		{ColCode, "Codice", KindText, 12, true},
		{ColTitle, "Attività / azione", KindText, 40, true},
		{ColUnits, "Unità organizzative responsabili", KindText, 16, false},
		{ColAreas, "Aree di rischio", KindText, 12, false},
		{ColState, "Stato della valutazione", KindText, 12, false},
		{ColRiskNo, "N. rischio", KindNumber, 7, true},
		{ColEventCode, "Codice evento", KindText, 10, true},
		{ColEvent, "Evento rischioso", KindText, 45, true},
		{ColContext, "Contesto", KindText, 30, true},
		{ColFactors, "Fattori abilitanti", KindText, 14, true},
	}
	inds := append(append([]domain.Indicator{}, p.LikelihoodIndicators...), p.ImpactIndicators...)
	for _, ind := range inds {
		cols = append(cols, Column{IndicatorValueKey(ind.Code), ind.Code + " " + ind.Name + " – valore", KindNumber, 10, true},
			Column{IndicatorReasonKey(ind.Code), ind.Code + " – motivazione", KindText, 30, true})
	}
	cols = append(cols,
		Column{ColLikelihoodManual, "Probabilità scelta (aggregazione manuale)", KindNumber, 10, true},
		Column{ColImpactManual, "Impatto scelto (aggregazione manuale)", KindNumber, 10, true},
		Column{ColManualReason, "Motivazione dell'aggregazione manuale", KindText, 30, true},
		Column{ColLikelihood, "Probabilità", KindNumber, 10, false},
		Column{ColImpact, "Impatto", KindNumber, 10, false},
		Column{ColOverrideLevel, "Livello scelto in deroga", KindText, 12, true},
		Column{ColOverrideReason, "Motivazione della deroga", KindText, 30, true},
		Column{ColLevel, "Livello di rischio", KindLevel, 12, false},
		Column{ColReason, "Motivazione del giudizio", KindText, 40, true},
		Column{ColDecision, "Ponderazione", KindText, 22, true},
		Column{ColPriority, "Priorità", KindNumber, 8, true},
	)
	for _, ind := range inds {
		cols = append(cols, Column{ResidualPrefix + IndicatorValueKey(ind.Code), "Residuo " + ind.Code + " – valore", KindNumber, 10, true},
			Column{ResidualPrefix + IndicatorReasonKey(ind.Code), "Residuo " + ind.Code + " – motivazione", KindText, 24, true})
	}
	return append(cols,
		Column{ColResidualReason, "Motivazione del rischio residuo", KindText, 30, true},
		Column{ColResidualLevel, "Rischio residuo", KindLevel, 12, false},
		Column{ColMeasureKey, "Chiave misura", KindText, 8, true},
		Column{ColNature, "Natura della misura", KindText, 10, true},
		Column{ColGeneralCode, "Codice misura generale", KindText, 10, true},
		Column{ColMeasureType, "Tipologia", KindText, 8, true},
		Column{ColMeasure, "Misura", KindText, 40, true},
		Column{ColDescription, "Descrizione / modalità di attuazione", KindText, 40, true},
		Column{ColMeasureUnit, "Unità responsabile della misura", KindText, 14, true},
		Column{ColOwner, "Responsabile", KindText, 18, true},
		Column{ColStart, "Inizio", KindDate, 11, true},
		Column{ColEnd, "Fine", KindDate, 11, true},
		Column{ColMeasureStatus, "Stato della misura", KindText, 16, true},
		Column{ColPhases, "Fasi e scadenze", KindText, 40, true},
		Column{ColIndicators, "Indicatori e valori attesi", KindText, 40, true},
		Column{ColObjective, "Obiettivo strategico", KindText, 12, true},
		Column{ColCostNote, "Costo e sostenibilità della misura", KindText, 30, true},
		Column{ColMeasureFactors, "Fattori abilitanti affrontati dalla misura", KindText, 14, true},
		Column{ColMonitoring, "Stato del monitoraggio (ultima rilevazione)", KindText, 22, false},
	)
}

// Italian labels of the coded values the spreadsheet shows; the import accepts the label or the code.
var (
	DecisionLabels = map[domain.Decision]string{domain.DecisionTreat: "Trattare con nuove misure",
		domain.DecisionKeep: "Mantenere le misure esistenti", domain.DecisionAnalyse: "Approfondire l'analisi"}
	StateLabels = map[domain.AssessmentState]string{domain.StateDraft: "Bozza", domain.StateSubmitted: "Inviata",
		domain.StateApproved: "Approvata", domain.StateReturned: "Restituita"}
	MeasureStatusLabels = map[domain.MeasureStatus]string{domain.MeasureNew: "Nuova", domain.MeasureConfirmed: "Esistente, confermata",
		domain.MeasureModified: "Esistente, modificata", domain.MeasureDropped: "Non più prevista"}
	NatureLabels = map[string]string{"general": "Generale", "specific": "Specifica"}
)

// WithdrawnPrefix starts the status of a withdrawn measure's row; the import skips such rows.
const WithdrawnPrefix = "Ritirata"

// ShortDate turns YYYY-MM-DD into dd/mm/yyyy (anything else is returned as it is).
func ShortDate(s string) string {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Format("02/01/2006")
	}
	return s
}

// excelSerial is the spreadsheet serial number of a YYYY-MM-DD date.
func excelSerial(s string) (float64, bool) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, false
	}
	return float64(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24), true
}

// PhasesCell writes a measure's phases one a line: "dal dd/mm/yyyy al dd/mm/yyyy – title" when the phase has
// a start, "dd/mm/yyyy – title" when it has only its deadline, "– title" when it has neither.
func PhasesCell(ph []domain.Phase) string {
	lines := make([]string, len(ph))
	for i, x := range ph {
		switch {
		case x.Start != "":
			lines[i] = "dal " + ShortDate(x.Start) + " al " + ShortDate(x.Deadline) + " – " + x.Title
		case x.Deadline == "":
			lines[i] = "– " + x.Title
		default:
			lines[i] = ShortDate(x.Deadline) + " – " + x.Title
		}
	}
	return strings.Join(lines, "\n")
}

// IndicatorsCell writes a measure's indicators one a line, "name: baseline → target".
func IndicatorsCell(in []domain.MeasureIndicator) string {
	lines := make([]string, len(in))
	for i, x := range in {
		lines[i] = x.Name + ": " + x.Baseline + " → " + x.Target
	}
	return strings.Join(lines, "\n")
}

// LayoutRow is one line of the register spreadsheet, as typed values by column key.
type LayoutRow struct {
	Leaf    Leaf
	Risk    *domain.RiskEntry // nil: a measure no risk refers to
	RiskPos int
	Measure *domain.Measure // nil: a risk without measures
	MeasPos int
	// LinkRef is set when Measure belongs to another leaf's assessment and only treats this risk: the
	// reference "<owner leaf code>#M<n>" the "Chiave misura" column carries instead of this leaf's own key.
	LinkRef string
	// Monitoring is the measure's latest monitoring outcome in words (Meta.MeasureMonitoring).
	Monitoring string
}

// LinkedMeasure is a measure planned by one leaf's assessment as another leaf's rows show it: its owner's
// reference (LinkRef) and its content.
type LinkedMeasure struct {
	Ref     string
	Measure domain.Measure
}

// MeasureRef is how a leaf's rows refer to a measure of another leaf: the owner's code and the measure's
// key on the owner's rows (M1, M2, ...), joined by "#".
func MeasureRef(ownerCode string, pos int) string { return ownerCode + "#M" + strconv.Itoa(pos) }

// layoutRows yields the lines of a leaf: for each risk, one per measure treating it (one with no measure when
// none does; a measure of another leaf found in links is a row with its owner's reference); then one per
// measure of the leaf no risk refers to; withdrawn measures last, marked.
func layoutRows(l Leaf, links map[string]LinkedMeasure, fn func(LayoutRow) error) error {
	pos := map[string]int{}
	own := map[string]*domain.Measure{}
	for i := range l.Assessment.Measures {
		m := &l.Assessment.Measures[i]
		pos[m.Key], pos[m.ID] = i+1, i+1
		own[m.Key], own[m.ID] = m, m
	}
	used := map[*domain.Measure]bool{}
	for i := range l.Assessment.Risks {
		r := &l.Assessment.Risks[i]
		n := 0
		for _, k := range r.Measures {
			if m, ok := own[k]; ok {
				used[m] = true
				n++
				if err := fn(LayoutRow{Leaf: l, Risk: r, RiskPos: i + 1, Measure: m, MeasPos: pos[k]}); err != nil {
					return err
				}
			} else if lm, ok := links[k]; ok {
				n++
				m := lm.Measure
				if err := fn(LayoutRow{Leaf: l, Risk: r, RiskPos: i + 1, Measure: &m, LinkRef: lm.Ref}); err != nil {
					return err
				}
			}
		}
		for j := range l.Assessment.Withdrawn {
			w := &l.Assessment.Withdrawn[j]
			if r.ID != "" && slices.Contains(w.TreatedRisks, r.ID) {
				n++
				if err := fn(LayoutRow{Leaf: l, Risk: r, RiskPos: i + 1, Measure: w}); err != nil {
					return err
				}
			}
		}
		if n == 0 {
			if err := fn(LayoutRow{Leaf: l, Risk: r, RiskPos: i + 1}); err != nil {
				return err
			}
		}
	}
	for i := range l.Assessment.Measures {
		m := &l.Assessment.Measures[i]
		if !used[m] {
			if err := fn(LayoutRow{Leaf: l, Measure: m, MeasPos: i + 1}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Value is a cell of a layout row: text, or a number.
type Value struct {
	Text  string
	Num   *float64
	Date  bool // Num is a date serial
	Level bool
}

func num(f float64) Value { return Value{Num: &f} }

func intValue(i int) Value { return num(float64(i)) }

func labelOf(p domain.Profile, code string) string {
	if l, ok := p.LevelByCode(code); ok {
		return l.Label
	}
	return code
}

// Values returns the cells of a layout row, in the order of cols.
func (r LayoutRow) Values(p domain.Profile, cols []Column) []Value {
	return r.appendValues(nil, p, cols)
}

// appendValues appends the cells of a layout row to out: the register writers reuse one slice for every row.
func (r LayoutRow) appendValues(out []Value, p domain.Profile, cols []Column) []Value {
	start := len(out)
	out = slices.Grow(out, len(cols))[:start+len(cols)]
	l := r.Leaf
	var inherent, residual []domain.IndicatorValue
	if r.Risk != nil {
		inherent = r.Risk.Inherent.Values
		if r.Risk.Residual != nil {
			residual = r.Risk.Residual.Values
		}
	}
	for i, c := range cols {
		v := Value{}
		switch {
		case c.Key == ColMacro:
			v.Text = strings.TrimSpace(l.Macro.Code + " " + l.Macro.Title)
		case c.Key == ColProcess:
			v.Text = strings.TrimSpace(l.Process.Code + " " + l.Process.Title)
		case c.Key == ColCode:
			v.Text = l.Node.Code
		case c.Key == ColTitle:
			v.Text = l.Node.Title
		case c.Key == ColUnits:
			v.Text = strings.Join(l.Node.Units, ", ")
		case c.Key == ColAreas:
			v.Text = strings.Join(l.Node.RiskAreas, ", ")
		case c.Key == ColState:
			v.Text = StateLabels[l.Assessment.State]
		case r.Risk != nil:
			v = r.riskValue(p, c.Key, inherent, residual)
		}
		if m := r.Measure; m != nil && v.Text == "" && v.Num == nil {
			v = r.measureValue(c.Key)
		}
		out[start+i] = v
	}
	return out
}

// valueOf is the judgement's value of indicator code: the last one, should the code repeat. A judgement values
// a handful of indicators; a scan spares a map for each row.
func valueOf(values []domain.IndicatorValue, code string) (domain.IndicatorValue, bool) {
	for i := len(values) - 1; i >= 0; i-- {
		if values[i].Code == code {
			return values[i], true
		}
	}
	return domain.IndicatorValue{}, false
}

func (r LayoutRow) riskValue(p domain.Profile, key string, inherent, residual []domain.IndicatorValue) Value {
	k := r.Risk
	switch key {
	case ColRiskNo:
		return intValue(r.RiskPos)
	case ColEventCode:
		return Value{Text: k.EventCode}
	case ColEvent:
		return Value{Text: k.EventDescription}
	case ColContext:
		return Value{Text: k.Context}
	case ColFactors:
		return Value{Text: strings.Join(k.EnablingFactors, ", ")}
	case ColLikelihood:
		if k.InherentScore != nil {
			return num(k.InherentScore.Likelihood)
		}
	case ColImpact:
		if k.InherentScore != nil {
			return num(k.InherentScore.Impact)
		}
	case ColLevel:
		if k.InherentScore != nil {
			return Value{Text: labelOf(p, k.InherentScore.Level), Level: true}
		}
	case ColReason:
		return Value{Text: k.Inherent.Reason}
	case ColLikelihoodManual:
		if k.Inherent.LikelihoodManual != nil {
			return intValue(*k.Inherent.LikelihoodManual)
		}
	case ColImpactManual:
		if k.Inherent.ImpactManual != nil {
			return intValue(*k.Inherent.ImpactManual)
		}
	case ColManualReason:
		return Value{Text: k.Inherent.ManualReason}
	case ColOverrideLevel:
		if o := k.Inherent.Override; o != nil {
			return Value{Text: labelOf(p, o.Level)}
		}
	case ColOverrideReason:
		if o := k.Inherent.Override; o != nil {
			return Value{Text: o.Reason}
		}
	case ColDecision:
		return Value{Text: DecisionLabels[k.Decision]}
	case ColPriority:
		if k.Priority > 0 {
			return intValue(k.Priority)
		}
	case ColResidualReason:
		if k.Residual != nil {
			return Value{Text: k.Residual.Reason}
		}
	case ColResidualLevel:
		if k.ResidualScore != nil {
			return Value{Text: labelOf(p, k.ResidualScore.Level), Level: true}
		}
	}
	values, code := inherent, key
	if strings.HasPrefix(key, ResidualPrefix) {
		values, code = residual, strings.TrimPrefix(key, ResidualPrefix)
	}
	// "ind:<code>:<value|reason>", with no other colon (read without splitting: this runs for every cell).
	if rest, ok := strings.CutPrefix(code, "ind:"); ok {
		if ind, kind, ok := strings.Cut(rest, ":"); ok && !strings.Contains(kind, ":") {
			if iv, ok := valueOf(values, ind); ok {
				if kind == "value" {
					return intValue(iv.Value)
				}
				return Value{Text: iv.Reason}
			}
		}
	}
	return Value{}
}

func (r LayoutRow) measureValue(key string) Value {
	m := r.Measure
	date := func(s string) Value {
		if f, ok := excelSerial(s); ok {
			return Value{Num: &f, Date: true}
		}
		return Value{Text: s}
	}
	switch key {
	case ColMeasureKey:
		if r.LinkRef != "" {
			return Value{Text: r.LinkRef}
		}
		if m.WithdrawnAt == nil {
			return Value{Text: "M" + strconv.Itoa(r.MeasPos)}
		}
	case ColNature:
		return Value{Text: NatureLabels[m.Nature]}
	case ColGeneralCode:
		return Value{Text: m.GeneralCode}
	case ColMeasureType:
		return Value{Text: m.Type}
	case ColMeasure:
		return Value{Text: m.Title}
	case ColDescription:
		return Value{Text: m.Description}
	case ColMeasureUnit:
		return Value{Text: m.Unit}
	case ColOwner:
		return Value{Text: m.Owner}
	case ColStart:
		return date(m.Start)
	case ColEnd:
		return date(m.End)
	case ColMeasureStatus:
		if m.WithdrawnAt != nil {
			return Value{Text: fmt.Sprintf("%s il %s: %s", WithdrawnPrefix, m.WithdrawnAt.Format("02/01/2006"), m.WithdrawnReason)}
		}
		return Value{Text: MeasureStatusLabels[m.Status]}
	case ColPhases:
		return Value{Text: PhasesCell(m.Phases)}
	case ColIndicators:
		return Value{Text: IndicatorsCell(m.Indicators)}
	case ColObjective:
		return Value{Text: m.StrategicObjective}
	case ColCostNote:
		return Value{Text: m.CostNote}
	case ColMeasureFactors:
		return Value{Text: strings.Join(m.EnablingFactors, ", ")}
	case ColMonitoring:
		return Value{Text: r.Monitoring}
	}
	return Value{}
}

// dateOfSerial is the YYYY-MM-DD date of a spreadsheet serial number.
func dateOfSerial(f float64) string {
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f)).Format("2006-01-02")
}

// decisions and states are the Italian labels under the names the other writers use.
var (
	decisions = DecisionLabels
	states    = StateLabels
)
