// The only platform APIs shared/ may use, declared here because shared/ compiles with no DOM and
// no Node types (shared/tsconfig.json): UTF-8 text coding and WebCrypto's HMAC and digest, which
// browsers and Node ≥ 20 both provide as globals. Anything else (window, document, process,
// node:*, timers, Math.random for decisions) is a compile error in shared/.

interface TextEncoder {
  encode(input?: string): Uint8Array
}
declare var TextEncoder: { new (): TextEncoder }

interface TextDecoder {
  decode(input?: ArrayBufferView | ArrayBuffer): string
}
declare var TextDecoder: { new (label?: string, options?: { fatal?: boolean }): TextDecoder }

interface CryptoKey {
  readonly type: string
}

interface SubtleCrypto {
  digest(algorithm: string, data: ArrayBufferView | ArrayBuffer): Promise<ArrayBuffer>
  importKey(
    format: 'raw',
    keyData: ArrayBufferView | ArrayBuffer,
    algorithm: { name: 'HMAC'; hash: string },
    extractable: boolean,
    keyUsages: ReadonlyArray<'sign' | 'verify'>,
  ): Promise<CryptoKey>
  sign(algorithm: 'HMAC', key: CryptoKey, data: ArrayBufferView | ArrayBuffer): Promise<ArrayBuffer>
}

declare var crypto: { readonly subtle: SubtleCrypto }
