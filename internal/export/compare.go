package export

import (
	"sort"
	"strconv"

	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/domain"
)

// Comparison is the year-over-year view of two cycles of the same body: how each leaf's level moved, which
// measures were added, withdrawn or carried over, and how monitoring ended.
type Comparison struct {
	From string `json:"from"` // the earlier cycle
	To   string `json:"to"`
	// Leaves lists every leaf whose level changed, or that one cycle has and the other has not, in the later
	// cycle's map order (then the leaves only the earlier one had).
	Leaves   []LeafChange     `json:"leaves"`
	Counts   ComparisonCounts `json:"counts"`
	Measures []MeasureChange  `json:"measures"`
	// MonitoringFrom and MonitoringTo count the measures by implementation status in each cycle's latest
	// closed monitoring round (empty when none was closed).
	MonitoringFrom map[string]int `json:"monitoring_from"`
	MonitoringTo   map[string]int `json:"monitoring_to"`
}

// ComparisonCounts sums up a comparison.
type ComparisonCounts struct {
	Rose              int `json:"rose"`
	Fell              int `json:"fell"`
	Unchanged         int `json:"unchanged"`
	NewLeaves         int `json:"new_leaves"`
	RemovedLeaves     int `json:"removed_leaves"`
	MeasuresAdded     int `json:"measures_added"`
	MeasuresWithdrawn int `json:"measures_withdrawn"`
	MeasuresCarried   int `json:"measures_carried_over"`
}

// LeafChange is one leaf's level in each cycle; Change is rose, fell, new or removed.
type LeafChange struct {
	Code      string `json:"code"`
	Title     string `json:"title"`
	From      string `json:"from_level"`
	FromLabel string `json:"from_label"`
	To        string `json:"to_level"`
	ToLabel   string `json:"to_label"`
	Change    string `json:"change"`
}

// MeasureChange is a measure added, withdrawn or carried over between the cycles.
type MeasureChange struct {
	Leaf   string `json:"leaf"`
	Title  string `json:"title"`
	Type   string `json:"type"`
	Unit   string `json:"unit"`
	Change string `json:"change"` // added | withdrawn | carried_over
}

type leafLevel struct {
	title, level, label string
	rank                int
}

func levels(src Source) (map[string]leafLevel, []string, []Leaf, error) {
	p := src.Meta().Methodology
	out := map[string]leafLevel{}
	var order []string
	var leaves []Leaf
	err := src.Each(func(l Leaf) error {
		ll := leafLevel{title: l.Node.Title}
		worst := -1
		for _, r := range l.Assessment.Risks {
			if r.InherentScore != nil && r.InherentScore.Rank > worst {
				worst, ll.level = r.InherentScore.Rank, r.InherentScore.Level
			}
		}
		ll.rank = worst
		if lv, ok := p.LevelByCode(ll.level); ok {
			ll.label, ll.rank = lv.Label, lv.Rank
		}
		out[l.Node.Code] = ll
		order = append(order, l.Node.Code)
		// Only the measures are kept past the callback: the comparison holds two registers' measure lists,
		// never their risks and judgements.
		leaves = append(leaves, Leaf{Node: domain.MapNode{Code: l.Node.Code}, Assessment: &domain.Assessment{Measures: l.Assessment.Measures, Withdrawn: l.Assessment.Withdrawn}})
		return nil
	})
	return out, order, leaves, err
}

// Compare compares an earlier cycle's register with a later one's. A leaf is the same leaf when its code is
// the same (a later cycle derives its map from the earlier one); a measure is carried over when the later
// one was derived from it (roll-forward), or failing that has the same title on the same leaf. Levels are
// compared by rank, the later cycle's methodology naming them.
func Compare(from, to Source) (*Comparison, error) {
	a, _, aLeaves, err := levels(from)
	if err != nil {
		return nil, err
	}
	b, order, bLeaves, err := levels(to)
	if err != nil {
		return nil, err
	}
	c := &Comparison{From: from.Meta().Cycle, To: to.Meta().Cycle, Leaves: []LeafChange{}, Measures: []MeasureChange{}}
	for _, code := range order {
		y := b[code]
		x, ok := a[code]
		ch := LeafChange{Code: code, Title: y.title, To: y.level, ToLabel: y.label}
		switch {
		case !ok:
			ch.Change = "new"
			c.Counts.NewLeaves++
		case y.rank > x.rank:
			ch.Change = "rose"
			c.Counts.Rose++
		case y.rank < x.rank:
			ch.Change = "fell"
			c.Counts.Fell++
		default:
			c.Counts.Unchanged++
			continue
		}
		ch.From, ch.FromLabel = x.level, x.label
		c.Leaves = append(c.Leaves, ch)
	}
	var removed []string
	for code := range a {
		if _, ok := b[code]; !ok {
			removed = append(removed, code)
		}
	}
	sort.Strings(removed)
	for _, code := range removed {
		x := a[code]
		c.Leaves = append(c.Leaves, LeafChange{Code: code, Title: x.title, From: x.level, FromLabel: x.label, Change: "removed"})
		c.Counts.RemovedLeaves++
	}
	// Measures: the earlier cycle's, by id and by leaf+title; then the later cycle's, matched against them.
	earlier := map[string]MeasureChange{}
	byTitle := map[string]string{}
	var earlierOrder []string
	for _, l := range aLeaves {
		for _, m := range l.Assessment.Measures {
			id := m.ID
			if id == "" {
				id = l.Node.Code + "\x00" + m.Title
			}
			earlier[id] = MeasureChange{Leaf: l.Node.Code, Title: m.Title, Type: m.Type, Unit: m.Unit}
			byTitle[l.Node.Code+"\x00"+m.Title] = id
			earlierOrder = append(earlierOrder, id)
		}
	}
	carried := map[string]bool{}
	for _, l := range bLeaves {
		for _, m := range l.Assessment.Measures {
			mc := MeasureChange{Leaf: l.Node.Code, Title: m.Title, Type: m.Type, Unit: m.Unit, Change: "added"}
			id := m.DerivedFrom
			if _, ok := earlier[id]; !ok || id == "" {
				id = byTitle[l.Node.Code+"\x00"+m.Title]
			}
			if _, ok := earlier[id]; ok && id != "" && !carried[id] {
				carried[id], mc.Change = true, "carried_over"
				c.Counts.MeasuresCarried++
			} else {
				c.Counts.MeasuresAdded++
			}
			c.Measures = append(c.Measures, mc)
		}
		for _, m := range l.Assessment.Withdrawn {
			if m.DerivedFrom != "" {
				carried[m.DerivedFrom] = true // retired in the later cycle: counted below as withdrawn there
			}
			c.Measures = append(c.Measures, MeasureChange{Leaf: l.Node.Code, Title: m.Title, Type: m.Type, Unit: m.Unit, Change: "withdrawn"})
			c.Counts.MeasuresWithdrawn++
		}
	}
	for _, id := range earlierOrder {
		if !carried[id] {
			mc := earlier[id]
			mc.Change = "withdrawn"
			c.Measures = append(c.Measures, mc)
			c.Counts.MeasuresWithdrawn++
		}
	}
	return c, nil
}

