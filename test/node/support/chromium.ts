/**
 * Real headless Chromium for browser tests, from the @sparticuz/chromium npm package, so that
 * `npm test` needs no system browser. The flags keep it off this machine's closed network.
 */
import sparticuz from '@sparticuz/chromium'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
]
/** Headless Chromium names itself "HeadlessChrome", which the collector drops as a bot. */
export const DESKTOP_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36'

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await sparticuz.executablePath(), args: CHROMIUM_ARGS })
}
