package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"vigil/internal/indicator"
	"vigil/internal/report"
	"vigil/internal/store"
)

// Leads are computed from the data as it is when read, never stored: a
// report rejected or deleted, a value disputed or found known-good, a case
// closed changes them at once. Only their identities are kept (the leads
// table, see hooks.go), to tell which are new and which are gone.
//
// Strength (docs/cases.md, "Leads"):
//   - reports and possible_forced_scammer: 1 - 0.5^reporters (independent
//     reporters, counted as for lookups: docs/confidence.md), plus 0.15
//     when a report is verified or a trusted organisation vouches for one;
//   - case: 0.8, a value shared by two open cases;
//   - photo: 0.9 for identical perceptual hashes, 0.05 less per bit apart;
//   - a disputed value's lead is halved.
//
// Level: low under 0.4, medium under 0.7, high from 0.7.

// leadSecretName is the store secret keying lead ids: a lead id goes to
// webhooks outside Vigil and must not let its value be guessed back, and
// it must outlive a rotation of the data key (blind keys do not).
const leadSecretName = "lead-id"

// maxPhotoDistance is the largest Hamming distance between two 64-bit
// perceptual hashes still taken for the same photo.
const maxPhotoDistance = 8

func leadID(key []byte, caseID, kind string, parts ...string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(caseID + "\x00" + kind))
	for _, p := range parts {
		m.Write([]byte("\x00" + p))
	}
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// leadKey returns the key of lead ids, made in tx on first use.
func (db *DB) leadKey(ctx context.Context, tx *sql.Tx) ([]byte, error) {
	var v []byte
	err := tx.QueryRowContext(ctx, db.q("SELECT value FROM secrets WHERE name = ?"), leadSecretName).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		v = make([]byte, 32)
		rand.Read(v)
		_, err = tx.ExecContext(ctx, db.q("INSERT INTO secrets (name, value) VALUES (?, ?)"), leadSecretName, v)
	}
	return v, err
}

func level(s float64) string {
	switch {
	case s < 0.4:
		return "low"
	case s < 0.7:
		return "medium"
	}
	return "high"
}

func strength(s float64, disputed bool) float64 {
	s = min(s, 1)
	if disputed {
		s /= 2
	}
	return math.Round(s*1000) / 1000
}