var changeWords = map[string]string{"rose": "In aumento", "fell": "In diminuzione", "new": "Nuova attività", "removed": "Non più valutata",
	"added": "Nuova", "withdrawn": "Ritirata o non riproposta", "carried_over": "Riproposta"}

// ImplementationStatusLabels are the Italian names of the monitoring statuses.
var ImplementationStatusLabels = map[string]string{"non_avviata": "Non avviata", "in_corso_nei_tempi": "In corso nei tempi",
	"in_ritardo": "In ritardo", "attuata": "Attuata", "parzialmente_attuata": "Parzialmente attuata", "non_attuata": "Non attuata",
	"non_piu_applicabile": "Non più applicabile"}

// ImplementationStatusOrder is the order the statuses are listed in.
var ImplementationStatusOrder = []string{"attuata", "parzialmente_attuata", "in_corso_nei_tempi", "in_ritardo", "non_avviata", "non_attuata", "non_piu_applicabile"}

// ComparisonBlocks writes a comparison as a section of a document (prefix numbers its heading).
func ComparisonBlocks(c *Comparison, p domain.Profile, prefix string) []document.Block {
	n := c.Counts
	out := []document.Block{&document.Heading{Level: 1, Text: prefix + "Confronto con il ciclo " + c.From},
		&document.Table{Caption: "Sintesi", Header: []string{"Voce", "Numero"}, Widths: []float64{3, 1}, Rows: [][]document.Cell{
			{document.Text("Attività con livello di rischio in aumento"), document.Text(strconv.Itoa(n.Rose))},
			{document.Text("Attività con livello di rischio in diminuzione"), document.Text(strconv.Itoa(n.Fell))},
			{document.Text("Attività con livello invariato"), document.Text(strconv.Itoa(n.Unchanged))},
			{document.Text("Attività valutate per la prima volta"), document.Text(strconv.Itoa(n.NewLeaves))},
			{document.Text("Attività non più valutate"), document.Text(strconv.Itoa(n.RemovedLeaves))},
			{document.Text("Misure nuove"), document.Text(strconv.Itoa(n.MeasuresAdded))},
			{document.Text("Misure riproposte dal ciclo " + c.From), document.Text(strconv.Itoa(n.MeasuresCarried))},
			{document.Text("Misure ritirate o non riproposte"), document.Text(strconv.Itoa(n.MeasuresWithdrawn))},
		}}}
	if len(c.Leaves) > 0 {
		t := &document.Table{Caption: "Attività il cui livello di rischio è cambiato", Widths: []float64{4, 1.4, 1.4, 1.4},
			Header: []string{"Attività", "Livello " + c.From, "Livello " + c.To, "Variazione"}}
		for _, l := range c.Leaves {
			from, to := levelCell(p, l.From), levelCell(p, l.To)
			if l.FromLabel != "" {
				from.Text = l.FromLabel
			}
			t.Rows = append(t.Rows, []document.Cell{document.Text(l.Code + " " + l.Title), from, to, {Text: changeWords[l.Change], Bold: true}})
		}
		out = append(out, t)
	}
	mon := &document.Table{Caption: "Esito del monitoraggio (ultima rilevazione chiusa di ciascun ciclo)",
		Header: []string{"Stato di attuazione", "Ciclo " + c.From, "Ciclo " + c.To}, Widths: []float64{3, 1, 1}}
	for _, s := range ImplementationStatusOrder {
		mon.Rows = append(mon.Rows, []document.Cell{document.Text(ImplementationStatusLabels[s]), document.Text(strconv.Itoa(c.MonitoringFrom[s])), document.Text(strconv.Itoa(c.MonitoringTo[s]))})
	}
	out = append(out, mon)
	if len(c.Measures) > 0 {
		t := &document.Table{Caption: "Misure nuove, riproposte e ritirate", Widths: []float64{1.5, 4, 1, 1.5},
			Header: []string{"Attività", "Misura", "Tipologia", "Variazione"}}
		for _, m := range c.Measures {
			t.Rows = append(t.Rows, []document.Cell{document.Text(m.Leaf), document.Text(m.Title), document.Text(m.Type), document.Text(changeWords[m.Change])})
		}
		out = append(out, t)
	}
	return out
}
