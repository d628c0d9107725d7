package domain

import (
	"fmt"
	"strings"
)

// Transition moves an assessment through the review workflow.
type Transition string

const (
	TransitionSubmit  Transition = "submit"  // director of an owning unit: draft or returned → submitted
	TransitionApprove Transition = "approve" // RPCT: submitted → approved (never by who submitted it)
	TransitionReturn  Transition = "return"  // RPCT: submitted → returned, with a comment
	TransitionReopen  Transition = "reopen"  // RPCT: approved → draft, with a reason
)

// TransitionError is an illegal transition: 409 with the current state.
type TransitionError struct {
	From       AssessmentState
	Transition Transition
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("cannot %s an assessment that is %s", e.Transition, e.From)
}
func (e *TransitionError) Unwrap() error { return ErrConflict }

// MinCommentLength applies to the comment of a return and the reason of a reopening.
const MinCommentLength = 10

// Apply returns the state after t, or why t is not allowed from s. A return needs a comment and a reopening a
// reason; the four-eyes rule (who submitted never approves) is checked by Review, which knows the people.
func (s AssessmentState) Apply(t Transition, comment string) (AssessmentState, error) {
	if s == "" {
		s = StateDraft
	}
	needs := func() error {
		if len([]rune(strings.TrimSpace(comment))) < MinCommentLength {
			return &ValidationError{Code: "comment_required", Problems: []FieldError{{Field: "comment", Code: "required",
				Message: fmt.Sprintf("%s needs a comment of at least %d characters", t, MinCommentLength)}}}
		}
		return nil
	}
	switch {
	case t == TransitionSubmit && (s == StateDraft || s == StateReturned):
		return StateSubmitted, nil
	case t == TransitionApprove && s == StateSubmitted:
		return StateApproved, nil
	case t == TransitionReturn && s == StateSubmitted:
		return StateReturned, needs()
	case t == TransitionReopen && s == StateApproved:
		return StateDraft, needs()
	}
	switch t {
	case TransitionSubmit, TransitionApprove, TransitionReturn, TransitionReopen:
		return s, &TransitionError{From: s, Transition: t}
	}
	return s, &ValidationError{Code: "transition_invalid", Problems: []FieldError{{Field: "action", Code: "transition_unknown",
		Message: "action must be submit, approve, return or reopen"}}}
}

// FourEyes refuses an approval by the person who submitted.
func FourEyes(t Transition, submittedBy, actorID string) error {
	if t == TransitionApprove && submittedBy != "" && submittedBy == actorID {
		return Forbidden("four_eyes", "you submitted this assessment: another RPCT-role user must approve it")
	}
	return nil
}

// FourEyesContent refuses an approval by anyone who changed the assessment's content since its last approval
// (an RPCT who is also a director of the leaf's unit, say): who writes does not approve.
func FourEyesContent(t Transition, editors []string, actorID string) error {
	if t != TransitionApprove {
		return nil
	}
	for _, e := range editors {
		if e == actorID {
			return Forbidden("four_eyes_editor", "you changed this assessment's content since its last approval: another RPCT-role user must approve it")
		}
	}
	return nil
}
