package csvsafe

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Detected tells what Decode found in a CSV file: how Italian Excel and other programs save it.
type Detected struct {
	Separator rune   // ',', ';' or '\t'
	Encoding  string // "UTF-8", "UTF-8 con BOM", "Windows-1252"
}

func (d Detected) String() string {
	sep := map[rune]string{',': "comma", ';': "semicolon", '\t': "tab"}[d.Separator]
	return fmt.Sprintf("%s separator, %s", sep, d.Encoding)
}

// Decode turns the bytes of a CSV file into UTF-8 text and detects its separator. It accepts what
// spreadsheets write: a UTF-8 BOM (dropped), Windows-1252 text (Excel's plain "CSV"; decoded), a semicolon
// (Excel in Italian) or tab separator. What it cannot read (UTF-16, a binary or zip file named .csv) is an
// error saying what was found and how to save the file.
func Decode(data []byte) ([]byte, Detected, error) {
	det := Detected{Separator: ',', Encoding: "UTF-8"}
	const howToSave = `save it again choosing "CSV UTF-8 (delimitato da virgole)" (or "CSV (delimitato dal separatore di elenco)")`
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}), bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return nil, det, errors.New("the file is UTF-16 text (Excel's \"Testo Unicode\"): " + howToSave)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return nil, det, errors.New("the file is a spreadsheet workbook (XLSX or ODS), not a CSV: import it as it is, or " + howToSave)
	case bytes.IndexByte(data, 0) >= 0:
		return nil, det, errors.New("the file holds binary data (NUL bytes), not CSV text: " + howToSave)
	}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		data, det.Encoding = data[3:], "UTF-8 con BOM"
	}
	if !utf8.Valid(data) {
		decoded, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil, det, fmt.Errorf("the file is neither UTF-8 nor Windows-1252 text: %s", howToSave)
		}
		data, det.Encoding = decoded, "Windows-1252"
	}
	det.Separator = separator(data)
	return data, det, nil
}

// separator counts the candidate separators on the first line, outside quotes, and takes the most frequent
// (comma when none appears).
func separator(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, b := range data {
		if b == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if b == '\n' {
			break
		}
		switch b {
		case ',', ';', '\t':
			counts[rune(b)]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// NewDetectedReader returns a csv.Reader on decoded text with the detected separator, lenient about the
// number of fields per record (the callers check columns with positions).
func NewDetectedReader(text []byte, det Detected) *csv.Reader {
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = det.Separator
	r.FieldsPerRecord = -1
	r.LazyQuotes = false
	return r
}
