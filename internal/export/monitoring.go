package export

import (
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// RoundLine is one measure in a monitoring report.
type RoundLine struct {
	Leaf, Measure, Unit, Status, Reason, Indicators, Check, Suitability string
	Sampled, Overdue                                                    bool
}

// MonitoringHeaders are the Italian headers of the monitoring report.
var MonitoringHeaders = []string{"Azione", "Misura", "Unità", "Stato di attuazione", "Motivazione", "Valori degli indicatori",
	"Verifica di secondo livello", "Idoneità", "Nel campione", "In ritardo"}

// WriteMonitoringXLSX writes the report of a monitoring round.
func WriteMonitoringXLSX(w io.Writer, title string, lines []RoundLine) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Monitoraggio"
	f.SetSheetName("Sheet1", sheet)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: title}})
	head := make([]any, len(MonitoringHeaders))
	for i, h := range MonitoringHeaders {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	sw.SetRow("A2", head)
	yes := func(b bool) string {
		if b {
			return "sì"
		}
		return "no"
	}
	for i, l := range lines {
		row := []any{l.Leaf, l.Measure, l.Unit, strings.ReplaceAll(l.Status, "_", " "), l.Reason, l.Indicators, l.Check,
			l.Suitability, yes(l.Sampled), yes(l.Overdue)}
		if err := sw.SetRow("A"+strconv.Itoa(i+3), row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
