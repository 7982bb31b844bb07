package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"vigil/internal/report"
)

// Networks are kept as labels: every counting report and every connecting
// indicator carries its network's ID. A new report joins (and merges) the
// networks of its connecting indicators, which costs a few statements
// however large the networks. Taking a report or a connection away may
// split a network; then relabel re-derives the components around it by a
// breadth-first walk over the links. Connecting means: a counting link (not
// the victim's own contact, in a report not rejected) to an indicator that
// is neither known-good nor over-common.

// join puts report seq into the network of its connecting indicators,
// merging those networks into the largest.
func (db *DB) join(ctx context.Context, tx *sql.Tx, seq int64, connecting []int64) error {
	sizes := map[string]int{}
	for _, ind := range connecting {
		var net sql.NullString
		if err := tx.QueryRowContext(ctx, db.q("SELECT network_id FROM indicators WHERE id = ?"), ind).Scan(&net); err != nil {
			return err
		}
		if net.Valid && sizes[net.String] == 0 {
			var size int
			if err := tx.QueryRowContext(ctx, db.q("SELECT size FROM networks WHERE id = ?"), net.String).Scan(&size); err != nil {
				return fmt.Errorf("network %s of indicator %d: %w", net.String, ind, err)
			}
			sizes[net.String] = size
		}
	}
	target, total := "", 1
	for id, size := range sizes {
		total += size
		if target == "" || size > sizes[target] || size == sizes[target] && id < target {
			target = id
		}
	}
	if target == "" {
		target = newID()
		if _, err := tx.ExecContext(ctx, db.q("INSERT INTO networks (id, size, created_at) VALUES (?, 0, ?)"), target, ms(time.Now())); err != nil {
			return err
		}
	}
	for id := range sizes {
		if id == target {
			continue
		}
		for _, stmt := range []string{"UPDATE reports SET network_id = ? WHERE network_id = ?", "UPDATE indicators SET network_id = ? WHERE network_id = ?"} {
			if _, err := tx.ExecContext(ctx, db.q(stmt), target, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, db.q("DELETE FROM networks WHERE id = ?"), id); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, db.q("UPDATE reports SET network_id = ? WHERE seq = ?"), target, seq); err != nil {
		return err
	}
	for _, ind := range connecting {
		if _, err := tx.ExecContext(ctx, db.q("UPDATE indicators SET network_id = ? WHERE id = ?"), target, ind); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, db.q("UPDATE networks SET size = ? WHERE id = ?"), total, target)
	return err
}

// connecting lists the indicators through which report seq connects to
// others, in id order.
func (db *DB) connecting(ctx context.Context, tx *sql.Tx, seq int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, db.q(`SELECT ri.indicator_id FROM report_indicators ri JOIN indicators i ON i.id = ri.indicator_id
		WHERE ri.report_seq = ? AND ri.role <> 'victim_contact' AND i.known_good IS NULL AND i.over_common = 0 ORDER BY ri.indicator_id`), seq)
	if err != nil {
		return nil, err
	}
	return scanInts(rows)
}

