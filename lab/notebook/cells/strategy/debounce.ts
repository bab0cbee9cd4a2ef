// "Audits on every edit, debounced": each edit restarts the wait; when typing pauses for
// `delayMs` the action runs once. A plain class (the strategy cell owns one), so tests drive it
// with fake timers.

export const AUDIT_DELAY_MS = 600

export class Debounced {
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly delayMs: number,
    private readonly action: () => void,
  ) {}

  /** An edit: (re)starts the wait. */
  poke(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      this.action()
    }, this.delayMs)
  }

  get pending(): boolean {
    return this.timer !== null
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }
}
