// Package winrt calls the Windows Runtime without cgo: activation
// factories by class name, methods by their place in an interface's
// virtual table, strings (HSTRING) and the wait for an asynchronous
// operation. The ocr package reads text with Windows.Media.Ocr through
// it.
//
// A method's place is counted as the Windows SDK's headers declare it:
// IUnknown's three, IInspectable's three, then the interface's own, from
// 6. The callers name each place beside the method it is.
package winrt

import "fmt"

// GUID is an interface's identifier.
type GUID struct {
	Data1 uint32
	Data2 uint16
	Data3 uint16
	Data4 [8]byte
}

// ParseGUID reads "5BFFA85A-3384-3540-9940-699120D428A8".
func ParseGUID(s string) (GUID, error) {
	var g GUID
	var d4 [8]uint8
	n, err := fmt.Sscanf(s, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		&g.Data1, &g.Data2, &g.Data3, &d4[0], &d4[1], &d4[2], &d4[3], &d4[4], &d4[5], &d4[6], &d4[7])
	if err != nil || n != 11 || len(s) != 36 {
		return GUID{}, fmt.Errorf("%q is not a GUID", s)
	}
	g.Data4 = d4
	return g, nil
}

// MustGUID is ParseGUID for the constants of this program.
func MustGUID(s string) GUID {
	g, err := ParseGUID(s)
	if err != nil {
		panic(err)
	}
	return g
}

// The states of IAsyncInfo.Status.
const (
	Started   = 0
	Completed = 1
	Canceled  = 2
	Error     = 3
)

// HRESULT is a COM result; below zero is a failure.
type HRESULT int32

// Failed says whether hr is a failure.
func (hr HRESULT) Failed() bool { return hr < 0 }

func (hr HRESULT) Error() string { return fmt.Sprintf("HRESULT 0x%08X", uint32(hr)) }

// ClassNotRegistered is REGDB_E_CLASSNOTREG: the class is not on this
// system (Wine, an old Windows).
const ClassNotRegistered HRESULT = -2147221164 // 0x80040154
