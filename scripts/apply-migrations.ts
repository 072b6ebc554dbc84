/**
 * Applies the local D1 migrations and says one line per migration applied, instead of the
 * table wrangler reprints after each one. On failure everything wrangler said is shown.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

/** The migration files (as in `migrations/`) named in wrangler's output, in its order. */
export function appliedMigrations(output: string, files: string[]): string[] {
  const known = new Set(files)
  const seen = new Set<string>()
  for (const [name] of output.matchAll(/\b\d{4}_[\w.-]+?\.sql\b/g)) {
    if (known.has(name)) seen.add(name)
  }
  return [...seen]
}

/** `extra`: more wrangler arguments, e.g. `--persist-to <dir>` in the test. */
export function applyLocalMigrations(
  wrangler: string,
  env: NodeJS.ProcessEnv,
  extra: string[] = [],
): void {
  const run = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', ...extra], {
    encoding: 'utf8',
    env: { ...env, CI: 'true' },
  })
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`
  if (run.status !== 0) {
    process.stderr.write(output)
    throw new Error(
      `wrangler d1 migrations apply failed (${run.error?.message ?? `exit ${run.status}`})`,
    )
  }
  const files = readdirSync('migrations').filter((f) => f.endsWith('.sql'))
  const applied = appliedMigrations(output, files)
  for (const name of applied) console.log(`  applied ${name}`)
  if (!applied.length) console.log(`  up to date (${files.length} migrations)`)
}
