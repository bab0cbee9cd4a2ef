// The lab's display settings, kept in localStorage: the theme (system, light or dark) and the
// colours of gains and losses (ui.md): western tools show rises green and falls red, Korean
// exchanges (Upbit) rises red and falls blue. The default follows the UI's language (English
// today, so western). Both are applied as attributes on <html> that base.css reads (--up,
// --down); canvas code (the charts) reads `version` to know when to resolve the colours again.
export type ThemeChoice = 'system' | 'light' | 'dark'
export type UpDownColors = 'western' | 'korean'

const THEME_KEY = 'lab-theme'
const UPDOWN_KEY = 'lab-updown'

export interface SettingsEnv {
  readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>
  readonly root: HTMLElement
  /** The UI's language (the <html lang> attribute). */
  readonly lang: string
  readonly darkQuery?: MediaQueryList
}

/** ui.md: the default follows the UI's language (Korean: red up; anything else: green up). */
export const defaultUpDown = (lang: string): UpDownColors => (/^ko\b/i.test(lang) ? 'korean' : 'western')

export const UPDOWN_LABELS: Readonly<Record<UpDownColors, string>> = {
  western: 'Western: green up, red down',
  korean: 'Korean: red up, blue down',
}

export class LabSettings {
  theme = $state<ThemeChoice>('system')
  upDown = $state<UpDownColors>('western')
  /** Whether the system asks for dark (used when the theme is 'system'). */
  systemDark = $state(false)
  private readonly env: SettingsEnv

  constructor(env: SettingsEnv) {
    this.env = env
    const t = env.storage.getItem(THEME_KEY)
    this.theme = t === 'light' || t === 'dark' ? t : 'system'
    const u = env.storage.getItem(UPDOWN_KEY)
    this.upDown = u === 'western' || u === 'korean' ? u : defaultUpDown(env.lang)
    this.systemDark = env.darkQuery?.matches ?? false
    env.darkQuery?.addEventListener('change', (e) => (this.systemDark = e.matches))
    this.apply()
  }

  /** Changes whenever a colour on screen may have changed (canvas code resolves them again). */
  get version(): string {
    return `${this.theme}|${this.upDown}|${this.systemDark}`
  }

  setTheme(t: ThemeChoice): void {
    this.theme = t
    if (t === 'system') this.env.storage.removeItem(THEME_KEY)
    else this.env.storage.setItem(THEME_KEY, t)
    this.apply()
  }

  setUpDown(u: UpDownColors): void {
    this.upDown = u
    this.env.storage.setItem(UPDOWN_KEY, u)
    this.apply()
  }

  private apply(): void {
    const r = this.env.root
    if (this.theme === 'system') r.removeAttribute('data-theme')
    else r.setAttribute('data-theme', this.theme)
    r.setAttribute('data-updown', this.upDown)
  }
}

let current: LabSettings | null = null

/** The page's settings (created on first use from localStorage and <html>). */
export function labSettings(): LabSettings {
  current ??= new LabSettings({
    storage: window.localStorage,
    root: document.documentElement,
    lang: document.documentElement.lang || navigator.language,
    darkQuery: typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : undefined,
  })
  return current
}
