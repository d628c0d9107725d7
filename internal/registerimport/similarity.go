package registerimport

import "github.com/argine-pa/argine/internal/titlematch"

// The title comparison is shared with the roll-forward (package titlematch); these names keep the import's
// vocabulary.
const TitleThreshold = titlematch.Threshold

// Suggestion is a map node close to a title.
type Suggestion = titlematch.Suggestion

var (
	Normalize  = titlematch.Normalize
	Similarity = titlematch.Similarity
	Closest    = titlematch.Closest
	round2     = titlematch.Round2
)
