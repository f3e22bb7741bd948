// Package settings owns what the user configures: config.json in the OS
// config folder (JSON, written atomically, mode 0600, a corrupt file moved
// aside and reported) and the API key.
//
// The key is never written to config.json. It lives in the OS keyring
// (Secret Service on Linux, Keychain on macOS, Credential Manager on
// Windows, through zalando/go-keyring); when no keyring runs, in a 0600
// file next to the config, and Set says so. IMAGECX_API_KEY overrides both.
//
// Linux: a Secret Service needs a D-Bus session and a running provider
// (gnome-keyring, KWallet, KeePassXC). Keyring calls are bounded to a few
// seconds so an activatable provider that never answers cannot hang the app.
package settings
