package frontend

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func TestPickServesTheBuildWhenPresentAndThePlaceholderOtherwise(t *testing.T) {
	built := fstest.MapFS{
		"dist/index.html":        {Data: []byte("built")},
		"dist/assets/app.js":     {Data: []byte("js")},
		"placeholder/index.html": {Data: []byte("placeholder")},
	}
	if b, _ := fs.ReadFile(pick(built), "index.html"); string(b) != "built" {
		t.Fatalf("with a build: index.html = %q, want the build", b)
	}
	bare := fstest.MapFS{"dist/.gitkeep": {}, "placeholder/index.html": {Data: []byte("placeholder")}}
	if b, _ := fs.ReadFile(pick(bare), "index.html"); string(b) != "placeholder" {
		t.Fatalf("without a build: index.html = %q, want the placeholder", b)
	}
}

func TestEmbeddedInterfaceHasAnItalianIndex(t *testing.T) {
	b, err := fs.ReadFile(FS(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `<html lang="it">`) {
		t.Fatalf("index.html is not declared Italian: %.200s", b)
	}
}
