// A notebook as one JSON file. The file names its format and schema version so a later lab can
// read it (or refuse it clearly); cell parameters are checked by each kind's own schema, so an
// imported notebook reopens exactly as it was exported. Parsing never touches storage: a bad file
// is rejected before anything changes.
import * as v from 'valibot'
import type { Result } from '../../../shared/result.ts'
import { err, ok } from '../../../shared/result.ts'
import type { CellDoc, NotebookDoc } from './types.ts'

export const NOTEBOOK_FORMAT = 'upbit-lab-notebook'
export const NOTEBOOK_SCHEMA_VERSION = 1

export interface NotebookFile {
  readonly format: typeof NOTEBOOK_FORMAT
  readonly version: number
  readonly exportedAt: string
  readonly notebook: { readonly title: string; readonly cells: readonly CellDoc[] }
}

/** Looks up a kind's parameter schema; undefined for an unknown kind. */
export type ParamsSchemaOf = (kind: string) => v.GenericSchema | undefined

const UiValue = v.union([v.pipe(v.string(), v.maxLength(200)), v.pipe(v.number(), v.finite()), v.boolean(), v.null()])

const Cell = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a short id of letters, digits, - or _')),
  kind: v.string(),
  title: v.pipe(v.string(), v.maxLength(200)),
  collapsed: v.boolean(),
  params: v.unknown(),
  ui: v.optional(
    v.pipe(
      v.record(v.pipe(v.string(), v.maxLength(64)), UiValue),
      v.check((o) => Object.keys(o).length <= 32, 'at most 32 view settings'),
    ),
  ),
})

const FileShape = v.strictObject({
  format: v.literal(NOTEBOOK_FORMAT),
  version: v.literal(NOTEBOOK_SCHEMA_VERSION),
  exportedAt: v.string(),
  notebook: v.strictObject({ title: v.pipe(v.string(), v.maxLength(200)), cells: v.pipe(v.array(Cell), v.maxLength(1000)) }),
})

export function toNotebookFile(doc: NotebookDoc, exportedMs: number): NotebookFile {
  return {
    format: NOTEBOOK_FORMAT,
    version: NOTEBOOK_SCHEMA_VERSION,
    exportedAt: new Date(exportedMs).toISOString(),
    notebook: {
      title: doc.title,
      cells: doc.cells.map((c) => ({
        id: c.id,
        kind: c.kind,
        title: c.title,
        collapsed: c.collapsed,
        params: c.params,
        ...(c.ui === undefined ? {} : { ui: c.ui }),
      })),
    },
  }
}

export const fileName = (doc: NotebookDoc): string =>
  `${doc.title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'notebook'}.notebook.json`

/** Why a file was refused, in words for the user. */
export interface BadNotebookFile {
  readonly kind: 'bad_notebook_file'
  readonly message: string
}

const bad = (message: string): { readonly ok: false; readonly error: BadNotebookFile } => err({ kind: 'bad_notebook_file', message })

const issueText = (issue: v.BaseIssue<unknown>): string => {
  const path = v.getDotPath(issue)
  return path === null ? issue.message : `${path}: ${issue.message}`
}

/** Parses a file's text into a notebook's title and cells, or says plainly what is wrong. */
export function parseNotebookFile(
  text: string,
  paramsSchemaOf: ParamsSchemaOf,
): Result<{ title: string; cells: CellDoc[] }, BadNotebookFile> {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return bad('This file is not valid JSON, so it is not a notebook export.')
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== NOTEBOOK_FORMAT) {
    return bad(`This JSON file is not a notebook export (it has no "format": "${NOTEBOOK_FORMAT}").`)
  }
  const version = (raw as { version?: unknown }).version
  if (typeof version === 'number' && version > NOTEBOOK_SCHEMA_VERSION) {
    return bad(
      `This notebook was saved by a newer lab (schema version ${version}); this lab reads version ${NOTEBOOK_SCHEMA_VERSION}. Update the lab.`,
    )
  }
  const shape = v.safeParse(FileShape, raw)
  if (!shape.success) return bad(`The notebook file is damaged: ${issueText(shape.issues[0])}.`)
  const cells: CellDoc[] = []
  const seen = new Set<string>()
  for (const [i, c] of shape.output.notebook.cells.entries()) {
    const schema = paramsSchemaOf(c.kind)
    if (schema === undefined) return bad(`Cell ${i + 1} is of kind "${c.kind}", which this lab does not know.`)
    if (seen.has(c.id)) return bad(`Cell ${i + 1} repeats the id "${c.id}" of an earlier cell.`)
    seen.add(c.id)
    const params = v.safeParse(schema, c.params)
    if (!params.success) return bad(`Cell ${i + 1} (${c.kind}) has bad inputs: ${issueText(params.issues[0])}.`)
    cells.push({
      id: c.id,
      kind: c.kind,
      title: c.title,
      collapsed: c.collapsed,
      params: params.output,
      ...(c.ui === undefined ? {} : { ui: c.ui }),
    })
  }
  return ok({ title: shape.output.notebook.title, cells })
}
