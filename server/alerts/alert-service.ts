/**
 * The alerts of one server process: judges the live figures against the rules every second
 * and whenever events arrive, opens and resolves incidents in Redis, repeats the
 * notification of an incident nobody has acknowledged, and tells the process's walls.
 *
 * Every process against one Redis runs all of this on the same figures. The scripts in
 * incident-store.ts let exactly one of them make each change and queue its notifications;
 * the outbox delivers each notification from whichever process claims it.
 */
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { incidentStatus, type Incident } from '../../shared/alerts.ts'
import type { AlertsMessage } from '../../shared/protocol.ts'
import type { Logger } from '../logger.ts'
import type { AlertKeys } from './alert-keys.ts'
import type { AlertFile, AlertLayer } from './alert-rules.ts'
import { Evaluator, newIncident, type Decision } from './evaluator.ts'
import { IncidentFeed } from './incident-feed.ts'
import { IncidentStore, type QueuedDelivery } from './incident-store.ts'
import { judge, type AlertInputs } from './judge.ts'
import { queueNotices, type NoticeEvent } from './notices.ts'
import { Outbox, type OutboxOptions } from './outbox.ts'
import { buildRuleBook, type RuleBook } from './rule-book.ts'
import { RuleStore } from './rule-store.ts'

export interface AlertServiceOptions {
  /** For commands; the service makes a blocking copy of it for the changes stream. */
  redis: Redis
  keys: AlertKeys
  inputs: AlertInputs
  /** The site's service-level target in percent, the default fire level. */
  targetPercent: number
  /** The rules file, already checked. */
  file: AlertFile
  logger: Logger
  now?: () => number
  /** Evaluate this often by the process's timer; 0 only when evaluate() is called. */
  tickMs?: number
  outbox?: Partial<OutboxOptions>
}

/** Something that receives the alerts messages: a wall's WebSocket. */
export interface AlertClient {
  send(data: string): void
}

/** Events arriving faster than this are judged together. */
const WAKE_MS = 250
const KEEP_HISTORY_MS = 90 * 86_400_000

export class AlertService {
  readonly store: IncidentStore
  readonly #options: AlertServiceOptions
  readonly #now: () => number
  readonly #feed: IncidentFeed
  readonly #outbox: Outbox
  readonly #rules: RuleStore
  readonly #evaluator = new Evaluator()
  readonly #clients = new Set<AlertClient>()
  #book: RuleBook
  #stored: AlertLayer = {}
  #timer: NodeJS.Timeout | undefined
  #wakeTimer: NodeJS.Timeout | undefined
  #round: Promise<void> = Promise.resolve()
  #busy = false
  /** Figures are judged only once started: while the engine rebuilds they are half-read. */
  #started = false
  #stopped = false
  #failing = false
  #shown = ''
  #prunedAt = 0

  constructor(options: AlertServiceOptions) {
    const { redis, keys, logger } = options
    this.#options = options
    this.#now = options.now ?? Date.now
    this.store = new IncidentStore(redis, keys)
    // The feed reports its own failures; this only keeps ioredis from printing them.
    const blocking = redis.duplicate()
    blocking.on('error', () => {})
    this.#feed = new IncidentFeed(this.store, blocking, logger)
    this.#outbox = new Outbox(redis, keys, logger, options.outbox ?? {})
    this.#rules = new RuleStore(redis, keys, logger)
    this.#book = buildRuleBook(options.targetPercent, options.file, {})

    this.#feed.onChange(() => this.#show())
    this.#feed.onRules(() => void this.#reloadRules())
  }

  /** The site's service-level target in percent. */
  get targetPercent(): number {
    return this.#options.targetPercent
  }

  get book(): RuleBook {
    return this.#book
  }

  /** The rules stored through the API (over the file's). */
  get storedRules(): AlertLayer {
    return this.#stored
  }

