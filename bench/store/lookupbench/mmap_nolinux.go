//go:build !linux

package main

import "errors"

func mapWords(int) ([]uint64, error) {
	return nil, errors.New("needs Linux (memory mappings on huge pages)")
}
