/**
 * `npm run bench`: every benchmark, printed as tables. Numbers, not assertions: copy them
 * into the README's benchmark table when they change.
 */
import { benchAlerts } from './alerts'
import { benchDashboard } from './dashboard'
import { benchForecast } from './forecast'
import { benchImport } from './import'
import { benchIngest } from './ingest'
import { benchInsights } from './insights'
import { benchPredict } from './predict'
import { benchRevenue } from './revenue'
import { benchTracker } from './tracker'

const BENCHES: [string, (filter?: string) => Promise<Record<string, string>>][] = [
  ['Ingest', benchIngest],
  ['Import', benchImport],
  ['Insights', benchInsights],
  ['Revenue', benchRevenue],
  ['Predict', benchPredict],
  ['Forecast', benchForecast],
  ['Alerts', benchAlerts],
  ['Dashboard', benchDashboard],
  ['Tracker', benchTracker],
]

const [only, filter] = process.argv.slice(2)
for (const [name, run] of BENCHES) {
  if (only && !name.toLowerCase().includes(only.toLowerCase())) continue
  console.log(`\n## ${name}\n`)
  const results = await run(filter)
  console.log('| metric | value |\n|---|---|')
  for (const [metric, value] of Object.entries(results)) console.log(`| ${metric} | ${value} |`)
}
