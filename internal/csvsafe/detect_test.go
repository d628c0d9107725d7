package csvsafe

import (
	"strings"
	"testing"
)

func TestDecodeDetectsWhatSpreadsheetsWrite(t *testing.T) {
	for _, c := range []struct {
		in, want, enc string
		sep           rune
	}{
		{"a,b;c\n1,2\n", "a,b;c\n1,2\n", "UTF-8", ','},
		{"\xef\xbb\xbfa;b;c\n", "a;b;c\n", "UTF-8 con BOM", ';'},
		{"\"x;y;z\",b\n", "\"x;y;z\",b\n", "UTF-8", ','}, // separators inside quotes do not count
		{"Attivit\xe0\tb\tc\n", "Attività\tb\tc\n", "Windows-1252", '\t'},
	} {
		out, det, err := Decode([]byte(c.in))
		if err != nil || string(out) != c.want || det.Encoding != c.enc || det.Separator != c.sep {
			t.Errorf("%q: %q %+v %v", c.in, out, det, err)
		}
	}
	for _, bad := range []string{"\xff\xfea\x00", "PK\x03\x04rest", "a\x00b"} {
		if _, _, err := Decode([]byte(bad)); err == nil || !strings.Contains(err.Error(), "CSV UTF-8") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
