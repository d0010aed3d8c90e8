/**
 * Decides when an incident opens and when it resolves. A rule must hold for its whole
 * pending period before an incident opens; while the incident is open, only a value past
 * the clear level resolves it, so a value wobbling around the fire level opens nothing new
 * (hysteresis). Incidents themselves live in Redis and are shared by every server process;
 * this keeps only when each current breach began, so the caller passes the open incidents
 * in and writes the decisions out.
 */
import type { Incident } from '../../shared/alerts.ts'
import type { JudgeResult, Judgement } from './judge.ts'

export type Decision =
  | { kind: 'open'; judgement: Judgement; since: number }
  | { kind: 'resolve'; incident: Incident; value: number | null }

export class Evaluator {
  /** When each breach without an incident began, by incident key. */
  readonly #pendingSince = new Map<string, number>()

  /** What to change at `now`, given the judgements and the incidents open by key. */
  step(result: JudgeResult, open: ReadonlyMap<string, Incident>, now: number): Decision[] {
    const decisions: Decision[] = []
    const judged = new Set<string>()

    for (const judgement of result.judgements) {
      judged.add(judgement.key)
      const incident = open.get(judgement.key)

      if (incident !== undefined) {
        this.#pendingSince.delete(judgement.key)
        if (judgement.recovered)
          decisions.push({ kind: 'resolve', incident, value: judgement.value })
        continue
      }
      if (!judgement.breaching) {
        this.#pendingSince.delete(judgement.key)
        continue
      }

      const since = this.#pendingSince.get(judgement.key) ?? now
      this.#pendingSince.set(judgement.key, since)
      if (now - since >= judgement.pendingMs) decisions.push({ kind: 'open', judgement, since })
    }

    for (const [key, incident] of open) {
      if (judged.has(key) || !result.complete.has(incident.rule)) continue
      decisions.push({ kind: 'resolve', incident, value: null })
    }
    for (const key of this.#pendingSince.keys()) {
      if (!judged.has(key)) this.#pendingSince.delete(key)
    }
    return decisions
  }

  /**
   * Forgets a breach: another process already had an incident for it, which has since
   * resolved. If the rule still holds, its pending period starts again from the next step.
   */
  forget(key: string): void {
    this.#pendingSince.delete(key)
  }

  /** When the breach of `key` began, if one is pending. */
  pendingSince(key: string): number | undefined {
    return this.#pendingSince.get(key)
  }
}

/** The incident an open decision makes, as it is first stored. */
export function newIncident(
  decision: Extract<Decision, { kind: 'open' }>,
  id: string,
  now: number,
  repeatMs: number,
): Incident {
  const { judgement } = decision
  return {
    id,
    key: judgement.key,
    rule: judgement.rule,
    scope: judgement.scope,
    subject: judgement.subject,
    label: judgement.label,
    severity: judgement.severity,
    state: 'open',
    unit: judgement.unit,
    window: judgement.window,
    fire: judgement.fire,
    clear: judgement.clear,
    breachSince: decision.since,
    openedAt: now,
    value: judgement.value ?? 0,
    acknowledgedAt: null,
    acknowledgedBy: null,
    snoozedAt: null,
    snoozedBy: null,
    snoozedUntil: null,
    resolvedAt: null,
    resolvedValue: null,
    notifications: 1,
    nextRepeatAt: repeatMs > 0 ? now + repeatMs : null,
    rev: 1,
  }
}
