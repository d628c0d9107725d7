package service_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

func codes(nodes []domain.Node) []string {
	out := []string{}
	for _, n := range nodes {
		out = append(out, n.Code)
	}
	return out
}

func TestTreeShape(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f, ctx := newFixture(db), context.Background()
		tn := f.tenant(t, "ente-a")
		f.mustImport(t, tn, "2026-2028", dbtest.SmallMap())
		tree, err := f.maps.Tree(ctx, reader(tn), "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		if len(tree.Nodes) != 2 || tree.Nodes[0].Code != "A1" || tree.Nodes[1].Code != "B2" {
			t.Fatalf("roots %+v", tree.Nodes)
		}
		b2 := tree.Nodes[1]
		if len(b2.Children) != 2 || b2.Children[0].Code != "B2.1 BIS" || !b2.Children[0].IsLeaf || b2.Children[1].IsLeaf {
			t.Fatalf("B2 children wrong: %+v", b2.Children)
		}
		a := tree.Nodes[0].Children[0].Children[0].Children
		if len(a) != 2 || a[1].Code != "A1.1.1.2" || a[1].ParentCode != "A1.1.1" || fmt.Sprint(a[1].RiskAreas) != "[M A]" {
			t.Fatalf("actions wrong: %+v", a)
		}
		if tree.Counts.Leaves != 4 || len(tree.Units) != 3 || tree.RiskAreas[1].Code != "B-bis" {
			t.Fatalf("counts or refs wrong: %+v", tree)
		}
	})
}

func TestNodeDetail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f, ctx := newFixture(db), context.Background()
		tn := f.tenant(t, "ente-a")
		f.mustImport(t, tn, "2026-2028", dbtest.SmallMap())
		d, err := f.maps.Node(ctx, reader(tn), "2026-2028", "A1.1.1")
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(codes(d.Ancestors)) != "[A1 A1.1]" || fmt.Sprint(codes(d.Children)) != "[A1.1.1.1 A1.1.1.2]" {
			t.Fatalf("ancestors %v children %v", codes(d.Ancestors), codes(d.Children))
		}
		if d.Node.ParentCode != "A1.1" || fmt.Sprint(d.Node.Units) != "[SG AD1]" || d.Ancestors[1].ParentCode != "A1" {
			t.Fatalf("node %+v", d.Node)
		}
		if d.Children[1].Note != "Titolo ricostruito" || fmt.Sprint(d.Children[1].Units) != "[AD1]" {
			t.Fatalf("child lists %+v", d.Children[1])
		}
		root, _ := f.maps.Node(ctx, reader(tn), "2026-2028", "B2")
		if len(root.Ancestors) != 0 || len(root.Children) != 2 {
			t.Fatalf("root detail %+v", root)
		}
		if _, err := f.maps.Node(ctx, reader(tn), "2026-2028", "Z9"); domain.CodeOf(err) != "node_not_found" {
			t.Fatalf("missing node: %v", err)
		}
	})
}

func TestSearchFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f, ctx := newFixture(db), context.Background()
		tn := f.tenant(t, "ente-a")
		f.mustImport(t, tn, "2026-2028", dbtest.SmallMap())
		mark := func(m domain.Marker) *domain.Marker { return &m }
		yes := true
		cases := []struct {
			name   string
			filter domain.NodeFilter
			want   string
		}{
			{"accent-insensitive text", domain.NodeFilter{Text: "ATTIVITA"}, "[A1.1.1.2 B2.2.1.1]"},
			{"all words must match", domain.NodeFilter{Text: "attività manutenzione"}, "[B2.2.1.1]"},
			{"text matches notes", domain.NodeFilter{Text: "ricostruito"}, "[A1.1.1.2]"},
			{"text matches codes", domain.NodeFilter{Text: "b2.1 bis"}, "[B2.1 BIS]"},
			{"like wildcards are literal", domain.NodeFilter{Text: "%"}, "[]"},
			{"unit", domain.NodeFilter{Unit: "SG"}, "[A1.1 A1.1.1 A1.1.1.1]"},
			{"risk area", domain.NodeFilter{RiskArea: "A"}, "[A1.1.1.2]"},
			{"objective", domain.NodeFilter{Objective: "OS2"}, "[A1.1 A1.1.1 A1.1.1.1 B2.1 BIS]"},
			{"level", domain.NodeFilter{Level: domain.LevelProcess}, "[A1.1 B2.1 BIS B2.2]"},
			{"marker *", domain.NodeFilter{Marker: mark("*")}, "[B2.1 BIS]"},
			{"marker **", domain.NodeFilter{Marker: mark("**")}, "[B2.2]"},
			{"leaves", domain.NodeFilter{Leaf: &yes}, "[A1.1.1.1 A1.1.1.2 B2.1 BIS B2.2.1.1]"},
			{"combined", domain.NodeFilter{Unit: "AD1", Level: domain.LevelAction, RiskArea: "M"}, "[A1.1.1.1 A1.1.1.2]"},
			{"page 2", domain.NodeFilter{Level: domain.LevelAction, PageSize: 2, Page: 2}, "[B2.2.1.1]"},
		}
		for _, c := range cases {
			page, err := f.maps.Search(ctx, reader(tn), "2026-2028", c.filter)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got := fmt.Sprint(codes(page.Items)); got != c.want {
				t.Errorf("%s: got %s, want %s", c.name, got, c.want)
			}
		}
		// A code the map does not have is a mistake, not an empty result (issue 12 §6).
		var ve *domain.ValidationError
		if _, err := f.maps.Search(ctx, reader(tn), "2026-2028", domain.NodeFilter{Unit: "AD9"}); !errors.As(err, &ve) || ve.Problems[0].Field != "unit" {
			t.Errorf("unknown unit: %v, want 422 naming unit", err)
		}
		page, _ := f.maps.Search(ctx, reader(tn), "2026-2028", domain.NodeFilter{Level: domain.LevelAction, PageSize: 2})
		if page.Total != 3 || page.Page != 1 || len(page.Items) != 2 {
			t.Fatalf("pagination %+v", page)
		}
		if page.Items[0].ParentCode != "A1.1.1" {
			t.Fatalf("search results carry their parent code: %+v", page.Items[0])
		}
		for _, bad := range []domain.NodeFilter{{PageSize: 1001}, {Page: -1}, {Level: "step"}, {Marker: mark("***")}} {
			var ve *domain.ValidationError
			if _, err := f.maps.Search(ctx, reader(tn), "2026-2028", bad); !errors.As(err, &ve) {
				t.Errorf("filter %+v: want a validation error, got %v", bad, err)
			}
		}
	})
}

