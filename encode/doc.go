// Package encode turns images into files: PNG with imagecx's own encoder
// (png.go: parallel bands, a deflate coder that weighs each match, rows
// encoded while a capture is still arriving), JPEG and lossless WebP, and
// Fit, which makes a capture fit an upload limit.
package encode
