// A journal that cannot be opened safely (schema from a newer edge, files others can read, a
// pragma that did not take). Edge must not run against it: wiring turns this into a start-up
// refusal whose message says what to do.
export class JournalError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'JournalError'
  }
}
