import { describe, expect, it } from 'vitest'
import type { AgentRow } from '../../shared/agent-protocol.ts'
import { elapsedMs, orderAgents } from '../../web/lib/agent-cells.ts'
import { parseAgentMessage } from '../../web/lib/agent-messages.ts'
import { agentSocketUrl, isAgentView, parseAgentParams } from '../../web/lib/agent-params.ts'

function row(id: string, state: AgentRow['state'], overrunSince?: number): AgentRow {
  return {
    id,
    name: id,
    team: null,
    queues: [],
    state,
    reason: null,
    since: 0,
    figures: {} as AgentRow['figures'],
    adherence: {} as AgentRow['adherence'],
    overrun:
      overrunSince === undefined
        ? null
        : { kind: 'not_ready', since: overrunSince, limitMs: 900_000 },
  }
}

describe('agent board order', () => {
  it('puts overruns first (longest first), then logged-in agents by id, logged-out last', () => {
    const rows = [
      row('10', 'logged_out'),
      row('9', 'available'),
      row('100', 'talking'),
      row('7', 'not_ready', 5_000),
      row('8', 'not_ready', 1_000),
    ]

    expect(orderAgents(rows).map((r) => r.id)).toEqual(['8', '7', '9', '100', '10'])
  })

  it('ticks time in state from the server asOf on the browser clock', () => {
    // 60 s in state at asOf, message 2.5 s on this browser: 62.5 s, whatever the TV's clock.
    expect(elapsedMs(1_000, 61_000, 500_000, 502_500)).toBe(62_500)
    expect(elapsedMs(null, 61_000, 0, 0)).toBeNull()
  })
})

describe('agent board address', () => {
  it('is /agents or ?view=agents, with team, queue and window from the URL', () => {
    expect(isAgentView('/agents', '')).toBe(true)
    expect(isAgentView('/', '?view=agents')).toBe(true)
    expect(isAgentView('/', '?window=15m')).toBe(false)

    const params = parseAgentParams('?team=north,%20south&queue=Sales&window=interval')
    expect(params).toEqual({ window: 'interval', teams: ['north', 'south'], queues: ['Sales'] })
    expect(agentSocketUrl('https:', 'cb.example', params)).toBe(
      'wss://cb.example/ws/agents?window=interval&team=north%2Csouth&queue=Sales',
    )
  })

  it('believes only agent messages and heartbeats', () => {
    const agents = { type: 'agents', asOf: 1, agents: [], total: {}, windowLabel: 'today' }
    expect(parseAgentMessage(JSON.stringify(agents))).toEqual(agents)
    expect(parseAgentMessage('{"type":"heartbeat","asOf":1,"streamId":"0-0"}')?.type).toBe(
      'heartbeat',
    )
    expect(parseAgentMessage('{"type":"snapshot","asOf":1,"queues":{}}')).toBeNull()
    expect(parseAgentMessage('not json')).toBeNull()
  })
})
