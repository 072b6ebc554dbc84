/**
 * CSV as RFC 4180 writes it, safe to open in a spreadsheet: a text cell that starts with
 * = + - @, a tab or a carriage return would run as a formula (CSV injection), so it gets a
 * leading apostrophe, which spreadsheets show as text. Numbers are written as they are.
 */
const FORMULA = /^[=+\-@\t\r]/
const QUOTE = /[",\r\n]/

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return String(value)
  let text = String(value)
  if (FORMULA.test(text)) text = `'${text}`
  return QUOTE.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One record, CRLF-terminated as RFC 4180 says. */
export function csvLine(values: unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n'
}
