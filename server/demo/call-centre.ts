/**
 * The discrete-event model behind the demo simulator: one agenda of timed events, queues
 * with their callers and members, and the queue_log line each step of a call leaves.
 */
import { MODEL, type QueueSpec } from './demo-queues.ts'
import { createRandom, type Random } from './random.ts'

interface Queue {
  spec: QueueSpec
  agents: Agent[]
  /** Calls in the queue, ringing ones included, in the order they entered. */
  inQueue: Call[]
}

interface Agent {
  name: string
  queue: Queue
  state: 'idle' | 'ringing' | 'talking' | 'wrap_up' | 'paused'
  /** Longest-idle agents ring first (Asterisk's leastrecent strategy). */
  idleSince: number
  breakDue: boolean
}

interface Call {
  id: string
  queue: Queue
  enteredAt: number
  origPosition: number
  state: 'waiting' | 'ringing' | 'talking' | 'gone'
  agent?: Agent
  /** Counts rings, so that a timer of an earlier ring does nothing. */
  rings: number
  ringStartedAt: number
  /** After an unanswered ring the caller hears music for a while before the next one. */
  retryAt: number
}

interface Entry {
  at: number
  run: (at: number) => void
}

export class CallCentre {
  readonly startMs: number
  readonly #speed: number
  readonly #random: Random
  readonly #queues: Queue[]
  /** Pending events, sorted by time; a few hundred at most, so insertion sort is enough. */
  readonly #agenda: Entry[] = []
  #channel = 0
  #lines: string[] = []

  constructor(specs: readonly QueueSpec[], speed: number, seed: number, now = Date.now) {
    this.startMs = now()
    this.#speed = speed
    this.#random = createRandom(seed)
    this.#queues = specs.map((spec) => ({ spec, agents: [], inQueue: [] }))

    for (const queue of this.#queues) {
      queue.agents = queue.spec.agents.map((name) => this.#addMember(queue, name))
      this.#at(this.#nextArrival(queue, this.startMs), (at) => this.#arrive(queue, at))
    }
  }

  step(untilMs: number): string[] {
    for (let next = this.#agenda[0]; next && next.at <= untilMs; next = this.#agenda[0]) {
      this.#agenda.shift()
      next.run(next.at)
    }

    const lines = this.#lines
    this.#lines = []
    return lines
  }

  load(name: string, atMs: number): number {
    const queue = this.#queues.find((q) => q.spec.name === name)
    if (!queue) throw new Error(`no simulated queue named ${name}`)
    return this.#load(queue, atMs)
  }

  /** A day squeezed into MODEL.dayS: night, a midday peak, night again. */
  #load(queue: Queue, at: number): number {
    const days = ((at - this.startMs) * this.#speed) / (MODEL.dayS * 1000)
    const phase = days + (queue.spec.dayOffset ?? 0.25)
    return MODEL.nightShare + (1 - MODEL.nightShare) * Math.sin(Math.PI * phase) ** 2
  }

  /** Poisson arrivals at the day's rate, by thinning a process that runs at the peak rate. */
  #nextArrival(queue: Queue, from: number): number {
    const meanGapMs = this.#ms(60 / queue.spec.peakCallsPerMin)

    for (let at = from; ;) {
      at += this.#random.exponential(meanGapMs)
      if (this.#random.next() < this.#load(queue, at)) return at
    }
  }

  #addMember(queue: Queue, name: string): Agent {
    const agent: Agent = { name, queue, state: 'idle', idleSince: this.startMs, breakDue: false }
    this.#at(this.startMs, (at) => this.#write(at, 'NONE', queue, name, 'ADDMEMBER', ''))
    this.#scheduleBreak(agent, this.startMs)
    return agent
  }

  #arrive(queue: Queue, at: number) {
    this.#at(this.#nextArrival(queue, at), (next) => this.#arrive(queue, next))

    const call: Call = {
      id: this.#uniqueId(at),
      queue,
      enteredAt: at,
      origPosition: queue.inQueue.length + 1,
      state: 'waiting',
      rings: 0,
      ringStartedAt: at,
      retryAt: at,
    }
    queue.inQueue.push(call)
    this.#write(at, call.id, queue, 'NONE', 'ENTERQUEUE', '', this.#callerId(), call.origPosition)

