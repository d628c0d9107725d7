package export

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/domain"
)

// TemplateLists are the codes the import template offers in its drop-down lists: each a code and its name.
type TemplateLists struct {
	Areas, MeasureTypes, Units, Objectives, GeneralMeasures, Events, EnablingFactors []domain.RefItem
}

// TemplateSheet, ListsSheet and InstructionsSheet name the sheets of registro-modello.xlsx.
const (
	TemplateSheet     = RegisterSheet
	ListsSheet        = "Elenchi"
	InstructionsSheet = "Istruzioni"
)

// WriteImportTemplate writes registro-modello.xlsx: the register sheet with the layout's headers (the same
// as registro.xlsx, so a filled template and an export import alike) and drop-down lists on the coded
// columns (indicator scales, levels, ponderazione, measure types, units, areas, statuses), the lists on
// their own sheet, and the instructions in Italian. The file is small: it is built in memory.
func WriteImportTemplate(w io.Writer, p domain.Profile, lists TemplateLists) (err error) {
	f := excelize.NewFile()
	defer func() { err = errors.Join(err, f.Close()) }()
	if err := f.SetSheetName("Sheet1", TemplateSheet); err != nil {
		return err
	}
	cols := RegisterLayout(p)
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	grey, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "808080"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	dateStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy")})
	if err := f.SetCellValue(TemplateSheet, "A1", "Registro dei rischi – modello per l'importazione (leggere il foglio «Istruzioni»)"); err != nil {
		return err
	}
	col := map[string]string{}
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		col[c.Key] = name
		if err := f.SetCellValue(TemplateSheet, name+"2", c.Header); err != nil {
			return err
		}
		style := bold
		if !c.Import {
			style = grey
		}
		if err := f.SetCellStyle(TemplateSheet, name+"2", name+"2", style); err != nil {
			return err
		}
		if err := f.SetColWidth(TemplateSheet, name, name, c.Width); err != nil {
			return err
		}
		if c.Kind == KindDate {
			if err := f.SetCellStyle(TemplateSheet, name+"3", name+"5000", dateStyle); err != nil {
				return err
			}
		}
	}
	if err := f.SetPanes(TemplateSheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	if err := f.AutoFilter(TemplateSheet, "A2:"+last+"2", nil); err != nil {
		return err
	}
	// The lists, one column each on the lists sheet; validations refer to their ranges.
	if _, err := f.NewSheet(ListsSheet); err != nil {
		return err
	}
	listCol := 0
	addList := func(title string, values []string) (string, error) {
		listCol++
		name, _ := excelize.ColumnNumberToName(listCol)
		if err := f.SetCellValue(ListsSheet, name+"1", title); err != nil {
			return "", err
		}
		for i, v := range values {
			if err := f.SetCellValue(ListsSheet, name+strconv.Itoa(i+2), v); err != nil {
				return "", err
			}
		}
		n := max(len(values), 1) + 1
		return fmt.Sprintf("'%s'!$%s$2:$%s$%d", ListsSheet, name, name, n), nil
	}
	validate := func(key, ref, prompt string) error {
		c, ok := col[key]
		if !ok {
			return nil
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(c + "3:" + c + "5000")
		dv.SetSqrefDropList(ref)
		dv.SetError(excelize.DataValidationErrorStyleStop, "Valore non ammesso", "Scegliere un valore dall'elenco: "+prompt)
		return f.AddDataValidation(TemplateSheet, dv)
	}
	codes := func(items []domain.RefItem) []string {
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = it.Code
		}
		return out
	}
	var levels []string
	for _, l := range p.RiskLevels {
		levels = append(levels, l.Label)
	}
	var decisionsList []string
	for _, d := range []domain.Decision{domain.DecisionTreat, domain.DecisionKeep, domain.DecisionAnalyse} {
		decisionsList = append(decisionsList, DecisionLabels[d])
	}
	var statuses []string
	for _, s := range []domain.MeasureStatus{domain.MeasureNew, domain.MeasureConfirmed, domain.MeasureModified, domain.MeasureDropped} {
		statuses = append(statuses, MeasureStatusLabels[s])
	}
	fixed := []struct {
		keys   []string
		title  string
		values []string
	}{
		{[]string{ColAreas}, "Aree di rischio", codes(lists.Areas)},
		{[]string{ColMeasureType}, "Tipologie di misura", codes(lists.MeasureTypes)},
		{[]string{ColMeasureUnit}, "Unità organizzative", codes(lists.Units)},
		{[]string{ColObjective}, "Obiettivi strategici", codes(lists.Objectives)},
		{[]string{ColGeneralCode}, "Misure generali", codes(lists.GeneralMeasures)},
		{[]string{ColEventCode}, "Eventi rischiosi", codes(lists.Events)},
		{[]string{ColOverrideLevel}, "Livelli di rischio", levels},
		{[]string{ColDecision}, "Ponderazione", decisionsList},
		{[]string{ColNature}, "Natura della misura", []string{NatureLabels["general"], NatureLabels["specific"]}},
		{[]string{ColMeasureStatus}, "Stato della misura", statuses},
	}
	for _, l := range fixed {
		ref, err := addList(l.title, l.values)
		if err != nil {
			return err
		}
		for _, k := range l.keys {
			if err := validate(k, ref, l.title); err != nil {
				return err
			}
		}
	}
	scale := func(levels []domain.ScaleLevel) []string {
		out := make([]string, len(levels))
		for i, l := range levels {
			out[i] = strconv.Itoa(l.Value)
		}
		return out
	}
	for _, ind := range append(append([]domain.Indicator{}, p.LikelihoodIndicators...), p.ImpactIndicators...) {
		ref, err := addList("Scala "+ind.Code, scale(ind.Levels))
		if err != nil {
			return err
		}
		for _, k := range []string{IndicatorValueKey(ind.Code), ResidualPrefix + IndicatorValueKey(ind.Code)} {
			if err := validate(k, ref, "un valore della scala di "+ind.Code); err != nil {
				return err
			}
		}
	}
	if ref, err := addList("Scala della probabilità", scale(p.LikelihoodScale)); err != nil {
		return err
	} else if err := validate(ColLikelihoodManual, ref, "un valore della scala"); err != nil {
		return err
	}
	if ref, err := addList("Scala dell'impatto", scale(p.ImpactScale)); err != nil {
		return err
	} else if err := validate(ColImpactManual, ref, "un valore della scala"); err != nil {
		return err
	}
	// Instructions.
	if _, err := f.NewSheet(InstructionsSheet); err != nil {
		return err
	}
	lines := []string{
		"Come compilare il registro per importarlo in Argine",
		"",
		"1. Una riga per ogni misura di ogni rischio di ogni attività (azione) della mappatura. Un rischio senza misure occupa una riga con le colonne della misura vuote; una misura che non tratta rischi, una riga con le colonne del rischio vuote.",
		"2. «Codice» è il codice della foglia della mappatura del ciclo; «Attività / azione» il suo titolo: Argine li confronta con la mappatura e chiede conferma quando il titolo non corrisponde (la numerazione di altre mappature può essere spostata).",
		"3. «N. rischio» numera i rischi dell'attività (1, 2, …): le colonne del rischio si ripetono uguali su ogni riga delle sue misure.",
		"4. «Chiave misura» (M1, M2, …) identifica la misura nell'attività: la stessa chiave su più righe è la stessa misura, con le stesse colonne.",
		"5. I valori degli indicatori sono numeri della scala dell'indicatore (vedere il foglio «Elenchi»); la motivazione va nella colonna accanto.",
		"6. Le date si scrivono gg/mm/aaaa (o come date del foglio di calcolo); i numeri possono avere la virgola decimale.",
		"7. «Fasi e scadenze»: una fase per riga della cella, «gg/mm/aaaa – titolo» (la scadenza) oppure «dal gg/mm/aaaa al gg/mm/aaaa – titolo» (inizio e fine della fase). «Indicatori e valori attesi»: uno per riga, «nome: valore di partenza → valore atteso».",
		"8. Le colonne con l'intestazione grigia (macro-processo, processo, unità, aree, stato, probabilità, impatto, livelli) sono calcolate o vengono dalla mappatura: l'importazione non le legge.",
		"9. Si importa prima in prova (anteprima): Argine elenca ogni problema con foglio, riga e colonna, e che cosa creerebbe o aggiornerebbe. L'importazione vera scrive tutto insieme, solo nelle valutazioni in bozza o restituite, mai in quelle inviate o approvate; se il file ha problemi non scrive nulla.",
		"10. Importare di nuovo lo stesso file non cambia nulla. Un registro esportato da Argine (registro.xlsx o registro-excel.csv) si reimporta così com'è.",
		"11. Per un registro con colonne proprie dell'ente, nella pagina di importazione si abbina ogni colonna del file a quella di Argine; l'abbinamento resta salvato per l'anno successivo.",
		"",
		"Metodologia del ciclo: " + p.Name,
	}
	for i, l := range lines {
		if err := f.SetCellValue(InstructionsSheet, "A"+strconv.Itoa(i+1), l); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(InstructionsSheet, "A", "A", 140); err != nil {
		return err
	}
	idx, _ := f.GetSheetIndex(InstructionsSheet)
	f.SetActiveSheet(idx)
	return f.Write(w)
}

func ptr[T any](v T) *T { return &v }
