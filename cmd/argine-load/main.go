// Command argine-load is a bounded load generator for one or more Argine servers on this machine: demo users
// read register pages, the heat map, the dashboard, assessments and the register's exports while the
// directors rewrite and submit assessments of their leaves and the RPCT approves, returns and reopens them,
// all concurrently. Several -url values (comma-separated) are used in turn, request by request, as a
// round-robin load balancer would (two `argine serve` on one PostgreSQL database).
//
// It is bounded on purpose: it refuses any host but the loopback, so that it can never be pointed at a real
// deployment by mistake, at most maxClients clients and maxDuration of load.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	maxDuration = 5 * time.Minute
	maxClients  = 1000
)

// readers are the demo users; client i signs in as readers[i%len(readers)]. writerUnits says which of them
// also write, and on which units (the demo grants).
var (
	readers     = []string{"rpct", "oiv", "dir1", "dir2", "dir3", "ref2"}
	writerUnits = map[string][]string{"dir1": {"SG", "AD1"}, "dir2": {"AD2"}, "dir3": {"AD3"}}
)

type opKind int

const (
	opRegister opKind = iota
	opHeatmap
	opDashboard
	opGet
	opPut
	opTransition
	opCSV
	opXLSX
	numOps
)

var opNames = [numOps]string{"register page", "heatmap", "dashboard", "assessment get", "assessment put",
	"transition", "registro.csv", "registro.xlsx"}

// readMix weighs what a client reads when it does not write or review: mostly register pages, then the
// heat map, the dashboard and single assessments, now and then an export of the whole register.
var readMix = []struct {
	op     opKind
	weight int
}{{opRegister, 55}, {opHeatmap, 15}, {opDashboard, 10}, {opGet, 14}, {opCSV, 4}, {opXLSX, 2}}

// expected409 are the conflicts concurrent users meet in normal work: a save on a version another saved
// meanwhile, a save of an assessment the RPCT has just taken into review (or a director just submitted), a
// transition from a state another user has just left. They are counted apart, not as errors.
var expected409 = map[string]bool{"version_conflict": true, "assessment_not_editable": true, "transition_not_allowed": true}

// leaf is a writable leaf with the units of it that its writer holds (the measure's unit is one of them).
type leaf struct {
	code  string
	units []string
	lead  bool // the writer holds the leaf's first unit, its lead unless another was chosen: it submits
}

// tally is one client's record; each client owns its own so the hot path takes no lock.
type tally struct {
	lat       [numOps][]time.Duration
	open      [numOps]int // requests still running when the run ended: not measured, but not to be hidden
	errs      map[string]int
	conflicts map[string]int // expected 409s by operation and code
}

type loader struct {
	bases                   []string // round-robin, one request after the other
	next                    atomic.Uint64
	cycle, password         string
	client                  *http.Client
	writeRatio, submitRatio float64
	reviewRatio             float64
	pages                   int               // register pages of 100 rows
	tokens                  map[string]string // username → access token
	leaves                  map[string][]leaf // writer → leaves of its units
	all                     []string          // every writer's leaves: what the RPCT reviews and readers open
	invalid                 atomic.Bool       // a PUT was rejected as assessment_invalid: the body does not fit
	invalidOnce             sync.Once
	stop                    context.CancelFunc
}

// reviewer is the demo user who approves, returns and reopens; openers read single assessments of any leaf.
const reviewer = "rpct"

var openers = map[string]bool{"rpct": true, "oiv": true}

// errAborted marks a request cut short by the end of the run: it is neither a result nor an error.
var errAborted = errors.New("aborted")

