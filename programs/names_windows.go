package programs

// Tray is the program that starts the tray app: imagecxw.exe, the same
// program built for the Windows subsystem (no console window), where
// imagecx.exe is built for the console so that scripts and terminals get
// its output and exit status.
const Tray = "imagecxw"
