package settings

func keyringName() string { return "Keychain" }
