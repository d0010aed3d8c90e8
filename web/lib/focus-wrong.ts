/**
 * After a refused save, the keyboard goes to the first wrong field, so nobody has to hunt
 * for it with Tab. Both managers' editors (Screens, Settings) mark a wrong field's label or
 * cell with `data-wrong`; the marks are drawn on the next tick, hence the wait.
 */
import { tick } from 'svelte'

/** Focuses the first marked field within `editor`; false when none is marked. */
export async function focusFirstWrong(editor: HTMLElement | undefined): Promise<boolean> {
  await tick()
  const field = editor?.querySelector<HTMLElement>('[data-wrong] :is(input, select)')
  field?.focus()
  return field != null
}
