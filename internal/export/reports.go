package export

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

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
	Measures       int
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
			s.Measures++
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
// counts in every cell, and the measures plan. Text is real text (not images), with document metadata. It
// reads the register twice (counts, then the plan) and writes pages as they fill, so memory stays bounded.
func WritePDF(w io.Writer, src Source) error {
	meta := src.Meta()
	s, err := Summarise(src)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("Registro dei rischi corruttivi – ciclo %s", meta.Cycle)
	p := newPDFStream(w, map[string]string{"Title": title, "Author": meta.Ente, "Creator": "Argine", "Producer": "Argine",
		"Subject": "Sottosezione 2.3 del PIAO – Rischi corruttivi e trasparenza"})
	p.text(title, 15, true)
	status := "BOZZA – registro non ancora adottato"
	if meta.Adopted {
		status = "Adottato con " + meta.Deliberation + " – impronta SHA-256 " + meta.SnapshotHash
	}
	p.text(meta.Ente+" – "+status, 9, false)
	if meta.Adopted {
		// The hash on a line of its own: wrapped, it would still be one word, but it reads better whole.
		p.text(fmt.Sprintf("Traccia di audit all'adozione: record n. %d, impronta SHA-256", meta.AuditHeadSeq), 9, false)
		p.text(meta.AuditHeadHash, 9, false)
	}
	p.gap(8)
	p.text(fmt.Sprintf("Rischi valutati: %d", s.Risks), 12, true)
	for _, l := range meta.Methodology.RiskLevels {
		p.row([]string{"Livello " + l.Label, strconv.Itoa(s.ByLevel[l.Code])}, []float64{160, 60}, 9, false)
	}
	p.gap(8)
	p.text("Rischi per area di rischio", 12, true)
	for _, a := range sortedKeys(s.ByArea) {
		p.row([]string{"Area " + a, strconv.Itoa(s.ByArea[a])}, []float64{160, 60}, 9, false)
	}
	p.gap(8)
	p.text("Mappa di calore (rischio inerente: probabilità in riga, impatto in colonna)", 12, true)
	lik, imp := meta.Methodology.LikelihoodScale, meta.Methodology.ImpactScale
	widths := []float64{110}
	head := []string{"Probabilità \\ Impatto"}
	for _, i := range imp {
		widths = append(widths, 60)
		head = append(head, i.Label)
	}
	p.row(head, widths, 8, true)
	for li := len(lik) - 1; li >= 0; li-- {
		cells := []string{lik[li].Label}
		for _, i := range imp {
			cells = append(cells, strconv.Itoa(s.Heat[[2]int{lik[li].Value, i.Value}]))
		}
		p.row(cells, widths, 8, false)
	}
	p.gap(8)
	p.text(fmt.Sprintf("Piano delle misure (%d)", s.Measures), 12, true)
	err = src.Each(func(l Leaf) error {
		for _, m := range l.Assessment.Measures {
			var ind []string
			for _, i := range m.Indicators {
				ind = append(ind, i.Name+" (valore atteso "+i.Target+")")
			}
			p.text(fmt.Sprintf("%s – %s [%s] – unità %s – entro %s – %s", l.Node.Code, m.Title, m.Type, m.Unit, m.End,
				strings.Join(ind, "; ")), 8, false)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return p.close()
}

// WriteAnnualReportXLSX writes the figures the ANAC annual report of the RPCT asks about measures: counts by
// type and status, general measures, and the monitoring results of the latest round.
func WriteAnnualReportXLSX(w io.Writer, src Source, monitoring map[string]int) (err error) {
	meta := src.Meta()
	s, err := Summarise(src)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	// Close removes excelize's temporary files, if any: a failure leaves them on disk, so it is reported.
	defer func() { err = errors.Join(err, f.Close()) }()
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
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
		for r, row := range sh.rows {
			if err := f.SetSheetRow(sh.name, "A"+strconv.Itoa(r+1), &row); err != nil {
				return err
			}
		}
		if err := f.SetColWidth(sh.name, "A", "A", 45); err != nil {
			return err
		}
		if err := f.SetColWidth(sh.name, "B", "B", 22); err != nil {
			return err
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: "Dati per la relazione annuale del RPCT – " + meta.Cycle, Creator: "Argine"}); err != nil {
		return err
	}
	return f.Write(w)
}
