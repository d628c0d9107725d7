package export

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/xuri/excelize/v2"
)

// Summary is what the Giunta's PDF and the annual-report workbook count.
type Summary struct {
	Risks          int
	ByLevel        map[string]int
	ByArea         map[string]int
	Heat           map[[2]int]int // inherent cells
	MeasuresByType map[string]int
	MeasuresByStat map[string]int
	GeneralByCode  map[string]int
	Measures       []MeasureLine
}

// MeasureLine is one measure of the measures plan.
type MeasureLine struct {
	Leaf, Title, Type, Unit, End, Indicators string
}

// Summarise counts a register.
func Summarise(src Source) (Summary, error) {
	s := Summary{ByLevel: map[string]int{}, ByArea: map[string]int{}, Heat: map[[2]int]int{}, MeasuresByType: map[string]int{},
		MeasuresByStat: map[string]int{}, GeneralByCode: map[string]int{}}
	err := src.Each(func(l Leaf) error {
		for _, r := range l.Assessment.Risks {
			s.Risks++
			if sc := r.InherentScore; sc != nil {
				s.ByLevel[sc.Level]++
				s.Heat[sc.Cell]++
			}
			for _, a := range l.Node.RiskAreas {
				s.ByArea[a]++
			}
		}
		for _, m := range l.Assessment.Measures {
			s.MeasuresByType[m.Type]++
			s.MeasuresByStat[string(m.Status)]++
			if m.Nature == "general" {
				s.GeneralByCode[m.GeneralCode]++
			}
			var ind []string
			for _, i := range m.Indicators {
				ind = append(ind, i.Name+" (valore atteso "+i.Target+")")
			}
			s.Measures = append(s.Measures, MeasureLine{Leaf: l.Node.Code, Title: m.Title, Type: m.Type, Unit: m.Unit, End: m.End,
				Indicators: strings.Join(ind, "; ")})
		}
		return nil
	})
	return s, err
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// WritePDF writes the register summary for the Giunta: counts by level and area, the heat map as a table with
// counts in every cell, and the measures plan. Text is real text (not images), with document metadata.
func WritePDF(w io.Writer, src Source) error {
	meta := src.Meta()
	s, err := Summarise(src)
	if err != nil {
		return err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252 covers the Italian letters
	title := fmt.Sprintf("Registro dei rischi corruttivi – ciclo %s", meta.Cycle)
	pdf.SetTitle(tr(title), false)
	pdf.SetAuthor(tr(meta.Ente), false)
	pdf.SetSubject(tr("Sottosezione 2.3 del PIAO – Rischi corruttivi e trasparenza"), false)
	pdf.SetCreator("Argine", false)
	pdf.SetCreationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) // fixed: the same register gives the same file
	pdf.SetCompression(false)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 14)
	pdf.MultiCell(0, 7, tr(title), "", "L", false)
	pdf.SetFont("Helvetica", "", 10)
	status := "BOZZA – registro non ancora adottato"
	if meta.Adopted {
		status = "Adottato con " + meta.Deliberation + " – impronta SHA-256 " + meta.SnapshotHash
	}
	pdf.MultiCell(0, 5, tr(meta.Ente+" – "+status), "", "L", false)
	pdf.Ln(3)
	section := func(t string) {
		pdf.Ln(2)
		pdf.SetFont("Helvetica", "B", 12)
		pdf.MultiCell(0, 6, tr(t), "", "L", false)
		pdf.SetFont("Helvetica", "", 10)
	}
	section(fmt.Sprintf("Rischi valutati: %d", s.Risks))
	for _, l := range meta.Methodology.RiskLevels {
		pdf.CellFormat(60, 6, tr("Livello "+l.Label), "1", 0, "L", false, 0, "")
		pdf.CellFormat(30, 6, strconv.Itoa(s.ByLevel[l.Code]), "1", 1, "R", false, 0, "")
	}
	section("Rischi per area di rischio")
	for _, a := range sortedKeys(s.ByArea) {
		pdf.CellFormat(60, 6, tr("Area "+a), "1", 0, "L", false, 0, "")
		pdf.CellFormat(30, 6, strconv.Itoa(s.ByArea[a]), "1", 1, "R", false, 0, "")
	}
	section("Mappa di calore (rischio inerente: probabilità in riga, impatto in colonna)")
	lik, imp := meta.Methodology.LikelihoodScale, meta.Methodology.ImpactScale
	pdf.CellFormat(40, 6, tr("Probabilità \\ Impatto"), "1", 0, "C", false, 0, "")
	for _, i := range imp {
		pdf.CellFormat(24, 6, tr(i.Label), "1", 0, "C", false, 0, "")
	}
	pdf.Ln(-1)
	for li := len(lik) - 1; li >= 0; li-- {
		pdf.CellFormat(40, 6, tr(lik[li].Label), "1", 0, "L", false, 0, "")
		for _, i := range imp {
			pdf.CellFormat(24, 6, strconv.Itoa(s.Heat[[2]int{lik[li].Value, i.Value}]), "1", 0, "C", false, 0, "")
		}
		pdf.Ln(-1)
	}
	section(fmt.Sprintf("Piano delle misure (%d)", len(s.Measures)))
	pdf.SetFont("Helvetica", "", 8)
	for _, m := range s.Measures {
		pdf.MultiCell(0, 4, tr(fmt.Sprintf("%s – %s [%s] – unità %s – entro %s – %s", m.Leaf, m.Title, m.Type, m.Unit, m.End, m.Indicators)), "B", "L", false)
	}
	return pdf.Output(w)
}

