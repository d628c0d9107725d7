package dbtest

import (
	"slices"
	"strings"
	"testing"
)

func TestOrderByForeignKeysPutsParentsFirstAndKeepsTheRest(t *testing.T) {
	order, err := orderByForeignKeys([]string{"a_child", "b_free", "c_parent", "d_grandparent"},
		map[string][]string{"a_child": {"c_parent"}, "c_parent": {"d_grandparent"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"d_grandparent", "c_parent", "a_child", "b_free"}
	if !slices.Equal(order, want) {
		t.Fatalf("order = %v, want %v", order, want)
	}
}

func TestOrderByForeignKeysRefusesACycle(t *testing.T) {
	_, err := orderByForeignKeys([]string{"a", "b"}, map[string][]string{"a": {"b"}, "b": {"a"}})
	if err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("err = %v, want a cycle error", err)
	}
}
