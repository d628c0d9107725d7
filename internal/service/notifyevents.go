package service

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/notify"
	"github.com/argine-pa/argine/internal/store"
)

// The events below are written inside the transaction of the change that causes them (notify.Enqueue): a
// change that rolls back tells nobody. Recipients are always resolved inside the caller's ente and limited to
// who has rights on the item: the RPCT, or the directors and referenti of the leaf's units. The OIV is never
// told about drafts, reviews or comments.

// screen builds the link of an app screen for a cycle.
func screen(path, cycleCode string) string {
	return path + "?ciclo=" + url.QueryEscape(cycleCode)
}

func rpcts(ctx context.Context, tx *store.Store, enteID string) ([]store.Recipient, error) {
	return tx.RecipientsWithRole(ctx, enteID, []string{string(domain.RoleRPCT)}, nil)
}

// unitPeople are the directors and referenti of the units (never an ente-wide grant: those are other roles).
func unitPeople(ctx context.Context, tx *store.Store, enteID string, units []string) ([]store.Recipient, error) {
	if len(units) == 0 {
		return nil, nil
	}
	return tx.RecipientsWithRole(ctx, enteID, []string{string(domain.RoleDirector), string(domain.RoleReferente)}, units)
}

func unitDirectors(ctx context.Context, tx *store.Store, enteID string, units []string) ([]store.Recipient, error) {
	if len(units) == 0 {
		return nil, nil
	}
	return tx.RecipientsWithRole(ctx, enteID, []string{string(domain.RoleDirector)}, units)
}

func leafName(node domain.Node) string {
	if node.Title == "" {
		return node.Code
	}
	return node.Code + " «" + node.Title + "»"
}

