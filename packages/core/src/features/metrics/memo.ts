/**
 * A sink's rendering of a dimensions object, made once: the gateway makes one dimensions object per route, and a
 * request's datapoints share it, so the last one is kept beside a weak map of all.
 */
export function memoByDimensions<T>(render: (dimensions: Readonly<Record<string, string>>) => T) {
  const rendered = new WeakMap<object, T>()
  let last: object | undefined
  let lastValue: T | undefined
  return (dimensions: Readonly<Record<string, string>>): T => {
    if (dimensions === last) return lastValue as T
    let value = rendered.get(dimensions)
    if (value === undefined) {
      value = render(dimensions)
      rendered.set(dimensions, value)
    }
    last = dimensions
    lastValue = value
    return value
  }
}
