/**
 * Size of the built wall: its JavaScript and CSS, raw and gzipped (zlib's default level,
 * as a web server would send them). Reads the output of `vite build`.
 */
import { readdir, readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { gzipSync } from 'node:zlib'

export interface BundleResult {
  jsBytes: number
  jsGzipBytes: number
  cssGzipBytes: number
  files: string[]
}

export async function measureBundle(webDir: string): Promise<BundleResult> {
  const assets = join(webDir, 'assets')
  const files = (await readdir(assets)).filter((file) => ['.js', '.css'].includes(extname(file)))
  if (!files.some((file) => file.endsWith('.js'))) {
    throw new Error(`no JavaScript in ${assets}: run vite build first`)
  }

  const result: BundleResult = { jsBytes: 0, jsGzipBytes: 0, cssGzipBytes: 0, files }
  for (const file of files) {
    const content = await readFile(join(assets, file))
    const gzipped = gzipSync(content).length

    if (file.endsWith('.js')) {
      result.jsBytes += content.length
      result.jsGzipBytes += gzipped
    } else {
      result.cssGzipBytes += gzipped
    }
  }
  return result
}
