/**
 * Two kinds of tests. `worker`: inside workerd with real D1 and Queues, migrations applied in
 * test/worker/setup.ts. `node`: pure logic and real headless Chromium against `wrangler dev`.
 */
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { startReceiver } from './test/support/receiver'

export default defineConfig(async () => {
  const migrations = await readD1Migrations('migrations')
  // A real HTTP receiver for webhooks and a DNS test zone, reached from workerd over loopback.
  const receiver = await startReceiver()
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  ADMIN_TOKEN: 'test-admin-token',
                  RECEIVER_URL: receiver.url,
                  DNS_RESOLVER_URL: `${receiver.url}/dns-query`,
                  DEV_ALLOW_LOCAL_WEBHOOKS: '1',
                  // Rollups follow ingest a second later, not 30 s (test/worker/freshness.test.ts).
                  ROLLUP_REBUILD_DELAY_SECONDS: '1',
                  // Sites whose id starts "shard2-" live in the second D1 database (sharding.test.ts).
                  SITE_SHARDS: JSON.stringify({ 'demo-credit-union': 'DB_2', 'shard2-*': 'DB_2' }),
                },
                // A real limiter with a tiny budget, swapped in where a test needs to hit it.
                ratelimits: {
                  TIGHT_LIMIT: { namespace_id: '9001', simple: { limit: 3, period: 60 } },
                  // Every test request comes from one client address (none): not this one's limit.
                  CLIENT_LIMIT: { namespace_id: '1003', simple: { limit: 1_000_000, period: 60 } },
                },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['test/worker/**/*.test.ts'],
            setupFiles: ['test/worker/setup.ts'],
            // A guard against hangs, not a speed check: the erasure test rebuilds a site's days
            // and took 4–6 s on the shared 2-core machine, past vitest's default 5 s.
            testTimeout: 20_000,
          },
        },
        {
          test: {
            name: 'node',
            include: ['test/node/**/*.test.ts'],
            environment: 'node',
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  }
})
