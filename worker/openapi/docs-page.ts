/**
 * `/docs`: the API reference, rendered on the server from the OpenAPI document that
 * `/v1/openapi.json` serves — every operation with its auth, parameters, body fields and
 * answers. No script and nothing from elsewhere: it works offline, on a phone, and under a
 * CSP that allows only its own style.
 */
import { ERRORS, type OpenApiDocument, type Operation } from './document'
import { markup, type Html } from './html'
import type { Auth } from './route-table'
import { fieldRows, notesOf, typeOf, type FieldRow } from './schema-fields'

export const DOCS_CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;color:#1d2330;background:#f6f7f9}
main{max-width:64rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin:2rem 0 .5rem}
h3{font-size:1rem;margin:0 0 .25rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
pre{background:#eef0f4;padding:.5rem;overflow-x:auto;white-space:pre-wrap}
nav ul{padding-left:1.2rem;margin:.25rem 0}
nav a{overflow-wrap:anywhere}
.op{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:.75rem 1rem;margin:.75rem 0}
.method{font-weight:700;text-transform:uppercase;padding:0 .4rem;border-radius:4px;background:#e3e8f2}
.get{background:#dcefe2}.post{background:#dde7fb}.patch{background:#fbefd5}.delete{background:#f9dcdc}
.auth{font-size:.9rem;color:#3c4558}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-top:1px solid #e6e9ef}
td:first-child{white-space:nowrap}
.notes{color:#4a5468;overflow-wrap:anywhere}
@media (max-width:40rem){
thead{display:none}
tr{display:block;border-top:1px solid #e6e9ef;padding:.35rem 0}
td{display:inline;border:0;padding:0 .5rem 0 0}
td:first-child{white-space:normal;font-weight:600}
td.notes{display:block}
}
`

export function authText(auth: Auth): string {
  if (auth === 'none') return 'No key needed.'
  if (auth === 'admin_token') return 'The ADMIN_TOKEN (operators): Authorization: Bearer …'
  if (auth === 'public_or_ingest') {
    return "The site's public key in the body from an allowed origin, or a secret ingest key."
  }
  return `A secret key with the role ${auth.join(' or ')}: Authorization: Bearer sk_…`
}

function fieldsTable(rows: FieldRow[]): Html {
  return markup`<div class="scroll">
    <table>
      <thead>
        <tr>
          <th>field</th>
          <th>type</th>
          <th>required</th>
          <th>notes</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            markup`<tr>
              <td><code>${r.name}</code></td>
              <td>${r.type}</td>
              <td>${r.required ? 'required' : ''}</td>
              <td class="notes">${r.notes.join('; ')}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`
}

/** Text with `code` spans, as the route table writes field names. */
function prose(text: string): Html[] {
  return text.split('`').map((part, i) => (i % 2 ? markup`<code>${part}</code>` : markup`${part}`))
}

const ERROR_TEXT = new Map(
  Object.values(ERRORS).map((e) => [
    `#/components/responses/${e.name}`,
    `${e.name}: ${e.description}`,
  ]),
)

function operation(method: string, path: string, op: Operation): Html {
  const params = op.parameters.map((p) => ({
    name: `${p.name} (${p.in})`,
    type: typeOf(p.schema),
    required: p.required,
    notes: [...(p.description ? [p.description] : []), ...notesOf(p.schema)],
  }))
  const body = op.requestBody?.content['application/json']
  return markup`<section
    class="op"
    id="${op.operationId}"
    data-method="${method}"
    data-path="${path}"
  >
    <h3><span class="method ${method}">${method}</span><code>${path}</code></h3>
    <p>${prose(op.summary)}</p>
    ${op.description ? markup`<p>${prose(op.description)}</p>` : ''}
    <p class="auth"><strong>Auth:</strong> ${authText(op['x-auth'])}</p>
    ${
      params.length
        ? markup`<h4>Parameters</h4>
            ${fieldsTable(params)}`
        : ''
    }
    ${
      body
        ? markup`<h4>Body</h4>
            ${fieldsTable(fieldRows(body.schema))}`
        : ''
    }
    ${
      body?.example === undefined
        ? ''
        : markup`<h4>Example body</h4>
            <pre>${JSON.stringify(body.example, null, 2)}</pre>`
    }
    <h4>Answers</h4>
    <ul>
      ${Object.entries(op.responses).map(
        ([status, r]) =>
          markup`<li>
            <code class="status">${status}</code> ${'$ref' in r ? ERROR_TEXT.get(r.$ref) : prose(r.description)}
          </li>`,
      )}
    </ul>
  </section>`
}

export function docsPage(doc: OpenApiDocument): string {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op: op! })),
  )
  const tags = doc.tags.map((t) => t.name)
  return String(
    markup`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>${doc.info.title}</title>
          <style>${DOCS_CSS}</style>
        </head>
        <body>
          <main>
            <h1>${doc.info.title}</h1>
            <p>${doc.info.description}</p>
            <p>Machine-readable: <a href="/v1/openapi.json">/v1/openapi.json</a> (OpenAPI 3.1).</p>
            <nav>
              <h2>Routes</h2>
              ${tags.map(
                (tag) =>
                  markup`<strong>${tag}</strong>
                    <ul>
                      ${ops
                        .filter((o) => o.op.tags[0] === tag)
                        .map(
                          (o) =>
                            markup`<li>
                              <a href="#${o.op.operationId}">${o.method.toUpperCase()} ${o.path}</a>
                            </li>`,
                        )}
                    </ul>`,
              )}
            </nav>
            ${doc.tags.map(
              (tag) =>
                markup`<h2>${tag.name}</h2>
                  <p>${tag.description}</p>
                  ${ops
                    .filter((o) => o.op.tags[0] === tag.name)
                    .map((o) => operation(o.method, o.path, o.op))}`,
            )}
          </main>
        </body>
      </html>`,
  )
}
