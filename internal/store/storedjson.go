package store

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/argine-pa/argine/internal/domain"
)

// decodeJudgement decodes a stored judgement into j (a zero value) as json.Unmarshal does. The store writes
// judgements with json.Marshal, and a register export decodes two of them per risk: the common shape (the keys
// json.Marshal writes, each once, strings without escapes, integers) is read directly, without
// json.Unmarshal's validation pass and reflection; anything else goes to json.Unmarshal from the start, so
// the result is always the same (TestDecodeJudgementMatchesUnmarshal).
func decodeJudgement(s string, j *domain.Judgement) error {
	var fast domain.Judgement
	if (&jsonReader{s: s}).judgement(&fast) {
		*j = fast
		return nil
	}
	return json.Unmarshal([]byte(s), j)
}

// decodePhases and decodeIndicators decode a stored measure's phases and indicators as json.Unmarshal does,
// in the same way: the common shape directly, anything else by json.Unmarshal.
func decodePhases(s string, out *[]domain.Phase) error {
	return decodeList(s, out, func(r *jsonReader, key string, p *domain.Phase) (ok bool) {
		switch key {
		case "title":
			p.Title, ok = r.str()
		case "start":
			p.Start, ok = r.str()
		case "deadline":
			p.Deadline, ok = r.str()
		}
		return ok
	})
}

func decodeIndicators(s string, out *[]domain.MeasureIndicator) error {
	return decodeList(s, out, func(r *jsonReader, key string, m *domain.MeasureIndicator) (ok bool) {
		switch key {
		case "name":
			m.Name, ok = r.str()
		case "baseline":
			m.Baseline, ok = r.str()
		case "target":
			m.Target, ok = r.str()
		}
		return ok
	})
}

// decodeList decodes a stored JSON array of objects into *out: field reads the value of one key into the
// element (false for a key it does not know); a text not in the common shape goes to json.Unmarshal.
func decodeList[T any](s string, out *[]T, field func(r *jsonReader, key string, item *T) bool) error {
	r := &jsonReader{s: s}
	var fast []T
	if readList(r, func() bool {
		var item T
		ok := r.object(func(key string) bool { return field(r, key, &item) })
		fast = append(fast, item)
		return ok
	}, &fast) {
		*out = fast
		return nil
	}
	return json.Unmarshal([]byte(s), out)
}

// readList reads a whole text that is a JSON array (item reading each element into *out), or null (*out stays
// nil, as json.Unmarshal leaves a nil slice).
func readList[T any](r *jsonReader, item func() bool, out *[]T) bool {
	if r.s == "null" {
		return true
	}
	*out = []T{}
	return r.array(item) && r.i == len(r.s)
}

// jsonReader reads the common shape of stored JSON; any method returning false means "not that shape",
// never an error of its own.
type jsonReader struct {
	s string
	i int
}

func (r *jsonReader) eat(c byte) bool {
	if r.i < len(r.s) && r.s[r.i] == c {
		r.i++
		return true
	}
	return false
}

// str reads a string without escapes, control characters or invalid UTF-8 (json.Unmarshal would change or
// refuse those), as a substring of the input.
func (r *jsonReader) str() (string, bool) {
	if !r.eat('"') {
		return "", false
	}
	start := r.i
	for r.i < len(r.s) {
		switch c := r.s[r.i]; {
		case c == '"':
			out := r.s[start:r.i]
			r.i++
			if !utf8.ValidString(out) {
				return "", false
			}
			return out, true
		case c == '\\' || c < 0x20:
			return "", false
		}
		r.i++
	}
	return "", false
}

// integer reads an integer json.Unmarshal puts in an int: an optional minus, then digits without a leading 0.
func (r *jsonReader) integer() (int, bool) {
	start := r.i
	r.eat('-')
	digits := r.i
	for r.i < len(r.s) && r.s[r.i] >= '0' && r.s[r.i] <= '9' {
		r.i++
	}
	if r.i == digits || (r.s[digits] == '0' && r.i-digits > 1) {
		return 0, false
	}
	if r.i < len(r.s) && (r.s[r.i] == '.' || r.s[r.i] == 'e' || r.s[r.i] == 'E') {
		return 0, false
	}
	n, err := strconv.Atoi(r.s[start:r.i])
	return n, err == nil
}

// object reads {"key":value,...}, each key once, value reading the value of a key it knows.
func (r *jsonReader) object(value func(key string) bool) bool {
	if !r.eat('{') {
		return false
	}
	if r.eat('}') {
		return true
	}
	var seen [8]string
	n := 0
	for {
		key, ok := r.str()
		if !ok || !r.eat(':') || n == len(seen) {
			return false
		}
		for _, k := range seen[:n] {
			if k == key {
				return false // json.Unmarshal merges repeated keys: left to it
			}
		}
		seen[n] = key
		n++
		if !value(key) {
			return false
		}
		if r.eat('}') {
			return true
		}
		if !r.eat(',') {
			return false
		}
	}
}

// array reads [item,...], item reading one element.
func (r *jsonReader) array(item func() bool) bool {
	if !r.eat('[') {
		return false
	}
	if r.eat(']') {
		return true
	}
	for {
		if !item() {
			return false
		}
		if r.eat(']') {
			return true
		}
		if !r.eat(',') {
			return false
		}
	}
}

func (r *jsonReader) judgement(j *domain.Judgement) bool {
	ok := r.object(func(key string) bool {
		var ok bool
		switch key {
		case "values":
			if strings.HasPrefix(r.s[r.i:], "null") { // json.Marshal's nil slice
				r.i += len("null")
				return true
			}
			j.Values = []domain.IndicatorValue{}
			return r.array(func() bool {
				var v domain.IndicatorValue
				if !r.object(func(key string) bool {
					var ok bool
					switch key {
					case "code":
						v.Code, ok = r.str()
					case "value":
						v.Value, ok = r.integer()
					case "reason":
						v.Reason, ok = r.str()
					}
					return ok
				}) {
					return false
				}
				j.Values = append(j.Values, v)
				return true
			})
		case "likelihood_manual":
			var n int
			n, ok = r.integer()
			j.LikelihoodManual = &n
		case "impact_manual":
			var n int
			n, ok = r.integer()
			j.ImpactManual = &n
		case "manual_reason":
			j.ManualReason, ok = r.str()
		case "override":
			o := &domain.Override{}
			j.Override = o
			return r.object(func(key string) bool {
				var ok bool
				switch key {
				case "level":
					o.Level, ok = r.str()
				case "reason":
					o.Reason, ok = r.str()
				}
				return ok
			})
		case "reason":
			j.Reason, ok = r.str()
		case "supporting_data":
			j.SupportingData = []string{}
			return r.array(func() bool {
				s, ok := r.str()
				j.SupportingData = append(j.SupportingData, s)
				return ok
			})
		}
		return ok
	})
	return ok && r.i == len(r.s) // whitespace between the values, which json.Marshal never writes, stops it earlier
}
