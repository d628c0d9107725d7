package doctest

import (
	"time"

	. "github.com/argine-pa/argine/internal/document"
)

// Sample is a document with every kind of block, Italian text and coloured cells.
func Sample() *Document {
	return &Document{
		Title: "Registro dei rischi corruttivi – ciclo 2026-2028", Subject: "Sottosezione 2.3 del PIAO",
		Author: "Camera di commercio di Prova", Language: "it-IT", Header: "Camera di commercio di Prova – Registro dei rischi 2026-2028",
		FooterText: "Argine", Watermark: "BOZZA", Landscape: true, Date: time.Date(2027, 1, 31, 10, 0, 0, 0, time.UTC),
		Cover: &Cover{Title: "Registro dei rischi corruttivi", Subtitle: "Ciclo 2026-2028", Lines: []string{"Adottato con deliberazione n. 12 del 31 gennaio 2027", "Impronta: abc123"}},
		Blocks: []Block{
			&Heading{Level: 1, Text: "Quadro d'insieme"},
			&Paragraph{Text: "Perché la città è più sicura: attività di prevenzione."},
			&Table{Caption: "Rischi per livello", Header: []string{"Livello", "Numero"}, Widths: []float64{3, 1},
				Rows: [][]Cell{{{Text: "Alto", Fill: "C0392B", Color: "FFFFFF", Bold: true}, Text("3")}, {{Text: "Basso", Fill: "D5F5E3"}, Text("7")}}},
			&PageBreak{},
			&Heading{Level: 2, Text: "Scheda del processo"},
			&Paragraph{Text: "Nota: prima riga\nseconda riga & <simboli>", Small: true},
		},
	}
}
