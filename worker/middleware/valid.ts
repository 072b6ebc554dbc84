/**
 * Validation as middleware: the query string or the JSON body parsed with the route's zod
 * schema (a 400 naming the field otherwise, lib/errors.ts `parse`), the result read in the
 * handler with `c.req.valid('query' | 'json')`. Declaring the input this way is also what lets
 * `hc<AppType>` (the dashboard's client) type a call's `query` and `json`.
 */
import { createMiddleware } from 'hono/factory'
import type { z } from 'zod'
import type { AppEnv } from '../env'
import { parse } from '../lib/errors'

/** What a client sends: every query parameter is an optional string. */
type QueryInput<T> = { [K in keyof T]?: string }

export function validQuery<S extends z.ZodType<object>>(schema: S) {
  return createMiddleware<
    AppEnv,
    string,
    { in: { query: QueryInput<z.input<S>> }; out: { query: z.output<S> } }
  >(async (c, next) => {
    c.req.addValidatedData('query', parse(schema, c.req.query(), 'query'))
    await next()
  })
}

/** A JSON body (its type and size were checked by middleware/json-body.ts); none is a 400. */
export function validJson<S extends z.ZodType<object>>(schema: S) {
  return createMiddleware<AppEnv, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }>(
    async (c, next) => {
      c.req.addValidatedData('json', parse(schema, await c.req.json().catch(() => undefined)))
      await next()
    },
  )
}
