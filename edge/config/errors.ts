// A configuration problem the user must fix before edge can start; main prints the message and
// exits with status 2.
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/** True when group or others may read, write or run the file (mode & 0o077). */
export const isOpenToOthers = (mode: number): boolean => (mode & 0o077) !== 0
