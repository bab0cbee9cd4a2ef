// A small markdown subset parsed into a tree, never into an HTML string: the note cell renders the
// tree with Svelte elements, so any HTML in the text is shown as text and cannot run. Links keep
// only http(s), mailto and in-page targets; anything else (javascript:, data:, …) becomes text.
//
// Supported: # to #### headings, paragraphs, blank-line separation, - / * / 1. lists, > quotes,
// ``` fenced code, --- rules, `code`, **strong**, *em* / _em_, [text](url).

export type Inline =
  | { readonly t: 'text'; readonly v: string }
  | { readonly t: 'code'; readonly v: string }
  | { readonly t: 'strong'; readonly c: Inline[] }
  | { readonly t: 'em'; readonly c: Inline[] }
  | { readonly t: 'link'; readonly href: string; readonly c: Inline[] }

export type Block =
  | { readonly t: 'h'; readonly level: 1 | 2 | 3 | 4; readonly c: Inline[] }
  | { readonly t: 'p'; readonly c: Inline[] }
  | { readonly t: 'pre'; readonly v: string }
  | { readonly t: 'ul' | 'ol'; readonly items: Inline[][] }
  | { readonly t: 'quote'; readonly c: Inline[] }
  | { readonly t: 'hr' }

/** The link target if it is safe to follow, else null. */
export function safeHref(raw: string): string | null {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  // eslint-disable-next-line no-control-regex
  const href = raw.trim().replace(/[\u0000-\u001f\u007f\s]/g, '')
  if (href === '') return null
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)
  if (scheme === null) return /^(#|\/(?!\/)|\.\.?\/)/.test(href) ? href : null
  return ['http', 'https', 'mailto'].includes(scheme[1]!.toLowerCase()) ? href : null
}

// An underscore opens or closes emphasis only at a word's edge (as CommonMark has it): snake_case
// names and __dunder__ words stay text.
const INLINE_RE =
  /`([^`]+)`|\*\*(.+?)\*\*|\*([^*\s](?:.*?[^*\s])?)\*|(?<![\p{L}\p{N}_])_([^_\s](?:.*?[^_\s])?)_(?![\p{L}\p{N}_])|\[([^\]]+)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)/u

export function parseInline(text: string): Inline[] {
  const out: Inline[] = []
  let rest = text
  while (rest !== '') {
    const m = INLINE_RE.exec(rest)
    if (m === null) {
      out.push({ t: 'text', v: rest })
      break
    }
    if (m.index > 0) out.push({ t: 'text', v: rest.slice(0, m.index) })
    if (m[1] !== undefined) out.push({ t: 'code', v: m[1] })
    else if (m[2] !== undefined) out.push({ t: 'strong', c: parseInline(m[2]) })
    else if (m[3] !== undefined || m[4] !== undefined) out.push({ t: 'em', c: parseInline(m[3] ?? m[4]!) })
    else {
      const href = safeHref(m[6]!)
      if (href === null) out.push({ t: 'text', v: m[0] })
      else out.push({ t: 'link', href, c: parseInline(m[5]!) })
    }
    rest = rest.slice(m.index + m[0].length)
  }
  return out
}

const LIST_RE = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n')
  const blocks: Block[] = []
  let para: string[] = []
  const flush = (): void => {
    if (para.length > 0) blocks.push({ t: 'p', c: parseInline(para.join(' ')) })
    para = []
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (/^\s*```/.test(line)) {
      flush()
      const body: string[] = []
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]!); i++) body.push(lines[i]!)
      blocks.push({ t: 'pre', v: body.join('\n') })
      continue
    }
    if (line.trim() === '') {
      flush()
      continue
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(line)
    if (h !== null) {
      flush()
      blocks.push({ t: 'h', level: h[1]!.length as 1 | 2 | 3 | 4, c: parseInline(h[2]!.trim()) })
      continue
    }
    if (/^\s*(?:-{3,}|\*{3,})\s*$/.test(line)) {
      flush()
      blocks.push({ t: 'hr' })
      continue
    }
    if (/^\s*>/.test(line)) {
      flush()
      const body: string[] = []
      for (; i < lines.length && /^\s*>/.test(lines[i]!); i++) body.push(lines[i]!.replace(/^\s*>\s?/, ''))
      i--
      blocks.push({ t: 'quote', c: parseInline(body.join(' ')) })
      continue
    }
    const li = LIST_RE.exec(line)
    if (li !== null) {
      flush()
      const ordered = li[2] !== undefined
      const items: Inline[][] = []
      for (; i < lines.length; i++) {
        const m = LIST_RE.exec(lines[i]!)
        if (m === null || (m[2] !== undefined) !== ordered) break
        items.push(parseInline(m[3]!))
      }
      i--
      blocks.push({ t: ordered ? 'ol' : 'ul', items })
      continue
    }
    para.push(line.trim())
  }
  flush()
  return blocks
}
