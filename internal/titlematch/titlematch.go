// Package titlematch compares titles of process-map nodes the way a person would: case, accents, punctuation
// and spacing do not count, and two titles are close when they share most words or most letter trigrams. It is
// shared by everything that must not take a node's code alone as its identity (the register import, the
// roll-forward onto a new map), since numbering shifts between map versions.
package titlematch

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Threshold is the similarity under which two titles do not name the same thing closely enough to attach one
// to the other without a person's confirmation. Registers of other bodies, and older cycles, follow the
// national chamber map's codes where the same code may name a different action (the numbering shifted by
// one): a code alone is not an identity.
const Threshold = 0.6

// Normalize lowercases, folds accents, turns punctuation into spaces and collapses spaces.
func Normalize(s string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSpace(b.String())
}

func trigrams(s string) map[string]bool {
	out := map[string]bool{}
	r := []rune(" " + s + " ")
	for i := 0; i+3 <= len(r); i++ {
		out[string(r[i:i+3])] = true
	}
	return out
}

func dice(a, b map[string]bool) float64 {
	if len(a)+len(b) == 0 {
		return 1
	}
	common := 0
	for k := range a {
		if b[k] {
			common++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

// Similarity compares two titles after normalisation: the higher of the word overlap and the trigram overlap
// (Dice coefficients), 1 for the same text, 0 for nothing in common.
func Similarity(a, b string) float64 {
	na, nb := Normalize(a), Normalize(b)
	if na == nb {
		return 1
	}
	words := func(s string) map[string]bool {
		out := map[string]bool{}
		for _, w := range strings.Fields(s) {
			out[w] = true
		}
		return out
	}
	return max(dice(words(na), words(nb)), dice(trigrams(na), trigrams(nb)))
}

// Suggestion is a map node close to a title.
type Suggestion struct {
	Code       string  `json:"code"`
	Title      string  `json:"title"`
	Similarity float64 `json:"similarity"`
}

// Closest returns the n leaves whose titles are the most similar to title.
func Closest(title string, leaves []Suggestion, n int) []Suggestion {
	scored := make([]Suggestion, len(leaves))
	for i, l := range leaves {
		scored[i] = Suggestion{Code: l.Code, Title: l.Title, Similarity: Round2(Similarity(title, l.Title))}
	}
	sort.SliceStable(scored, func(i, j int) bool { return scored[i].Similarity > scored[j].Similarity })
	if len(scored) > n {
		scored = scored[:n]
	}
	return scored
}

// Round2 rounds a similarity to two decimals, as reports show it.
func Round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
