/**
 * The language of a page, chosen once when it loads: `?lang=zh|en` in its address (a TV's
 * setting), else the language its user last picked on this browser, else the browser's
 * language. Simplified Chinese for any zh-*, English otherwise.
 */
export type Lang = 'en' | 'zh'

/** The Intl locale numbers, dates and times are formatted in, per language. */
export const LOCALES: Record<Lang, string> = { en: 'en-GB', zh: 'zh-CN' }

/** The part of the browser's localStorage used here; the server's tsc knows no DOM. */
interface KeyValueStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/** Where a user's own choice of language is remembered, per browser. */
export const LANG_STORAGE_KEY = 'callboard.lang'

export function pickLang(
  search: string,
  browserLanguage: string | undefined,
  remembered: string | null = null,
): Lang {
  const asked = new URLSearchParams(search).get('lang')?.toLowerCase()
  if (asked === 'zh' || asked === 'en') return asked
  if (remembered === 'zh' || remembered === 'en') return remembered
  return browserLanguage?.toLowerCase().startsWith('zh') ? 'zh' : 'en'
}

/** Keeps a user's pick for the next pages this browser opens; private windows may refuse. */
export function rememberLang(storage: KeyValueStore, lang: Lang): void {
  try {
    storage.setItem(LANG_STORAGE_KEY, lang)
  } catch {
    // Without storage the pick still holds for this page, through its address.
  }
}

function remembered(): string | null {
  try {
    const { localStorage } = globalThis as { localStorage?: KeyValueStore }
    return localStorage?.getItem(LANG_STORAGE_KEY) ?? null
  } catch {
    return null
  }
}

// Unit tests import the text tables under Node, where there is no page: English there.
const page = globalThis as { location?: { search: string }; navigator?: { language?: string } }
export const LANG: Lang = pickLang(
  page.location?.search ?? '',
  page.navigator?.language,
  remembered(),
)

export const LOCALE = LOCALES[LANG]
