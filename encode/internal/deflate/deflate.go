// Package deflate is a deflate (RFC 1951) encoder for filtered image rows,
// written for the PNG encoder in package capture.
//
// General-purpose compressors take every match they find. On photo-like
// rows (a wallpaper, a video frame) the filtered bytes are noise-like
// residuals, and the short matches found there cost more bits than the
// literals they replace: Huffman coding alone shrinks them best (zlib's
// Z_FILTERED strategy exists for this). Flat content (text, UI) on the same
// rows is mostly matches, nearby or straight above. So this encoder weighs
// every match against the literals it would replace, with the code lengths
// of the block before as the prices, and takes it only when it is cheaper;
// where matches stop paying it looks at fewer positions. The search itself
// is zlib-like: hash chains (up to eight candidates), the position one row
// up, one step of lazy matching. Every block of 64 K symbols has its own
// Huffman tables.
//
// Output is raw deflate that ends byte-aligned: with the final block, or
// with a sync flush (an empty stored block) so that the outputs of
// independent bands concatenate into one stream.
package deflate

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

const (
	maxMatch   = 258
	maxDist    = 32768
	hashBits   = 16
	blockSize  = 1 << 16 // tokens per block
	endOfBlock = 256

	minMatch    = 4
	searchDepth = 8
	lazyLimit   = 32 // a match this long is taken without looking one byte on
	// Inside a match, the last insertTail positions are hashed, and every
	// insertStep-th before them.
	insertStep    = 8
	insertTail    = 64
	skipShift     = 5
	maxSkip       = 7
	fastSkipShift = 3
	fastMaxSkip   = 31
)

// Options tune an Encoder.
type Options struct {
	// RowLen is the distance at which the row above starts (the filtered
	// row length, filter byte included); 0 disables that candidate.
	RowLen int
	// Fast looks at one candidate per position instead of up to eight,
	// without lazy matching, and skips faster over stretches without
	// matches.
	Fast bool
}

// Window is how far back a match may reach: the history worth passing.
const Window = maxDist

// Encoder keeps its tables between calls; it is not safe for concurrent use.
type Encoder struct {
	o       Options
	table   []int32
	chain   []int32 // previous position (+1) with the same hash, by position mod the window
	depth   int     // candidates looked at
	lazy    bool
	matches []match // of the current block
	bw      bitWriter
	lit     [286]uint32 // literal/length frequencies of the current block
	dist    [30]uint32
	// Estimated bits of each symbol: the code lengths of the previous
	// block, or guesses before the first.
	litBits  [286]uint8
	distBits [30]uint8
}

// Fast reports whether e was made with Options.Fast.
func (e *Encoder) Fast() bool { return e.o.Fast }

// New returns an Encoder.
func New(o Options) *Encoder {
	e := &Encoder{o: o, table: make([]int32, 1<<hashBits), chain: make([]int32, maxDist), depth: searchDepth, lazy: true}
	if o.Fast {
		e.depth, e.lazy = 1, false
	}
	return e
}

// match is a back-reference found at pos; literals fill the gaps.
type match struct {
	pos  int32
	len  uint16
	dist uint16 // minus one
}

