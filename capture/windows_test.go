//go:build windows

package capture

import "testing"

// Pointer-monitor mode lists the monitors at every capture; Go allows
// about 2,000 callbacks per process, so the enumeration must not make one
// per call.
func TestMonitorsManyTimes(t *testing.T) {
	s, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 2500; i++ {
		mons, err := s.Monitors()
		if err != nil || len(mons) == 0 {
			t.Fatalf("call %d: %v %v", i, mons, err)
		}
	}
}
