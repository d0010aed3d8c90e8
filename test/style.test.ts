import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// Prettier keeps code under 100 columns but never rewraps comments or strings; this covers
// them too, for every tracked source file.
describe('source style', () => {
  it('keeps every line of tracked source under 100 columns', () => {
    const files = execFileSync('git', ['ls-files', '*.ts', '*.svelte', '*.js', '*.css'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean)
    const wide: string[] = []

    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (line.length > 100) wide.push(`${file}:${index + 1} (${line.length})`)
        })
    }
    expect(wide).toEqual([])
  })
})
