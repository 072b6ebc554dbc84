/**
 * Cron's jobs for many shards (docs/scaling.md). One invocation may run 1,000 D1 queries, which
 * `runJobs` splits between the shards of a run; past two shards it would visit each only every
 * few minutes. With the JOBS queue bound, cron instead sends one message per shard, and the
 * queue (max_batch_size = 1) runs each shard's jobs in an invocation of its own with the whole
 * budget, every minute however many shards there are. With no JOBS binding, and at the jobs
 * endpoint `npm start` calls (routes/admin.ts), the jobs run inline (`runJobs`).
 */
import { allShards } from './db/shards'
import type { Env, JobsMessage } from './env'
import { runJobs, runShardJobs } from './scheduled'

export const JOBS_QUEUE = 'stepwise-jobs'

/** The scheduled handler: a message per shard, or the jobs inline when no queue is bound. */
export async function scheduleJobs(env: Env, now = Date.now()): Promise<void> {
  if (!env.JOBS) return void (await runJobs(env, now))
  const shards = allShards(env)
  // A sendBatch holds 100 messages.
  for (let i = 0; i < shards.length; i += 100) {
    await env.JOBS.sendBatch(
      shards.slice(i, i + 100).map((s) => ({
        body: { kind: 'jobs', shard: s.name, at: now } satisfies JobsMessage,
        contentType: 'json' as const,
      })),
    )
  }
}

/**
 * The JOBS queue's consumer. A message that fails is not retried: the next minute's cron sends
 * a fresh one, and a late run of an old minute would only repeat it.
 */
export async function consumeJobs(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const shards = new Map(allShards(env).map((s) => [s.name, s]))
  for (const message of batch.messages) {
    const body = message.body as Partial<JobsMessage> | null
    const shard = typeof body?.shard === 'string' ? shards.get(body.shard) : undefined
    if (!shard || typeof body?.at !== 'number') {
      console.error('jobs message names no shard of this Worker; dropped')
    } else {
      await runShardJobs(shard.env, body.at, 1).catch((err) =>
        console.error(`jobs of shard ${shard.name} failed:`, String(err)),
      )
    }
    message.ack()
  }
}
