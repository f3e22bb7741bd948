package deflate

import (
	"bytes"
	"compress/flate"
	"io"
	"math/rand/v2"
	"testing"
)

// inflate decodes a raw deflate stream with the standard library.
func inflate(t *testing.T, z []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	return out
}

// samples are inputs with the shapes the encoder meets: noise, runs,
// repeated rows, text-like patterns, and the degenerate ones.
func samples() map[string][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 300_000)
	for i := range noise {
		noise[i] = byte(r.IntN(256))
	}
	small := make([]byte, 200_000) // residual-like: mostly near zero
	for i := range small {
		small[i] = byte(r.NormFloat64() * 3)
	}
	rows := make([]byte, 0, 400_000) // a pattern repeated a row apart
	row := make([]byte, 1001)
	for y := 0; len(rows) < 400_000; y++ {
		for x := range row {
			if (x/7+y/5)%3 == 0 {
				row[x] = byte(x)
			} else {
				row[x] = 0xff
			}
		}
		rows = append(rows, row...)
	}
	mixed := make([]byte, 0, 300_000)
	for len(mixed) < 300_000 {
		mixed = append(mixed, bytes.Repeat([]byte{0}, r.IntN(600))...)
		mixed = append(mixed, noise[:r.IntN(700)]...)
		mixed = append(mixed, rows[:r.IntN(2000)]...)
	}
	return map[string][]byte{
		"empty":  {},
		"one":    {7},
		"seven":  []byte("abcdefg"),
		"zeros":  make([]byte, 1<<20),
		"noise":  noise,
		"small":  small,
		"rows":   rows,
		"mixed":  mixed,
		"text":   bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog. "), 5000),
		"twobyt": bytes.Repeat([]byte{1, 2}, 100_000),
	}
}

func TestRoundTrip(t *testing.T) {
	for name, src := range samples() {
		for _, o := range []Options{{}, {RowLen: 1001}, {RowLen: 3, Fast: true}} {
			z := New(o).Encode(nil, src, 0, true)
			if got := inflate(t, z); !bytes.Equal(got, src) {
				t.Fatalf("%s %+v: round trip differs (%d bytes in, %d out)", name, o, len(src), len(got))
			}
		}
	}
}

// TestBandsConcatenate is how the PNG encoder uses it: bands encoded
// independently, each knowing the end of the one before, joined into one
// stream.
func TestBandsConcatenate(t *testing.T) {
	src := samples()["mixed"]
	for _, bands := range []int{1, 2, 7, 40} {
		per := (len(src) + bands - 1) / bands
		var z []byte
		e := New(Options{RowLen: 1001})
		for y0 := 0; y0 < len(src); y0 += per {
			y1 := min(y0+per, len(src))
			h := max(0, y0-40000)
			z = e.Encode(z, src[h:y1], y0-h, y1 == len(src))
		}
		if got := inflate(t, z); !bytes.Equal(got, src) {
			t.Fatalf("%d bands: round trip differs", bands)
		}
	}
}

// TestShrinks guards the point of the package: noise-like residuals stay
// near their entropy and repeated rows nearly vanish.
func TestShrinks(t *testing.T) {
	s := samples()
	if n := len(New(Options{}).Encode(nil, s["small"], 0, true)); n > len(s["small"])*45/100 {
		t.Errorf("residuals: %d bytes from %d", n, len(s["small"]))
	}
	if n := len(New(Options{RowLen: 1001}).Encode(nil, s["rows"], 0, true)); n > len(s["rows"])/20 {
		t.Errorf("rows: %d bytes from %d", n, len(s["rows"]))
	}
	if n := len(New(Options{}).Encode(nil, s["noise"], 0, true)); n > len(s["noise"])*101/100 {
		t.Errorf("noise: %d bytes from %d", n, len(s["noise"]))
	}
	// Against zlib's default level: smaller where residuals and repeats
	// mix, about as small on plain repeats.
	std := func(b []byte) int {
		var z bytes.Buffer
		w, _ := flate.NewWriter(&z, 6)
		w.Write(b)
		w.Close()
		return z.Len()
	}
	for name, limit := range map[string]float64{"small": 1.0, "mixed": 1.0, "rows": 1.1, "text": 1.1} {
		ours, theirs := len(New(Options{RowLen: 1001}).Encode(nil, s[name], 0, true)), std(s[name])
		if float64(ours) > float64(theirs)*limit {
			t.Errorf("%s: %d bytes, zlib level 6 %d", name, ours, theirs)
		}
	}
}

func TestCodesAreComplete(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 2000 {
		freq := make([]uint32, 2+r.IntN(285))
		for i := range freq {
			switch r.IntN(4) {
			case 0:
			case 1:
				freq[i] = uint32(r.IntN(3))
			default:
				freq[i] = uint32(r.ExpFloat64() * float64(uint32(1)<<r.IntN(30)))
			}
		}
		if trial%7 == 0 { // Fibonacci weights force the length limit
			a, b := uint32(1), uint32(1)
			for i := range min(len(freq), 40) {
				freq[i] = a
				a, b = b, a+b
			}
		}
		limit := 15
		if trial%2 == 1 {
			limit = 7
		}
		if len(freq) > 1<<limit {
			continue
		}
		lengths := make([]uint8, len(freq))
		buildLengths(freq, lengths, limit)
		kraft, used := 0, 0
		for s, l := range lengths {
			if int(l) > limit {
				t.Fatalf("trial %d: length %d > %d", trial, l, limit)
			}
			if freq[s] > 0 && l == 0 {
				t.Fatalf("trial %d: used symbol %d has no code", trial, s)
			}
			if l > 0 {
				kraft += 1 << (limit - int(l))
				used++
			}
		}
		if kraft != 1<<limit || used < 2 {
			t.Fatalf("trial %d: incomplete code (kraft %d/%d, %d codes)", trial, kraft, 1<<limit, used)
		}
	}
}

func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), false, 3)
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, true, 10)
	f.Fuzz(func(t *testing.T, src []byte, fast bool, row int) {
		z := New(Options{RowLen: row & 0x7fff, Fast: fast}).Encode(nil, src, 0, true)
		if got := inflate(t, z); !bytes.Equal(got, src) {
			t.Fatal("round trip differs")
		}
	})
}

func TestRandomInputs(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		src := make([]byte, r.IntN(5000))
		alpha := 1 + r.IntN(256)
		for i := range src {
			if i > 10 && r.IntN(4) == 0 {
				src[i] = src[i-1-r.IntN(10)]
			} else {
				src[i] = byte(r.IntN(alpha))
			}
		}
		start := r.IntN(len(src) + 1)
		z := New(Options{RowLen: r.IntN(50), Fast: r.IntN(2) == 0}).Encode(nil, src, start, true)
		// The history is the decoder's: prime it with a stored block.
		var prefix []byte
		if start > 0 {
			var b bytes.Buffer
			w, _ := flate.NewWriter(&b, flate.NoCompression)
			w.Write(src[:start])
			w.Flush()
			prefix = b.Bytes()
		}
		if got := inflate(t, append(prefix, z...)); !bytes.Equal(got, src) {
			t.Fatalf("round trip differs: %d bytes, start %d", len(src), start)
		}
	}
}
