/**
 * One person, many names. queue_log names a queue member by how it joined the queue:
 * `PJSIP/1001`, `SIP/1001`, `Local/1001@agents/n` or `Agent/1001` may all be agent 1001, and
 * one person in several queues is one agent. The alias table (the roster's `aliases`) names
 * the exceptions; everything else is read by the rule below.
 */

/** `Tech/name[@context][/n]`: the technology and the bare name, for channel-style members. */
const CHANNEL_MEMBER = /^[A-Za-z][\w-]*\/([^@/;]+)/

/**
 * The agent id a member name stands for when no alias says otherwise: the name after the
 * technology, without the dial context. A name with no technology (an id sent by a JSON
 * integration, `wang.fang`, `alice@example.com`) is taken as it is.
 */
export function normaliseMember(member: string): string {
  const trimmed = member.trim()
  const match = CHANNEL_MEMBER.exec(trimmed)

  return match?.[1] ?? trimmed
}

/**
 * Builds the function that maps a member name to its agent id. An alias for the exact
 * member name wins, then an alias for its normalised form, then the normalised form.
 */
export function memberResolver(aliases: ReadonlyMap<string, string>): (member: string) => string {
  return (member) => {
    const exact = aliases.get(member.trim())
    if (exact !== undefined) return exact

    const normalised = normaliseMember(member)
    return aliases.get(normalised) ?? normalised
  }
}
