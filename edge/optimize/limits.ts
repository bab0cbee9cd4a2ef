// Input bounds of the optimize CLI, checked before anything big is built, so a refusal is quick and
// small (exit 2, one line). What fits (README, "Optimizer"): the candles cost 96 bytes per bar in
// the main thread (48 for the columns, 48 for the copy shared with the workers), each worker adds
// up to 256 MB of series cache, and a sweep keeps ~210 bytes per combo (grid.ts, MAX_COMBOS).

/** Ten years of 1m bars (3,650 days): ~505 MB of candles in the main thread. */
export const MAX_BARS = 3650 * 1440
/** Candle files above this are not read (a CSV line of a 1m bar is 60–80 bytes: ~3 million bars). */
export const MAX_CANDLE_FILE_BYTES = 256 * 1024 * 1024
/** A config is a few hundred bytes; lists of grid values do not need megabytes. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024

export function megabytes(bytes: number): string {
  return `${Math.ceil(bytes / (1024 * 1024))} MB`
}
