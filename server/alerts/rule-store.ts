/**
 * The alert rules set through the API, kept in Redis as one JSON document. Saving also
 * appends a `rules` entry to the changes stream, in the same transaction, so every process
 * reloads them.
 */
import type { Redis } from 'ioredis'
import type { Logger } from '../logger.ts'
import type { AlertKeys } from './alert-keys.ts'
import { AlertLayerSchema, type AlertLayer } from './alert-rules.ts'

export class RuleStore {
  readonly #redis: Redis
  readonly #keys: AlertKeys
  readonly #logger: Logger

  constructor(redis: Redis, keys: AlertKeys, logger: Logger) {
    this.#redis = redis
    this.#keys = keys
    this.#logger = logger
  }

  /** The stored rules; none when nothing is stored or what is stored no longer checks. */
  async load(): Promise<AlertLayer> {
    const raw = await this.#redis.get(this.#keys.rules)
    if (raw === null) return {}

    let parsed
    try {
      parsed = AlertLayerSchema.safeParse(JSON.parse(raw))
    } catch {
      parsed = null
    }
    if (parsed?.success) return parsed.data
    this.#logger.error({ event: 'alert_rules_invalid', component: 'alerts', key: this.#keys.rules })
    return {}
  }

  /** Replaces the stored rules; an empty document removes them. */
  async save(layer: AlertLayer): Promise<void> {
    const empty = Object.keys(layer).length === 0
    const transaction = this.#redis.multi()

    if (empty) transaction.del(this.#keys.rules)
    else transaction.set(this.#keys.rules, JSON.stringify(layer))
    transaction.xadd(this.#keys.changes, 'MAXLEN', '~', 10_000, '*', 'kind', 'rules')

    await transaction.exec()
    this.#logger.info({ event: 'alert_rules_saved', component: 'alerts', empty })
  }
}