// Encode appends to dst the deflate coding of src[start:]. src[:start]
// is history the decoder has already produced (the end of the previous
// band); matches may reach back into it. final ends the stream; otherwise
// it ends with a sync flush.
func (e *Encoder) Encode(dst, src []byte, start int, final bool) []byte {
	e.bw.reset(dst, len(src)-start)
	clear(e.table)

	const mask = 1<<(8*minMatch) - 1 // the bytes a candidate must share to be looked at
	// Learn the history's hashes: enough to find matches into it.
	for i := max(0, start-maxDist); i+8 <= start; i++ {
		e.insert(hashm(load64(src, i), mask), i)
	}
	e.guessCosts(src[start:])
	shift, most := skipShift, maxSkip
	if e.o.Fast {
		shift, most = fastSkipShift, fastMaxSkip
	}
	n := len(src)
	blockStart, lits := start, start // the block and the pending literals start here
	tokens := 0
	i := start
	for i+8 <= n {
		depth := e.depth
		if i-lits > 32 { // a long run of literals: noise-like, where a deep search finds nothing worth it
			depth = 1
		}
		bestLen, bestDist := e.search(src, i, mask, depth)
		if bestLen < minMatch || !e.pays(src[i:i+bestLen], bestLen, bestDist) {
			// Noise-like stretches have no matches worth taking: look at
			// fewer positions the longer no match has turned up.
			i += 1 + min((i-lits)>>shift, most)
			if tokens+i-lits >= blockSize && i < n {
				e.literals(src[lits:i])
				e.writeBlock(src[:i], blockStart, false)
				blockStart, lits, tokens = i, i, 0
			}
			continue
		}
		// Lazy matching: a longer match one byte on is worth a literal.
		for e.lazy && bestLen < lazyLimit && i+9 <= n {
			l, d := e.search(src, i+1, mask, depth)
			if l <= bestLen+1 {
				break
			}
			i, bestLen, bestDist = i+1, l, d
		}
		tokens += e.literals(src[lits:i]) + 1
		e.addMatch(i, bestLen, bestDist)
		end := i + bestLen
		// Positions inside the match are hashed too, so that what follows
		// finds its nearest copy: every one near the end, where the next
		// match starts looking, and every insertStep-th before that.
		j := i + 1
		for ; j < end-insertTail && j+8 <= n; j += insertStep {
			e.insert(hashm(load64(src, j), mask), j)
		}
		for ; j < end && j+8 <= n; j++ {
			e.insert(hashm(load64(src, j), mask), j)
		}
		i, lits = end, end
		if tokens >= blockSize {
			e.writeBlock(src[:i], blockStart, false)
			blockStart, tokens = i, 0
		}
	}
	e.literals(src[lits:])
	e.writeBlock(src, blockStart, final)
	if final {
		e.bw.align()
	} else {
		// Sync flush: an empty stored block ends the data byte-aligned.
		e.bw.writeBits(0, 3)
		e.bw.align()
		e.bw.out = append(e.bw.out, 0, 0, 0xff, 0xff)
	}
	return e.bw.out
}

// pays reports whether a match of length and dist is estimated to take
// fewer bits than the literals b it replaces.
func (e *Encoder) pays(b []byte, length, dist int) bool {
	lc := lengthCode[length-3]
	dc := distCode(dist - 1)
	cost := int(e.litBits[257+int(lc)]) + int(lengthExtra[lc]) + int(e.distBits[dc]) + int(distExtra[dc])
	sum := 0
	for _, c := range b {
		sum += int(e.litBits[c])
		if sum > cost {
			return true
		}
	}
	return false
}

// guessCosts estimates symbol costs before the first block: literals from
// a sample's byte frequencies, lengths and distances flat.
func (e *Encoder) guessCosts(src []byte) {
	var freq [256]int
	sample := src[:min(len(src), 1<<16)]
	for _, c := range sample {
		freq[c]++
	}
	for c, f := range freq {
		e.litBits[c] = bitsFor(f, len(sample))
	}
	for c := 256; c < len(e.litBits); c++ {
		e.litBits[c] = 7
	}
	for c := range e.distBits {
		e.distBits[c] = 6
	}
}

// bitsFor is about −log2(f/total), 1–15.
func bitsFor(f, total int) uint8 {
	if f == 0 {
		return 15
	}
	return uint8(min(15, max(1, bits.Len(uint(total/f)))))
}

// learnCosts takes a block's code lengths as the next block's estimates.
func (e *Encoder) learnCosts(litLen, distLen []uint8) {
	for i, l := range litLen {
		if l == 0 {
			l = 12 // unused so far: assume rare
		}
		e.litBits[i] = l
	}
	for i, l := range distLen {
		if l == 0 {
			l = 8
		}
		e.distBits[i] = l
	}
}

// literals counts b as literals of the current block.
func (e *Encoder) literals(b []byte) int {
	for _, c := range b {
		e.lit[c]++
	}
	return len(b)
}

func (e *Encoder) addMatch(pos, length, dist int) {
	e.matches = append(e.matches, match{int32(pos), uint16(length), uint16(dist - 1)})
	e.lit[257+int(lengthCode[length-3])]++
	e.dist[distCode(dist-1)]++
}

