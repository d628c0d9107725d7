package service

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sync"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
)

// Dashboard is the figures of a cycle's register for the home screens.
type Dashboard struct {
	Cycle          string               `json:"cycle"`
	Adopted        bool                 `json:"adopted"`
	Risks          int                  `json:"risks"`
	ByLevel        map[string]int       `json:"by_level"`
	ByArea         map[string]int       `json:"by_area"`
	ByUnit         map[string]int       `json:"by_unit"`
	MeasuresStatus map[string]int       `json:"measures_by_status"`
	MeasuresType   map[string]int       `json:"measures_by_type"`
	Progress       *Progress            `json:"progress"`
	Previous       *DashboardComparison `json:"previous,omitempty"` // the trend against the previous cycle
}

// DashboardComparison is the previous cycle's risks by level.
type DashboardComparison struct {
	Cycle   string         `json:"cycle"`
	Risks   int            `json:"risks"`
	ByLevel map[string]int `json:"by_level"`
}

// registerFigures are the counts of one cycle's register the dashboard shows.
type registerFigures struct {
	risks                                   int
	byLevel, byArea, byUnit, mStatus, mType map[string]int
}

func (f registerFigures) clone() registerFigures {
	return registerFigures{risks: f.risks, byLevel: maps.Clone(f.byLevel), byArea: maps.Clone(f.byArea),
		byUnit: maps.Clone(f.byUnit), mStatus: maps.Clone(f.mStatus), mType: maps.Clone(f.mType)}
}

// count counts a register read whole through an export source: how an adopted snapshot is counted (once, see
// adoptedFigures), and the reference the SQL counts of a live register are tested against.
func count(src export.Source) (f registerFigures, err error) {
	f = registerFigures{byLevel: map[string]int{}, byArea: map[string]int{}, byUnit: map[string]int{}, mStatus: map[string]int{}, mType: map[string]int{}}
	err = src.Each(func(l export.Leaf) error {
		for _, r := range l.Assessment.Risks {
			f.risks++
			if r.InherentScore != nil {
				f.byLevel[r.InherentScore.Level]++
			}
			for _, a := range l.Node.RiskAreas {
				f.byArea[a]++
			}
			for _, u := range l.Node.Units {
				f.byUnit[u]++
			}
		}
		for _, m := range l.Assessment.Measures {
			f.mStatus[string(m.Status)]++
			f.mType[m.Type]++
		}
		return nil
	})
	return
}