// caseLeads computes the leads of c as v sees them. Without detail only
// what identifies each lead (id, kind) is filled: enough to tell new
// leads from gone ones.
func (db *DB) caseLeads(ctx context.Context, q querier, v store.Viewer, c *report.Case, key []byte, detail bool) ([]store.Lead, error) {
	if c.Closed() {
		return []store.Lead{}, nil
	}
	out := []store.Lead{}
	type shared struct {
		link     report.Link
		disputed bool
	}
	byKey := map[string]shared{}
	var keys [][]byte
	for _, l := range c.Indicators {
		if l.KnownGood != "" || l.Kind == indicator.Place {
			continue
		}
		var ind int64
		var kg sql.NullString
		var disputed int
		err := q.QueryRowContext(ctx, db.q("SELECT id, known_good, disputed FROM indicators WHERE kind = ? AND value = ?"), string(l.Kind), l.Value).
			Scan(&ind, &kg, &disputed)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			ind = 0
		case err != nil:
			return nil, err
		case kg.Valid:
			continue // known-good: a warninglisted or upheld value makes no lead
		}
		k := db.caseIndicatorKey(string(l.Kind), l.Value)
		byKey[string(k)] = shared{l, disputed != 0}
		keys = append(keys, k)
		if ind == 0 {
			continue
		}
		lead, ok, err := db.reportLead(ctx, q, v, c, l, ind, disputed != 0, key, detail)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, lead)
		}
	}

	// Other open cases holding a value of this one: one lead per case.
	others := map[string]*store.Lead{}
	var order []string
	shares := map[string][]report.Link{}
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), 500)]
		keys = keys[len(chunk):]
		args := []any{c.ID}
		for _, k := range chunk {
			args = append(args, k)
		}
		rows, err := q.QueryContext(ctx, db.q(`SELECT ci.key, ci.case_id, c.owner_org FROM case_indicators ci JOIN cases c ON c.id = ci.case_id
			WHERE ci.case_id <> ? AND c.status <> 'closed' AND ci.key IN (?`+strings.Repeat(", ?", len(chunk)-1)+`) ORDER BY ci.case_id`), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k []byte
			var other string
			var org sql.NullString
			if err := rows.Scan(&k, &other, &org); err != nil {
				rows.Close()
				return nil, err
			}
			s := byKey[string(k)]
			l := others[other]
			if l == nil {
				l = &store.Lead{ID: leadID(key, c.ID, store.LeadCase, other), Kind: store.LeadCase, CaseOrg: org.String}
				if v.SeesCase(org.String) {
					l.Case = other
				}
				others[other] = l
				order = append(order, other)
			}
			l.Disputed = l.Disputed || s.disputed
			shares[other] = append(shares[other], s.link)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, other := range order {
		l := others[other]
		if detail {
			vals := shares[other]
			sort.Slice(vals, func(i, j int) bool { return linkOrder(c, vals[i]) < linkOrder(c, vals[j]) })
			first := vals[0]
			l.Indicator, l.Role = &store.Key{Kind: first.Kind, Value: first.Value}, first.Role
			l.Strength = strength(0.8, l.Disputed)
			l.Level = level(l.Strength)
			l.Path = fmt.Sprintf("%s in this case (%s) is also in another open case%s, %s", valueNoun(first.Role, first.Kind), short(first.Value),
				caseRef(l.Case), heldBy(l.CaseOrg))
			if len(vals) > 1 {
				l.Path += fmt.Sprintf(", with %d more shared %s", len(vals)-1, plural(len(vals)-1, "value", "values"))
			}
		}
		out = append(out, *l)
	}

	photos, err := db.photoLeads(ctx, q, v, c, key, detail)
	if err != nil {
		return nil, err
	}
	out = append(out, photos...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Strength != out[j].Strength {
			return out[i].Strength > out[j].Strength
		}
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// linkOrder is a value's place among the case's indicators.
func linkOrder(c *report.Case, l report.Link) int {
	return slices.IndexFunc(c.Indicators, func(x report.Link) bool { return x.Kind == l.Kind && x.Value == l.Value })
}

// reportLead is the lead a case's value l (indicator row ind) makes
// through the reports v may see that name it and were not rejected.
func (db *DB) reportLead(ctx context.Context, q querier, v store.Viewer, c *report.Case, l report.Link, ind int64, disputed bool,
	key []byte, detail bool) (store.Lead, bool, error) {
	kind := store.LeadReports
	if l.Role == report.RoleSubject {
		kind = store.LeadForcedScammer
	}
	lead := store.Lead{ID: leadID(key, c.ID, kind, string(l.Kind), l.Value), Kind: kind}
	vis, vargs := visible(v)
	from := ` FROM report_indicators ri JOIN reports r ON r.seq = ri.report_seq
		WHERE ri.indicator_id = ? AND r.status <> 'rejected' AND ri.role <> 'victim_contact' AND ` + vis
	args := append([]any{ind}, vargs...)
	if !detail {
		rows, err := q.QueryContext(ctx, db.q("SELECT 1"+from+" LIMIT 1"), args...)
		if err != nil {
			return lead, false, err
		}
		found, err := scanInts(rows)
		return lead, len(found) > 0, err
	}
	var accounts, nets, trusted, verified int
	var first, last sql.NullInt64
	err := q.QueryRowContext(ctx, db.q(`SELECT COUNT(*), COUNT(DISTINCT r.reporter), COUNT(DISTINCT r.reporter_net), COUNT(DISTINCT r.trusted_org),
		COALESCE(MAX(CASE WHEN r.status = 'verified' THEN 1 ELSE 0 END), 0), MIN(r.created_at), MAX(r.created_at)`+from), args...).
		Scan(&lead.ReportCount, &accounts, &nets, &trusted, &verified, &first, &last)
	if err != nil || lead.ReportCount == 0 {
		return lead, false, err
	}
	lead.Reporters = min(accounts, nets)
	f, la := fromMS(first), fromMS(last)
	lead.FirstSeen, lead.LastSeen = &f, &la
	rows, err := q.QueryContext(ctx, db.q("SELECT ri.role, r.scam_type, COALESCE(r.network_id, '')"+from+" GROUP BY ri.role, r.scam_type, r.network_id"), args...)
	if err != nil {
		return lead, false, err
	}
	roles, types, networks := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var role, st, net string
		if err := rows.Scan(&role, &st, &net); err != nil {
			rows.Close()
			return lead, false, err
		}
		roles[role], types[st] = true, true
		if net != "" {
			networks[net] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return lead, false, err
	}
	lead.ReportRoles = inOrder(roles, report.Roles)
	lead.ScamTypes = inOrder(types, report.ScamTypes)
	for n := range networks {
		lead.Networks = append(lead.Networks, n)
	}
	slices.Sort(lead.Networks)
	rows, err = q.QueryContext(ctx, db.q(fmt.Sprintf("SELECT r.id"+from+" ORDER BY r.id DESC LIMIT %d", store.MaxListed)), args...)
	if err != nil {
		return lead, false, err
	}
	if lead.Reports, err = scanStrings(rows); err != nil {
		return lead, false, err
	}
	lead.Indicator, lead.Role, lead.Disputed = &store.Key{Kind: l.Kind, Value: l.Value}, l.Role, disputed
	s := 1 - math.Pow(0.5, float64(lead.Reporters))
	if verified != 0 || trusted > 0 {
		s += 0.15
	}
	lead.Strength = strength(s, disputed)
	lead.Level = level(lead.Strength)
	lead.Path = reportPath(lead)
	return lead, true, nil
}

// photoLeads are the images of c whose perceptual hash is within
// maxPhotoDistance of an image in another open case: one lead per pair.
func (db *DB) photoLeads(ctx context.Context, q querier, v store.Viewer, c *report.Case, key []byte, detail bool) ([]store.Lead, error) {
	mine, err := db.phashes(ctx, q, "e.case_id = ?", c.ID)
	if err != nil || len(mine) == 0 {
		return nil, err
	}
	theirs, err := db.phashes(ctx, q, "e.case_id <> ? AND c.status <> 'closed'", c.ID)
	if err != nil {
		return nil, err
	}
	var out []store.Lead
	for _, m := range mine {
		for _, t := range theirs {
			d := phashDistance(m.phash, t.phash)
			if d < 0 || d > maxPhotoDistance {
				continue
			}
			l := store.Lead{ID: leadID(key, c.ID, store.LeadPhoto, t.caseID, m.id, t.id), Kind: store.LeadPhoto, Evidence: m.id,
				Distance: d, CaseOrg: t.org}
			if v.SeesCase(t.org) {
				l.Case = t.caseID
			}
			if detail {
				l.Strength = strength(0.9-0.05*float64(d), false)
				l.Level = level(l.Strength)
				apart := fmt.Sprintf("perceptual hashes %d %s apart", d, plural(d, "bit", "bits"))
				if d == 0 {
					apart = "identical perceptual hashes"
				}
				l.Path = fmt.Sprintf("a photo in this case (file %s) is the same picture as one in another open case%s, %s (%s)",
					m.id, caseRef(l.Case), heldBy(t.org), apart)
			}
			out = append(out, l)
		}
	}
	return out, nil
}

type phashRow struct{ id, caseID, org, phash string }

// phashes lists the images matching where (on evidence e and cases c).
func (db *DB) phashes(ctx context.Context, q querier, where string, args ...any) ([]phashRow, error) {
	rows, err := q.QueryContext(ctx, db.q(`SELECT e.id, e.case_id, COALESCE(c.owner_org, ''), e.phash FROM evidence e JOIN cases c ON c.id = e.case_id
		WHERE e.phash IS NOT NULL AND `+where+" ORDER BY e.id"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []phashRow
	for rows.Next() {
		var p phashRow
		if err := rows.Scan(&p.id, &p.caseID, &p.org, &p.phash); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Leads returns the leads of a case v may see, as v sees them. The read
// shows the case's values, so it is audited.
func (db *DB) Leads(ctx context.Context, v store.Viewer, caseID string) ([]store.Lead, error) {
	var out []store.Lead
	err := func() error {
		var key []byte
		err := db.r.QueryRowContext(ctx, db.q("SELECT value FROM secrets WHERE name = ?"), leadSecretName).Scan(&key)
		if errors.Is(err, sql.ErrNoRows) {
			key, err = db.Secret(ctx, leadSecretName)
		}
		if err != nil {
			return err
		}
		tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: !db.postgres})
		if err != nil {
			return err
		}
		defer tx.Rollback()
		c, err := db.loadCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if !v.SeesCase(c.Org) {
			return store.ErrNotFound
		}
		if out, err = db.caseLeads(ctx, tx, v, &c, key, true); err != nil {
			return err
		}
		since := map[string]time.Time{}
		rows, err := tx.QueryContext(ctx, db.q("SELECT lead_id, since FROM leads WHERE case_id = ?"), caseID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var at int64
			if err := rows.Scan(&id, &at); err != nil {
				rows.Close()
				return err
			}
			since[id] = time.UnixMilli(at).UTC()
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		for i := range out {
			out[i].Since = now
			if t, ok := since[out[i].ID]; ok {
				out[i].Since = t
			}
		}
		tx.Rollback()
		return db.quietTx(ctx, func(tx *sql.Tx) error {
			return db.audit(ctx, tx, "case.leads", caseID, fmt.Sprintf("%d leads", len(out)))
		})
	}()
	if err != nil {
		return nil, fmt.Errorf("store: leads of case %s: %w", caseID, err)
	}
	return out, nil
}
