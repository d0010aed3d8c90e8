/**
 * Which line of a JSON text a JSON.parse error points at, for telling the sender where to look.
 * Node 20's V8 puts an offset in most messages ("… in JSON at position 12"), newer ones add
 * "(line 2 column 6)", but for an unexpected token it quotes the text and gives no place.
 */

/** The 1-based line of `text` at which `error`, thrown by JSON.parse(text), was found. */
export function jsonErrorLine(text: string, error: SyntaxError): number {
  const lineColumn = /\(line (\d+) column \d+\)/.exec(error.message)
  if (lineColumn?.[1] !== undefined) return Number(lineColumn[1])

  const position = /at position (\d+)/.exec(error.message)
  if (position?.[1] !== undefined) return lineAt(text, Number(position[1]))

  if (isUnexpectedToken(error)) return lineAt(text, unexpectedTokenOffset(text))

  // "Unexpected end of JSON input": the text stopped before the value did.
  return lineAt(text, text.length)
}

/**
 * A prefix of the text fails with "Unexpected token" exactly when it holds the bad token:
 * a prefix cut short fails only for ending early. So the shortest prefix that fails that
 * way ends at the token, and a binary search finds it in a few dozen parses.
 */
function unexpectedTokenOffset(text: string): number {
  let clean = 0
  let failing = text.length

  while (failing - clean > 1) {
    const middle = Math.floor((clean + failing) / 2)
    if (failsOnToken(text.slice(0, middle))) failing = middle
    else clean = middle
  }

  return failing - 1
}

function failsOnToken(prefix: string): boolean {
  try {
    JSON.parse(prefix)
    return false
  } catch (error) {
    return error instanceof SyntaxError && isUnexpectedToken(error)
  }
}

function isUnexpectedToken(error: SyntaxError): boolean {
  return error.message.startsWith('Unexpected token')
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length
}
