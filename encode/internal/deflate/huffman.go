package deflate

import (
	"math/bits"
	"slices"
)

// Length and distance codes (RFC 1951 3.2.5).
var (
	lengthBase  [29]uint16
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	lengthCode  [256]uint8 // by length-3
	distBase    [30]uint16 // minus one: compared with dist-1
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	distLow     [256]uint8 // code of dist-1 < 256
	distHigh    [256]uint8 // code of (dist-1)>>7, for dist-1 >= 256
)

func init() {
	l := 0
	for c := range 28 {
		lengthBase[c] = uint16(l + 3)
		for range 1 << lengthExtra[c] {
			lengthCode[l] = uint8(c)
			l++
		}
	}
	lengthBase[28] = 258
	lengthCode[255] = 28
	d := 0
	for c := range 30 {
		distBase[c] = uint16(d)
		for range 1 << distExtra[c] {
			if d < 256 {
				distLow[d] = uint8(c)
			} else {
				distHigh[d>>7] = uint8(c)
			}
			d++
		}
	}
}

// distCode is the code of a distance minus one.
func distCode(d int) int {
	if d < 256 {
		return int(distLow[d])
	}
	return int(distHigh[d>>7])
}

// buildLengths sets lengths to Huffman code lengths for freq, none longer
// than limit. The code is always complete (inflaters reject incomplete
// ones): when fewer than two symbols occur, unused ones are given a code.
func buildLengths(freq []uint32, lengths []uint8, limit int) {
	clear(lengths)
	type leaf struct {
		freq uint32
		sym  int
	}
	leaves := make([]leaf, 0, len(freq))
	for s, f := range freq {
		if f > 0 {
			leaves = append(leaves, leaf{f, s})
		}
	}
	for s := 0; len(leaves) < 2; s++ {
		if freq[s] == 0 {
			leaves = append(leaves, leaf{1, s})
		}
	}
	slices.SortFunc(leaves, func(a, b leaf) int {
		if a.freq != b.freq {
			if a.freq < b.freq {
				return -1
			}
			return 1
		}
		return a.sym - b.sym
	})

	// Two-queue Huffman: leaves in order, then internal nodes in the
	// order they are made (which is also by weight).
	n := len(leaves)
	weight := make([]uint64, 2*n-1)
	parent := make([]int, 2*n-1)
	for i, l := range leaves {
		weight[i] = uint64(l.freq)
	}
	li, ni := 0, n // next leaf, next internal node to take
	pick := func(made int) int {
		if li < n && (ni >= made || weight[li] <= weight[ni]) {
			li++
			return li - 1
		}
		ni++
		return ni - 1
	}
	for made := n; made < 2*n-1; made++ {
		a := pick(made)
		b := pick(made)
		weight[made] = weight[a] + weight[b]
		parent[a], parent[b] = made, made
	}
	depth := make([]int, 2*n-1)
	for i := 2*n - 3; i >= 0; i-- {
		depth[i] = depth[parent[i]] + 1
	}

	// Count codes per length, capping at limit. Capping overfills the
	// code space (Kraft sum over 1); each step below moves a code down from
	// the longest length under the limit and pairs it with one from the
	// limit, freeing one unit, as zlib's trees.c gen_bitlen does.
	count := make([]int, limit+1)
	kraft := 0
	for i := range n {
		d := min(depth[i], limit)
		count[d]++
		kraft += 1 << (limit - d)
	}
	for ; kraft > 1<<limit; kraft-- {
		b := limit - 1
		for count[b] == 0 {
			b--
		}
		count[b]--
		count[b+1] += 2
		count[limit]--
	}
	// Longest codes to the rarest symbols.
	i := 0
	for l := limit; l >= 1; l-- {
		for range count[l] {
			lengths[leaves[i].sym] = uint8(l)
			i++
		}
	}
}

// canonical sets codes (bit-reversed, ready to write least significant
// bit first) for the code lengths.
func canonical(lengths []uint8, codes []uint16) {
	var count [16]uint16
	for _, l := range lengths {
		count[l]++
	}
	count[0] = 0
	var next [16]uint16
	code := uint16(0)
	for l := 1; l < 16; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	for s, l := range lengths {
		if l == 0 {
			continue
		}
		codes[s] = bits.Reverse16(next[l]) >> (16 - l)
		next[l]++
	}
}