  async start(): Promise<void> {
    await this.#reloadRules()
    await this.#feed.start()
    this.#outbox.start()
    this.#started = true

    const tickMs = this.#options.tickMs ?? 1000
    if (tickMs > 0) this.#timer = setInterval(() => this.wake(0), tickMs)
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearInterval(this.#timer)
    clearTimeout(this.#wakeTimer)
    await this.#round
    await this.#outbox.stop()
    await this.#feed.stop()
  }

  /** Judges soon: at once when `delayMs` is 0, else events arriving together share a round. */
  wake(delayMs = WAKE_MS): void {
    if (this.#wakeTimer !== undefined || !this.#started || this.#stopped) return
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = undefined
      if (!this.#busy) void this.evaluate()
    }, delayMs)
  }

  /** One round: judge, open and resolve, repeat what is due. Rounds never overlap. */
  evaluate(): Promise<void> {
    this.#round = this.#round.then(() => this.#evaluate())
    return this.#round
  }

  /** The open incidents, oldest first. */
  openIncidents(): Incident[] {
    return [...this.#feed.open.values()].sort((a, b) => a.openedAt - b.openedAt)
  }

  message(): AlertsMessage {
    return { type: 'alerts', asOf: this.#now(), incidents: this.openIncidents() }
  }

  /** Sends the alerts to `client` now and on every change; returns the function that stops. */
  addClient(client: AlertClient): () => void {
    this.#clients.add(client)
    client.send(JSON.stringify(this.message()))
    return () => this.#clients.delete(client)
  }

  async acknowledge(id: string, by: string) {
    const result = await this.store.mark(id, this.#now(), by)
    return this.#marked('incident_acknowledged', id, by, result)
  }

  async snooze(id: string, by: string, minutes: number) {
    const now = this.#now()
    const until = now + minutes * 60_000
    const next = this.#book.repeatMs > 0 ? until : null
    const result = await this.store.mark(id, now, by, { until, next })
    return this.#marked('incident_snoozed', id, by, result)
  }

  /** Checks the rules whole against the file's, stores them, and puts them in force here. */
  async saveRules(layer: AlertLayer): Promise<RuleBook> {
    const book = buildRuleBook(this.#options.targetPercent, this.#options.file, layer)
    await this.#rules.save(layer)
    this.#stored = layer
    this.#book = book
    return book
  }

  async #evaluate(): Promise<void> {
    this.#busy = true
    const now = this.#now()

    try {
      const result = judge(this.#book, this.#options.inputs, now)
      for (const decision of this.#evaluator.step(result, this.#feed.open, now)) {
        await this.#decide(decision, now)
      }
      await this.#repeatDue(now)
      await this.#prune(now)
      this.#recovered()
    } catch (error) {
      if (!this.#failing) {
        this.#options.logger.warn({ event: 'alert_round_failed', component: 'alerts', err: error })
      }
      this.#failing = true
    } finally {
      this.#busy = false
      this.#show()
    }
  }

  async #decide(decision: Decision, now: number): Promise<void> {
    if (decision.kind === 'resolve') {
      const { incident, value } = decision
      const done = {
        ...incident,
        state: 'resolved' as const,
        resolvedAt: now,
        resolvedValue: value,
      }
      const outcome = await this.store.resolve(
        incident,
        now,
        value,
        this.#notices('resolved', done),
      )
      if (outcome.incident !== null) this.#feed.apply(outcome.incident)
      if (outcome.resolved) this.#log('incident_resolved', outcome.incident ?? done)
      return
    }

    const { judgement } = decision
    const incident = newIncident(decision, randomUUID(), now, this.#book.repeatMs)
    const outcome = await this.store.open(incident, this.#notices('opened', incident))
    if (outcome.incident === null) return this.#evaluator.forget(judgement.key)

    this.#feed.apply(outcome.incident)
    if (outcome.status === 'opened') this.#log('incident_opened', incident)
  }

  async #repeatDue(now: number): Promise<void> {
    const repeatMs = this.#book.repeatMs
    if (repeatMs === 0) return

    for (const incident of this.#feed.open.values()) {
      const due = incident.nextRepeatAt !== null && incident.nextRepeatAt <= now
      if (!due || incidentStatus(incident, now) !== 'firing') continue

      const notices = this.#notices('repeat', incident)
      const outcome = await this.store.repeat(incident, now, now + repeatMs, notices)
      if (outcome.incident !== null) this.#feed.apply(outcome.incident)
      if (outcome.repeated) this.#log('incident_repeated', incident)
    }
  }

  #notices(event: NoticeEvent, incident: Incident): QueuedDelivery[] {
    return queueNotices(this.#book.webhooks, event, incident, this.#options.inputs.time.tz)
  }

  #marked(
    event: string,
    id: string,
    by: string,
    result: Awaited<ReturnType<IncidentStore['mark']>>,
  ) {
    if (result.incident !== null) this.#feed.apply(result.incident)
    if (result.status === 'changed') {
      this.#options.logger.info({ event, component: 'alerts', id, by })
    }
    return result
  }

  async #reloadRules(): Promise<void> {
    try {
      const stored = await this.#rules.load()
      this.#book = buildRuleBook(this.#options.targetPercent, this.#options.file, stored)
      this.#stored = stored
    } catch (error) {
      // Stored rules that no longer fit the file (it changed since) are left out, loudly.
      this.#options.logger.error({ event: 'alert_rules_refused', component: 'alerts', err: error })
    }
  }

  async #prune(now: number): Promise<void> {
    if (now - this.#prunedAt < 3600_000) return
    this.#prunedAt = now
    await this.store.prune(now - KEEP_HISTORY_MS)
  }

  #recovered(): void {
    if (this.#failing) {
      this.#options.logger.info({ event: 'alert_round_resumed', component: 'alerts' })
    }
    this.#failing = false
  }

  /** Sends the open incidents to every client when they, or how they stand, changed. */
  #show(): void {
    const now = this.#now()
    const shown = JSON.stringify(
      this.openIncidents().map((incident) => [
        incident.id,
        incident.rev,
        incidentStatus(incident, now),
      ]),
    )
    if (shown === this.#shown) return

    this.#shown = shown
    const body = JSON.stringify(this.message())
    for (const client of this.#clients) client.send(body)
  }

  #log(event: string, incident: Incident): void {
    const { id, key, value, resolvedValue, severity } = incident
    const fields = { event, component: 'alerts', id, key, value, resolvedValue, severity }
    this.#options.logger.info(fields)
    this.#outbox.kick()
  }
}
