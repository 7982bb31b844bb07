package model

import (
	"bytes"
	_ "embed"
	"sync"
)

// shipped.bin is trained by `go test ./internal/screen/model -run
// TestTrainShipped -train` (see model_test.go) on the training split of
// Corpus with DefaultOptions; testdata/report.md is its evaluation.
//
//go:embed shipped.bin
var shippedBin []byte

var shipped = sync.OnceValue(func() *Model {
	m, err := Load(bytes.NewReader(shippedBin))
	if err != nil {
		panic("model: the embedded shipped.bin does not load: " + err.Error())
	}
	return m
})

// Shipped returns the model built into Vigil, loaded on first use.
func Shipped() *Model { return shipped() }
