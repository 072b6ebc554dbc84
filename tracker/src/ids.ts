import { redact } from '../../worker/ingest/pii'

/**
 * A random id for events, runs, sessions, tabs and anonymous users: time plus ~41 random bits,
 * unique enough for the server's (site, id) dedupe. An id the PII guard would touch (eight
 * digits in a row happen by chance) is drawn again, so an anonymous uid is never redacted.
 */
export const newId = (): string => {
  let id
  do id = Date.now().toString(36) + Math.random().toString(36).slice(2, 10)
  while (redact(id) != id)
  return id
}
