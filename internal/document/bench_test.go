package document_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/document"
)

// annexLike is a document shaped like the register annex of n actions: per action two risks and two
// measures, in one process (the largest tables), with coloured level cells and multi-line cells.
func annexLike(n int) *document.Document {
	d := &document.Document{Title: "Registro dei rischi corruttivi – ciclo 2026-2028", Author: "Camera di commercio di Prova", Language: "it-IT",
		Header: "BOZZA – Camera di commercio di Prova – Registro dei rischi corruttivi – ciclo 2026-2028", FooterText: "Prodotto con Argine",
		Watermark: "BOZZA", Landscape: true, Date: time.Date(2027, 1, 28, 0, 0, 0, 0, time.UTC),
		Cover: &document.Cover{Title: "Registro dei rischi corruttivi", Subtitle: "Camera di commercio di Prova\nPIAO, sottosezione 2.3 – ciclo 2026-2028"}}
	measures := &document.Table{Caption: "Misure", Widths: []float64{2.2, 3.2, 1.6, 1.8, 1.4, 3, 1.6, 1.2},
		Header: []string{"Attività", "Misura", "Tipologia", "Unità responsabile", "Responsabile", "Fasi e scadenze", "Periodo", "Stato"}}
	risks := &document.Table{Caption: "Rischi valutati", Widths: []float64{2.2, 3.5, 1.1, 1.1, 1.2, 3, 1.6, 1.2},
		Header: []string{"Attività", "Evento rischioso", "Probabilità", "Impatto", "Livello inerente", "Motivazione del giudizio", "Ponderazione", "Livello residuo"}}
	high := document.Cell{Text: "Alto", Fill: "EF9A9A", Bold: true}
	low := document.Cell{Text: "Basso", Fill: "C8E6C9", Bold: true}
	for i := 1; i <= n; i++ {
		leaf := document.Text(fmt.Sprintf("X1.1.1.%d Azione", i))
		measures.Rows = append(measures.Rows,
			[]document.Cell{leaf, document.Text("Controllo a campione delle istruttorie"), document.Text("T01 – controllo"), document.Text("Area 1"),
				document.Text(""), document.Text("Definizione criteri – dal 1º febbraio 2026 al 31 marzo 2026"), document.Text("dal 1º febbraio 2026\nal 31 dicembre 2026"), document.Text("Nuova")},
			[]document.Cell{leaf, document.Text("Formazione anticorruzione del personale\n(misura generale: MG09 – Formazione in materia di anticorruzione)"),
				document.Text("T06 – formazione"), document.Text(""), document.Text(""), document.Text(""), document.Text(""), document.Text("Nuova")})
		risks.Rows = append(risks.Rows,
			[]document.Cell{leaf, document.Text("Il dirigente predispone bandi per contributi o voucher con criteri di ammissione e di valutazione costruiti su misura, per favorire imprese determinate"),
				document.Text("Alto"), document.Text("Alto"), high, document.Text("Giudizio motivato sulla base dei dati disponibili"), document.Text("Trattare con nuove misure"), low},
			[]document.Cell{leaf, document.Text("Il funzionario comunica in anticipo a un'impresa l'esito della graduatoria"),
				document.Text("Basso"), document.Text("Basso"), low, document.Text("Giudizio motivato sulla base dei dati disponibili"), document.Text("Mantenere le misure esistenti"), document.Text("—")})
	}
	d.Blocks = []document.Block{&document.Heading{Level: 1, Text: "2. Piano delle misure per processo"}, &document.Heading{Level: 2, Text: "X1.1 – Processo"}, measures,
		&document.PageBreak{}, &document.Heading{Level: 1, Text: "3. Schede dei processi"}, &document.Heading{Level: 2, Text: "Scheda del processo X1.1 – Processo"}, risks}
	return d
}

// BenchmarkWriters writes an annex-shaped document of 1,500 actions (3,000 measure rows and 3,000 risk rows)
// in each format, without the database: the writers' own cost, with the peak heap.
func BenchmarkWriters(b *testing.B) {
	d := annexLike(1500)
	for _, f := range []struct {
		name  string
		write func(io.Writer, *document.Document) error
	}{{"odt", document.WriteODT}, {"docx", document.WriteDOCX}, {"pdf", document.WritePDF}} {
		b.Run(f.name+"/actions=1500", func(b *testing.B) {
			b.ReportAllocs()
			var size int
			peak := peakHeap(func() {
				for i := 0; i < b.N; i++ {
					var out bytes.Buffer
					if err := f.write(&out, d); err != nil {
						b.Fatal(err)
					}
					size = out.Len()
				}
			})
			b.ReportMetric(peak, "peak-heap-MB")
			b.ReportMetric(float64(size)/(1<<20), "file-MB")
		})
	}
}

// peakHeap runs fn while sampling the heap in use, and returns the largest sample in MB.
func peakHeap(fn func()) float64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	runtime.GC()
	fn()
	close(stop)
	wg.Wait()
	return float64(peak.Load()) / (1 << 20)
}
