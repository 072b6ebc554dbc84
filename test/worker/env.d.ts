// Types for `cloudflare:workers` inside tests: the Worker's bindings and main module.
declare namespace Cloudflare {
  interface Env extends Omit<import('../../worker/env').Env, 'EVENTS'> {
    EVENTS: Queue<import('../../worker/env').IngestMessage>
    DB_2: D1Database
    ADMIN_TOKEN: string
    RECEIVER_URL: string
    TIGHT_LIMIT: RateLimit
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
  }
  interface GlobalProps {
    mainModule: typeof import('../../worker/index')
  }
}
