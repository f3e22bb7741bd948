package uploader

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"imagecx/explain"
)

// Explain says the failure in words for people (explain.Error uses it);
// Error keeps the technical detail for the log.
func (e *Error) Explain() string {
	var parts []string
	switch e.Kind {
	case ErrNetwork:
		switch {
		case e.Detail == "cancelled":
			return "The upload was cancelled."
		case e.why != "":
			parts = append(parts, "Could not reach "+e.Host+": "+e.why)
		default:
			parts = append(parts, "Could not reach the server: "+e.Detail)
		}
		if e.Unanswered {
			parts = append(parts, "The whole upload had been sent, so it may have arrived; imagecx did not send it again, which could make a duplicate")
		}
	case ErrServer:
		s := "The server failed"
		switch {
		case e.Message != "":
			s += ` ("` + e.Message + `")`
		case e.Status >= 500:
			s += " (HTTP " + strconv.Itoa(e.Status) + " " + http.StatusText(e.Status) + ")"
		}
		parts = append(parts, s+"; try again later")
	case ErrRateLimited:
		s := "The site asks for fewer uploads (rate limited)"
		if e.Message != "" {
			s += `: "` + e.Message + `"`
		}
		if e.RetryAfter > 0 {
			s += "; it can take the next one in " + explain.Duration(e.RetryAfter)
		} else {
			s += "; try again later"
		}
		parts = append(parts, s)
	case ErrEndpoint:
		parts = append(parts, "The site address is not usable")
		if e.Detail != "" {
			parts[0] += ": " + e.Detail
		}
	default:
		s := e.Kind.Error()
		if e.Message != "" && !strings.EqualFold(strings.TrimSuffix(e.Message, "."), strings.TrimSuffix(s, ".")) {
			s += ` ("` + e.Message + `")`
		}
		if e.Detail != "" {
			s += ": " + e.Detail
		}
		parts = append(parts, s)
	}
	if e.Attempts > 1 {
		parts = append(parts, fmt.Sprintf("Tried %d times", e.Attempts))
	}
	for i, p := range parts {
		parts[i] = explain.Sentence(p)
	}
	return strings.Join(parts, " ")
}

// networkWhy says in words why host could not be reached.
func networkWhy(err error, host string, timeout time.Duration) string {
	var dns *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var badHost x509.HostnameError
	var invalid x509.CertificateInvalidError
	var tlsRecord tls.RecordHeaderError
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("no answer within %v", timeout)
	case errors.As(err, &dns) && dns.IsNotFound:
		return "the name " + dns.Name + " is not known; check the address and the network"
	case errors.As(err, &dns):
		return "the name " + dns.Name + " could not be looked up; check the network"
	case errors.Is(err, errConnRefused):
		return "nothing answers there (connection refused)"
	case errors.Is(err, errNetUnreach), errors.Is(err, errHostUnreach):
		return "the network is unreachable; check the connection"
	case errors.Is(err, errConnReset), errors.Is(err, errConnAborted), errors.Is(err, net.ErrClosed), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the connection was cut"
	case errors.As(err, &unknownCA), errors.As(err, &badHost), errors.As(err, &invalid):
		return "its certificate is not valid, so nothing was sent (a network that intercepts connections?)"
	case errors.As(err, &tlsRecord):
		return "it does not speak https there"
	}
	return ""
}
