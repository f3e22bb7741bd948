package programs

const exeSuffix = ".exe"