func main() {
	rawURL := flag.String("url", "http://127.0.0.1:8080", "base URL of the Argine server, or several "+
		"comma-separated (instances of one database, used in turn); loopback only")
	clients := flag.Int("clients", 50, fmt.Sprintf("concurrent clients (at most %d)", maxClients))
	duration := flag.Duration("duration", 30*time.Second, "length of the run (at most 5m)")
	cycle := flag.String("cycle", "2026-2028", "cycle to load")
	password := flag.String("password", "argine-demo-2026", "password of the demo users")
	writeRatio := flag.Float64("write-ratio", 0.2, "share of a writer's iterations that rewrite an assessment")
	submitRatio := flag.Float64("submit-ratio", 0.25, "share of a writer's saves followed by a submission")
	reviewRatio := flag.Float64("review-ratio", 0.3, "share of the RPCT's iterations that review a leaf "+
		"(approve or return a submitted assessment, reopen an approved one)")
	asJSON := flag.Bool("json", false, "print the report as JSON")
	flag.Parse()

	bases, err := checkURLs(*rawURL)
	switch {
	case err != nil:
	case *clients < 1 || *clients > maxClients:
		err = fmt.Errorf("-clients must be between 1 and %d", maxClients)
	case *duration <= 0 || *duration > maxDuration:
		err = fmt.Errorf("-duration must be positive and at most %s", maxDuration)
	case *writeRatio < 0 || *writeRatio > 1, *submitRatio < 0 || *submitRatio > 1, *reviewRatio < 0 || *reviewRatio > 1:
		err = errors.New("-write-ratio, -submit-ratio and -review-ratio must be between 0 and 1")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "argine-load:", err)
		os.Exit(2)
	}
	l := &loader{bases: bases, cycle: *cycle, password: *password, writeRatio: *writeRatio,
		submitRatio: *submitRatio, reviewRatio: *reviewRatio,
		tokens: map[string]string{}, leaves: map[string][]leaf{}}
	os.Exit(l.run(*clients, *duration, *asJSON))
}

