package domain

import (
	"fmt"
	"testing"
	"time"
)

// TestPhaseDateProblems: a phase's start and deadline are dates, the start not after the deadline, both within
// the measure's dates when those are set; a phase without a start is checked as before.
func TestPhaseDateProblems(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(dateLayout, s); return d }
	from, to := day("2026-01-01"), day("2026-12-31")
	for _, c := range []struct {
		ph           Phase
		measureDates bool
		want         string
	}{
		{Phase{Title: "a", Start: "2026-02-01", Deadline: "2026-03-31"}, true, "[]"},
		{Phase{Title: "b", Deadline: "2026-03-31"}, true, "[]"},
		{Phase{Title: "c", Start: "2026-04-01", Deadline: "2026-03-31"}, true, "[[deadline phase_end_before_start the phase ends (2026-03-31) before it starts (2026-04-01)]]"},
		{Phase{Title: "d", Start: "2025-12-01", Deadline: "2026-03-31"}, true, "[[start phase_outside_measure the phase starts on 2025-12-01, outside the measure's dates 2026-01-01 – 2026-12-31]]"},
		{Phase{Title: "e", Start: "2025-12-01", Deadline: "2025-11-30"}, false, "[[deadline phase_end_before_start the phase ends (2025-11-30) before it starts (2025-12-01)]]"},
		{Phase{Title: "f", Start: "01/02/2026", Deadline: "2027-01-10"}, true, "[[start date_invalid start must be a date as YYYY-MM-DD] [deadline phase_outside_measure the phase deadline 2027-01-10 falls outside the measure's dates 2026-01-01 – 2026-12-31]]"},
	} {
		got := fmt.Sprint(phaseDateProblems(c.ph, from, to, c.measureDates, c.measureDates))
		if got != c.want {
			t.Errorf("%s: got %s\nwant %s", c.ph.Title, got, c.want)
		}
	}
}
