package titlematch

import "testing"

func TestSimilarity(t *testing.T) {
	if s := Similarity("Gestione attività di manutenzione", "GESTIONE ATTIVITA' DI MANUTENZIONE."); s != 1 {
		t.Fatalf("same title with other case, accents and punctuation: %v", s)
	}
	if s := Similarity("Gestione attività di manutenzione", "Relazione previsionale e programmatica"); s >= Threshold {
		t.Fatalf("unrelated titles are close: %v", s)
	}
	if s := Similarity("Gestione delle attività di manutenzione ordinaria", "Gestione attività di manutenzione"); s < Threshold {
		t.Fatalf("reworded title is far: %v", s)
	}
}

func TestClosestOrdersBySimilarity(t *testing.T) {
	got := Closest("Rilascio di autorizzazioni", []Suggestion{{Code: "A", Title: "Gestione del protocollo"},
		{Code: "B", Title: "Rilascio autorizzazioni ambientali"}, {Code: "C", Title: "Rilascio di autorizzazioni"}}, 2)
	if len(got) != 2 || got[0].Code != "C" || got[0].Similarity != 1 || got[1].Code != "B" {
		t.Fatalf("closest: %+v", got)
	}
}
