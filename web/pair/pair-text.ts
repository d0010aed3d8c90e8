/**
 * The pairing page's words, in English and Simplified Chinese (the screen's language).
 */
import { LANG } from '../lib/lang.ts'

const EN = {
  title: 'Pair this screen',
  explain: 'Enter the code an administrator made for this screen (valid 15 minutes).',
  code: 'Pairing code',
  pair: 'Pair',
  pairing: 'Pairing…',
  unknown: 'Unknown, used or expired code. Ask for a new one.',
  wait: (seconds: string) => `Too many tries. Wait ${seconds} s and try again.`,
  failed: (status: number) => `The server answered ${status}. Try again.`,
  offline: 'The server cannot be reached. Check the network and try again.',
}

const ZH: typeof EN = {
  title: '配对此屏幕',
  explain: '请输入管理员为此屏幕生成的配对码（15 分钟内有效）。',
  code: '配对码',
  pair: '配对',
  pairing: '正在配对…',
  unknown: '配对码无效、已使用或已过期，请重新申请。',
  wait: (seconds: string) => `尝试次数过多，请等待 ${seconds} 秒后重试。`,
  failed: (status: number) => `服务器返回 ${status}，请重试。`,
  offline: '无法连接服务器，请检查网络后重试。',
}

export const PAIR_TEXT = LANG === 'zh' ? ZH : EN
