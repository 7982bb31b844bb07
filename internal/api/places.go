package api

import (
	"context"
	"fmt"
	"net/http"

	"vigil/internal/place"
	"vigil/internal/store"
)

// placeEntry is a gazetteer entry as the list shows it.
type placeEntry struct {
	ID      string        `json:"id"`
	Name    string        `json:"name"`
	Kind    string        `json:"kind"`
	Country string        `json:"country"`
	Lat     float64       `json:"lat"`
	Lon     float64       `json:"lon"`
	Aliases []place.Alias `json:"aliases"`
}

// listPlaces answers the gazetteer: the compounds, zones, towns and
// crossings Vigil recognises in reports and cases. It is a fixed table of
// a few dozen entries, so it is not paged.
func (s *Server) listPlaces(w http.ResponseWriter, r *http.Request) error {
	ps := place.Default().Places()
	out := make([]placeEntry, 0, len(ps))
	for _, p := range ps {
		aliases := p.Aliases
		if aliases == nil {
			aliases = []place.Alias{}
		}
		out = append(out, placeEntry{ID: p.ID, Name: p.Name, Kind: p.Kind, Country: p.Country, Lat: p.Lat, Lon: p.Lon, Aliases: aliases})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"places": out})
}

// placeView is one place and what mentions it.
type placeView struct {
	Place place.Place `json:"place"`
	// Reports are the reports the caller may see that mention it.
	Reports []string `json:"reports"`
	// Cases are the open cases that mention it, for those who may read
	// them; never present for anyone else.
	Cases []store.PlaceCase `json:"cases,omitempty"`
}

// getPlace answers a gazetteer entry with the reports and, for case
// readers, the open cases that mention it.
func (s *Server) getPlace(w http.ResponseWriter, r *http.Request) error {
	p, a, err := s.placeActivity(r.Context(), callerOf(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	v := placeView{Place: p, Reports: a.Reports, Cases: a.Cases}
	if v.Reports == nil {
		v.Reports = []string{}
	}
	if v.Place.Aliases == nil {
		v.Place.Aliases = []place.Alias{}
	}
	return writeJSON(w, http.StatusOK, v)
}

// placeActivity is a gazetteer entry and what mentions it that c may
// see: the reports, and for case readers only, the open cases. The API's
// and the web pages' one path.
func (s *Server) placeActivity(ctx context.Context, c *caller, id string) (place.Place, store.PlaceActivity, error) {
	p, ok := place.Default().ByID(id)
	if !ok {
		return place.Place{}, store.PlaceActivity{}, fmt.Errorf("%w: place %s", ErrNotFound, id)
	}
	a, err := s.store.Place(ctx, c.v, id)
	if err != nil {
		return place.Place{}, store.PlaceActivity{}, err
	}
	if !c.v.CaseReader && !c.v.AllCases {
		a.Cases = nil
	}
	return *p, a, nil
}