// TestTenantIsolation loads the same codes into two entes and checks that nothing crosses over.
func TestTenantIsolation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f, ctx := newFixture(db), context.Background()
		a, b := f.tenant(t, "ente-a"), f.tenant(t, "ente-b")
		f.mustImport(t, a, "2026-2028", dbtest.SmallMap())
		other := dbtest.SmallMap()
		for i := range other.Nodes {
			other.Nodes[i].Title = "B: " + other.Nodes[i].Title
		}
		f.mustImport(t, b, "2026-2028", other)
		f.mustImport(t, a, "2027-2029", dbtest.SmallMap())

		tree, _ := f.maps.Tree(ctx, reader(b), "2026-2028")
		var walk func([]*service.TreeNode) int
		walk = func(ns []*service.TreeNode) int {
			n := 0
			for _, x := range ns {
				if x.Title[:3] != "B: " {
					t.Fatalf("ente-b's tree shows %q", x.Title)
				}
				n += 1 + walk(x.Children)
			}
			return n
		}
		if n := walk(tree.Nodes); n != 10 {
			t.Fatalf("ente-b's tree has %d nodes, want 10", n)
		}
		d, _ := f.maps.Node(ctx, reader(b), "2026-2028", "A1.1.1")
		for _, n := range append(append(d.Ancestors, d.Node), d.Children...) {
			if n.Title[:3] != "B: " {
				t.Fatalf("ente-b's node read shows %q", n.Title)
			}
		}
		page, _ := f.maps.Search(ctx, reader(b), "2026-2028", domain.NodeFilter{PageSize: 500})
		if page.Total != 10 {
			t.Fatalf("ente-b's search returns %d nodes", page.Total)
		}
		if _, err := f.maps.Tree(ctx, reader(b), "2027-2029"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("ente-b sees ente-a's cycle: %v", err)
		}
		if cycles, _ := f.maps.Cycles(ctx, reader(b)); len(cycles) != 1 {
			t.Fatalf("ente-b sees %d cycles", len(cycles))
		}
	})
}

// TestReadQueryCountsDoNotGrow pins the number of statements of each read, and checks it does not depend on
// how many nodes or entes the database holds (no N+1).
func TestReadQueryCountsDoNotGrow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f, ctx := newFixture(db), context.Background()
		tn := f.tenant(t, "ente-0")
		f.mustImport(t, tn, "2026-2028", dbtest.SmallMap())
		counter := dbtest.CountStatements(t, db)
		measure := func() [3]int64 {
			var out [3]int64
			counter.Reset()
			if _, err := f.maps.Tree(ctx, reader(tn), "2026-2028"); err != nil {
				t.Fatal(err)
			}
			out[0] = counter.Count()
			counter.Reset()
			if _, err := f.maps.Node(ctx, reader(tn), "2026-2028", "A1.1.1"); err != nil {
				t.Fatal(err)
			}
			out[1] = counter.Count()
			counter.Reset()
			if _, err := f.maps.Search(ctx, reader(tn), "2026-2028", domain.NodeFilter{Unit: "AD1"}); err != nil {
				t.Fatal(err)
			}
			out[2] = counter.Count()
			return out
		}
		one := measure()
		// The filtered search first checks its codes against the map's units, objectives and areas (3 reads).
		// The nodes' three lists (and missing parent codes) are one statement (store.attachLists).
		if one != [3]int64{7, 6, 7} {
			t.Fatalf("statements for tree, node, search: %v, want [7 6 7] (tree and node read one more for the risk levels)", one)
		}
		for i := 1; i <= 5; i++ {
			f.mustImport(t, f.tenant(t, fmt.Sprintf("ente-%d", i)), "2026-2028", dbtest.SmallMap())
		}
		if many := measure(); many != one {
			t.Fatalf("statements grew with the number of entes: %v then %v", one, many)
		}
	})
}
