// The edge API token in the browser. `npm start` prints the lab URL with the token in the fragment
// (`#token=…`): fragments never reach a server, a log or a Referer. At startup the lab moves it to
// localStorage and removes it from the address bar, so it is not bookmarked, shared or left in
// the history by accident.
const STORAGE_KEY = 'edge-token'
const TOKEN_RE = /^[0-9a-f]{64}$/

interface TokenEnv {
  readonly location: { readonly hash: string; readonly pathname: string; readonly search: string }
  readonly history: { replaceState(data: unknown, unused: string, url: string): void }
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>
}

const browserEnv = (): TokenEnv => ({ location: window.location, history: window.history, storage: window.localStorage })

/** Takes `#token=…` from the address bar into storage; returns the token in force (or null). */
export function adoptTokenFromUrl(env: TokenEnv = browserEnv()): string | null {
  const params = new URLSearchParams(env.location.hash.replace(/^#/, ''))
  const token = params.get('token')
  if (token !== null) {
    params.delete('token')
    const rest = params.toString()
    env.history.replaceState(null, '', `${env.location.pathname}${env.location.search}${rest ? `#${rest}` : ''}`)
    if (TOKEN_RE.test(token)) env.storage.setItem(STORAGE_KEY, token)
  }
  return env.storage.getItem(STORAGE_KEY)
}

export function getToken(storage: Pick<Storage, 'getItem'> = window.localStorage): string | null {
  return storage.getItem(STORAGE_KEY)
}
