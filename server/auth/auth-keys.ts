/**
 * Redis keys of access control, under the same `{prefix}` hash tag as every other key, so
 * the scripts that touch several of them run on one Redis Cluster slot.
 */
export interface AuthKeys {
  /** sha-256 of a token (hex) → JSON of its record. The token itself is never stored. */
  tokens: string
  /** Token id → its hash, to revoke by id. */
  tokenIds: string
  /** Token id → epoch ms it was last used. */
  lastSeen: string
  /** A pairing code not yet used (key: its hash), with its scope; expires by itself. */
  pairing(codeHash: string): string
  /** A token bucket: the rate limit of one token, or of pairing tries from one address. */
  bucket(name: string): string
}

export function authKeysFor(prefix: string): AuthKeys {
  const tag = `{${prefix}}:auth`
  return {
    tokens: `${tag}:tokens`,
    tokenIds: `${tag}:token-ids`,
    lastSeen: `${tag}:last-seen`,
    pairing: (codeHash) => `${tag}:pairing:${codeHash}`,
    bucket: (name) => `${tag}:bucket:${name}`,
  }
}