// notifyTransition tells who must act next: the RPCT of a submission, the unit of a return, an approval or a
// reopening (with the RPCT's comment, which the unit may read anyway).
func notifyTransition(ctx context.Context, tx *store.Store, actor domain.Actor, cycle *domain.Cycle, node domain.Node, t domain.Transition, comment string) error {
	ev := notify.Event{EnteID: actor.EnteID, Exclude: actor.UserID}
	var err error
	name := leafName(node)
	switch t {
	case domain.TransitionSubmit:
		ev.Kind, ev.Link = notify.AssessmentSubmitted, screen("/revisione/"+url.PathEscape(node.Code), cycle.Code)
		ev.Subject = "Valutazione da revisionare: " + node.Code
		ev.Body = fmt.Sprintf("%s ha inviato per la revisione la valutazione del processo %s (ciclo %s).", actor.Username, name, cycle.Code)
		ev.Recipients, err = rpcts(ctx, tx, actor.EnteID)
	case domain.TransitionReturn:
		ev.Kind, ev.Link = notify.AssessmentReturned, screen("/valutazioni/"+url.PathEscape(node.Code), cycle.Code)
		ev.Subject = "Valutazione restituita: " + node.Code
		ev.Body = fmt.Sprintf("Il RPCT ha restituito la valutazione del processo %s (ciclo %s) perché sia rivista.", name, cycle.Code)
		if comment != "" {
			ev.Body += "\n\nCommento del RPCT:\n" + comment
		}
		ev.Recipients, err = unitPeople(ctx, tx, actor.EnteID, node.Units)
	case domain.TransitionApprove:
		ev.Kind, ev.Link = notify.AssessmentApproved, screen("/valutazioni/"+url.PathEscape(node.Code), cycle.Code)
		ev.Subject = "Valutazione approvata: " + node.Code
		ev.Body = fmt.Sprintf("Il RPCT ha approvato la valutazione del processo %s (ciclo %s).", name, cycle.Code)
		ev.Recipients, err = unitPeople(ctx, tx, actor.EnteID, node.Units)
	case domain.TransitionReopen:
		ev.Kind, ev.Link = notify.AssessmentReopened, screen("/valutazioni/"+url.PathEscape(node.Code), cycle.Code)
		ev.Subject = "Valutazione riaperta: " + node.Code
		ev.Body = fmt.Sprintf("Il RPCT ha riaperto la valutazione del processo %s (ciclo %s): può essere modificata di nuovo.", name, cycle.Code)
		if comment != "" {
			ev.Body += "\n\nCommento del RPCT:\n" + comment
		}
		ev.Recipients, err = unitPeople(ctx, tx, actor.EnteID, node.Units)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	return notify.Enqueue(ctx, tx, ev)
}

// notifyHandOff tells the lead unit's directors that a referente marked a draft ready for their signature.
func notifyHandOff(ctx context.Context, tx *store.Store, actor domain.Actor, cycle *domain.Cycle, node domain.Node, lead string) error {
	units := node.Units
	if lead != "" {
		units = []string{lead}
	}
	rs, err := unitDirectors(ctx, tx, actor.EnteID, units)
	if err != nil {
		return err
	}
	return notify.Enqueue(ctx, tx, notify.Event{EnteID: actor.EnteID, Exclude: actor.UserID, Kind: notify.AssessmentHandedOff,
		Recipients: rs, Link: screen("/valutazioni/"+url.PathEscape(node.Code), cycle.Code),
		Subject: "Valutazione pronta per la firma: " + node.Code,
		Body:    fmt.Sprintf("%s ha completato la bozza della valutazione del processo %s (ciclo %s): è pronta per essere inviata al RPCT.", actor.Username, leafName(node), cycle.Code)})
}

// notifyComment tells the thread's other participants who still have rights on the leaf.
func notifyComment(ctx context.Context, tx *store.Store, actor domain.Actor, cycle *domain.Cycle, node domain.Node, thread []store.Comment, body string) error {
	took := map[string]bool{}
	for _, c := range thread {
		took[c.AuthorID] = true
	}
	if len(took) == 0 {
		return nil
	}
	allowed, err := unitPeople(ctx, tx, actor.EnteID, node.Units)
	if err != nil {
		return err
	}
	rp, err := rpcts(ctx, tx, actor.EnteID)
	if err != nil {
		return err
	}
	var rs []store.Recipient
	for _, r := range append(allowed, rp...) {
		if took[r.UserID] {
			rs = append(rs, r)
		}
	}
	return notify.Enqueue(ctx, tx, notify.Event{EnteID: actor.EnteID, Exclude: actor.UserID, Kind: notify.CommentAdded,
		Recipients: rs, Link: screen("/valutazioni/"+url.PathEscape(node.Code), cycle.Code),
		Subject: "Nuovo commento: " + node.Code,
		Body:    fmt.Sprintf("%s ha commentato la valutazione del processo %s (ciclo %s):\n\n%s", actor.Username, leafName(node), cycle.Code, body)})
}

// notifyRoundOpened tells the units with monitored measures that a monitoring round is open.
func notifyRoundOpened(ctx context.Context, tx *store.Store, actor domain.Actor, cycle *domain.Cycle, date string, units []string) error {
	rs, err := unitPeople(ctx, tx, actor.EnteID, units)
	if err != nil {
		return err
	}
	return notify.Enqueue(ctx, tx, notify.Event{EnteID: actor.EnteID, Exclude: actor.UserID, Kind: notify.RoundOpened,
		Recipients: rs, Link: screen("/monitoraggio", cycle.Code),
		Subject: "Monitoraggio aperto al " + date,
		Body:    fmt.Sprintf("Il RPCT ha aperto il monitoraggio delle misure del ciclo %s alla data %s: indica lo stato di attuazione delle misure della tua struttura.", cycle.Code, date)})
}

// notifyIntegration tells the measure's unit that the RPCT's check asks for more.
func notifyIntegration(ctx context.Context, tx *store.Store, actor domain.Actor, cycle *domain.Cycle, date string, cm store.CycleMeasure, note string) error {
	rs, err := unitPeople(ctx, tx, actor.EnteID, []string{cm.Unit})
	if err != nil {
		return err
	}
	body := fmt.Sprintf("Nel monitoraggio del ciclo %s alla data %s il RPCT chiede integrazioni sulla misura «%s» (processo %s).", cycle.Code, date, cm.Title, cm.Leaf)
	if note != "" {
		body += "\n\nNota del RPCT:\n" + note
	}
	return notify.Enqueue(ctx, tx, notify.Event{EnteID: actor.EnteID, Exclude: actor.UserID, Kind: notify.IntegrationRequired,
		Recipients: rs, Link: screen("/monitoraggio", cycle.Code), Subject: "Integrazioni richieste: " + cm.Leaf, Body: body})
}

// notifyOIVNote tells the RPCT about an OIV note.
func notifyOIVNote(ctx context.Context, tx *store.Store, actor domain.Actor, cycle *domain.Cycle, n store.OIVNote) error {
	rs, err := rpcts(ctx, tx, actor.EnteID)
	if err != nil {
		return err
	}
	return notify.Enqueue(ctx, tx, notify.Event{EnteID: actor.EnteID, Exclude: actor.UserID, Kind: notify.OIVNoteAdded,
		Recipients: rs, Link: screen("/ciclo", cycle.Code), Subject: "Nuova nota dell'OIV sul ciclo " + cycle.Code,
		Body: fmt.Sprintf("L'OIV ha aggiunto una nota (%s %s) al ciclo %s:\n\n%s", n.TargetKind, n.Target, cycle.Code, n.Body)})
}

// notifyPrivilegedRequest tells those who may confirm a request (administrators and RPCT, never the requester
// nor the person concerned; an OIV matter only to administrators). It is urgent: requests expire.
func notifyPrivilegedRequest(ctx context.Context, tx *store.Store, actor domain.Actor, r domain.PrivilegedRequest) error {
	roles := []string{string(domain.RoleAdmin), string(domain.RoleRPCT)}
	if r.Kind.Role() == domain.RoleOIV {
		roles = []string{string(domain.RoleAdmin)}
	}
	all, err := tx.RecipientsWithRole(ctx, actor.EnteID, roles, nil)
	if err != nil {
		return err
	}
	var rs []store.Recipient
	for _, x := range all {
		if x.UserID != r.TargetID && x.UserID != r.RequestedBy {
			rs = append(rs, x)
		}
	}
	return notify.Enqueue(ctx, tx, notify.Event{EnteID: actor.EnteID, Exclude: actor.UserID, Kind: notify.PrivilegedRequest,
		Urgent: true, Recipients: rs, Link: "/utenti", Subject: "Richiesta da confermare",
		Body: fmt.Sprintf("%s ha chiesto una modifica che richiede la conferma di una seconda persona (%s, utente %s). La richiesta scade il %s.",
			actor.Username, requestLabel(r.Kind), r.TargetUsername, r.ExpiresAt.In(notify.Location).Format("02/01/2006 15:04"))})
}

// notifyAdopted tells everyone in the ente that the register was adopted.
func notifyAdopted(ctx context.Context, tx *store.Store, actor domain.Actor, cycle *domain.Cycle, in AdoptionInput) error {
	rs, err := tx.ActiveRecipients(ctx, actor.EnteID)
	if err != nil {
		return err
	}
	return notify.Enqueue(ctx, tx, notify.Event{EnteID: actor.EnteID, Exclude: actor.UserID, Kind: notify.CycleAdopted,
		Recipients: rs, Link: screen("/ciclo", cycle.Code), Subject: "Piano adottato: ciclo " + cycle.Code,
		Body: fmt.Sprintf("La sottosezione rischi corruttivi e trasparenza del ciclo %s è stata adottata con deliberazione n. %s del %s.",
			cycle.Code, in.Number, in.Date)})
}

// requestLabel says in Italian what a privileged request asks.
func requestLabel(k domain.RequestKind) string {
	verbs := []struct{ prefix, it string }{{"grant_", "assegnare il ruolo"}, {"revoke_", "revocare il ruolo"},
		{"reset_password_", "reimpostare la password"}, {"disable_", "disattivare l'utenza"}, {"enable_", "riattivare l'utenza"}}
	roles := map[string]string{"rpct": "RPCT", "oiv": "OIV", "admin": "amministratore"}
	s := string(k)
	for _, v := range verbs {
		if rest, ok := strings.CutPrefix(s, v.prefix); ok {
			return v.it + " " + roles[rest]
		}
	}
	return s
}

// notifyPublished tells everyone in the ente where the adopted plan is published.
func notifyPublished(ctx context.Context, tx *store.Store, actor domain.Actor, cycle *domain.Cycle, in PublicationInput) error {
	rs, err := tx.ActiveRecipients(ctx, actor.EnteID)
	if err != nil {
		return err
	}
	return notify.Enqueue(ctx, tx, notify.Event{EnteID: actor.EnteID, Exclude: actor.UserID, Kind: notify.CyclePublished,
		Recipients: rs, Link: screen("/ciclo", cycle.Code), Subject: "Piano pubblicato: ciclo " + cycle.Code,
		Body: fmt.Sprintf("Il piano del ciclo %s è stato pubblicato in Amministrazione trasparente il %s: %s", cycle.Code, italianDate(in.Date), in.URL)})
}
