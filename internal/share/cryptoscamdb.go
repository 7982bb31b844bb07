package share

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// CryptoScamDB's urls.yaml is one YAML list of some ten thousand entries.
// Rather than decode the whole document into nodes, the reader cuts the
// list at its top-level items (a line starting "- ") and decodes one entry
// at a time with yaml.v3: memory stays one entry, an entry's position is
// the line it starts on, and a malformed entry is a bad row instead of the
// end of the import. The price: only a block-style top-level list is read
// (the only style CryptoScamDB writes); anything else is a format error.

// csdbEntry is one entry of urls.yaml or uris.yaml.
type csdbEntry struct {
	Name        string    `yaml:"name"`
	URL         string    `yaml:"url"`
	Category    string    `yaml:"category"`
	Subcategory string    `yaml:"subcategory"`
	Description string    `yaml:"description"`
	Addresses   yaml.Node `yaml:"addresses"` // a node: keeps the file's order of chains
	Reporter    string    `yaml:"reporter"`
}

// vigilChains are the chain labels whose addresses Vigil stores (BSC is
// an EVM chain: its addresses are ETH ones). An address under one of them
// that does not parse is a bad row; under another label (ADA, NEO, BCH's
// CashAddr ...) it is skipped with a notice.
var vigilChains = map[string]bool{"BTC": true, "ETH": true, "LTC": true, "DOGE": true, "TRX": true,
	"XRP": true, "TON": true, "BSC": true, "ETC": true, "USDT": true}

func (r *reader) cryptoScamDB(in io.Reader) error {
	const source = string(FormatCryptoScamDB)
	lr := newLineReader(in)
	var (
		chunk []byte
		start int64 // line of the entry being read; 0 before the first
		long  bool
	)
	flush := func() error {
		if start == 0 || !r.want(start) {
			return nil
		}
		if long {
			return r.bad(start, source, fmt.Errorf("entry is longer than %d bytes", MaxLine))
		}
		return r.csdbEntry(start, chunk)
	}
	for {
		b, err := lr.next()
		if errors.Is(err, io.EOF) {
			return flush()
		}
		if err != nil {
			return err
		}
		switch {
		case len(b) > 0 && b[0] == '-' && (len(b) == 1 || b[1] == ' ') && !bytes.HasPrefix(b, []byte("---")):
			if err := flush(); err != nil {
				return err
			}
			start, long, chunk = lr.n, lr.long, append(chunk[:0], b...)
			chunk = append(chunk, '\n')
			continue
		case len(bytes.TrimSpace(b)) == 0 || b[0] == '#' || bytes.Equal(b, []byte("---")) || bytes.Equal(b, []byte("...")):
			continue
		case start == 0:
			return fmt.Errorf("line %d: not a YAML list of entries (want \"- name: ...\")", lr.n)
		}
		if !r.want(start) || long {
			continue
		}
		if lr.long || len(chunk)+len(b) > MaxLine {
			long = true
			continue
		}
		chunk = append(append(chunk, b...), '\n')
	}
}

// csdbEntry emits one entry: its bad values and skipped addresses first,
// then the values it lists.
func (r *reader) csdbEntry(pos int64, chunk []byte) error {
	const source = string(FormatCryptoScamDB)
	var entries []csdbEntry
	if err := yaml.Unmarshal(chunk, &entries); err != nil || len(entries) != 1 {
		if err == nil {
			err = errors.New("not one entry")
		}
		return r.bad(pos, source, fmt.Errorf("entry: %w", err))
	}
	e := entries[0]
	var vs []Value
	seen := map[Value]bool{}
	keep := func(add []Value) {
		for _, v := range add {
			if !seen[v] {
				seen[v] = true
				vs = append(vs, v)
			}
		}
	}
	link := strings.TrimSpace(e.URL)
	if link == "" {
		link = strings.TrimSpace(e.Name)
	}
	if link == "" {
		if err := r.bad(pos, source, errors.New("entry has no url")); err != nil {
			return err
		}
	} else if got, err := linkValues(link); err != nil {
		if err := r.bad(pos, source, fmt.Errorf("url: %w", err)); err != nil {
			return err
		}
	} else {
		keep(got)
	}
	err := csdbAddresses(&e.Addresses, func(chain, addr string) error {
		got, err := walletValue(addr)
		switch {
		case err == nil:
			keep(got)
			return nil
		case vigilChains[strings.ToUpper(chain)]:
			return r.bad(pos, source, fmt.Errorf("addresses/%s: %w", chain, err))
		}
		return r.emit(Record{Pos: pos, Source: source, Notice: fmt.Sprintf("skipped: %s address %q: not a chain Vigil stores", chain, clip(addr))})
	})
	if err != nil {
		return err
	}
	return r.values(pos, source, false, noTime, vs, nil)
}

// csdbAddresses calls fn for each address of an "addresses" mapping
// (chain: [address, ...] or chain: address), in file order.
func csdbAddresses(n *yaml.Node, fn func(chain, addr string) error) error {
	if n.Kind == 0 {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fn("addresses", n.Value)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		chain, v := n.Content[i].Value, n.Content[i+1]
		items := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			items = v.Content
		}
		for _, a := range items {
			if a.Kind != yaml.ScalarNode {
				continue
			}
			if err := fn(chain, strings.TrimSpace(a.Value)); err != nil {
				return err
			}
		}
	}
	return nil
}