// WriteAnnualReportXLSX writes the figures the ANAC annual report of the RPCT asks about measures: counts by
// type and status, general measures, and the monitoring results of the latest round.
func WriteAnnualReportXLSX(w io.Writer, src Source, monitoring map[string]int) error {
	meta := src.Meta()
	s, err := Summarise(src)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheets := []struct {
		name string
		rows [][]any
	}{
		{"Misure per tipologia", nil}, {"Misure per stato", nil}, {"Misure generali", nil}, {"Monitoraggio", nil},
	}
	sheets[0].rows = [][]any{{"Tipologia", "Numero di misure"}}
	for _, k := range sortedKeys(s.MeasuresByType) {
		sheets[0].rows = append(sheets[0].rows, []any{k, s.MeasuresByType[k]})
	}
	sheets[1].rows = [][]any{{"Stato di programmazione", "Numero di misure"}}
	for _, k := range sortedKeys(s.MeasuresByStat) {
		sheets[1].rows = append(sheets[1].rows, []any{k, s.MeasuresByStat[k]})
	}
	sheets[2].rows = [][]any{{"Misura generale", "Numero di applicazioni"}}
	for _, k := range sortedKeys(s.GeneralByCode) {
		sheets[2].rows = append(sheets[2].rows, []any{k, s.GeneralByCode[k]})
	}
	sheets[3].rows = [][]any{{"Stato di attuazione (ultimo monitoraggio)", "Numero di misure"}}
	for _, k := range sortedKeys(monitoring) {
		sheets[3].rows = append(sheets[3].rows, []any{k, monitoring[k]})
	}
	for i, sh := range sheets {
		if i == 0 {
			f.SetSheetName("Sheet1", sh.name)
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
		for r, row := range sh.rows {
			if err := f.SetSheetRow(sh.name, "A"+strconv.Itoa(r+1), &row); err != nil {
				return err
			}
		}
		f.SetColWidth(sh.name, "A", "A", 45)
		f.SetColWidth(sh.name, "B", "B", 22)
	}
	f.SetDocProps(&excelize.DocProperties{Title: "Dati per la relazione annuale del RPCT – " + meta.Cycle, Creator: "Argine"})
	return f.Write(w)
}
