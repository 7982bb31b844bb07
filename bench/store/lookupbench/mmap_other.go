//go:build !unix

package main

import "errors"

func mapWords(int) ([]uint64, error) {
	return nil, errors.New("needs a system with memory mappings (Unix)")
}
