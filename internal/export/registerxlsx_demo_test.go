package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// TestXLSXMatchesReference writes the fully assessed demo register (several risk areas, measures shared
// across actions) with WriteXLSX, which fills every sheet in one pass over the register and spools the area
// sheets, and with the earlier writer that read the register once per sheet: every part of the two
// workbooks is the same XML, and excelize reads the same cells from each sheet. It runs again with the
// spooled sheets forced through temporary files. registro.json is byte for byte the earlier writer's.
func TestXLSXMatchesReference(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx, s := context.Background(), store.New(db)
		az, _ := authz.Default()
		meths := service.NewMethodologies(s, az)
		reg := service.NewRegister(s, az, meths)
		entes, maps, users, cats := service.NewEntes(s), service.NewProcessMaps(s, az), service.NewUsers(s, az, nil), service.NewCatalogues(s, az)
		if _, err := demo.Load(ctx, s, entes, maps, users, cats, reg); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.FillRegister(ctx, s, reg, seed.DemoEnteCode, true, 0, 2); err != nil {
			t.Fatal(err)
		}
		ente, err := s.EnteByCode(ctx, seed.DemoEnteCode)
		if err != nil {
			t.Fatal(err)
		}
		oiv := domain.Actor{UserID: "oiv", EnteID: ente.ID, EnteCode: ente.Code, Grants: []domain.Grant{{Role: domain.RoleOIV}}, GrantsVersion: 1}
		cycles := service.NewCycles(s, az, reg, maps)
		write := func(w func(io.Writer, export.Source) error) []byte {
			src, err := cycles.ExportSource(ctx, oiv, seed.DemoCycle)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := w(&b, src); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
		if got, want := write(export.WriteJSON), write(export.ReferenceWriteJSON); !bytes.Equal(got, want) {
			t.Errorf("registro.json differs from the earlier writer's")
		}
		want := write(export.ReferenceWriteXLSX)
		for _, spill := range []bool{false, true} {
			if spill {
				defer export.SetSpoolMemory(0)()
			}
			got := write(export.WriteXLSX)
			wantParts, gotParts := zipParts(t, want), zipParts(t, got)
			if !slices.Equal(wantParts.names, gotParts.names) {
				t.Fatalf("spill %v: parts %q, want %q", spill, gotParts.names, wantParts.names)
			}
			for _, name := range wantParts.names {
				if !bytes.Equal(wantParts.content[name], gotParts.content[name]) {
					t.Errorf("spill %v: part %s differs", spill, name)
				}
			}
			wf, gf := openXLSX(t, want), openXLSX(t, got)
			sheets := wf.GetSheetList()
			if !slices.Equal(gf.GetSheetList(), sheets) {
				t.Fatalf("spill %v: sheets %q, want %q", spill, gf.GetSheetList(), sheets)
			}
			areas := 0
			for _, sh := range sheets {
				if strings.HasPrefix(sh, export.AreaSheetPrefix) {
					areas++
				}
				wr, err := wf.GetRows(sh)
				if err != nil {
					t.Fatal(err)
				}
				gr, err := gf.GetRows(sh)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.EqualFunc(wr, gr, slices.Equal) {
					t.Errorf("spill %v: sheet %s: cells differ", spill, sh)
				}
			}
			if areas < 3 {
				t.Fatalf("%d area sheets: the demo should cover several risk areas", areas)
			}
		}
	})
}

type parts struct {
	names   []string
	content map[string][]byte
}

func zipParts(t *testing.T, b []byte) parts {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	p := parts{content: map[string][]byte{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		c, err := io.ReadAll(rc) // checks the CRC too
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		p.names = append(p.names, f.Name)
		p.content[f.Name] = c
	}
	return p
}

func openXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
