package dbtest

import "fmt"

// orderByForeignKeys returns names with every table after the tables it references (parents maps a table to
// the tables its foreign keys point at, self-references left out), keeping the given order where the keys
// leave it free. Both dialects' fixture copies and the PostgreSQL pool's emptying need this order: rows go in
// parents first and come out children first.
func orderByForeignKeys(names []string, parents map[string][]string) ([]string, error) {
	var order []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(n string) error
	visit = func(n string) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("foreign keys form a cycle through %s", n)
		case 2:
			return nil
		}
		state[n] = 1
		for _, p := range parents[n] {
			if err := visit(p); err != nil {
				return err
			}
		}
		state[n] = 2
		order = append(order, n)
		return nil
	}
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	return order, nil
}
