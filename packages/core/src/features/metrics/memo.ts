/**
 * A sink's text for a dimensions object, rendered once: the gateway makes one dimensions object per route, and a
 * request's datapoints share it, so the last one is kept beside a weak map of all.
 */
export function memoByDimensions(render: (dimensions: Readonly<Record<string, string>>) => string) {
  const rendered = new WeakMap<object, string>()
  let last: object | undefined
  let lastText = ''
  return (dimensions: Readonly<Record<string, string>>): string => {
    if (dimensions === last) return lastText
    let text = rendered.get(dimensions)
    if (text === undefined) {
      text = render(dimensions)
      rendered.set(dimensions, text)
    }
    last = dimensions
    lastText = text
    return text
  }
}
