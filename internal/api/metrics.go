package api

import (
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

type metrics struct {
	gatherer prometheus.Gatherer
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// newMetrics registers the API's metrics on reg, or on a registry of its
// own (with Go and process collectors) when reg is nil, and gauges of st's
// lookup index.
func newMetrics(reg prometheus.Registerer, st Store) (*metrics, error) {
	var g prometheus.Gatherer = prometheus.DefaultGatherer
	if reg == nil {
		r := prometheus.NewRegistry()
		r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		reg, g = r, r
	} else if gg, ok := reg.(prometheus.Gatherer); ok {
		g = gg
	}
	m := &metrics{
		gatherer: g,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigil_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "vigil_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}, []string{"route"}),
	}
	keys := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "vigil_lookup_index_keys", Help: "Indicators held by the in-memory lookup index.",
	}, func() float64 { n, _ := st.IndexSize(); return float64(n) })
	size := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "vigil_lookup_index_bytes", Help: "Memory taken by the lookup index's table, outside the Go heap (not in go_memstats).",
	}, func() float64 { _, b := st.IndexSize(); return float64(b) })
	for _, c := range []prometheus.Collector{m.requests, m.duration, keys, size} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// routeMetrics counts one route's requests. Finding a labelled series
// (hashing its labels, a locked map) costs more than counting in it, so the
// route's latency series and its count of 200s are found once, at their
// first use (not before, so a route never asked for shows no series).
type routeMetrics struct {
	m     *metrics
	route string

	durOnce, okOnce sync.Once
	dur             prometheus.Observer
	ok              prometheus.Counter
}

func (m *metrics) route(name string) *routeMetrics { return &routeMetrics{m: m, route: name} }

func (r *routeMetrics) observe(status int, d time.Duration) {
	if status == 0 {
		status = 200
	}
	if status == 200 {
		r.okOnce.Do(func() { r.ok = r.m.requests.WithLabelValues(r.route, "200") })
		r.ok.Inc()
	} else {
		r.m.requests.WithLabelValues(r.route, strconv.Itoa(status)).Inc()
	}
	r.durOnce.Do(func() { r.dur = r.m.duration.WithLabelValues(r.route) })
	r.dur.Observe(d.Seconds())
}
