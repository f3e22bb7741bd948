// Package uploader is the image.cx client: Chevereto's API v1 as described
// in docs/imagecx-api.md.
//
// One call uploads one file (multipart field "source", "format=json", the
// key in the X-API-Key header and never in a URL). Every failure is an
// *Error whose Kind callers branch on with errors.Is (ErrBadKey, ErrTooLarge,
// ErrRateLimited, ErrServer, ErrNetwork, …) and whose text a user
// understands. Transient failures are retried with capped, jittered
// exponential backoff (see Retry); permanent ones are not. The key is
// redacted from everything the package returns.
//
// The sub-package cxtest is an in-process fake image.cx for tests.
package uploader
