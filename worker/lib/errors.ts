/**
 * One error shape for the whole API (DESIGN §6): `{error: {code, message, details?}}`.
 * Routes throw `ApiError`; the app's error handler turns it into the response.
 */
import type { z } from 'zod'

export class ApiError extends Error {
  constructor(
    /** 500 only for a Worker configured wrong (db/shards.ts), never for a request. */
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message)
  }
}

/** Parses `data` or throws a 400 whose details say which field is wrong and why. */
export function parse<S extends z.ZodType>(schema: S, data: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(data)
  if (result.success) return result.data
  throw new ApiError(400, 'invalid_' + what, describe(result.error), issues(result.error))
}

export function issues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
}

/** The first problem, in words a person can act on: `events.3.ts: expected number`. */
export function describe(error: z.ZodError): string {
  const [first] = issues(error)
  return first.path ? `${first.path}: ${first.message}` : first.message
}
