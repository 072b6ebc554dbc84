/**
 * A D1 binding that counts the statements run through it — each `first`, `all`, `run` or
 * `raw`, and every statement of a `batch` — as D1 counts queries against an invocation's
 * 1,000. Statements are wrapped, so a batch unwraps them before handing them on.
 */
export function countingDb(db: D1Database): { db: D1Database; count: () => number } {
  let n = 0
  const real = new WeakMap<object, D1PreparedStatement>()
  const wrap = (s: D1PreparedStatement): D1PreparedStatement => {
    const w = new Proxy(s, {
      get(target, key) {
        if (key === 'bind') return (...args: unknown[]) => wrap(target.bind(...args))
        const value = Reflect.get(target, key) as unknown
        if (typeof value !== 'function') return value
        if (key === 'first' || key === 'all' || key === 'run' || key === 'raw') n++
        return (value as (...a: unknown[]) => unknown).bind(target)
      },
    })
    real.set(w, s)
    return w
  }
  const counted = new Proxy(db, {
    get(target, key) {
      if (key === 'prepare') return (sql: string) => wrap(target.prepare(sql))
      if (key === 'batch') {
        return (statements: D1PreparedStatement[]) => {
          n += statements.length
          return target.batch(statements.map((s) => real.get(s) ?? s))
        }
      }
      const value = Reflect.get(target, key) as unknown
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value
    },
  })
  return { db: counted, count: () => n }
}
