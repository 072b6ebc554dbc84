/**
 * The import's progress on stderr: a bar by bytes of the file, the events so far, and this
 * run's rate in events a second.
 * On a terminal it redraws one line; piped (CI, a log) it prints a line at most every 2 s and
 * at the end, so a log is readable and still shows the run moving.
 */
type Counts = { accepted: number; duplicates: number; rejected: number }

const WIDTH = 30
const PIPED_EVERY_MS = 2000

export class Progress {
  private readonly started = Date.now()
  private lastPrinted = 0
  private readonly tty = Boolean(process.stderr.isTTY)

  private readonly before: number

  constructor(
    private readonly size: number,
    start: Counts,
  ) {
    this.before = start.accepted + start.duplicates + start.rejected
  }

  update(offset: number, counts: Counts) {
    const done = offset >= this.size
    if (!this.tty && !done && Date.now() - this.lastPrinted < PIPED_EVERY_MS) return
    this.lastPrinted = Date.now()
    const share = this.size ? Math.min(1, offset / this.size) : 1
    const filled = Math.round(share * WIDTH)
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000)
    const sent = counts.accepted + counts.duplicates + counts.rejected
    const rate = Math.round((sent - this.before) / seconds)
    const n = (x: number) => x.toLocaleString('en')
    const line =
      `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${Math.floor(share * 100)}%  ` +
      `${n(sent)} events: ${n(counts.accepted)} new, ${n(counts.duplicates)} duplicates, ` +
      `${n(counts.rejected)} rejected  ${n(rate)} events/s`
    process.stderr.write(this.tty ? `\r${line}\u001b[K` : `${line}\n`)
  }

  /** Ends the bar's line on a terminal, so what is printed next starts on its own. */
  finish(): void {
    if (this.tty) process.stderr.write('\n')
  }
}
