import { applyD1Migrations, env } from 'cloudflare:test'

declare module 'cloudflare:test' {
  interface ProvidedEnv {
    DB: D1Database
    EVENTS: Queue
    TEST_MIGRATIONS: D1Migration[]
    ADMIN_TOKEN: string
  }
}

// Setup files may run more than once; applyD1Migrations skips what is applied already.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
