// Draws a marker plan (trade-marks.ts) on the price series: an arrow per mark, entries under the
// bars pointing up, exits over them pointing down, a group's count and the selected trade's label
// beside the arrow. A series primitive of our own rather than the library's markers plugin: the
// plugin's setMarkers copies every candle of the series into new objects (series.data()) and looks
// each marker's time up again, tens of ms on months of 1m bars, on every new result and every
// re-plan; here a new plan costs a redraw request, and a frame draws only the marks in view.
// Types only from the chart library, so this module stays out of the first page load.
import type {
  AutoscaleInfo,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesPrimitive,
  Logical,
  SeriesAttachedParameter,
  Time,
} from 'lightweight-charts'
import { CLUSTER_PX, type Mark } from './trade-marks.ts'

export interface MarkColors {
  readonly up: string
  readonly down: string
  readonly text: string
}

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0]

/** Room the marks need over and under the bars (arrow, gap and a line of text), for autoscale. */
const MARGINS: AutoscaleInfo = { priceRange: null, margins: { above: 30, below: 30 } }
const GAP = 3
const FONT = '10px system-ui, sans-serif'

export class TradeMarksPrimitive implements ISeriesPrimitive<Time> {
  private marks: readonly Mark[] = []
  private colors: MarkColors = { up: 'green', down: 'red', text: 'gray' }
  private host: SeriesAttachedParameter<Time> | null = null
  private readonly renderer: IPrimitivePaneRenderer = { draw: (t) => this.draw(t) }
  // The library caches on the identity of these arrays: the same ones every time.
  private readonly views: readonly IPrimitivePaneView[] = [{ renderer: () => this.renderer, zOrder: () => 'top' }]

  attached(p: SeriesAttachedParameter<Time>): void {
    this.host = p
  }

  detached(): void {
    this.host = null
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views
  }

  autoscaleInfo(): AutoscaleInfo | null {
    return this.marks.length > 0 ? MARGINS : null
  }

  /** Replaces the marks (and their colours) and asks for a redraw. */
  setMarks(marks: readonly Mark[], colors: MarkColors): void {
    this.marks = marks
    this.colors = colors
    this.host?.requestUpdate()
  }

  private draw(target: Target): void {
    const host = this.host
    if (host === null || this.marks.length === 0) return
    const ts = host.chart.timeScale()
    const series = host.series
    target.useMediaCoordinateSpace(({ context: ctx, mediaSize }) => {
      ctx.save()
      ctx.font = FONT
      ctx.textAlign = 'center'
      // The selected trade's marks go out past a group on the same spot (drawn last, on top).
      const plain = this.marks.filter((m) => !m.selected)
      const chosen = this.marks.filter((m) => m.selected)
      for (const m of [...plain, ...chosen]) {
        const x = ts.logicalToCoordinate(m.bar as Logical)
        const y = series.priceToCoordinate(m.price)
        if (x === null || y === null || x < -CLUSTER_PX || x > mediaSize.width + CLUSTER_PX) continue
        const crowded =
          m.selected &&
          plain.some((o) => o.side === m.side && Math.abs((ts.logicalToCoordinate(o.bar as Logical) ?? -1e9) - x) < CLUSTER_PX)
        const size = m.selected ? 11 : 8
        const up = m.side === 'entry'
        const colour = up ? this.colors.up : m.wins * 2 >= m.count ? this.colors.up : this.colors.down
        const base = (crowded ? 26 : 0) + GAP
        // Entries: the tip under the bar's low, text under the arrow; exits mirrored over the high.
        const tip = up ? y + base : y - base
        const tail = up ? tip + size : tip - size
        ctx.fillStyle = colour
        ctx.beginPath()
        ctx.moveTo(x, tip)
        ctx.lineTo(x - size / 2, up ? tip + size * 0.6 : tip - size * 0.6)
        ctx.lineTo(x - size / 5, up ? tip + size * 0.6 : tip - size * 0.6)
        ctx.lineTo(x - size / 5, tail)
        ctx.lineTo(x + size / 5, tail)
        ctx.lineTo(x + size / 5, up ? tip + size * 0.6 : tip - size * 0.6)
        ctx.lineTo(x + size / 2, up ? tip + size * 0.6 : tip - size * 0.6)
        ctx.closePath()
        ctx.fill()
        if (m.label !== '') {
          ctx.fillStyle = m.selected ? colour : this.colors.text
          ctx.textBaseline = up ? 'top' : 'bottom'
          ctx.fillText(m.label, x, up ? tail + 1 : tail - 1)
        }
      }
      ctx.restore()
    })
  }
}
