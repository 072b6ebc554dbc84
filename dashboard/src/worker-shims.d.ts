/**
 * The dashboard imports response types from the worker's analysis modules, and some of those
 * name row types declared next to their SQL, in files that mention D1. The real
 * @cloudflare/workers-types would clash with the DOM library, so this declares the small D1
 * surface those files use, for type checking only; nothing of it reaches the bundle.
 */
interface D1Meta {
  changes: number
  [key: string]: unknown
}
interface D1Result<T = unknown> {
  results: T[]
  success: boolean
  meta: D1Meta
}
interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement
  first<T = unknown>(column?: string): Promise<T | null>
  all<T = unknown>(): Promise<D1Result<T>>
  run<T = unknown>(): Promise<D1Result<T>>
  raw<T = unknown[]>(): Promise<T[]>
}
interface D1Database {
  prepare(query: string): D1PreparedStatement
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>
  exec(query: string): Promise<unknown>
}

/*
 * The rest of the Worker's environment (worker/env.ts), which route modules such as
 * routes/insights/performance.ts mention: declared as far as the worker code the dashboard's
 * types pull in uses it.
 */
interface Queue<Body = unknown> {
  send(body: Body, options?: unknown): Promise<void>
  sendBatch(messages: Iterable<{ body: Body; contentType?: string }>): Promise<void>
}
interface RateLimit {
  limit(options: { key: string }): Promise<{ success: boolean }>
}
interface Fetcher {
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
}
interface SubtleCrypto {
  timingSafeEqual(a: ArrayBuffer | ArrayBufferView, b: ArrayBuffer | ArrayBufferView): boolean
}

/*
 * worker/index.ts, whose `AppType` types the dashboard's client (api/client.ts), also exports
 * the queue consumer and the cron handler: their types, as far as that file and the consumer
 * use them.
 */
interface Message<Body = unknown> {
  readonly id: string
  readonly attempts: number
  readonly body: Body
  ack(): void
  retry(options?: { delaySeconds?: number }): void
}
interface MessageBatch<Body = unknown> {
  readonly queue: string
  readonly messages: readonly Message<Body>[]
  ackAll(): void
  retryAll(options?: { delaySeconds?: number }): void
}
interface ScheduledController {
  readonly scheduledTime: number
  readonly cron: string
}
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
  passThroughOnException(): void
  props: unknown
}
interface ExportedHandler<Env = unknown> {
  fetch?: (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>
  queue?: (batch: MessageBatch, env: Env, ctx: ExecutionContext) => void | Promise<void>
  scheduled?: (controller: ScheduledController, env: Env, ctx: ExecutionContext) => unknown
}
