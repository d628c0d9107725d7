package export

import (
	"sort"
)

// Summary is what the register annex and the annual-report workbook count.
type Summary struct {
	Risks          int
	ByLevel        map[string]int
	ByArea         map[string]int
	Heat           map[[2]int]int // inherent cells
	MeasuresByType map[string]int
	MeasuresByStat map[string]int
	GeneralByCode  map[string]int
	Measures       int
}

func newSummary() Summary {
	return Summary{ByLevel: map[string]int{}, ByArea: map[string]int{}, Heat: map[[2]int]int{}, MeasuresByType: map[string]int{},
		MeasuresByStat: map[string]int{}, GeneralByCode: map[string]int{}}
}

// add counts one leaf, so that a writer reading the register once for its own purpose counts it on the way.
func (s *Summary) add(l Leaf) {
	for _, r := range l.Assessment.Risks {
		s.Risks++
		if sc := r.InherentScore; sc != nil {
			s.ByLevel[sc.Level]++
			s.Heat[sc.Cell]++
		}
		for _, a := range l.Node.RiskAreas {
			s.ByArea[a]++
		}
	}
	for _, m := range l.Assessment.Measures {
		s.MeasuresByType[m.Type]++
		s.MeasuresByStat[string(m.Status)]++
		if m.Nature == "general" {
			s.GeneralByCode[m.GeneralCode]++
		}
		s.Measures++
	}
}

// Summarise counts a register.
func Summarise(src Source) (Summary, error) {
	s := newSummary()
	err := src.Each(func(l Leaf) error {
		s.add(l)
		return nil
	})
	return s, err
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