// search finds the longest match for src[i:] among up to depth earlier
// positions with the same hash and the position one row up, and makes i
// the newest position of its hash.
func (e *Encoder) search(src []byte, i int, mask uint64, depth int) (bestLen, bestDist int) {
	cur := load64(src, i)
	h := hashm(cur, mask)
	cand := int(e.table[h]) - 1
	e.insert(h, i)
	for ; cand >= 0 && i-cand <= maxDist && depth > 0; depth-- {
		if (load64(src, cand)^cur)&mask == 0 {
			if l := matchLen(src, cand, i); l > bestLen {
				bestLen, bestDist = l, i-cand
				if l == maxMatch {
					return bestLen, bestDist
				}
			}
		}
		next := int(e.chain[cand&(maxDist-1)]) - 1
		if next >= cand {
			break
		}
		cand = next
	}
	// Straight above, when that is longer: the nearer match is cheaper.
	if row := e.o.RowLen; row > 0 && i >= row && bestDist != row && (load64(src, i-row)^cur)&mask == 0 {
		if l := matchLen(src, i-row, i); l > bestLen {
			bestLen, bestDist = l, row
		}
	}
	return bestLen, bestDist
}

// insert makes position i the newest of hash h.
func (e *Encoder) insert(h uint32, i int) {
	e.chain[i&(maxDist-1)] = e.table[h]
	e.table[h] = int32(i + 1)
}

func hashm(u, mask uint64) uint32 {
	return uint32(((u & mask) * 0x9E3779B97F4A7C15) >> (64 - hashBits))
}

func load64(b []byte, i int) uint64 {
	return binary.LittleEndian.Uint64(b[i:])
}

// matchLen is the length of the common prefix of src[a:] and src[b:]
// (a < b), at most maxMatch.
func matchLen(src []byte, a, b int) int {
	n := min(maxMatch, len(src)-b)
	l := 0
	for l+8 <= n {
		x := load64(src, a+l) ^ load64(src, b+l)
		if x != 0 {
			return l + bits.TrailingZeros64(x)>>3
		}
		l += 8
	}
	for l < n && src[a+l] == src[b+l] {
		l++
	}
	return l
}

// writeBlock writes src[from:] as one block with dynamic Huffman codes:
// the block's matches, and literals between them.
func (e *Encoder) writeBlock(src []byte, from int, final bool) {
	e.lit[endOfBlock]++
	var litLen [286]uint8
	var distLen [30]uint8
	buildLengths(e.lit[:], litLen[:], 15)
	buildLengths(e.dist[:], distLen[:], 15)
	var litCode [286]uint16
	var distCodes [30]uint16
	canonical(litLen[:], litCode[:])
	canonical(distLen[:], distCodes[:])
	e.learnCosts(litLen[:], distLen[:])

	bw := &e.bw
	if final {
		bw.writeBits(1, 1)
	} else {
		bw.writeBits(0, 1)
	}
	bw.writeBits(2, 2) // dynamic Huffman
	e.writeHeader(litLen[:], distLen[:])

	// Codes and lengths side by side, so a literal is one lookup.
	var lc [256]uint32
	for b := range lc {
		lc[b] = uint32(litCode[b]) | uint32(litLen[b])<<16
	}
	writeLits := func(b []byte) {
		for len(b) >= 2 { // two literals are at most 30 bits
			x, y := lc[b[0]], lc[b[1]]
			bw.writeBits(uint64(x&0xffff)|uint64(y&0xffff)<<(x>>16), uint(x>>16+y>>16))
			b = b[2:]
		}
		if len(b) == 1 {
			x := lc[b[0]]
			bw.writeBits(uint64(x&0xffff), uint(x>>16))
		}
	}
	p := from
	for _, m := range e.matches {
		writeLits(src[p:m.pos])
		l := int(m.len)
		c := int(lengthCode[l-3])
		bw.writeBits(uint64(litCode[257+c]), uint(litLen[257+c]))
		if eb := lengthExtra[c]; eb > 0 {
			bw.writeBits(uint64(l-int(lengthBase[c])), uint(eb))
		}
		d := int(m.dist)
		dc := distCode(d)
		bw.writeBits(uint64(distCodes[dc]), uint(distLen[dc]))
		if eb := distExtra[dc]; eb > 0 {
			bw.writeBits(uint64(d-int(distBase[dc])), uint(eb))
		}
		p = int(m.pos) + l
	}
	writeLits(src[p:])
	bw.writeBits(uint64(litCode[endOfBlock]), uint(litLen[endOfBlock]))

	e.matches = e.matches[:0]
	clear(e.lit[:])
	clear(e.dist[:])
}

