/**
 * Where Stepwise may send a webhook (DESIGN §9): https to a public host. Refused: credentials
 * in the URL, single-label and internal names (`localhost`, `*.local`, `*.internal`, cloud
 * metadata names), and any address — literal, or what the name resolves to — in a loopback,
 * private, shared, link-local (metadata: 169.254.169.254, fd00:ec2::254), unique-local,
 * multicast, documentation or reserved range. Checked when the URL is saved and again before
 * every send, so a name that starts resolving inward is caught. `allowLocal` (the local-dev
 * flag) lets http(s)://localhost, 127.0.0.1 and [::1] through, for the demo's receiver.
 */

export type Resolve = (host: string) => Promise<string[]>
/** `retry`: the check could not be made (the resolver failed), so trying later may pass. */
export type Verdict = { ok: true } | { ok: false; reason: string; retry?: boolean }

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])
const BLOCKED_NAMES = new Set([
  'localhost',
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
])
const BLOCKED_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.lan']

/** [first address, prefix length] of each IPv4 range a webhook may not reach. */
const V4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8], // this network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared (carrier NAT); also Alibaba's metadata 100.100.100.200
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
]

export function blockedV4(ip: string): boolean {
  const n = v4ToInt(ip)
  if (n === null) return true
  return V4_BLOCKED.some(([base, bits]) => {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0
    return (n & mask) >>> 0 === (v4ToInt(base)! & mask) >>> 0
  })
}

function v4ToInt(ip: string): number | null {
  const parts = ip.split('.')
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255))
    return null
  return parts.reduce((n, p) => n * 256 + Number(p), 0)
}

/** Eight 16-bit groups of an IPv6 address (with or without an embedded IPv4), or null. */
export function parseV6(ip: string): number[] | null {
  let s = ip.replace(/^\[|\]$/g, '').toLowerCase()
  const zone = s.indexOf('%')
  if (zone >= 0) s = s.slice(0, zone)
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s)
  if (v4) {
    const n = v4ToInt(v4[1])
    if (n === null) return null
    s = s.slice(0, -v4[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`
  }
  const halves = s.split('::')
  if (halves.length > 2) return null
  const groups = (h: string) => (h ? h.split(':') : [])
  const head = groups(halves[0])
  const tail = halves.length === 2 ? groups(halves[1]) : []
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0
  if (fill < 0 || (halves.length === 1 && head.length !== 8)) return null
  const all = [...head, ...Array(fill).fill('0'), ...tail]
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null
  return all.map((g) => parseInt(g, 16))
}

/**
 * Only global unicast (2000::/3) may be reached, less its special ranges: that leaves out ::,
 * ::1, IPv4-compatible and -mapped and -translated forms, NAT64, unique-local (AWS metadata
 * fd00:ec2::254), link- and site-local, multicast and discard in one test. 6to4 is judged by the
 * IPv4 address it carries.
 */
export function blockedV6(ip: string): boolean {
  const g = parseV6(ip)
  if (!g) return true
  if ((g[0] & 0xe000) !== 0x2000) return true
  if (g[0] === 0x2001 && g[1] < 0x0200) return true // Teredo 2001::/32, ORCHID and other IETF
  if (g[0] === 0x2001 && g[1] === 0x0db8) return true // documentation
  if (g[0] === 0x3fff && g[1] < 0x1000) return true // documentation 3fff::/20
  if (g[0] === 0x2002) return blockedV4([g[1] >> 8, g[1] & 255, g[2] >> 8, g[2] & 255].join('.'))
  return false
}

function blockedAddress(ip: string): boolean {
  return ip.includes(':') ? blockedV6(ip) : blockedV4(ip)
}

function isIpLiteral(host: string): boolean {
  return host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host)
}

/**
 * Whether `raw` may receive webhooks. The URL parser has already turned `http://2130706433`,
 * `0x7f.1` and such into dotted IPv4, so literals are judged in one form.
 */
export async function checkWebhookUrl(
  raw: string,
  opts: { allowLocal: boolean; resolve: Resolve },
): Promise<Verdict> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { ok: false, reason: 'is not a URL' }
  }
  const host = url.hostname.toLowerCase().replace(/\.+$/, '')
  if (host.split('.').some((label) => label === '')) {
    return { ok: false, reason: `${url.hostname} has an empty label` }
  }
  if (url.username || url.password)
    return { ok: false, reason: 'must not carry a user or password' }
  if (opts.allowLocal && LOCAL_HOSTS.has(host) && /^https?:$/.test(url.protocol))
    return { ok: true }
  if (url.protocol !== 'https:') return { ok: false, reason: 'must be an https:// URL' }
  if (isIpLiteral(host)) {
    return blockedAddress(host)
      ? { ok: false, reason: `${host} is not a public address` }
      : { ok: true }
  }
  if (
    !host.includes('.') ||
    BLOCKED_NAMES.has(host) ||
    BLOCKED_SUFFIXES.some((s) => host.endsWith(s))
  ) {
    return { ok: false, reason: `${host} is not a public host name` }
  }
  let addresses: string[]
  try {
    addresses = await opts.resolve(host)
  } catch (err) {
    const why = String((err as Error).message ?? err)
    return { ok: false, reason: `${host} could not be resolved (${why})`, retry: true }
  }
  if (!addresses.length) return { ok: false, reason: `${host} does not resolve` }
  const inward = addresses.find(blockedAddress)
  return inward
    ? { ok: false, reason: `${host} resolves to ${inward}, which is not a public address` }
    : { ok: true }
}

/**
 * A resolver over DNS-over-HTTPS (JSON API; Cloudflare's by default): Workers have no DNS call.
 * A and AAAA both, each bounded to 3 s.
 */
export function dohResolver(endpoint = 'https://cloudflare-dns.com/dns-query'): Resolve {
  return async (host) => {
    const ask = async (type: 'A' | 'AAAA') => {
      const res = await fetch(`${endpoint}?name=${encodeURIComponent(host)}&type=${type}`, {
        headers: { accept: 'application/dns-json' },
        signal: AbortSignal.timeout(3000),
      })
      if (!res.ok) throw new Error(`resolver answered ${res.status}`)
      const body = (await res.json()) as { Answer?: { type: number; data: string }[] }
      return (body.Answer ?? []).filter((a) => a.type === 1 || a.type === 28).map((a) => a.data)
    }
    const [a, aaaa] = await Promise.all([ask('A'), ask('AAAA')])
    return [...a, ...aaaa]
  }
}
