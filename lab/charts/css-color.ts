// Canvas charts need colours as values, while the theme sets them as CSS variables that use
// light-dark() and follow the gain/loss convention (both set on <html>): a colour is resolved by
// reading it off a probe element placed in the page.
export function cssColor(variable: string): string {
  const probe = document.createElement('span')
  probe.style.color = `var(${variable})`
  document.body.appendChild(probe)
  const css = getComputedStyle(probe).color
  probe.remove()
  return css
}