// codeOrder is the order in which code-length code lengths are sent.
var codeOrder = [19]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// writeHeader writes a dynamic block's code lengths, run-length coded.
func (e *Encoder) writeHeader(litLen, distLen []uint8) {
	nlit := 286
	for nlit > 257 && litLen[nlit-1] == 0 {
		nlit--
	}
	ndist := 30
	for ndist > 1 && distLen[ndist-1] == 0 {
		ndist--
	}
	all := make([]uint8, 0, nlit+ndist)
	all = append(all, litLen[:nlit]...)
	all = append(all, distLen[:ndist]...)

	// Run-length code the lengths: symbols 0–15, 16 (repeat previous
	// 3–6), 17 (zeros 3–10), 18 (zeros 11–138). Each entry is
	// symbol | extra<<8.
	var syms []uint16
	var freq [19]uint32
	for i := 0; i < len(all); {
		v := all[i]
		run := 1
		for i+run < len(all) && all[i+run] == v {
			run++
		}
		i += run
		if v == 0 {
			for run >= 11 {
				r := min(run, 138)
				syms = append(syms, 18|uint16(r-11)<<8)
				freq[18]++
				run -= r
			}
			if run >= 3 {
				syms = append(syms, 17|uint16(run-3)<<8)
				freq[17]++
				run = 0
			}
		} else {
			syms = append(syms, uint16(v))
			freq[v]++
			run--
			for run >= 3 {
				r := min(run, 6)
				syms = append(syms, 16|uint16(r-3)<<8)
				freq[16]++
				run -= r
			}
		}
		for ; run > 0; run-- {
			syms = append(syms, uint16(v))
			freq[v]++
		}
	}
	var clLen [19]uint8
	var clCode [19]uint16
	buildLengths(freq[:], clLen[:], 7)
	canonical(clLen[:], clCode[:])
	nclen := 19
	for nclen > 4 && clLen[codeOrder[nclen-1]] == 0 {
		nclen--
	}

	bw := &e.bw
	bw.writeBits(uint64(nlit-257), 5)
	bw.writeBits(uint64(ndist-1), 5)
	bw.writeBits(uint64(nclen-4), 4)
	for _, s := range codeOrder[:nclen] {
		bw.writeBits(uint64(clLen[s]), 3)
	}
	for _, s := range syms {
		v := s & 0xff
		bw.writeBits(uint64(clCode[v]), uint(clLen[v]))
		switch v {
		case 16:
			bw.writeBits(uint64(s>>8), 2)
		case 17:
			bw.writeBits(uint64(s>>8), 3)
		case 18:
			bw.writeBits(uint64(s>>8), 7)
		}
	}
}

// bitWriter writes bits least significant first.
type bitWriter struct {
	out   []byte
	acc   uint64
	nbits uint
}

func (w *bitWriter) reset(out []byte, n int) {
	w.out, w.acc, w.nbits = slices.Grow(out, Reserve(n)), 0, 0
}

// Reserve is the room Encode makes at the end of its dst for n bytes to
// code (it grows dst further only when they compress worse than 4:1): a
// dst with that much room free is written in place.
func Reserve(n int) int { return n/4 + 1024 }

func (w *bitWriter) writeBits(v uint64, n uint) {
	w.acc |= v << w.nbits
	w.nbits += n
	if w.nbits >= 32 {
		w.out = binary.LittleEndian.AppendUint32(w.out, uint32(w.acc))
		w.acc >>= 32
		w.nbits -= 32
	}
}

// align writes out the pending bits, padding the last byte with zeros.
func (w *bitWriter) align() {
	for w.nbits > 0 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nbits -= min(w.nbits, 8)
	}
	w.acc, w.nbits = 0, 0
}
