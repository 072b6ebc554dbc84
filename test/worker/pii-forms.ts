/**
 * PII written the ways a security review wrote it to get past the guard (issue 12): cards with
 * any separator, invisible characters, fullwidth and other digits; IBANs with dashes, dots or
 * in lower case; emails percent-encoded. `secret` is what must never be found in storage, in
 * any spelling; ordinary values that must pass untouched follow.
 */
export type Planted = { form: string; secret: string }

const card = (secret: string, ...forms: string[]) => forms.map((form) => ({ form, secret }))
const ZWSP = '\u200B'
const fullwidth = (s: string) =>
  s.replace(/[0-9A-Za-z@ -]/g, (c) =>
    c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0),
  )
const arabicIndic = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x660 + +d))
const boldDigits = (s: string) => s.replace(/\d/g, (d) => String.fromCodePoint(0x1d7ce + +d))
const percentAll = (s: string) =>
  [...s].map((c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()).join('')

export const PLANTED: Planted[] = [
  ...card(
    '4000056655665556',
    '4000.0566.5566.5556',
    '4000_0566_5566_5556',
    '4000/0566/5566/5556',
    '4000  0566  5566  5556',
    '4000\t0566\t5566\t5556',
    `4000${ZWSP}0566${ZWSP}5566${ZWSP}5556`,
    fullwidth('4000 0566 5566 5556'),
    'pan:4000.0566.5566.5556;',
    percentAll('4000056655665556'),
  ),
  ...card(
    '5200828282828210',
    '5200\u200C8282\u200D8282\u20608210',
    '5200\uFEFF8282\u00AD8282\u00AD8210',
    fullwidth('5200828282828210'),
    fullwidth('5200-8282-8282-8210'),
    '5200\u00A08282\u00A08282\u00A08210',
    '5200 . 8282 . 8282 . 8210',
  ),
  ...card(
    '378282246310005',
    '3782.822463.10005',
    '3782_822463_10005',
    '3782%20822463%2010005',
    arabicIndic('378282246310005'),
  ),
  ...card(
    '6011111111111117',
    '6011 - 1111 - 1111 - 1117',
    boldDigits('6011111111111117'),
    '6011-1111-1111-1117',
    `6${ZWSP}0${ZWSP}1${ZWSP}1${ZWSP}1111${ZWSP}1111${ZWSP}1117`,
  ),
  ...card('6011000990139000007', '6011.0009.9013.9000.007', 'ref 12.6011_0009_9013_9000_007'),
  ...card(
    'GB82WEST12345698765432',
    'GB82-WEST-1234-5698-7654-32',
    'GB82.WEST.1234.5698.7654.32',
    'GB82/WEST/1234/5698/7654/32',
    'gb82west12345698765432',
    'gb82 west 1234 5698 7654 32',
    'iban:gb82-west-1234-5698-7654-32',
    'iban_GB82-WEST-1234-5698-7654-32',
    fullwidth('GB82WEST12345698765432'),
  ),
  ...card('NL91ABNA0417164300', 'nl91-abna-0417-1643-00', 'NL91_ABNA_0417_1643_00'),
  ...card('FR1420041010050500013M02606', 'fr14.2004.1010.0505.0001.3m02.606'),
  ...card('ES9121000418450200051332', 'ES91  2100  0418  4502  0005  1332'),
  ...card('BE68539007547034', `BE68${ZWSP}5390${ZWSP}0754${ZWSP}7034`),
  ...card('CH9300762011623852957', 'ch93%200076%202011%206238%205295%207'),
  ...card('NO9386011117947', 'no93 8601 1117 947'),
  ...card(
    'jane.roe@northwind.test',
    'jane.roe%40northwind.test',
    'JANE.ROE%40NORTHWIND.TEST',
    'jane.roe%2540northwind.test',
    'jane.roe\uFF20northwind.test',
    'jane.roe\uFE6Bnorthwind.test',
    `jane${ZWSP}.roe@northwind.test`,
    `jane.roe@northwind${ZWSP}.test`,
    'mailto%3Ajane.roe%40northwind.test',
    'jane.roe%40northwind%2Etest',
    percentAll('jane.roe@northwind.test'),
    '/users/jane.roe%40northwind.test/settings',
  ),
  ...card('12345678', `1234${ZWSP}5678`, fullwidth('12345678'), '1234\u00AD5678'),
]

/** Values analytics carries every day that look a little like PII and are not. */
export const ORDINARY = [
  '2026-12-03',
  '2026-12-03T10:15:30Z',
  '2026/12/03',
  '03.12.2026',
  '2026-12-03/2026-12-04',
  '9b2f6c1e-4d3a-4f8b-a1c2-7e5d9f0b3a64',
  'ab12f6c1-4d3a-4f8b-a1c2-7e5d9f0b3a64',
  'de89c6a2-1b4e-4c7a-9f10-2b3c4d5e6f70',
  'ab12f6c14d3a4f8ba1c27e5d9f0b3a64',
  '1.2.3',
  '10.15.7',
  'v2.14.0-beta.3',
  '42.50',
  '1,299.00',
  '19.99 USD',
  '/accounts/123',
  '/accounts/123/transactions/456',
  '/reports/2026/12/03',
  '+44 20 7946 0958',
  '100%',
  '50%off',
  '%E0%A4%A',
  'caf%C3%A9',
  'mfa_timeout',
  'first_example_bank',
  'en-GB',
]
