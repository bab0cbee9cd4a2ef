// The note renderer is safe: markdown becomes a tree rendered with Svelte elements, so HTML in a
// note is text, and only http(s), mailto and in-page links survive.
import { render } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import Markdown from '../../../lab/notebook/markdown/Markdown.svelte'
import { parseInline, parseMarkdown, safeHref } from '../../../lab/notebook/markdown/parse.ts'

describe('markdown subset', () => {
  it('parses headings, lists, code, quotes, emphasis and links', () => {
    const b = parseMarkdown('# Title\n\nSome **bold** and *em* and `code`.\n\n- one\n- two\n\n1. first\n\n> quoted\n\n```\nx < 1\n```\n---')
    expect(b.map((x) => x.t)).toEqual(['h', 'p', 'ul', 'ol', 'quote', 'pre', 'hr'])
    expect(parseInline('see [docs](https://example.com/a_(b))')).toEqual([
      { t: 'text', v: 'see ' },
      { t: 'link', href: 'https://example.com/a_(b)', c: [{ t: 'text', v: 'docs' }] },
    ])
  })

  it('an underscore makes emphasis only at a word edge: snake_case and __dunder__ names stay text', () => {
    expect(parseInline('a _word_ here')).toEqual([
      { t: 'text', v: 'a ' },
      { t: 'em', c: [{ t: 'text', v: 'word' }] },
      { t: 'text', v: ' here' },
    ])
    for (const text of ['momentum_period and trend_filter', 'window.__xss and __proto__', 'x_1 + y_2', 'KRW_BTC_1m'])
      expect(parseInline(text), text).toEqual([{ t: 'text', v: text }])
    expect(parseInline('_단타_ 전략')).toEqual([
      { t: 'em', c: [{ t: 'text', v: '단타' }] },
      { t: 'text', v: ' 전략' },
    ])
  })

  it('keeps only safe link targets', () => {
    expect(safeHref('https://x.org')).toBe('https://x.org')
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c')
    expect(safeHref('#section')).toBe('#section')
    expect(safeHref('javascript:alert(1)')).toBeNull()
    expect(safeHref(' JaVa\tScRiPt:alert(1)')).toBeNull()
    expect(safeHref('data:text/html,<script>alert(1)</script>')).toBeNull()
    expect(safeHref('vbscript:x')).toBeNull()
    expect(safeHref('//evil.example/x')).toBeNull()
  })

  it('renders script tags, event-handler attributes and javascript: links inert', () => {
    const src = [
      '<script>window.__pwned = true</script>',
      '',
      '<img src=x onerror="window.__pwned = true">',
      '',
      '[click](javascript:window.__pwned=true) and [ok](https://example.com)',
      '',
      '**<b onmouseover="x()">bold</b>** <iframe src="https://evil"></iframe>',
    ].join('\n')
    const { container } = render(Markdown, { props: { source: src } })
    expect(container.querySelector('script, img, iframe, b')).toBeNull()
    for (const el of container.querySelectorAll('*')) {
      for (const a of el.attributes) expect(a.name.startsWith('on')).toBe(false)
    }
    const links = [...container.querySelectorAll('a')]
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com'])
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer')
    expect(container.textContent).toContain('<script>window.__pwned = true</script>')
    expect(container.textContent).toContain('[click](javascript:window.__pwned=true)')
    expect((window as unknown as { __pwned?: boolean }).__pwned).toBeUndefined()
  })
})
