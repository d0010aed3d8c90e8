/**
 * The rules in force: the built-in defaults (80/20 and the domain spec's), with the rules
 * file laid over them and the rules stored through the API over that. Within the result a
 * queue's own rules win over the defaults, whichever source set either, so a file that
 * makes 报修热线 stricter stays so when someone changes the defaults through the API.
 */
import { QUEUE_RULES, type QueueRuleName } from '../../shared/alerts.ts'
import { InputError } from '../errors.ts'
import type {
  AgentRule,
  AlertFile,
  AlertLayer,
  FeedRule,
  QueueRule,
  QueueRules,
  Webhook,
} from './alert-rules.ts'
import { own } from '../../shared/own.ts'

export interface RuleBook {
  /** The site's target in percent the built-in service-level rule was made from. */
  targetPercent: number
  /** Repeat interval of an unacknowledged incident's notification; 0 for none. */
  repeatMs: number
  defaults: QueueRules
  /** Queues with rules of their own, resolved over the defaults. */
  queues: Record<string, QueueRules>
  allQueues: QueueRules
  feedSilent: FeedRule
  agents: { notReady: AgentRule; adherence: AgentRule }
  webhooks: Webhook[]
}

/** The pending period of the rules that read calls waiting and agents' states. */
const SETTLE_SECONDS = 10

/**
 * The rules that ship. Service level fires below the site's target (CALLBOARD_TARGET, 80 %)
 * over the last 30 minutes, held for a minute with at least 10 calls offered, and clears
 * at 2 points above it.
 */
export function builtInLayer(targetPercent: number): Required<AlertLayer> {
  const rule = (fields: Omit<QueueRule, 'enabled' | 'window'>): QueueRule => ({
    enabled: true,
    window: '30m',
    ...fields,
  })
  const defaults: QueueRules = {
    serviceLevel: rule({
      fire: targetPercent,
      clear: Math.min(100, targetPercent + 2),
      minVolume: 10,
      pendingSeconds: 60,
      severity: 'critical',
    }),
    callsWaiting: rule({
      fire: 5,
      clear: 2,
      minVolume: 0,
      pendingSeconds: 30,
      severity: 'warning',
    }),
    // A few seconds' pending for the rules that read calls and agents as the last events
    // left them: a backlog sent in several requests (a tailer catching up) may hold a call's
    // ENTERQUEUE and CONNECT, or an agent's pause and unpause, in two requests, and between
    // them the call seems to have waited, the agent to have paused, since long ago.
    longestWait: rule({
      fire: 120,
      clear: 60,
      minVolume: 0,
      pendingSeconds: SETTLE_SECONDS,
      severity: 'warning',
    }),
    abandonRate: rule({
      fire: 10,
      clear: 8,
      minVolume: 10,
      pendingSeconds: 60,
      severity: 'warning',
    }),
  }
  const off = Object.fromEntries(QUEUE_RULES.map((name) => [name, { enabled: false }]))

  return {
    repeatMinutes: 30,
    defaults,
    queues: {},
    allQueues: off,
    feedSilent: {
      enabled: true,
      fire: 300,
      clear: 60,
      minVolume: 1,
      pendingSeconds: 0,
      severity: 'critical',
      hours: [],
    },
    // The limits are the agent rules' (15 min not ready, lunch 60; 5 min out of adherence);
    // one per agent is for the wall and the API, not for a group chat, unless asked.
    agents: {
      notReady: { enabled: true, pendingSeconds: SETTLE_SECONDS, severity: 'info' },
      adherence: { enabled: true, pendingSeconds: SETTLE_SECONDS, severity: 'info' },
    },
  }
}

/** Lays `over` on `under`, rule by rule and field by field. */
export function mergeLayers(under: AlertLayer, over: AlertLayer): AlertLayer {
  const queueNames = new Set([
    ...Object.keys(under.queues ?? {}),
    ...Object.keys(over.queues ?? {}),
  ])

  return {
    repeatMinutes: over.repeatMinutes ?? under.repeatMinutes,
    defaults: mergeQueueRules(under.defaults, over.defaults),
    queues: Object.fromEntries(
      [...queueNames].map((name) => [
        name,
        mergeQueueRules(under.queues?.[name], over.queues?.[name]),
      ]),
    ),
    allQueues: mergeQueueRules(under.allQueues, over.allQueues),
    feedSilent: { ...under.feedSilent, ...over.feedSilent },
    agents: {
      notReady: { ...under.agents?.notReady, ...over.agents?.notReady },
      adherence: { ...under.agents?.adherence, ...over.agents?.adherence },
    },
  }
}

type QueueRulesLayer = NonNullable<AlertLayer['defaults']>

function mergeQueueRules(under?: QueueRulesLayer, over?: QueueRulesLayer): QueueRulesLayer {
  return Object.fromEntries(
    QUEUE_RULES.map((name) => [name, { ...under?.[name], ...over?.[name] }]),
  )
}

/**
 * The rules in force, checked as a whole: each resolved rule's clear level must lie on the
 * recovered side of its fire level. Throws an InputError naming the field.
 */
export function buildRuleBook(targetPercent: number, file: AlertFile, stored: AlertLayer) {
  const { webhooks = [], ...fileLayer } = file
  const layer = mergeLayers(mergeLayers(builtInLayer(targetPercent), fileLayer), stored)
  const defaults = resolveQueueRules(layer.defaults, undefined, 'defaults')

  const book: RuleBook = {
    targetPercent,
    repeatMs: (layer.repeatMinutes ?? 0) * 60_000,
    defaults,
    queues: Object.fromEntries(
      Object.entries(layer.queues ?? {}).map(([name, own]) => [
        name,
        resolveQueueRules(layer.defaults, own, `queues.${name}`),
      ]),
    ),
    allQueues: resolveQueueRules(layer.defaults, layer.allQueues, 'allQueues'),
    feedSilent: layer.feedSilent as FeedRule,
    agents: layer.agents as RuleBook['agents'],
    webhooks,
  }

  const feed = book.feedSilent
  if (feed.clear >= feed.fire) {
    throw new InputError(
      `clear ${feed.clear} s must be below fire ${feed.fire} s: the feed recovers when ` +
        'silence falls back under it',
      undefined,
      'feedSilent.clear',
    )
  }
  return book
}

/** The rules of one queue: its own over the defaults. */
export function queueRules(book: RuleBook, queue: string): QueueRules {
  return own(book.queues, queue) ?? book.defaults
}

function resolveQueueRules(
  defaults: QueueRulesLayer | undefined,
  own: QueueRulesLayer | undefined,
  where: string,
): QueueRules {
  const rules = {} as QueueRules

  for (const name of QUEUE_RULES) {
    const rule = { ...defaults?.[name], ...own?.[name] } as QueueRule
    checkDirection(name, rule, `${where}.${name}`)
    rules[name] = rule
  }
  return rules
}

// Service level fires low and recovers high; the others fire high and recover low. A clear
// level on the wrong side would resolve an incident in the same breath as it opened.
function checkDirection(name: QueueRuleName, rule: QueueRule, where: string): void {
  if (name === 'serviceLevel' && rule.clear < rule.fire) {
    throw new InputError(
      `clear ${rule.clear} must be at least fire ${rule.fire}: service level clears at or ` +
        'above it',
      undefined,
      `${where}.clear`,
    )
  }
  if (name !== 'serviceLevel' && rule.clear >= rule.fire) {
    throw new InputError(
      `clear ${rule.clear} must be below fire ${rule.fire}: ${name} clears at or below it`,
      undefined,
      `${where}.clear`,
    )
  }
}
