// The one result shape for operations that can fail on expected input (configs, files, exchange
// bodies, user params): `{ ok: true, value } | { ok: false, error }` with a typed error (a small
// object with a `kind`), never an exception and never a bare string. Exceptions stay for bugs.

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E }

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value }
}

export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error }
}

/** A failed validation: every problem found, each naming the field it is about. */
export interface InvalidInput {
  readonly kind: 'invalid'
  readonly messages: readonly string[]
}

export function invalid(messages: readonly string[]): { readonly ok: false; readonly error: InvalidInput } {
  return err({ kind: 'invalid', messages })
}
