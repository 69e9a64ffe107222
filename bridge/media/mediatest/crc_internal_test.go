package mediatest

import "testing"

// TestOggCRCMatchesTheCatalogue: Ogg's CRC is CRC-32/CKSUM without its
// final XOR, whose check value for "123456789" is 0x765E7680.
func TestOggCRCMatchesTheCatalogue(t *testing.T) {
	if got, want := oggCRC([]byte("123456789")), ^uint32(0x765E7680); got != want {
		t.Fatalf("oggCRC = %#x, want %#x", got, want)
	}
}