// checkURLs checks each comma-separated base URL.
func checkURLs(raw string) ([]string, error) {
	var out []string
	for part := range strings.SplitSeq(raw, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		u, err := checkURL(strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	if len(out) == 0 {
		return nil, errors.New("-url: no URL given")
	}
	return out, nil
}

// checkURL accepts only the loopback: a load test against someone else's server is an attack.
func checkURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("-url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("-url: scheme must be http or https, not %q", u.Scheme)
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
	default:
		return "", fmt.Errorf("-url: host %q refused: only 127.0.0.1, localhost or ::1", u.Hostname())
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/"), nil
}

func (l *loader) run(clients int, duration time.Duration, asJSON bool) int {
	sigCtx, stopSig := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stopSig()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// Otherwise most connections are re-dialled.
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = clients*len(l.bases), clients
	l.client = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	if err := l.setup(sigCtx, min(clients, len(readers))); err != nil {
		fmt.Fprintln(os.Stderr, "argine-load: setup:", err)
		return 1
	}

	// The deadline starts after the sign-ins, which are slow on purpose (argon2id) and not what is measured.
	ctx, cancel := context.WithTimeout(sigCtx, duration)
	defer cancel()
	l.stop = cancel
	tallies := make([]*tally, clients)
	var wg sync.WaitGroup
	loadBefore := loadAverage()
	start := time.Now()
	for i := range clients {
		tallies[i] = &tally{errs: map[string]int{}, conflicts: map[string]int{}}
		wg.Go(func() { l.client1(ctx, readers[i%len(readers)], tallies[i]) })
	}
	wg.Wait()
	rep := buildReport(time.Since(start), clients, tallies)
	rep.URLs, rep.LoadBefore, rep.LoadAfter = l.bases, loadBefore, loadAverage()
	rep.print(asJSON)
	if l.invalid.Load() || len(rep.Errors) > 0 {
		return 1
	}
	return 0
}

// setup signs in each distinct user once (in parallel), discovers the writers' leaves and the register size.
func (l *loader) setup(ctx context.Context, users int) error {
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, users)
	for i, u := range readers[:users] {
		wg.Go(func() {
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			errs[i] = l.login(ctx, u, &tok)
			mu.Lock()
			l.tokens[u] = tok.AccessToken
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err // the first is enough: the others are usually the same
		}
	}
	for w, units := range writerUnits {
		if l.tokens[w] == "" {
			continue // fewer clients than users: this writer has no client
		}
		seen := map[string]bool{}
		for _, unit := range units {
			for page := 1; ; page++ {
				var p struct {
					Items []struct {
						Code  string   `json:"code"`
						Units []string `json:"units"`
					} `json:"items"`
					Total int `json:"total"`
				}
				path := fmt.Sprintf("/api/v1/cycles/%s/nodes?leaf=true&unit=%s&page_size=500&page=%d",
					url.PathEscape(l.cycle), url.QueryEscape(unit), page)
				if err := l.fetch(ctx, http.MethodGet, path, l.tokens[w], nil, &p); err != nil {
					return err
				}
				for _, n := range p.Items {
					if !seen[n.Code] {
						seen[n.Code] = true
						held := slices.DeleteFunc(slices.Clone(n.Units), func(u string) bool { return !slices.Contains(units, u) })
						l.leaves[w] = append(l.leaves[w], leaf{code: n.Code, units: held,
							lead: len(n.Units) > 0 && slices.Contains(units, n.Units[0])})
					}
				}
				if len(p.Items) == 0 || page*500 >= p.Total {
					break
				}
			}
		}
		if len(l.leaves[w]) == 0 {
			fmt.Fprintf(os.Stderr, "argine-load: warning: %s has no leaves in %v: it will only read\n", w, units)
		}
		for _, lf := range l.leaves[w] {
			l.all = append(l.all, lf.code)
		}
	}
	var first struct {
		Total int `json:"total"`
	}
	path := fmt.Sprintf("/api/v1/cycles/%s/register?page=1&page_size=100&with_total=true", url.PathEscape(l.cycle))
	if err := l.fetch(ctx, http.MethodGet, path, l.tokens[readers[0]], nil, &first); err != nil {
		return err
	}
	l.pages = max(1, (first.Total+99)/100)
	return nil
}

// login signs a user in, waiting and trying again while the server answers 503 server_busy: sign-ins hash
// a password (argon2id) and are bounded on purpose; the set-up is not what is measured.
func (l *loader) login(ctx context.Context, user string, out any) error {
	for {
		res, err := l.send(ctx, http.MethodPost, "/api/v1/auth/login", "", map[string]string{"username": user, "password": l.password})
		if err == nil && res.status == http.StatusServiceUnavailable {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(200+rand.IntN(800)) * time.Millisecond):
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("sign-in of %s: %w", user, err)
		}
		if res.status/100 != 2 {
			return fmt.Errorf("sign-in of %s: %d: %s", user, res.status, bytes.TrimSpace(res.body))
		}
		return json.Unmarshal(res.body, out)
	}
}

// client1 is one simulated user: a writer rewrites one of its leaves (with probability write-ratio), the RPCT
// reviews one (review-ratio); otherwise, and for everyone else, it reads following readMix.
func (l *loader) client1(ctx context.Context, user string, t *tally) {
	token := l.tokens[user]
	cyclePath := "/api/v1/cycles/" + url.PathEscape(l.cycle)
	total := 0
	for _, m := range readMix {
		total += m.weight
	}
	for ctx.Err() == nil {
		if leaves := l.leaves[user]; len(leaves) > 0 && rand.Float64() < l.writeRatio {
			l.write(ctx, token, leaves[rand.IntN(len(leaves))], t)
			continue
		}
		if user == reviewer && len(l.all) > 0 && rand.Float64() < l.reviewRatio {
			l.review(ctx, token, l.all[rand.IntN(len(l.all))], t)
			continue
		}
		op := opRegister
		for n, m := rand.IntN(total), 0; m < len(readMix); m++ {
			if n < readMix[m].weight {
				op = readMix[m].op
				break
			}
			n -= readMix[m].weight
		}
		var path string
		switch op {
		case opRegister:
			path = fmt.Sprintf("%s/register?page=%d&page_size=100", cyclePath, 1+rand.IntN(l.pages))
		case opHeatmap:
			path = cyclePath + "/heatmap"
		case opDashboard:
			path = cyclePath + "/dashboard"
		case opCSV:
			path = cyclePath + "/exports/registro.csv"
		case opXLSX:
			path = cyclePath + "/exports/registro.xlsx"
		case opGet:
			// A writer opens its own leaves, the RPCT and the OIV any; the others read the register instead.
			switch {
			case len(l.leaves[user]) > 0:
				path = l.assessmentPath(l.leaves[user][rand.IntN(len(l.leaves[user]))].code)
			case openers[user] && len(l.all) > 0:
				path = l.assessmentPath(l.all[rand.IntN(len(l.all))])
			default:
				op, path = opRegister, fmt.Sprintf("%s/register?page=%d&page_size=100", cyclePath, 1+rand.IntN(l.pages))
			}
		}
		// call counts a failed read in the tally (the run's report); the load goes on either way.
		_, _ = l.call(ctx, t, op, http.MethodGet, path, token, nil)
	}
}

func (l *loader) assessmentPath(code string) string {
	return fmt.Sprintf("/api/v1/cycles/%s/nodes/%s/assessment", url.PathEscape(l.cycle), url.PathEscape(code))
}

// write reads the leaf's assessment and saves a new one on top of the version read. A version conflict is
// what optimistic locking answers to concurrent writers: the client re-reads and tries once more. A saved
// assessment is then submitted now and then (submit-ratio), for the RPCT to review.
func (l *loader) write(ctx context.Context, token string, lf leaf, t *tally) {
	path := l.assessmentPath(lf.code)
	for attempt := 0; attempt < 2; attempt++ {
		res, err := l.call(ctx, t, opGet, http.MethodGet, path, token, nil)
		if err != nil || res.status/100 != 2 {
			return
		}
		var cur struct {
			Version int64  `json:"version"`
			State   string `json:"state"`
		}
		if err := json.Unmarshal(res.body, &cur); err != nil {
			t.errs["assessment get: undecodable body"]++
			return
		}
		if cur.State == "submitted" || cur.State == "approved" {
			return // in review: nothing to write until the RPCT returns or reopens it
		}
		res, err = l.call(ctx, t, opPut, http.MethodPut, path, token, assessmentBody(cur.Version, lf))
		switch {
		case err != nil:
			return
		case res.status == http.StatusConflict && res.code == "version_conflict":
			continue
		case res.status == http.StatusUnprocessableEntity && res.code == "assessment_invalid":
			// The body does not fit the cycle's methodology: every further write would fail the same way.
			l.invalidOnce.Do(func() {
				l.invalid.Store(true)
				fmt.Fprintf(os.Stderr, "argine-load: PUT %s rejected (methodology mismatch?):\n%s\n", path, res.body)
				l.stop()
			})
		case res.status/100 == 2 && lf.lead && rand.Float64() < l.submitRatio:
			_, _ = l.call(ctx, t, opTransition, http.MethodPost, path+"/transitions", token,
				map[string]string{"action": "submit"})
		}
		return
	}
}

// review is the RPCT's work on one leaf: a submitted assessment is approved or returned with a comment, an
// approved one reopened with a reason, so that the directors can write it again.
func (l *loader) review(ctx context.Context, token, code string, t *tally) {
	path := l.assessmentPath(code)
	res, err := l.call(ctx, t, opGet, http.MethodGet, path, token, nil)
	if err != nil || res.status/100 != 2 {
		return
	}
	var cur struct {
		State string `json:"state"`
	}
	if err := json.Unmarshal(res.body, &cur); err != nil {
		t.errs["assessment get: undecodable body"]++
		return
	}
	var body map[string]string
	switch {
	case cur.State == "submitted" && rand.IntN(2) == 0:
		body = map[string]string{"action": "approve"}
	case cur.State == "submitted":
		body = map[string]string{"action": "return", "comment": "Rivedere la ponderazione (carico di prova)"}
	case cur.State == "approved":
		body = map[string]string{"action": "reopen", "comment": "Riapertura per aggiornamento (carico di prova)"}
	default:
		return
	}
	_, _ = l.call(ctx, t, opTransition, http.MethodPost, path+"/transitions", token, body)
}

type result struct {
	status int
	code   string // the problem code of a non-2xx answer
	body   []byte
}

// call makes one measured request and classifies its outcome into the tally.
func (l *loader) call(ctx context.Context, t *tally, op opKind, method, path, token string, in any) (result, error) {
	start := time.Now()
	res, err := l.send(ctx, method, path, token, in)
	if ctx.Err() != nil {
		t.open[op]++
		return res, errAborted // the run ended while this request was in flight: not a server error
	}
	t.lat[op] = append(t.lat[op], time.Since(start))
	switch {
	case err != nil:
		t.errs[opNames[op]+": transport error"]++
	case res.status == http.StatusConflict && expected409[res.code]:
		t.conflicts[opNames[op]+": "+res.code]++
	case res.status/100 != 2:
		t.errs[fmt.Sprintf("%s: %d %s", opNames[op], res.status, res.code)]++
	}
	return res, err
}

// fetch is for the unmeasured setup requests: any non-2xx answer is an error carrying the problem.
func (l *loader) fetch(ctx context.Context, method, path, token string, in, out any) error {
	res, err := l.send(ctx, method, path, token, in)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if res.status/100 != 2 {
		return fmt.Errorf("%s %s: %d: %s", method, path, res.status, bytes.TrimSpace(res.body))
	}
	return json.Unmarshal(res.body, out)
}

func (l *loader) send(ctx context.Context, method, path, token string, in any) (result, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return result{}, err
		}
		body = bytes.NewReader(b)
	}
	base := l.bases[(l.next.Add(1)-1)%uint64(len(l.bases))]
	req, err := http.NewRequestWithContext(ctx, method, base+path, body)
	if err != nil {
		return result{}, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	// net/http asks for gzip itself, as a browser does, and decompresses the answer (the time is measured).
	resp, err := l.client.Do(req)
	if err != nil {
		return result{}, err
	}
	defer func() { _ = resp.Body.Close() }() // the body has been read to the end: closing it reports nothing new
	// Reading the whole body is part of the latency, and lets the connection be reused.
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return result{}, err
	}
	res := result{status: resp.StatusCode, body: b}
	if res.status/100 != 2 {
		var p struct {
			Code string `json:"code"`
		}
		_ = json.Unmarshal(b, &p) // a non-problem answer (a proxy's page) keeps an empty code
		res.code = p.Code
	}
	return res, nil
}

