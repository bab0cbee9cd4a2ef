// The logger edge writes through. Injected everywhere so tests capture every line (the canary
// scan reads them); nothing logs request headers or query strings.
export interface Logger {
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

export const CONSOLE_LOGGER: Logger = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
}
