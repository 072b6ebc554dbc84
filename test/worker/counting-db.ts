/** The D1 binding, counting each statement D1 would count toward an invocation's 1,000. */
export function counting(db: D1Database) {
  const counter = { queries: 0 }
  const real = new WeakMap<object, D1PreparedStatement>()
  const wrap = (s: D1PreparedStatement): D1PreparedStatement => {
    const run = <T>(f: () => T) => (counter.queries++, f())
    const w = {
      bind: (...values: unknown[]) => wrap(s.bind(...values)),
      first: (column?: string) => run(() => (column === undefined ? s.first() : s.first(column))),
      run: () => run(() => s.run()),
      all: () => run(() => s.all()),
      raw: (options?: { columnNames?: false }) => run(() => s.raw(options)),
    }
    real.set(w, s)
    return w as unknown as D1PreparedStatement
  }
  const wrapped = {
    prepare: (sql: string) => wrap(db.prepare(sql)),
    batch: (statements: D1PreparedStatement[]) => {
      counter.queries += statements.length
      return db.batch(statements.map((s) => real.get(s) ?? s))
    },
    exec: (sql: string) => (counter.queries++, db.exec(sql)),
  }
  return { db: wrapped as unknown as D1Database, counter }
}