// assessmentBody is a valid PNA 2019 qualitative assessment: one or two risks treated by one measure, with
// random indicator values so successive versions differ.
func assessmentBody(version int64, lf leaf) map[string]any {
	values := []map[string]any{}
	for _, c := range []string{"KRI-1", "KRI-2", "KRI-3", "KRI-4", "KRI-5", "KRI-6", "IMP-1", "IMP-2", "IMP-3", "IMP-4"} {
		values = append(values, map[string]any{"code": c, "value": 1 + rand.IntN(3), "reason": "r"})
	}
	risks := []map[string]any{}
	for i := range 1 + rand.IntN(2) {
		risks = append(risks, map[string]any{"event_code": "",
			"event_description": "Il funzionario favorisce un'impresa nell'istruttoria della pratica (carico di prova)",
			"context":           "load test", "enabling_factors": []string{"FA-a"}, "decision": "treat_new_measures",
			"priority": i + 1, "measures": []string{"m1"},
			"inherent": map[string]any{"reason": "Giudizio motivato generato dal carico di prova", "values": values}})
	}
	unit := ""
	if len(lf.units) > 0 {
		unit = lf.units[rand.IntN(len(lf.units))]
	}
	measure := map[string]any{"key": "m1", "nature": "specific", "type": "T01",
		"title": "Controllo a campione (carico di prova)", "unit": unit, "start": "2026-03-01", "end": "2026-11-30",
		"phases":     []map[string]string{{"title": "Analisi", "deadline": "2026-04-30"}},
		"indicators": []map[string]string{{"name": "controlli / pratiche", "baseline": "0", "target": "10%"}}}
	return map[string]any{"version": version, "risks": risks, "measures": []any{measure}}
}

