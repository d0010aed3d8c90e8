/**
 * Redis keys of the alerts, under the same `{prefix}` hash tag as every other key of ours,
 * so the scripts that touch several of them run on one Redis Cluster slot.
 */
export interface AlertKeys {
  /** One incident: a hash of its fields (incident-codec.ts). */
  incident(id: string): string
  /** Incident key → id of its open incident: at most one open per key. */
  open: string
  /** Incident key → epoch ms its last incident resolved, to recognise a breach covered. */
  resolved: string
  /** Every incident's id, scored by the time it opened. */
  history: string
  /** Every change of an incident or of the rules, for the other processes to follow. */
  changes: string
  /** Webhook deliveries due: id scored by the epoch ms it is due (or its lease ends). */
  outbox: string
  /** Webhook delivery id → JSON of the delivery. */
  deliveries: string
  /** The rules set through the API, one JSON document. */
  rules: string
}

export function alertKeysFor(prefix: string): AlertKeys {
  const tag = `{${prefix}}:alerts`
  return {
    incident: (id) => `${tag}:incident:${id}`,
    open: `${tag}:open`,
    resolved: `${tag}:resolved`,
    history: `${tag}:history`,
    changes: `${tag}:changes`,
    outbox: `${tag}:outbox`,
    deliveries: `${tag}:deliveries`,
    rules: `${tag}:rules`,
  }
}
