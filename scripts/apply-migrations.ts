/**
 * Applies the local D1 migrations and says one line per migration applied, instead of the
 * table wrangler reprints after each one. On failure everything wrangler said is shown. Every
 * shard (each [[d1_databases]] binding of wrangler.toml: DB, DB_2, …) gets the same migrations.
 * Run as a script, `tsx scripts/apply-migrations.ts --remote` applies them to every shard of
 * the deployed Worker (`npm run deploy`).
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/** The D1 bindings wrangler.toml declares, in its order. */
export function d1Bindings(toml = readFileSync('wrangler.toml', 'utf8')): string[] {
  return toml
    .split(/^\[\[/m)
    .filter((block) => block.startsWith('d1_databases]]'))
    .flatMap((block) => block.match(/^binding\s*=\s*"([^"]+)"/m)?.[1] ?? [])
}

/** The migration files (as in `migrations/`) named in wrangler's output, in its order. */
export function appliedMigrations(output: string, files: string[]): string[] {
  const known = new Set(files)
  const seen = new Set<string>()
  for (const [name] of output.matchAll(/\b\d{4}_[\w.-]+?\.sql\b/g)) {
    if (known.has(name)) seen.add(name)
  }
  return [...seen]
}

/** Every shard's local migrations, a line per shard before its own lines. */
export function applyLocalMigrationsToShards(wrangler: string, env: NodeJS.ProcessEnv): void {
  for (const binding of d1Bindings()) {
    console.log(`  ${binding}:`)
    applyLocalMigrations(wrangler, env, [], binding)
  }
}

/** `extra`: more wrangler arguments, e.g. `--persist-to <dir>` in the test. */
export function applyLocalMigrations(
  wrangler: string,
  env: NodeJS.ProcessEnv,
  extra: string[] = [],
  binding = 'DB',
): void {
  const run = spawnSync(wrangler, ['d1', 'migrations', 'apply', binding, '--local', ...extra], {
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] !== '--remote')
    throw new Error('usage: tsx scripts/apply-migrations.ts --remote')
  for (const binding of d1Bindings()) {
    const run = spawnSync('wrangler', ['d1', 'migrations', 'apply', binding, '--remote'], {
      stdio: 'inherit',
    })
    if (run.status !== 0) process.exit(run.status ?? 1)
  }
}
