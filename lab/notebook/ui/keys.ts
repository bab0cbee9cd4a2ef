// Jupyter's keyboard habits for the notebook, as a pure decision (the view performs it):
// Shift+Enter run and move on, Ctrl/Cmd+Enter run in place, Esc leave a field, and outside
// fields: a / b add a cell above / below, ↑/↓ or k/j move the selection, Enter edit the cell.
export type KeyAction =
  'run-advance' | 'run' | 'leave-field' | 'add-above' | 'add-below' | 'select-prev' | 'select-next' | 'enter-cell' | null

export interface KeyInfo {
  readonly key: string
  readonly shiftKey: boolean
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly altKey: boolean
  /** The event came from a text field, select or textarea. */
  readonly inField: boolean
  /** The event came from a button, link or other control that acts on Enter itself. */
  readonly onControl?: boolean
}

export function keyAction(e: KeyInfo): KeyAction {
  if (e.key === 'Enter' && e.shiftKey && !e.ctrlKey && !e.metaKey) return 'run-advance'
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) return 'run'
  if (e.inField) return e.key === 'Escape' ? 'leave-field' : null
  if (e.ctrlKey || e.metaKey || e.altKey) return null
  switch (e.key) {
    case 'a':
      return 'add-above'
    case 'b':
      return 'add-below'
    case 'ArrowUp':
    case 'k':
      return 'select-prev'
    case 'ArrowDown':
    case 'j':
      return 'select-next'
    case 'Enter':
      // Enter on a focused button presses it (keyboard users rely on it): not ours.
      return e.onControl === true ? null : 'enter-cell'
    default:
      return null
  }
}

export const isField = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))

const CONTROL_ROLES = new Set(['button', 'link', 'tab', 'menuitem', 'option', 'checkbox', 'switch', 'radio'])

export const isControl = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (['BUTTON', 'A', 'SUMMARY'].includes(t.tagName) || CONTROL_ROLES.has(t.getAttribute('role') ?? ''))
