package pagecursor

import (
	"encoding/base64"
	"errors"
	"testing"
)

type key struct {
	Pos int    `json:"p"`
	ID  string `json:"id"`
}

func TestRoundTripAndRefusals(t *testing.T) {
	c, err := Encode("register|ente-1|cycle-1|level=alto", key{Pos: 42, ID: "abc"})
	if err != nil {
		t.Fatal(err)
	}
	var k key
	if err := Decode(c, "register|ente-1|cycle-1|level=alto", &k); err != nil || k != (key{42, "abc"}) {
		t.Fatalf("round trip: %v %+v", err, k)
	}
	if err := Decode(c, "register|ente-2|cycle-1|level=alto", &k); !errors.Is(err, ErrForeign) {
		t.Errorf("another ente's list: %v, want ErrForeign", err)
	}
	if err := Decode(c, "register|ente-1|cycle-1|level=basso", &k); !errors.Is(err, ErrForeign) {
		t.Errorf("another filter: %v, want ErrForeign", err)
	}
	for name, bad := range map[string]string{
		"empty":        "",
		"not base64":   "!!!",
		"not json":     base64.RawURLEncoding.EncodeToString([]byte("hello")),
		"old version":  base64.RawURLEncoding.EncodeToString([]byte(`{"v":0,"s":"x","k":{}}`)),
		"no key":       base64.RawURLEncoding.EncodeToString([]byte(`{"v":1,"s":"x"}`)),
		"unknown":      base64.RawURLEncoding.EncodeToString([]byte(`{"v":1,"s":"x","k":{},"z":1}`)),
		"padded":       c + "==",
		"line break":   c + "\n",
		"too long":     string(make([]byte, 2000)),
		"key of other": mustEncode(t, "register|ente-1|cycle-1|level=alto", map[string]any{"p": "not a number"}),
	} {
		if err := Decode(bad, "register|ente-1|cycle-1|level=alto", &k); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
}

func mustEncode(t *testing.T, scope string, k any) string {
	t.Helper()
	c, err := Encode(scope, k)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
