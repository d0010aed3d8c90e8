/**
 * Where a refused screen save belongs in the editor. The server names each wrong field by its
 * path (`rotationSeconds`, `pages.1.queues.0`) and repeats the first at the head of its
 * message ("field rotationSeconds: …"); the editor shows the words once, beside that field.
 */

/** The editor's controls a refusal can point at. */
export type ScreenControl = 'rotationSeconds' | 'theme' | 'language'
export type PageControl = 'kind' | 'window' | 'queues' | 'teams' | 'figures' | 'total'

export type RefusalPlace =
  { page: null; control: ScreenControl } | { page: number; control: PageControl }

export interface PlacedRefusal {
  /** The path the server named, if any. */
  field: string | undefined
  /** The control to mark and focus; null when no one control is wrong (a conflict, say). */
  place: RefusalPlace | null
  /** What was wrong, without the field's name repeated. */
  message: string
}

const SCREEN_CONTROLS: readonly string[] = ['rotationSeconds', 'theme', 'language']
const PAGE_CONTROLS: readonly string[] = ['kind', 'window', 'queues', 'teams', 'figures', 'total']

/** Every wrong field of a refusal, or its one message when it names no list of them. */
export function placeRefusals(refusal: {
  error: string
  field?: string
  problems?: { field: string; message: string }[]
}): PlacedRefusal[] {
  const problems = refusal.problems?.length
    ? refusal.problems
    : [{ field: refusal.field, message: refusal.error }]
  return problems.map((problem) => placeRefusal(problem.field, problem.message))
}

export function placeRefusal(field: string | undefined, error: string): PlacedRefusal {
  return { field, place: placeOf(field), message: withoutField(error, field) }
}

function placeOf(field: string | undefined): RefusalPlace | null {
  if (field === undefined) return null
  if (SCREEN_CONTROLS.includes(field)) return { page: null, control: field as ScreenControl }

  // A page's field, or an item of one of its lists: pages.<index>.<control>[.<item>].
  const [head, index, control] = field.split('.')
  if (head !== 'pages' || index === undefined || !/^\d+$/.test(index)) return null
  if (control === undefined || !PAGE_CONTROLS.includes(control)) return null
  return { page: Number(index), control: control as PageControl }
}

function withoutField(error: string, field: string | undefined): string {
  const stripped = error.replace(/^(?:line \d+, )?field \S+: /, '')
  if (field !== undefined && stripped.startsWith(`${field}: `)) {
    return stripped.slice(field.length + 2)
  }
  return stripped
}
