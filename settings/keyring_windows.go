package settings

func keyringName() string { return "Credential Manager" }
