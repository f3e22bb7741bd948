package settings

func keyringName() string { return "Secret Service" }