    const patienceS = MODEL.patienceMinS + this.#random.exponential(queue.spec.patienceMeanS)
    const patience = this.#ms(patienceS)
    this.#at(at + patience, (t) => this.#leave(call, t, 'ABANDON'))
    const timeout = this.#ms(queue.spec.timeoutS ?? MODEL.timeoutS)
    this.#at(at + timeout, (t) => this.#leave(call, t, 'EXITWITHTIMEOUT'))
    this.#dispatch(queue, at)
  }

  /** Rings idle agents for waiting callers, first come first served. */
  #dispatch(queue: Queue, at: number) {
    for (;;) {
      const call = queue.inQueue.find((c) => c.state === 'waiting' && c.retryAt <= at)
      const idle = queue.agents.filter((a) => a.state === 'idle')
      const agent = idle.sort((a, b) => a.idleSince - b.idleSince)[0]
      if (!call || !agent) return

      this.#ring(call, agent, at)
    }
  }

  #ring(call: Call, agent: Agent, at: number) {
    const ring = ++call.rings
    Object.assign(call, { state: 'ringing', agent, ringStartedAt: at })
    agent.state = 'ringing'
    const stillRinging = () => call.state === 'ringing' && call.rings === ring

    if (this.#random.chance(MODEL.noAnswerShare)) {
      const timeout = this.#ms(MODEL.ringTimeoutS)
      this.#at(at + timeout, (t) => stillRinging() && this.#noAnswer(call, agent, t))
    } else {
      const ringing = this.#ms(this.#random.uniform(MODEL.ringMinS, MODEL.ringMaxS))
      this.#at(at + ringing, (t) => stillRinging() && this.#connect(call, agent, t))
    }
  }

  #noAnswer(call: Call, agent: Agent, at: number) {
    const ringMs = Math.round(at - call.ringStartedAt)
    this.#write(at, call.id, call.queue, agent.name, 'RINGNOANSWER', ringMs)

    Object.assign(call, {
      state: 'waiting',
      agent: undefined,
      retryAt: at + this.#ms(MODEL.retryS),
    })
    this.#at(call.retryAt, (t) => this.#dispatch(call.queue, t))
    this.#free(agent, at)
  }

  #connect(call: Call, agent: Agent, at: number) {
    const queue = call.queue
    queue.inQueue.splice(queue.inQueue.indexOf(call), 1)
    call.state = 'talking'
    agent.state = 'talking'

    const holdS = seconds(at - call.enteredAt)
    const bridged = this.#uniqueId(call.ringStartedAt)
    const ringS = seconds(at - call.ringStartedAt)
    this.#write(at, call.id, queue, agent.name, 'CONNECT', holdS, bridged, ringS)

    const talk = Math.max(this.#ms(5), this.#random.exponential(this.#ms(queue.spec.talkMeanS)))
    this.#at(at + talk, (end) => {
      const event = this.#random.chance(0.55) ? 'COMPLETECALLER' : 'COMPLETEAGENT'
      this.#write(end, call.id, queue, agent.name, event, holdS, seconds(talk), call.origPosition)
      call.state = 'gone'
      agent.state = 'wrap_up'
      this.#at(end + this.#ms(MODEL.wrapS), (t) => this.#free(agent, t))
    })
  }

  /** The caller hangs up or times out, unless an agent got there first. */
  #leave(call: Call, at: number, event: 'ABANDON' | 'EXITWITHTIMEOUT') {
    if (call.state !== 'waiting' && call.state !== 'ringing') return

    const queue = call.queue
    const position = queue.inQueue.indexOf(call) + 1
    queue.inQueue.splice(position - 1, 1)
    const wasRinging = call.state === 'ringing' ? call.agent : undefined
    call.state = 'gone'

    const waitS = seconds(at - call.enteredAt)
    this.#write(at, call.id, queue, 'NONE', event, position, call.origPosition, waitS)
    if (wasRinging) this.#free(wasRinging, at)
  }

  /** The agent can take a call again, or goes on the break that fell due meanwhile. */
  #free(agent: Agent, at: number) {
    if (agent.breakDue) {
      this.#startBreak(agent, at)
      return
    }

    agent.state = 'idle'
    agent.idleSince = at
    this.#dispatch(agent.queue, at)
  }

  #scheduleBreak(agent: Agent, from: number) {
    const gap = this.#random.exponential(this.#ms(MODEL.breakEveryMeanS))

    this.#at(from + gap, (at) => {
      if (agent.state === 'idle') this.#startBreak(agent, at)
      else agent.breakDue = true
    })
  }

  #startBreak(agent: Agent, at: number) {
    const reason = this.#random.pick(MODEL.pauseReasons)
    agent.breakDue = false
    agent.state = 'paused'
    this.#write(at, 'NONE', agent.queue, agent.name, 'PAUSE', reason)

    const length = this.#ms(this.#random.uniform(MODEL.breakMinS, MODEL.breakMaxS))
    this.#at(at + length, (end) => {
      this.#write(end, 'NONE', agent.queue, agent.name, 'UNPAUSE', '')
      this.#scheduleBreak(agent, end)
      this.#free(agent, end)
    })
  }

  #at(at: number, run: (at: number) => void) {
    const agenda = this.#agenda

    // After entries due at the same time, so that equal times keep the order of scheduling.
    let low = 0
    let high = agenda.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((agenda[middle] as Entry).at <= at) low = middle + 1
      else high = middle
    }
    agenda.splice(low, 0, { at, run })
  }

  #write(
    at: number,
    callId: string,
    queue: Queue,
    agent: string,
    event: string,
    ...data: unknown[]
  ) {
    const fields = [Math.floor(at / 1000), callId, queue.spec.name, agent, event, ...data]
    this.#lines.push(fields.join('|'))
  }

  /** Asterisk's channel ids: creation time in seconds, a dot, a counter. */
  #uniqueId(at: number): string {
    return `${Math.floor(at / 1000)}.${++this.#channel}`
  }

  #callerId(): string {
    const digits = Array.from({ length: 9 }, () => Math.floor(this.#random.next() * 10))
    return `1${this.#random.pick(['3', '5', '8', '9'])}${digits.join('')}`
  }

  /** Model seconds as real milliseconds at the current speed. */
  #ms(modelSeconds: number): number {
    return (modelSeconds * 1000) / this.#speed
  }
}

function seconds(ms: number): number {
  return Math.round(ms / 1000)
}
