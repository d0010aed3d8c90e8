/**
 * Sound for new alerts. Browsers let a page play audio only after someone has interacted
 * with it, so a TV that should sound alerts needs one click (or remote-control OK) on the
 * button the wall shows with `?sound=1`; from then on each new incident chimes. The tones
 * are made here with Web Audio: no sound file to fetch or to fail.
 */
import type { Severity } from '../../shared/alerts.ts'

/** Tones of one chime: frequency (Hz) and start (s); critical is longer and higher. */
const CHIMES: Record<Severity, [number, number][]> = {
  info: [[660, 0]],
  warning: [
    [660, 0],
    [880, 0.25],
  ],
  critical: [
    [880, 0],
    [660, 0.25],
    [880, 0.5],
    [660, 0.75],
  ],
}

const TONE_SECONDS = 0.2

export class AlertSound {
  #enabled = $state(false)
  #context: AudioContext | null = null

  /** Whether the screen has been allowed to play sound. */
  get enabled(): boolean {
    return this.#enabled
  }

  /** Call from a click handler: the browser allows audio from here on. */
  enable(): void {
    this.#context ??= new AudioContext()
    void this.#context.resume()
    this.#enabled = true
    this.chime('info')
  }

  chime(severity: Severity): void {
    const context = this.#context
    if (context === null || !this.#enabled) return

    const start = context.currentTime
    for (const [frequency, offset] of CHIMES[severity]) {
      const oscillator = context.createOscillator()
      const gain = context.createGain()
      oscillator.frequency.value = frequency
      // A short fade in and out, so the tone does not click.
      gain.gain.setValueAtTime(0, start + offset)
      gain.gain.linearRampToValueAtTime(0.3, start + offset + 0.02)
      gain.gain.linearRampToValueAtTime(0, start + offset + TONE_SECONDS)
      oscillator.connect(gain).connect(context.destination)
      oscillator.start(start + offset)
      oscillator.stop(start + offset + TONE_SECONDS)
    }
  }
}
