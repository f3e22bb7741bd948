package winrt

import "testing"

func TestParseGUID(t *testing.T) {
	g, err := ParseGUID("5BFFA85A-3384-3540-9940-699120D428A8")
	want := GUID{0x5BFFA85A, 0x3384, 0x3540, [8]byte{0x99, 0x40, 0x69, 0x91, 0x20, 0xD4, 0x28, 0xA8}}
	if err != nil || g != want {
		t.Fatalf("%+v, %v; want %+v", g, err, want)
	}
	for _, bad := range []string{"", "5BFFA85A-3384-3540-9940-699120D428A", "{5BFFA85A-3384-3540-9940-699120D428A8}", "5BFFA85A-3384-3540-9940-699120D428A8x"} {
		if _, err := ParseGUID(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if !ClassNotRegistered.Failed() || HRESULT(1).Failed() || ClassNotRegistered.Error() != "HRESULT 0x80040154" {
		t.Errorf("HRESULT: %v", ClassNotRegistered)
	}
}
