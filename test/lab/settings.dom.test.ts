// The lab's display settings: the gain/loss colour convention defaults to the UI language's
// (English: western, green up; Korean: red up), both settings persist in localStorage and are
// applied to <html> for base.css, whose --up/--down follow them.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { defaultUpDown, LabSettings, type SettingsEnv } from '../../lab/settings.svelte.ts'

function env(lang = 'en', stored: Record<string, string> = {}): SettingsEnv & { data: Map<string, string> } {
  const data = new Map(Object.entries(stored))
  return {
    data,
    lang,
    root: document.createElement('html'),
    storage: {
      getItem: (k) => data.get(k) ?? null,
      setItem: (k, v) => void data.set(k, v),
      removeItem: (k) => void data.delete(k),
    },
  }
}

describe('LabSettings', () => {
  it('defaults follow the UI language: western for English, Korean for Korean', () => {
    expect(defaultUpDown('en')).toBe('western')
    expect(defaultUpDown('en-US')).toBe('western')
    expect(defaultUpDown('ko')).toBe('korean')
    expect(defaultUpDown('ko-KR')).toBe('korean')
    const e = env('en')
    const s = new LabSettings(e)
    expect(s.upDown).toBe('western')
    expect(s.theme).toBe('system')
    expect(e.root.getAttribute('data-updown')).toBe('western')
    expect(e.root.hasAttribute('data-theme')).toBe(false)
  })

  it('a choice is applied to <html> and persisted; the next page load reads it back', () => {
    const e = env('en')
    const s = new LabSettings(e)
    const v0 = s.version
    s.setUpDown('korean')
    s.setTheme('dark')
    expect(e.root.getAttribute('data-updown')).toBe('korean')
    expect(e.root.getAttribute('data-theme')).toBe('dark')
    expect(s.version).not.toBe(v0)
    const again = new LabSettings({ ...e, root: document.createElement('html') })
    expect(again.upDown).toBe('korean')
    expect(again.theme).toBe('dark')
    again.setTheme('system')
    expect(e.data.has('lab-theme')).toBe(false)
    // A stored choice wins over the language default.
    expect(new LabSettings(env('ko', { 'lab-updown': 'western' })).upDown).toBe('western')
  })

  it('base.css: --up/--down are green/red by default and red/blue under data-updown=korean', () => {
    const css = readFileSync('lab/styles/base.css', 'utf8')
    expect(css).toMatch(/--up: light-dark\(#1f8a4c/)
    expect(css).toMatch(/--down: light-dark\(#c8372d/)
    const korean = /:root\[data-updown='korean'\] \{([^}]*)\}/.exec(css)![1]!
    expect(korean).toMatch(/--up: light-dark\(#c84a31/)
    expect(korean).toMatch(/--down: light-dark\(#1261c4/)
  })
})