// reportsOf lists the counting reports linked to the indicators, in seq
// order for each.
func (db *DB) reportsOf(ctx context.Context, tx *sql.Tx, inds []int64) ([]int64, error) {
	var out []int64
	for _, ind := range inds {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT ri.report_seq FROM report_indicators ri JOIN reports r ON r.seq = ri.report_seq
			WHERE ri.indicator_id = ? AND r.status <> 'rejected' AND r.tlp = 'CLEAR' AND ri.role <> 'victim_contact' ORDER BY ri.report_seq`), ind)
		if err != nil {
			return nil, err
		}
		seqs, err := scanInts(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, seqs...)
	}
	return out, nil
}

// relabelAround re-derives the networks of the reports linked to inds
// (indicators whose connecting changed).
func (db *DB) relabelAround(ctx context.Context, tx *sql.Tx, inds []int64, old []string) error {
	seeds, err := db.reportsOf(ctx, tx, inds)
	if err != nil {
		return err
	}
	for _, ind := range inds {
		var net sql.NullString
		if err := tx.QueryRowContext(ctx, db.q("SELECT network_id FROM indicators WHERE id = ?"), ind).Scan(&net); err != nil {
			return err
		}
		if net.Valid {
			old = append(old, net.String)
		}
	}
	return db.relabel(ctx, tx, seeds, old)
}

// relabel re-derives the components reachable from seeds, together with
// every report of the networks they touch (and of old), and writes their
// labels: the largest component keeps the most common old ID, the others
// get new ones, and networks left empty are deleted.
func (db *DB) relabel(ctx context.Context, tx *sql.Tx, seeds []int64, old []string) error {
	comp := map[int64]int{} // report -> component
	var members, inds [][]int64
	oldOf := map[int64]string{}
	seenInd := map[int64]bool{}
	oldNets := map[string]bool{}
	expanded := map[string]bool{}
	for _, id := range old {
		oldNets[id] = true
	}
	pending := seeds
	for {
		for len(pending) > 0 {
			s := pending[0]
			pending = pending[1:]
			if _, ok := comp[s]; ok {
				continue
			}
			var status string
			var net sql.NullString
			err := tx.QueryRowContext(ctx, db.q("SELECT status, network_id FROM reports WHERE seq = ?"), s).Scan(&status, &net)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			} else if err != nil {
				return err
			}
			if net.Valid {
				oldNets[net.String] = true
			}
			if status == report.StatusRejected {
				comp[s] = -1
				continue
			}
			c := len(members)
			comp[s], oldOf[s] = c, net.String
			members, inds = append(members, []int64{s}), append(inds, nil)
			for q := []int64{s}; len(q) > 0; {
				r := q[0]
				q = q[1:]
				links, err := db.connecting(ctx, tx, r)
				if err != nil {
					return err
				}
				for _, ind := range links {
					if seenInd[ind] {
						continue
					}
					seenInd[ind] = true
					inds[c] = append(inds[c], ind)
					rows, err := tx.QueryContext(ctx, db.q(`SELECT ri.report_seq, r.network_id FROM report_indicators ri JOIN reports r ON r.seq = ri.report_seq
						WHERE ri.indicator_id = ? AND r.status <> 'rejected' AND ri.role <> 'victim_contact'`), ind)
					if err != nil {
						return err
					}
					for rows.Next() {
						var rep int64
						var rnet sql.NullString
						if err := rows.Scan(&rep, &rnet); err != nil {
							rows.Close()
							return err
						}
						if _, ok := comp[rep]; ok {
							continue
						}
						comp[rep], oldOf[rep] = c, rnet.String
						if rnet.Valid {
							oldNets[rnet.String] = true
						}
						members[c] = append(members[c], rep)
						q = append(q, rep)
					}
					rows.Close()
					if err := rows.Err(); err != nil {
						return err
					}
				}
			}
		}
		// Every report of a network touched must be placed again.
		for id := range oldNets {
			if expanded[id] {
				continue
			}
			expanded[id] = true
			rows, err := tx.QueryContext(ctx, db.q("SELECT seq FROM reports WHERE network_id = ?"), id)
			if err != nil {
				return err
			}
			seqs, err := scanInts(rows)
			if err != nil {
				return err
			}
			for _, s := range seqs {
				if _, ok := comp[s]; !ok {
					pending = append(pending, s)
				}
			}
		}
		if len(pending) == 0 {
			break
		}
	}
	for id := range oldNets {
		for _, stmt := range []string{"UPDATE reports SET network_id = NULL WHERE network_id = ?", "UPDATE indicators SET network_id = NULL WHERE network_id = ?", "DELETE FROM networks WHERE id = ?"} {
			if _, err := tx.ExecContext(ctx, db.q(stmt), id); err != nil {
				return err
			}
		}
	}
	order := make([]int, len(members))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(members[order[a]]) > len(members[order[b]]) })
	taken := map[string]bool{}
	now := ms(time.Now())
	for _, c := range order {
		votes := map[string]int{}
		for _, r := range members[c] {
			if o := oldOf[r]; o != "" && !taken[o] {
				votes[o]++
			}
		}
		id := ""
		for o, v := range votes {
			if id == "" || v > votes[id] || v == votes[id] && o < id {
				id = o
			}
		}
		if id == "" {
			id = newID()
		}
		taken[id] = true
		if _, err := tx.ExecContext(ctx, db.q("INSERT INTO networks (id, size, created_at) VALUES (?, ?, ?)"), id, len(members[c]), now); err != nil {
			return err
		}
		for _, r := range members[c] {
			if _, err := tx.ExecContext(ctx, db.q("UPDATE reports SET network_id = ? WHERE seq = ?"), id, r); err != nil {
				return err
			}
		}
		for _, ind := range inds[c] {
			if _, err := tx.ExecContext(ctx, db.q("UPDATE indicators SET network_id = ? WHERE id = ?"), id, ind); err != nil {
				return err
			}
		}
	}
	return nil
}
