package export

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/xuri/excelize/v2"
)

// RoundLine is one measure in a monitoring report.
type RoundLine struct {
	Leaf, Measure, Unit, Status, Reason, Indicators, Check, Suitability string
	Sampled, Overdue                                                    bool
	Outdated                                                            bool // the self-assessment changed after the check
	// SampleReason says, in Italian, why the measure was drawn for the second-level check ('' when not drawn).
	SampleReason string
}

// SampleReasonText is the Italian wording of why a measure was drawn (high_risk, overdue, random with its
// stratum).
func SampleReasonText(reason, stratum string) string {
	switch reason {
	case "high_risk":
		return "tratta un rischio alto"
	case "overdue":
		return "misura scaduta e non attuata"
	case "random":
		if stratum != "" {
			return "estrazione casuale nello strato " + stratum
		}
		return "estrazione casuale"
	}
	return ""
}

// MonitoringHeaders are the Italian headers of the monitoring report.
var MonitoringHeaders = []string{"Azione", "Misura", "Unità", "Stato di attuazione", "Motivazione", "Valori degli indicatori",
	"Verifica di secondo livello", "Idoneità", "Nel campione", "In ritardo", "Motivo dell'estrazione"}

// WriteMonitoringXLSX writes the report of a monitoring round.
func WriteMonitoringXLSX(w io.Writer, title string, lines []RoundLine) (err error) {
	f := excelize.NewFile()
	// Close removes the stream writer's temporary files: a failure leaves them on disk, so it is reported.
	defer func() { err = errors.Join(err, f.Close()) }()
	const sheet = "Monitoraggio"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: title}}); err != nil {
		return err
	}
	head := make([]any, len(MonitoringHeaders))
	for i, h := range MonitoringHeaders {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A2", head); err != nil {
		return err
	}
	yes := func(b bool) string {
		if b {
			return "sì"
		}
		return "no"
	}
	for i, l := range lines {
		row := []any{l.Leaf, l.Measure, l.Unit, strings.ReplaceAll(l.Status, "_", " "), l.Reason, l.Indicators, l.Check,
			l.Suitability, yes(l.Sampled), yes(l.Overdue), l.SampleReason}
		if err := sw.SetRow("A"+strconv.Itoa(i+3), row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// WriteMonitoringPDF writes the report of a monitoring round as a text-based PDF with document metadata.
func WriteMonitoringPDF(w io.Writer, title string, lines []RoundLine) error {
	pdf := fpdf.New("L", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetTitle(tr(title), false)
	pdf.SetCreator("Argine", false)
	pdf.SetCreationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	pdf.SetCompression(false)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 13)
	pdf.MultiCell(0, 7, tr(title), "", "L", false)
	counts := map[string]int{}
	for _, l := range lines {
		counts[l.Status]++
	}
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(0, 6, tr(fmt.Sprintf("Misure: %d", len(lines))), "", "L", false)
	outdated := 0
	for _, l := range lines {
		if l.Outdated {
			outdated++
		}
	}
	if outdated > 0 {
		pdf.MultiCell(0, 5, tr(fmt.Sprintf("Verifiche superate (autovalutazione cambiata dopo la verifica): %d", outdated)), "", "L", false)
	}
	for _, k := range sortedKeys(counts) {
		pdf.MultiCell(0, 5, tr(fmt.Sprintf("%s: %d", strings.ReplaceAll(k, "_", " "), counts[k])), "", "L", false)
	}
	pdf.Ln(2)
	pdf.SetFont("Helvetica", "", 8)
	for _, l := range lines {
		late := ""
		if l.Overdue {
			late = " – IN RITARDO"
		}
		if l.SampleReason != "" {
			late += " – nel campione: " + l.SampleReason
		}
		pdf.MultiCell(0, 4, tr(fmt.Sprintf("%s – %s (unità %s): %s%s. %s %s %s", l.Leaf, l.Measure, l.Unit,
			strings.ReplaceAll(l.Status, "_", " "), late, l.Reason, l.Check, l.Suitability)), "B", "L", false)
	}
	return pdf.Output(w)
}
