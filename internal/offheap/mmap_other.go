//go:build !unix

package offheap

// mapSlots: without mappings, tables are Go slices.
func mapSlots(int) ([]byte, []slot) { return nil, nil }

func unmap([]byte) {}
