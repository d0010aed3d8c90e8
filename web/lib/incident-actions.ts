/**
 * Acknowledging and snoozing an incident from the managers' page, through the alert API.
 * The page learns the result from the `alerts` message that follows, as every screen does.
 */
export type IncidentAction = { kind: 'acknowledge' } | { kind: 'snooze'; minutes: number }

/** null when done; otherwise the server's reason, to show beside the buttons. */
export async function answerIncident(
  id: string,
  by: string,
  action: IncidentAction,
): Promise<string | null> {
  const body = action.kind === 'snooze' ? { by, minutes: action.minutes } : { by }
  try {
    const response = await fetch(`/api/v1/incidents/${encodeURIComponent(id)}/${action.kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (response.ok) return null

    const answer = (await response.json().catch(() => ({}))) as { error?: unknown }
    return typeof answer.error === 'string' ? answer.error : `HTTP ${response.status}`
  } catch (error) {
    return (error as Error).message
  }
}
