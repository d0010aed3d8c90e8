/**
 * What the events say about one agent, and the one canonical state that follows from it.
 * queue_log spreads an agent's state over many lines (logins, queue memberships, pauses per
 * queue, calls); a JSON integration may say it outright with `agent.state`. Whichever of a
 * pause and a reported state came last decides between them; a call in progress overrides
 * both, because queue_log reports no "talking" of its own.
 */
import type { AgentStateName } from '../../shared/agent-figures.ts'

/** Key of a pause that covers every queue (PAUSEALL, or PAUSE with no queue). */
export const ALL_QUEUES = '\u0000all'

export interface StateAndReason {
  state: AgentStateName
  reason: string | null
}

/** States a JSON source may report during a queue call without the call overriding them. */
const CALL_STATES: readonly AgentStateName[] = ['talking', 'hold', 'wrap_up']

export class AgentStatus {
  /** Logged in by AGENTLOGIN / AGENTCALLBACKLOGIN, or by a reported state. */
  #session = false
  readonly #memberships = new Set<string>()
  /** Paused queues (or ALL_QUEUES) and the reason of the latest pause. */
  readonly #pauses = new Set<string>()
  #pauseReason: string | null = null
  /** The latest `agent.state`, unless a pause came after it. */
  #reported: StateAndReason | null = null
  readonly #calls = new Set<string>()
  readonly #outbound = new Set<string>()

  get loggedIn(): boolean {
    return this.#session || this.#memberships.size > 0 || this.#calls.size > 0
  }

  login(): void {
    this.#session = true
  }

  /**
   * Logged off: memberships, pauses and outbound dialling end. A queue call in progress
   * goes on until its end line (agents do log off mid-call), the agent talking till then.
   */
  logoff(): void {
    this.#session = false
    this.#memberships.clear()
    this.#pauses.clear()
    this.#reported = null
    this.#outbound.clear()
  }

  /** The PBX restarted: no call survives that, whether or not its end was logged. */
  dropCalls(): void {
    this.#calls.clear()
    this.#outbound.clear()
  }

  addMember(queue: string): void {
    this.#memberships.add(queue)
  }

  removeMember(queue: string): void {
    this.#memberships.delete(queue)
    this.#pauses.delete(queue)
  }

  /** Pauses one queue, or all of them (queue = ALL_QUEUES). */
  pause(queue: string, reason: string | null): void {
    if (queue === ALL_QUEUES) for (const member of this.#memberships) this.#pauses.add(member)
    this.#pauses.add(queue)
    this.#pauseReason = reason
    this.#reported = null
  }

  unpause(queue: string): void {
    if (queue === ALL_QUEUES) this.#pauses.clear()
    this.#pauses.delete(queue)
    this.#pauses.delete(ALL_QUEUES)
    this.#reported = null
  }

  report(state: AgentStateName, reason: string | null): void {
    if (state === 'logged_out') {
      this.logoff()
      this.#calls.clear()
      return
    }

    this.#session = true
    this.#reported = { state, reason }
    this.#pauses.clear()
  }

  answer(call: string, queue: string): void {
    this.#calls.add(call)
    // Only a member can take a queue's call: a static member shows up this way.
    this.#memberships.add(queue)
  }

  hangUp(call: string): void {
    this.#calls.delete(call)
  }

  /** An outbound call starts; ignored while logged out, where it is no agent work. */
  dial(call: string): void {
    if (this.loggedIn) this.#outbound.add(call)
  }

  dialEnded(call: string): void {
    this.#outbound.delete(call)
  }

  /** The canonical state now. `isWrapReason` tells a wrap-up pause from a not-ready one. */
  current(isWrapReason: (reason: string) => boolean): StateAndReason {
    if (!this.loggedIn) return { state: 'logged_out', reason: null }

    const reported = this.#reported
    if (this.#calls.size > 0) {
      const during = reported !== null && CALL_STATES.includes(reported.state)
      return during ? reported : { state: 'talking', reason: null }
    }
    if (this.#outbound.size > 0) return { state: 'outbound', reason: null }

    if (this.#isPausedEverywhere()) {
      const reason = this.#pauseReason
      if (reason !== null && isWrapReason(reason)) return { state: 'wrap_up', reason: null }
      return { state: 'not_ready', reason }
    }
    return reported ?? { state: 'available', reason: null }
  }

  // Paused in one queue but not another, an agent still takes the other queue's calls.
  #isPausedEverywhere(): boolean {
    if (this.#pauses.has(ALL_QUEUES)) return true
    if (this.#pauses.size === 0) return false

    for (const queue of this.#memberships) if (!this.#pauses.has(queue)) return false
    return true
  }
}
