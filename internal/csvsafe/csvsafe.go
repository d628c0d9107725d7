// Package csvsafe writes CSV that spreadsheets show as text and never run (OWASP "CSV injection"), and
// reads back what it wrote. It is the one place that knows the rule; every CSV Argine writes goes through it.
//
// The rule: a cell that starts with =, +, -, @, a tab or a carriage return would be taken by Excel or
// LibreOffice for a formula (=HYPERLINK(...), +cmd|...): it is written with a leading apostrophe, which
// makes it text. So that the apostrophe can be taken away again without ambiguity, a cell that already
// starts with an apostrophe followed by a trigger character or another apostrophe gets one more (a note
// such as "'(ex A1.1)' è un rimando" stays as it is). Reading (Unescape) removes one leading apostrophe
// when a trigger character or another apostrophe follows it, which gives back exactly the original text.
// JSON exports keep the exact text: no escaping there.
package csvsafe

import (
	"encoding/csv"
	"io"
)

// triggers start a formula in common spreadsheets.
func trigger(b byte) bool {
	switch b {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// Cell returns s as it must appear in a CSV cell.
func Cell(s string) string {
	if s != "" && (trigger(s[0]) || quoted(s)) {
		return "'" + s
	}
	return s
}

// quoted reports an apostrophe that Unescape would take away.
func quoted(s string) bool { return len(s) >= 2 && s[0] == '\'' && (trigger(s[1]) || s[1] == '\'') }

// Unescape returns the original text of a cell written by Cell. A cell not written by Argine (typed by
// hand) is returned unchanged unless it starts with an apostrophe before a trigger character, which in a
// spreadsheet means the same text without the apostrophe anyway.
func Unescape(s string) string {
	if quoted(s) {
		return s[1:]
	}
	return s
}

// Writer is a csv.Writer whose Write escapes every cell.
type Writer struct {
	*csv.Writer
	buf []string
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{Writer: csv.NewWriter(w)} }

// Write escapes and writes one record.
func (w *Writer) Write(record []string) error {
	w.buf = w.buf[:0]
	for _, c := range record {
		w.buf = append(w.buf, Cell(c))
	}
	return w.Writer.Write(w.buf)
}
