package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"vigil/internal/indicator"
	"vigil/internal/report"
	"vigil/internal/store"
)

// A viewer's networks are the components of the graph of the reports it
// may see. The stored labels (networks.go) are those of the public's
// graph, TLP:CLEAR reports only; everyone sees those reports, so a public
// network lies whole inside one component of any viewer's graph, which
// walk finds from it by breadth-first search over the links.

// querier is a transaction or a pool.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// maxPathVisit bounds the reports a walk visits.
const maxPathVisit = 100000

// links lists the indicators through which report seq may connect: not
// known-good. (Victims' own contacts are not links at all.)
func (db *DB) links(ctx context.Context, q querier, seq int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, db.q(`SELECT ri.indicator_id FROM report_indicators ri JOIN indicators i ON i.id = ri.indicator_id
		WHERE ri.report_seq = ? AND i.known_good IS NULL ORDER BY ri.indicator_id`), seq)
	if err != nil {
		return nil, err
	}
	return scanInts(rows)
}

// seenReportsOf lists the counting reports v sees that name ind, and
// whether it connects them for v: not over-common among them.
func (db *DB) seenReportsOf(ctx context.Context, q querier, v store.Viewer, ind int64) ([]int64, bool, error) {
	vis, args := visible(v)
	rows, err := q.QueryContext(ctx, db.q(fmt.Sprintf(`SELECT ri.report_seq FROM report_indicators ri JOIN reports r ON r.seq = ri.report_seq
		WHERE ri.indicator_id = ? AND r.status <> 'rejected' AND %s ORDER BY ri.report_seq LIMIT %d`, vis, db.overCommon+1)),
		append([]any{ind}, args...)...)
	if err != nil {
		return nil, false, err
	}
	seqs, err := scanInts(rows)
	return seqs, len(seqs) <= db.overCommon, err
}

// walk is a breadth-first search of v's graph from seeds. It calls found
// for each report reached (with the report and indicator it was reached
// from; 0 for seeds) until found returns false or limit reports were
// reached, and returns the connecting indicators met with the number of
// v's reports naming each.
func (db *DB) walk(ctx context.Context, q querier, v store.Viewer, seeds []int64, limit int, found func(seq, from, ind int64) bool) (map[int64]int, bool, error) {
	seen := map[int64]bool{}
	inds := map[int64]int{}
	var queue []int64
	for _, s := range seeds {
		if !seen[s] {
			seen[s] = true
			queue = append(queue, s)
			if !found(s, 0, 0) {
				return inds, false, nil
			}
		}
	}
	for len(queue) > 0 {
		if len(seen) >= limit {
			return inds, true, nil
		}
		r := queue[0]
		queue = queue[1:]
		ls, err := db.links(ctx, q, r)
		if err != nil {
			return nil, false, err
		}
		for _, ind := range ls {
			if _, ok := inds[ind]; ok {
				continue
			}
			next, connects, err := db.seenReportsOf(ctx, q, v, ind)
			if err != nil {
				return nil, false, err
			}
			if !connects {
				inds[ind] = -1
				continue
			}
			inds[ind] = len(next)
			for _, n := range next {
				if seen[n] {
					continue
				}
				seen[n] = true
				if !found(n, r, ind) {
					return inds, false, nil
				}
				queue = append(queue, n)
			}
		}
	}
	return inds, false, ctx.Err()
}

// counting tells whether v sees report seq and it counts (not rejected).
func (db *DB) sees(ctx context.Context, q querier, v store.Viewer, id string) (int64, bool, error) {
	vis, args := visible(v)
	var seq int64
	err := q.QueryRowContext(ctx, db.q("SELECT r.seq FROM reports r WHERE r.id = ? AND r.status <> 'rejected' AND "+vis), append([]any{id}, args...)...).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return seq, err == nil, err
}

// Network returns v's network around id: a stored (public) network's id
// or the id of a report v sees.
func (db *DB) Network(ctx context.Context, v store.Viewer, id string) (store.Network, error) {
	n := store.Network{ID: id, ScamTypes: []string{}, Loss: []report.Money{}, Reports: []store.NetworkReport{}, Indicators: []store.NetworkIndicator{}}
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: !db.postgres})
	if err != nil {
		return n, fmt.Errorf("store: network %s: %w", id, err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, db.q("SELECT seq FROM reports WHERE network_id = ? ORDER BY seq"), id)
	if err != nil {
		return n, fmt.Errorf("store: network %s: %w", id, err)
	}
	seeds, err := scanInts(rows)
	if err != nil {
		return n, fmt.Errorf("store: network %s: %w", id, err)
	}
	if len(seeds) == 0 {
		seq, ok, err := db.sees(ctx, tx, v, id)
		if err != nil {
			return n, fmt.Errorf("store: network %s: %w", id, err)
		}
		if !ok {
			return n, fmt.Errorf("store: network %s: %w", id, store.ErrNotFound)
		}
		seeds = []int64{seq}
	}
	var members []int64
	inds, truncated, err := db.walk(ctx, tx, v, seeds, maxPathVisit, func(seq, _, _ int64) bool {
		members = append(members, seq)
		return true
	})
	if err != nil {
		return n, fmt.Errorf("store: network %s: %w", id, err)
	}
	n.Truncated = truncated
	if err := db.describe(ctx, tx, &n, members, inds); err != nil {
		return n, fmt.Errorf("store: network %s: %w", id, err)
	}
	return n, nil
}