type opReport struct {
	Name  string  `json:"name"`
	Count int     `json:"count"`
	P50   float64 `json:"p50_ms"`
	P95   float64 `json:"p95_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
	Open  int     `json:"unfinished"` // still running when the run ended
}

type report struct {
	URLs       []string       `json:"urls"`
	LoadBefore string         `json:"load_average_before"` // /proc/loadavg: the machine is shared
	LoadAfter  string         `json:"load_average_after"`
	Duration   float64        `json:"duration_s"`
	Clients    int            `json:"clients"`
	Requests   int            `json:"requests"`
	Throughput float64        `json:"throughput_rps"`
	Operations []opReport     `json:"operations"`
	Conflicts  map[string]int `json:"expected_conflicts"` // 409s of concurrent work, by operation and code
	Errors     map[string]int `json:"errors"`
}

// loadAverage is the first three fields of /proc/loadavg, empty where there is none.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

func buildReport(elapsed time.Duration, clients int, tallies []*tally) report {
	r := report{Duration: elapsed.Seconds(), Clients: clients, Errors: map[string]int{}, Conflicts: map[string]int{}}
	for op := range numOps {
		var all []time.Duration
		open := 0
		for _, t := range tallies {
			all = append(all, t.lat[op]...)
			open += t.open[op]
		}
		slices.Sort(all)
		r.Requests += len(all)
		r.Operations = append(r.Operations, opReport{Name: opNames[op], Count: len(all),
			P50: pct(all, 0.50), P95: pct(all, 0.95), P99: pct(all, 0.99), Max: pct(all, 1), Open: open})
	}
	for _, t := range tallies {
		for k, n := range t.conflicts {
			r.Conflicts[k] += n
		}
		for k, n := range t.errs {
			r.Errors[k] += n
		}
	}
	r.Throughput = float64(r.Requests) / elapsed.Seconds()
	return r
}

// pct is the nearest-rank percentile of sorted durations, in milliseconds.
func pct(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := max(0, int(float64(len(sorted))*p+0.999999)-1)
	return float64(sorted[min(i, len(sorted)-1)].Microseconds()) / 1000
}

func (r report) print(asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(r)
		return
	}
	fmt.Printf("%s; load average before %s, after %s\n", strings.Join(r.URLs, ", "), r.LoadBefore, r.LoadAfter)
	fmt.Printf("duration %.1fs, %d clients, %d requests, %.1f req/s\n", r.Duration, r.Clients, r.Requests, r.Throughput)
	fmt.Printf("%-15s %8s %9s %9s %9s %9s %10s\n", "operation", "count", "p50 ms", "p95 ms", "p99 ms", "max ms", "unfinished")
	for _, o := range r.Operations {
		fmt.Printf("%-15s %8d %9.1f %9.1f %9.1f %9.1f %10d\n", o.Name, o.Count, o.P50, o.P95, o.P99, o.Max, o.Open)
	}
	ck := slices.Sorted(maps.Keys(r.Conflicts))
	fmt.Printf("expected conflicts (409 of concurrent work): %d kinds\n", len(ck))
	for _, k := range ck {
		fmt.Printf("  %-50s %d\n", k, r.Conflicts[k])
	}
	keys := slices.Sorted(maps.Keys(r.Errors))
	fmt.Printf("errors: %d kinds\n", len(keys))
	for _, k := range keys {
		fmt.Printf("  %-50s %d\n", k, r.Errors[k])
	}
}
