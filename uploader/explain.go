package uploader

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"imagecx/explain"
	"imagecx/i18n"
)

// Explain says the failure in words for people (explain.Error uses it);
// Error keeps the technical detail for the log.
func (e *Error) Explain() string {
	var parts []string
	detail := e.localDetail()
	switch e.Kind {
	case ErrNetwork:
		switch {
		case e.Detail == "cancelled":
			return i18n.T("The upload was cancelled.")
		case !e.why.IsZero():
			parts = append(parts, i18n.T("Could not reach {{.host}}: {{.why}}", "host", e.Host, "why", e.why.Local()))
		default:
			parts = append(parts, i18n.T("Could not reach the server: {{.why}}", "why", detail))
		}
		if e.Unanswered {
			parts = append(parts, i18n.T("The whole upload had been sent, so it may have arrived; imagecx did not send it again, which could make a duplicate"))
		}
	case ErrServer:
		switch {
		case e.Message != "":
			parts = append(parts, i18n.T("The server failed (\"{{.message}}\"); try again later", "message", e.Message))
		case e.Status >= 500:
			parts = append(parts, i18n.T("The server failed (HTTP {{.status}}); try again later", "status", strconv.Itoa(e.Status)+" "+http.StatusText(e.Status)))
		default:
			parts = append(parts, i18n.T("The server failed; try again later"))
		}
	case ErrRateLimited:
		s := i18n.T("The site asks for fewer uploads (rate limited)")
		if e.Message != "" {
			s = i18n.T("The site asks for fewer uploads (rate limited): \"{{.message}}\"", "message", e.Message)
		}
		if e.RetryAfter > 0 {
			s += i18n.T("; it can take the next one in {{.wait}}", "wait", explain.Duration(e.RetryAfter))
		} else {
			s += i18n.T("; try again later")
		}
		parts = append(parts, s)
	case ErrEndpoint:
		if detail != "" {
			parts = append(parts, i18n.T("The site address is not usable: {{.why}}", "why", detail))
		} else {
			parts = append(parts, i18n.T("The site address is not usable"))
		}
	default:
		s := i18n.T(e.Kind.Error())
		if e.Message != "" && !strings.EqualFold(strings.TrimSuffix(e.Message, "."), strings.TrimSuffix(e.Kind.Error(), ".")) {
			s += i18n.T(" (\"{{.message}}\")", "message", e.Message)
		}
		if detail != "" {
			s += i18n.T(": {{.detail}}", "detail", detail)
		}
		parts = append(parts, s)
	}
	if e.Attempts > 1 {
		parts = append(parts, i18n.T("Tried {{.n}} times", "n", e.Attempts))
	}
	for i, p := range parts {
		parts[i] = explain.Sentence(p)
	}
	return strings.Join(parts, " ")
}

// networkWhy says in words why host could not be reached.
func networkWhy(err error, host string, timeout time.Duration) i18n.Text {
	var dns *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var badHost x509.HostnameError
	var invalid x509.CertificateInvalidError
	var tlsRecord tls.RecordHeaderError
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return i18n.Say("no answer within {{.wait}}", "wait", explainDuration(timeout))
	case errors.As(err, &dns) && dns.IsNotFound:
		return i18n.Say("the name {{.name}} is not known; check the address and the network", "name", dns.Name)
	case errors.As(err, &dns):
		return i18n.Say("the name {{.name}} could not be looked up; check the network", "name", dns.Name)
	case errors.Is(err, errConnRefused):
		return i18n.Say("nothing answers there (connection refused)")
	case errors.Is(err, errNetUnreach), errors.Is(err, errHostUnreach):
		return i18n.Say("the network is unreachable; check the connection")
	case errors.Is(err, errConnReset), errors.Is(err, errConnAborted), errors.Is(err, net.ErrClosed), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return i18n.Say("the connection was cut")
	case errors.As(err, &unknownCA), errors.As(err, &badHost), errors.As(err, &invalid):
		return i18n.Say("its certificate is not valid, so nothing was sent (a network that intercepts connections?)")
	case errors.As(err, &tlsRecord):
		return i18n.Say("it does not speak https there")
	}
	return i18n.Text{}
}

// explainDuration is a timeout as a person reads it, said later (in
// whatever language is spoken then).
type explainDuration time.Duration

func (d explainDuration) String() string {
	if time.Duration(d) < time.Second {
		return time.Duration(d).String()
	}
	return explain.Duration(time.Duration(d))
}
