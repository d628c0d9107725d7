package demo_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/document/doctest"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
)

// TestDemoSottosezioneIsComplete: the demo ente has every part of the sottosezione filled (context, objectives,
// consultation, riesame, descriptions, programme, transparency grid, civic access, monitoring plan), marked as
// demo; its whole document has no part left empty, and loading again changes nothing.
func TestDemoSottosezioneIsComplete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d := newDemoSetup(t, db)
		ctx := d.ctx
		for range 2 {
			d.load(t)
		}
		ente, oiv := d.ente(t), d.oiv(t)
		cycles := service.NewCycles(d.s, d.az, d.reg, d.maps)
		src, names, ss, err := cycles.SottosezioneData(ctx, oiv, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		if ss.Context == nil || !ss.Context.Demo || ss.Objectives == nil || !ss.Objectives.Demo || ss.Consultation == nil || !ss.Consultation.Demo ||
			ss.Riesame == nil || !ss.Riesame.Demo {
			t.Fatalf("demo parts missing or not marked as demo: %+v", ss)
		}
		if len(ss.Descriptions) == 0 || len(ss.Programme) == 0 || len(ss.Obligations) == 0 || len(ss.CivicAccess) == 0 {
			t.Fatalf("descriptions %d, programme %d, obligations %d, civic access %d", len(ss.Descriptions), len(ss.Programme), len(ss.Obligations), len(ss.CivicAccess))
		}
		if ss.MonitoringPlan == nil || !strings.HasPrefix(ss.MonitoringPlan.SamplingCriteria, demo.DemoMarker) || len(ss.MonitoringPlan.ReferenceDates) != 2 {
			t.Fatalf("monitoring plan %+v", ss.MonitoringPlan)
		}
		doc, err := export.SottosezioneDocument(src, names, ss, ente.CreatedAt)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := document.WriteODT(&b, doc); err != nil {
			t.Fatal(err)
		}
		content, _, _ := doctest.ODTText(t, b.Bytes())
		doctest.InOrder(t, content, export.SottosezioneSections...)
		// The programme and the specific measures name the factors they address, and their costs.
		for _, want := range []string{export.FactorsHeading, "inadeguata diffusione della cultura della legalità", "Costo e sostenibilità: "} {
			if !strings.Contains(content, want) {
				t.Errorf("the demo sottosezione lacks %q", want)
			}
		}
		if strings.Contains(content, "parte non ancora compilata") {
			t.Errorf("a part of the demo sottosezione is empty: %s", content[:min(len(content), 2000)])
		}
	})
}
