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
	"github.com/argine-pa/argine/internal/store"
)

// TestRegisterCursor checks keyset pagination of the register on both databases: following next_cursor reads
// exactly the rows the pages by number read, in the same order, with and without filters, also when leaves
// share a position (the ids break the tie); a cursor is refused, naming cursor, when it is not one, when it
// belongs to another ente's register or to other filters, and with a page number.
func TestRegisterCursor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		x, _, _ := exportCountRegister(t, db, "ente-cursor", 12)
		other, _, _ := exportCountRegister(t, db, "ente-cursor-other", 4)
		ids := func(items []store.RegisterRow) []string {
			out := make([]string, len(items))
			for i, r := range items {
				out[i] = r.Node + "/" + r.RiskID
			}
			return out
		}
		walk := func(f store.RegisterFilter) (byNumber, byCursor []string) {
			t.Helper()
			for p := 1; ; p++ {
				f.Page = p
				page, err := x.reg.List(ctx, x.oiv, "2026-2028", f)
				if err != nil {
					t.Fatal(err)
				}
				byNumber = append(byNumber, ids(page.Items)...)
				if !page.HasMore {
					if page.NextCursor != "" {
						t.Fatalf("last page with a next_cursor")
					}
					break
				}
			}
			f.Page = 0
			cursor := ""
			for n := 0; n < 100; n++ {
				page, err := x.reg.ListFrom(ctx, x.oiv, "2026-2028", f, cursor)
				if err != nil {
					t.Fatal(err)
				}
				if cursor != "" && page.Page != 0 {
					t.Fatalf("a page read by cursor says page %d", page.Page)
				}
				byCursor = append(byCursor, ids(page.Items)...)
				if !page.HasMore {
					return byNumber, byCursor
				}
				if page.NextCursor == "" {
					t.Fatal("has_more without next_cursor")
				}
				cursor = page.NextCursor
			}
			t.Fatal("the cursor walk does not end")
			return nil, nil
		}
		check := func(name string, f store.RegisterFilter, atLeast int) {
			t.Helper()
			byNumber, byCursor := walk(f)
			if len(byNumber) < atLeast || fmt.Sprint(byNumber) != fmt.Sprint(byCursor) {
				t.Fatalf("%s: pages by number\n%v\nby cursor\n%v", name, byNumber, byCursor)
			}
			seen := map[string]bool{}
			for _, id := range byCursor {
				if seen[id] {
					t.Fatalf("%s: %s read twice", name, id)
				}
				seen[id] = true
			}
		}
		check("all", store.RegisterFilter{PageSize: 5}, 24)
		check("page of one", store.RegisterFilter{PageSize: 1}, 24)
		check("level", store.RegisterFilter{PageSize: 3, Level: "alto"}, 1)
		check("text", store.RegisterFilter{PageSize: 2, Text: "funzionario"}, 12)
		// With the total, a page read by cursor still counts the whole filtered register.
		first, err := x.reg.List(ctx, x.oiv, "2026-2028", store.RegisterFilter{PageSize: 5, WithTotal: true})
		if err != nil {
			t.Fatal(err)
		}
		next, err := x.reg.ListFrom(ctx, x.oiv, "2026-2028", store.RegisterFilter{PageSize: 5, WithTotal: true}, first.NextCursor)
		if err != nil {
			t.Fatal(err)
		}
		if first.Total == nil || next.Total == nil || *first.Total != *next.Total || *next.Total != 24 {
			t.Fatalf("totals %v %v, want 24", first.Total, next.Total)
		}
		// Leaves sharing a position (nothing in the schema forbids it): the ids keep the order total.
		if err := db.Gorm.Exec("UPDATE process_nodes SET position = 7 WHERE ente_id = ? AND is_leaf", x.tn.EnteID).Error; err != nil {
			t.Fatal(err)
		}
		check("tied positions", store.RegisterFilter{PageSize: 5}, 24)

		refused := func(name, cursor string, f store.RegisterFilter, code string) {
			t.Helper()
			_, err := x.reg.ListFrom(ctx, x.oiv, "2026-2028", f, cursor)
			var ve *domain.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Field != "cursor" || ve.Problems[0].Code != code {
				t.Fatalf("%s: %v, want a validation error on cursor (%s)", name, err, code)
			}
		}
		refused("not a cursor", "abc", store.RegisterFilter{PageSize: 5}, "cursor_malformed")
		refused("another filter", first.NextCursor, store.RegisterFilter{PageSize: 5, Level: "alto"}, "cursor_foreign")
		refused("with a page", first.NextCursor, store.RegisterFilter{PageSize: 5, Page: 2}, "cursor_with_page")
		// Another ente's cursor is refused; and whatever key a cursor holds, the rows read are the caller's own.
		theirs, err := other.reg.List(ctx, other.oiv, "2026-2028", store.RegisterFilter{PageSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		refused("another ente's", theirs.NextCursor, store.RegisterFilter{PageSize: 5}, "cursor_foreign")
		cycle, err := x.store.CycleByCode(ctx, x.tn.EnteID, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		theirFirst := theirs.Items[0].Key()
		rows, _, _, err := x.store.Register(ctx, x.tn.EnteID, cycle.ID, store.RegisterFilter{PageSize: 100, After: &theirFirst})
		if err != nil {
			t.Fatal(err)
		}
		mine := map[string]bool{}
		for _, id := range func() []string { _, c := walk(store.RegisterFilter{PageSize: 50}); return c }() {
			mine[id] = true
		}
		for _, id := range ids(rows) {
			if !mine[id] {
				t.Fatalf("a key of another ente read %s, which is not the caller's", id)
			}
		}
		_ = service.RegisterPage{}
	})
}