// describe fills a network's figures from its reports and indicators.
func (db *DB) describe(ctx context.Context, q querier, n *store.Network, members []int64, inds map[int64]int) error {
	n.Size = len(members)
	types := map[string]bool{}
	loss := map[string]*big.Rat{}
	for len(members) > 0 {
		chunk := members[:min(len(members), 500)]
		members = members[len(chunk):]
		args := make([]any, len(chunk))
		for i, s := range chunk {
			args[i] = s
		}
		rows, err := q.QueryContext(ctx, db.q("SELECT id, scam_type, created_at, loss_amount, loss_currency FROM reports WHERE seq IN (?"+
			strings.Repeat(", ?", len(chunk)-1)+")"), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r store.NetworkReport
			var created int64
			var amount, cur sql.NullString
			if err := rows.Scan(&r.ID, &r.ScamType, &created, &amount, &cur); err != nil {
				rows.Close()
				return err
			}
			r.CreatedAt = time.UnixMilli(created).UTC()
			if n.FirstSeen.IsZero() || r.CreatedAt.Before(n.FirstSeen) {
				n.FirstSeen = r.CreatedAt
			}
			if r.CreatedAt.After(n.LastSeen) {
				n.LastSeen = r.CreatedAt
			}
			types[r.ScamType] = true
			if amount.Valid {
				if v, ok := new(big.Rat).SetString(amount.String); ok {
					if loss[cur.String] == nil {
						loss[cur.String] = new(big.Rat)
					}
					loss[cur.String].Add(loss[cur.String], v)
				}
			}
			n.Reports = append(n.Reports, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	sort.Slice(n.Reports, func(i, j int) bool { return n.Reports[i].ID < n.Reports[j].ID })
	if len(n.Reports) > store.MaxListed {
		n.Reports, n.Truncated = n.Reports[:store.MaxListed], true
	}
	for _, t := range report.ScamTypes {
		if types[t.Code] {
			n.ScamTypes = append(n.ScamTypes, t.Code)
		}
	}
	for cur, v := range loss {
		n.Loss = append(n.Loss, report.Money{Amount: report.FormatAmount(v), Currency: cur})
	}
	sort.Slice(n.Loss, func(i, j int) bool { return n.Loss[i].Currency < n.Loss[j].Currency })
	for ind, count := range inds {
		if count < 2 {
			continue // over-common, or naming one report: connects nothing
		}
		var ni store.NetworkIndicator
		var kind string
		if err := q.QueryRowContext(ctx, db.q("SELECT kind, value FROM indicators WHERE id = ?"), ind).Scan(&kind, &ni.Value); err != nil {
			return err
		}
		ni.Kind, ni.Reports = indicator.Kind(kind), count
		n.Indicators = append(n.Indicators, ni)
	}
	sort.Slice(n.Indicators, func(i, j int) bool {
		a, b := n.Indicators[i], n.Indicators[j]
		if a.Reports != b.Reports {
			return a.Reports > b.Reports
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Value < b.Value
	})
	if len(n.Indicators) > store.MaxListed {
		n.Indicators, n.Truncated = n.Indicators[:store.MaxListed], true
	}
	return nil
}

// Path returns the shortest chain of shared indicators from report a to
// b in v's graph.
func (db *DB) Path(ctx context.Context, v store.Viewer, a, b string) ([]store.Step, error) {
	var steps []store.Step
	err := func() error {
		tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: !db.postgres})
		if err != nil {
			return err
		}
		defer tx.Rollback()
		sa, okA, err := db.sees(ctx, tx, v, a)
		if err != nil {
			return err
		}
		sb, okB, err := db.sees(ctx, tx, v, b)
		if err != nil {
			return err
		}
		if !okA || !okB {
			return fmt.Errorf("reports %s and %s are not linked: %w", a, b, store.ErrNotFound)
		}
		type via struct{ from, ind int64 }
		prev := map[int64]via{}
		reached := false
		_, _, err = db.walk(ctx, tx, v, []int64{sa}, maxPathVisit, func(seq, from, ind int64) bool {
			prev[seq] = via{from, ind}
			reached = seq == sb
			return !reached
		})
		if err != nil {
			return err
		}
		if !reached {
			return fmt.Errorf("reports %s and %s are not linked: %w", a, b, store.ErrNotFound)
		}
		return db.pathSteps(ctx, tx, sb, sa, func(s int64) (int64, int64) { p := prev[s]; return p.from, p.ind }, &steps)
	}()
	if err != nil {
		return nil, fmt.Errorf("store: path: %w", err)
	}
	return steps, nil
}

func (db *DB) pathSteps(ctx context.Context, tx *sql.Tx, end, start int64, prev func(int64) (int64, int64), out *[]store.Step) error {
	var rev []store.Step
	for s := end; ; {
		var id string
		if err := tx.QueryRowContext(ctx, db.q("SELECT id FROM reports WHERE seq = ?"), s).Scan(&id); err != nil {
			return err
		}
		rev = append(rev, store.Step{Report: id})
		if s == start {
			break
		}
		from, ind := prev(s)
		var k store.Key
		var kind string
		if err := tx.QueryRowContext(ctx, db.q("SELECT kind, value FROM indicators WHERE id = ?"), ind).Scan(&kind, &k.Value); err != nil {
			return err
		}
		k.Kind = indicator.Kind(kind)
		rev = append(rev, store.Step{Indicator: &k})
		s = from
	}
	for i := len(rev) - 1; i >= 0; i-- {
		*out = append(*out, rev[i])
	}
	return nil
}
