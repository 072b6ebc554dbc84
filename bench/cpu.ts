/**
 * CPU time of a local `wrangler dev` (its Node process and the workerd processes under it),
 * read from /proc: what serving costs, apart from the wall time other load on the shared
 * machine adds. Linux only; 0 elsewhere.
 */
import { readdirSync, readFileSync } from 'node:fs'

const TICK_MS = 10

function stat(pid: string): { ppid: string; ms: number } | undefined {
  try {
    // The command name may hold spaces: the fields start after its closing parenthesis.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return { ppid: fields[1], ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS }
  } catch {
    return undefined
  }
}

/** CPU milliseconds so far of the `wrangler dev` serving `port` and everything under it. */
export function devCpuMs(port: string): number {
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p))
  } catch {
    return 0
  }
  const children = new Map<string, string[]>()
  const roots: string[] = []
  for (const pid of pids) {
    const s = stat(pid)
    if (!s) continue
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid])
    let cmd = ''
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
    } catch {
      continue
    }
    if (/wrangler/.test(cmd) && cmd.includes(` dev `) && cmd.includes(`--port ${port} `)) {
      roots.push(pid)
    }
  }
  const seen = new Set<string>()
  const walk = (pid: string) => {
    if (seen.has(pid)) return
    seen.add(pid)
    for (const c of children.get(pid) ?? []) walk(c)
  }
  roots.forEach(walk)
  return [...seen].reduce((ms, pid) => ms + (stat(pid)?.ms ?? 0), 0)
}