// Dashboard computes the figures of a cycle and, when there is one, the risks by level of the previous cycle,
// in a fixed number of statements whatever the register's size (TestExportStatementsConstant): a live register
// is counted by the database (store.RegisterTally), each distinct judgement scored once with the cycle's
// methodology, as the register shows it; an adopted one is counted from its snapshot once per instance and
// kept (adoptedFigures). TestDashboardMatchesExport holds the figures equal to counting the exports' reading.
func (c *Cycles) Dashboard(ctx context.Context, actor domain.Actor, cycleCode string, wf *Workflow) (*Dashboard, error) {
	if err := c.reg.canRead(actor); err != nil {
		return nil, err
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	f, err := c.figures(ctx, actor.EnteID, cycle, false)
	if err != nil {
		return nil, err
	}
	d := &Dashboard{Cycle: cycleCode, Adopted: isAdopted(cycle), Risks: f.risks, ByLevel: f.byLevel, ByArea: f.byArea,
		ByUnit: f.byUnit, MeasuresStatus: f.mStatus, MeasuresType: f.mType}
	if d.Progress, err = wf.progress(ctx, actor, cycle); err != nil {
		return nil, err
	}
	prevCode := cycle.DerivedFrom
	if prevCode == "" {
		prevCode = fmt.Sprintf("%d-%d", cycle.StartYear-1, cycle.EndYear-1)
	}
	if prev, err := c.store.CycleByCode(ctx, actor.EnteID, prevCode); err == nil {
		pf, err := c.figures(ctx, actor.EnteID, prev, true)
		if err != nil {
			return nil, err
		}
		d.Previous = &DashboardComparison{Cycle: prevCode, Risks: pf.risks, ByLevel: pf.byLevel}
	}
	return d, nil
}

// isAdopted tells whether a cycle's register is its adopted snapshot (as ExportSource decides).
func isAdopted(cycle *domain.Cycle) bool {
	return cycle.State == domain.CycleAdopted || cycle.State == domain.CyclePublished
}

// figures counts a cycle's register; levelsOnly: the risks and their levels only (the other maps are empty
// for a live register).
func (c *Cycles) figures(ctx context.Context, enteID string, cycle *domain.Cycle, levelsOnly bool) (registerFigures, error) {
	if isAdopted(cycle) {
		return c.adoptedFigures(ctx, enteID, cycle)
	}
	t, err := c.store.RegisterTally(ctx, enteID, cycle.ID, levelsOnly)
	if err != nil {
		return registerFigures{}, err
	}
	f := registerFigures{byLevel: map[string]int{}, byArea: t.Areas, byUnit: t.Units, mStatus: t.MeasuresByStatus, mType: t.MeasuresByType}
	// The stored level is what the cycle's methodology gives (store.RegisterTally says why); a risk the
	// methodology cannot score (its judgement not complete yet) is stored without one and counted without one,
	// as the exports count it.
	for level, n := range t.Levels {
		f.risks += n
		if level != "" {
			f.byLevel[level] += n
		}
	}
	return f, nil
}

// adoptedFigures counts an adopted cycle from its snapshot. The snapshot never changes once written, so the
// figures are kept under its content hash (one small indexed read per request instead of the whole snapshot),
// which is safe with several instances: none can hold figures of another snapshot under the same hash.
func (c *Cycles) adoptedFigures(ctx context.Context, enteID string, cycle *domain.Cycle) (registerFigures, error) {
	hash, err := c.store.SnapshotHash(ctx, enteID, cycle.ID)
	if err != nil {
		return registerFigures{}, err
	}
	key := snapshotKey{enteID: enteID, cycleID: cycle.ID, hash: hash}
	if f, ok := c.snapshotFigures.get(key); ok {
		return f, nil
	}
	snap, err := c.store.CycleSnapshot(ctx, enteID, cycle.ID)
	if err != nil {
		return registerFigures{}, err
	}
	content := &SnapshotContent{}
	if err := json.Unmarshal([]byte(snap.Content), content); err != nil {
		return registerFigures{}, err
	}
	f, err := count(&snapshotSource{c: c, enteID: enteID, cycleID: cycle.ID, nodes: content.Map.Nodes})
	if err != nil {
		return registerFigures{}, err
	}
	c.snapshotFigures.put(snapshotKey{enteID: enteID, cycleID: cycle.ID, hash: snap.ContentHash}, f)
	return f.clone(), nil
}

type snapshotKey struct{ enteID, cycleID, hash string }

// maxSnapshotFigures bounds the adopted registers whose figures an instance keeps (a few hundred bytes each).
const maxSnapshotFigures = 512

// figureCache keeps the figures of adopted snapshots, the oldest entry forgotten first when full. Its zero
// value is ready to use.
type figureCache struct {
	mu    sync.Mutex
	byKey map[snapshotKey]registerFigures
	order []snapshotKey
}

// get returns a copy: the caller may change its maps.
func (fc *figureCache) get(k snapshotKey) (registerFigures, bool) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	f, ok := fc.byKey[k]
	if !ok {
		return registerFigures{}, false
	}
	return f.clone(), true
}

func (fc *figureCache) put(k snapshotKey, f registerFigures) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.byKey == nil {
		fc.byKey = map[snapshotKey]registerFigures{}
	}
	if _, ok := fc.byKey[k]; ok {
		return
	}
	if len(fc.order) >= maxSnapshotFigures {
		delete(fc.byKey, fc.order[0])
		fc.order = fc.order[1:]
	}
	fc.byKey[k] = f.clone()
	fc.order = append(fc.order, k)
}
