// The strategy cell's code editor: CodeMirror 6 with JavaScript/TypeScript highlighting, bracket
// matching, search, history and folding (basicSetup), the strategy API's names completed
// (completions.ts), and the loader's errors underlined (setDiagnostics). Loaded with import()
// the first time a strategy cell is shown, so CodeMirror stays out of the first page load.
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete'
import { javascript } from '@codemirror/lang-javascript'
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language'
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint'
import { Compartment as CmCompartment, EditorState, Prec } from '@codemirror/state'
import { EditorView, keymap } from '@codemirror/view'
import { tags as t } from '@lezer/highlight'
import { basicSetup } from 'codemirror'
import { apiCompletions } from './completions.ts'

export interface EditorProblem {
  readonly line: number
  readonly column?: number
  readonly message: string
  readonly severity: 'error' | 'warning'
}

export interface EditorHandle {
  /** Replaces the text (a template inserted), keeping undo history. */
  setDoc(text: string): void
  setLang(lang: 'ts' | 'js'): void
  setProblems(problems: readonly EditorProblem[]): void
  focus(): void
  destroy(): void
}

export interface EditorOptions {
  readonly doc: string
  readonly lang: 'ts' | 'js'
  readonly label: string
  onChange(doc: string): void
}

// Colours that work on both themes (light-dark follows the page's color-scheme).
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword], color: 'light-dark(#8a3ffc, #c7a4ff)' },
  { tag: [t.string, t.special(t.string)], color: 'light-dark(#0f7b3f, #7bd88f)' },
  { tag: [t.number, t.bool, t.null], color: 'light-dark(#b35900, #f5a35c)' },
  { tag: [t.lineComment, t.blockComment], color: 'light-dark(#6b7685, #7f8b9b)', fontStyle: 'italic' },
  { tag: [t.typeName, t.className, t.namespace], color: 'light-dark(#0b6fa4, #67c6f0)' },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: 'light-dark(#1f5fd1, #86b4ff)' },
  { tag: [t.propertyName], color: 'light-dark(#27313f, #d6dde6)' },
  { tag: [t.definition(t.variableName)], color: 'light-dark(#1c2430, #eef1f5)' },
  { tag: [t.operator, t.punctuation, t.bracket], color: 'light-dark(#4b5564, #a7b1bf)' },
])

const theme = EditorView.theme({
  '&': {
    fontSize: '13px',
    backgroundColor: 'var(--bg-sunken)',
    color: 'var(--text)',
    border: '1px solid var(--border)',
    borderRadius: '6px',
  },
  '&.cm-focused': { outline: 'none', boxShadow: 'var(--focus)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--accent)', padding: '6px 0' },
  '.cm-gutters': {
    backgroundColor: 'var(--bg-sunken)',
    color: 'var(--text-faint)',
    border: 'none',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent) 6%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--accent) 10%, transparent)', color: 'var(--text-muted)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 24%, transparent)',
  },
  '.cm-cursor': { borderLeftColor: 'var(--accent)' },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: 'color-mix(in srgb, var(--ok) 22%, transparent)', outline: 'none' },
  '.cm-tooltip': {
    backgroundColor: 'var(--bg-raised)',
    border: '1px solid var(--border-strong)',
    borderRadius: '6px',
    color: 'var(--text)',
  },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent-soft)', color: 'var(--text)' },
  '.cm-completionDetail': { color: 'var(--text-muted)', fontStyle: 'normal', marginLeft: '0.6em' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--bad)' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy var(--bad)', textUnderlineOffset: '3px' },
  '.cm-panels': { backgroundColor: 'var(--bg-raised)', color: 'var(--text)' },
  '.cm-foldPlaceholder': { backgroundColor: 'var(--bg-hover)', border: 'none', color: 'var(--text-muted)' },
})

function complete(ctx: CompletionContext): CompletionResult | null {
  const line = ctx.state.doc.lineAt(ctx.pos)
  const before = line.text.slice(0, ctx.pos - line.from)
  const r = apiCompletions(before, ctx.explicit)
  if (r === null) return null
  return {
    from: line.from + r.from,
    options: r.options.map((o) => ({
      label: o.label,
      type: o.type,
      ...(o.detail ? { detail: o.detail } : {}),
      ...(o.info ? { info: o.info } : {}),
    })),
    validFor: /^[\w$]*$/,
  }
}

const language = (lang: 'ts' | 'js') => javascript({ typescript: lang === 'ts' })

export function createEditor(parent: HTMLElement, o: EditorOptions): EditorHandle {
  const lang = new CmCompartment()
  let applying = false
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: o.doc,
      extensions: [
        basicSetup,
        lang.of(language(o.lang)),
        syntaxHighlighting(highlight),
        autocompletion({ override: [complete], activateOnTyping: true }),
        lintGutter(),
        theme,
        // Shift/Ctrl+Enter belong to the notebook (run the cell): taken here so no newline is
        // inserted, and left to bubble to the notebook's key handler.
        Prec.highest(
          keymap.of([
            { key: 'Shift-Enter', run: () => true },
            { key: 'Mod-Enter', run: () => true },
          ]),
        ),
        EditorView.contentAttributes.of({ 'aria-label': o.label, 'data-testid': 'strategy-code' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !applying) o.onChange(u.state.doc.toString())
        }),
      ],
    }),
  })
  return {
    setDoc(text) {
      if (text === view.state.doc.toString()) return
      applying = true
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } })
      applying = false
    },
    setLang(l) {
      view.dispatch({ effects: lang.reconfigure(language(l)) })
    },
    setProblems(problems) {
      const doc = view.state.doc
      const diagnostics: Diagnostic[] = []
      for (const p of problems) {
        if (p.line < 1 || p.line > doc.lines) continue
        const line = doc.line(p.line)
        let from: number
        let to = line.to
        if (p.column !== undefined) {
          from = Math.min(line.to, line.from + Math.max(0, p.column - 1))
          const word = /^[\w$]+|^./.exec(line.text.slice(from - line.from))
          to = Math.min(line.to, from + (word?.[0].length ?? 1))
        } else {
          // The line without its indentation.
          from = line.from + (line.text.length - line.text.trimStart().length)
        }
        if (to <= from) to = Math.min(doc.length, from + 1)
        diagnostics.push({ from, to, severity: p.severity, message: p.message })
      }
      view.dispatch(setDiagnostics(view.state, diagnostics))
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  }
}
