package service_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
)

// BenchmarkDocuments writes the register annex (ODT, DOCX, PDF), registro.xlsx and the annual report of a
// synthetic live register of 1,500 actions (3,000 risks, 3,000 measures), with the peak heap. Each iteration
// reads the register and writes the document, as a download does. The PDF is Argine's own writer (the
// renderer DetectRenderer returns by default).
func BenchmarkDocuments(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		w := newWorkflowBench(b, open(b), 1500)
		benchAnalyze(b, w.x.store)
		cycles := service.NewCycles(w.x.store, w.x.authz, w.x.reg, w.x.maps)
		ctx := context.Background()
		r := document.DetectRenderer()
		formats := map[string]func(io.Writer, *document.Document) error{
			"odt": document.WriteODT, "docx": document.WriteDOCX,
			"pdf": func(out io.Writer, d *document.Document) error { return r.WritePDF(ctx, out, d) },
		}
		for _, name := range []string{"odt", "docx", "pdf"} {
			write := formats[name]
			b.Run("annex-"+name+"/actions=1500", func(b *testing.B) {
				if name == "pdf" && !r.Available() {
					b.Skip("no PDF renderer: LibreOffice chosen with " + document.EnginePDFVar + " and not installed")
				}
				var size int
				peak := samplePeakHeap(func() {
					for i := 0; i < b.N; i++ {
						doc, err := cycles.RegisterAnnex(ctx, w.x.oiv, "2026-2028")
						if err != nil {
							b.Fatal(err)
						}
						var out bytes.Buffer
						if err := write(&out, doc.Doc); err != nil {
							b.Fatal(err)
						}
						size = out.Len()
					}
				})
				b.ReportMetric(peak, "peak-heap-MB")
				b.ReportMetric(float64(size)/(1<<20), "file-MB")
			})
		}
		b.Run("registro-xlsx/actions=1500", func(b *testing.B) {
			var size int
			peak := samplePeakHeap(func() {
				for i := 0; i < b.N; i++ {
					src, err := cycles.ExportSource(ctx, w.x.oiv, "2026-2028")
					if err != nil {
						b.Fatal(err)
					}
					var out bytes.Buffer
					if err := export.WriteXLSX(&out, src); err != nil {
						b.Fatal(err)
					}
					size = out.Len()
				}
			})
			b.ReportMetric(peak, "peak-heap-MB")
			b.ReportMetric(float64(size)/(1<<20), "file-MB")
		})
		b.Run("relazione-annuale/actions=1500", func(b *testing.B) {
			peak := samplePeakHeap(func() {
				for i := 0; i < b.N; i++ {
					data, err := cycles.AnnualReport(ctx, w.x.oiv, "2026-2028")
					if err != nil {
						b.Fatal(err)
					}
					if err := export.WriteAnnualReport(io.Discard, data.Source, data.Names, data.Rounds); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.ReportMetric(peak, "peak-heap-MB")
		})
	})
}
