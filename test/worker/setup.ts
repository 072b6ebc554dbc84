import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'

// Setup files may run more than once; applyD1Migrations skips what is applied already. Every
// shard has the whole schema (worker/db/shards.ts).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
await applyD1Migrations(env.DB_2, env.TEST_MIGRATIONS)
