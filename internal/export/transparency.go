package export

import (
	"errors"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// OIVGridHeaders are the columns of ANAC's yearly "griglia di rilevazione" for the OIV's attestation of the
// publication obligations (the layout of the attestation delibere: the obligation's sub-sections, reference,
// name, content and update frequency, then the five scores and notes). Publication is 0 or 2, the others 0 to
// 3; an empty score is n/a.
var OIVGridHeaders = []string{
	"Denominazione sotto-sezione livello 1 (Macrofamiglie)",
	"Denominazione sotto-sezione 2 livello (Tipologie di dati)",
	"Riferimento normativo",
	"Denominazione del singolo obbligo",
	"Contenuti dell'obbligo",
	"Aggiornamento",
	"Ufficio che produce il dato",
	"Ufficio che pubblica il dato",
	"Pubblicazione nella sezione «Amministrazione trasparente» del sito istituzionale (da 0 a 2)",
	"Completezza del contenuto (da 0 a 3)",
	"Completezza rispetto agli uffici (da 0 a 3)",
	"Aggiornamento (da 0 a 3)",
	"Apertura formato (da 0 a 3)",
	"Note",
}

// OIVGridRow is one obligation of the grid with its scores (nil: n/a, or not yet recorded).
type OIVGridRow struct {
	Section, Subsection, Reference, Obligation, Content, Frequency, ProducingUnit, PublishingUnit string
	Published, CompleteContent, CompleteOffices, UpToDate, OpenFormat                             *int
	Notes                                                                                         string
	Recorded                                                                                      bool // false: nothing recorded in the round (the scores stay blank)
}

// OIVGridHeader identifies the body and the survey, as the grid's heading does.
type OIVGridHeader struct {
	Ente          string
	ReferenceDate string // data di svolgimento della rilevazione (the round's reference date)
	Cycle         string
}

// WriteOIVGridXLSX writes the OIV attestation grid of a round.
func WriteOIVGridXLSX(w io.Writer, h OIVGridHeader, rows []OIVGridRow) (err error) {
	f := excelize.NewFile()
	defer func() { err = errors.Join(err, f.Close()) }()
	const sheet = "Griglia di rilevazione"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	widths := []float64{28, 30, 26, 36, 48, 14, 16, 16, 16, 14, 14, 14, 14, 30}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	heading := [][]any{
		{excelize.Cell{StyleID: bold, Value: "Griglia di rilevazione sull'assolvimento degli obblighi di pubblicazione"}},
		{excelize.Cell{StyleID: bold, Value: "Denominazione ente"}, h.Ente},
		{excelize.Cell{StyleID: bold, Value: "Data di svolgimento della rilevazione"}, h.ReferenceDate},
		{excelize.Cell{StyleID: bold, Value: "Ciclo PIAO"}, h.Cycle},
	}
	for i, r := range heading {
		if err := sw.SetRow("A"+strconv.Itoa(i+1), r); err != nil {
			return err
		}
	}
	head := make([]any, len(OIVGridHeaders))
	for i, t := range OIVGridHeaders {
		head[i] = excelize.Cell{StyleID: bold, Value: t}
	}
	if err := sw.SetRow("A6", head); err != nil {
		return err
	}
	for i, r := range rows {
		score := func(v *int) any {
			switch {
			case !r.Recorded:
				return ""
			case v == nil:
				return "n/a"
			}
			return *v
		}
		cells := []any{r.Section, r.Subsection, r.Reference, r.Obligation, r.Content, r.Frequency, r.ProducingUnit, r.PublishingUnit,
			score(r.Published), score(r.CompleteContent), score(r.CompleteOffices), score(r.UpToDate), score(r.OpenFormat), r.Notes}
		row := make([]any, len(cells))
		for j, c := range cells {
			row[j] = excelize.Cell{StyleID: wrap, Value: c}
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+7), row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
