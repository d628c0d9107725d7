package dbtest

import "github.com/argine-pa/argine/internal/domain"

// SmallMap is a hand-made map exercising every level, a leaf process, markers and multi-valued lists.
func SmallMap() *domain.ProcessMap {
	l := func(s ...string) []string { return append([]string{}, s...) }
	return &domain.ProcessMap{
		Units: []domain.RefItem{{Code: "SG", Title: "Segretario Generale"}, {Code: "AD1", Title: "Area Dirigenziale n. 1"},
			{Code: "AD2", Title: "Area Dirigenziale n. 2"}},
		StrategicObjectives: []domain.RefItem{{Code: "OS1", Title: "Competitività"}, {Code: "OS2", Title: "Trasparenza e legalità"}},
		RiskAreas: []domain.RefItem{{Code: "A", Title: "Acquisizione e gestione del personale"},
			{Code: "B-bis", Title: "Contratti pubblici in deroga (PNRR)"}, {Code: "M", Title: "Governance e compliance"}},
		Nodes: []domain.MapNode{
			{Level: domain.LevelMacro, Code: "A1", Title: "Performance management", Function: "Governo camerale", Units: l(), StrategicObjectives: l(), RiskAreas: l()},
			{Level: domain.LevelProcess, Code: "A1.1", ParentCode: "A1", Title: "Pianificazione", Function: "Governo camerale", Units: l("SG", "AD1"), StrategicObjectives: l("OS1", "OS2"), RiskAreas: l("M")},
			{Level: domain.LevelSubprocess, Code: "A1.1.1", ParentCode: "A1.1", Title: "Programmazione", Function: "Governo camerale", Units: l("SG", "AD1"), StrategicObjectives: l("OS1", "OS2"), RiskAreas: l("M")},
			{Level: domain.LevelAction, Code: "A1.1.1.1", ParentCode: "A1.1.1", Title: "Relazione previsionale e programmatica", Function: "Governo camerale", Units: l("SG", "AD1"), StrategicObjectives: l("OS1", "OS2"), RiskAreas: l("M")},
			{Level: domain.LevelAction, Code: "A1.1.1.2", ParentCode: "A1.1.1", Title: "Attività di verifica, con virgole, \"virgolette\"", Function: "Governo camerale", Units: l("AD1"), StrategicObjectives: l(), RiskAreas: l("M", "A"), Note: "Titolo ricostruito"},
			{Level: domain.LevelMacro, Code: "B2", Title: "Approvvigionamenti", Function: "Processi di supporto", Units: l(), StrategicObjectives: l(), RiskAreas: l()},
			{Level: domain.LevelProcess, Code: "B2.1 BIS", ParentCode: "B2", Title: "Contratti pubblici in deroga (PNRR)", Function: "Processi di supporto", Units: l("AD2"), StrategicObjectives: l("OS2"), RiskAreas: l("B-bis"), Marker: domain.MarkerMandatory},
			{Level: domain.LevelProcess, Code: "B2.2", ParentCode: "B2", Title: "Patrimonio", Function: "Processi di supporto", Units: l("AD2"), StrategicObjectives: l(), RiskAreas: l(), Marker: domain.MarkerPriority},
			{Level: domain.LevelSubprocess, Code: "B2.2.1", ParentCode: "B2.2", Title: "", Function: "Processi di supporto", Units: l("AD2"), StrategicObjectives: l(), RiskAreas: l(), Note: "Titolo del sotto-processo assente nella fonte"},
			{Level: domain.LevelAction, Code: "B2.2.1.1", ParentCode: "B2.2.1", Title: "Gestione attività di manutenzione", Function: "Processi di supporto", Units: l("AD2"), StrategicObjectives: l(), RiskAreas: l()},
		},
	}
}
