// Random ids for notebooks and cells (uniqueness is all that matters; no ordering meaning).
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
