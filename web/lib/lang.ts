/**
 * The language of a screen: `?lang=zh|en` in its address, else the browser's language,
 * chosen once when the page loads. Simplified Chinese for any zh-*, English otherwise.
 */
export type Lang = 'en' | 'zh'

/** The Intl locale numbers, dates and times are formatted in, per language. */
export const LOCALES: Record<Lang, string> = { en: 'en-GB', zh: 'zh-CN' }

export function pickLang(search: string, browserLanguage: string | undefined): Lang {
  const asked = new URLSearchParams(search).get('lang')?.toLowerCase()
  if (asked === 'zh' || asked === 'en') return asked
  return browserLanguage?.toLowerCase().startsWith('zh') ? 'zh' : 'en'
}

// Unit tests import the text tables under Node, where there is no page: English there.
const page = globalThis as { location?: { search: string }; navigator?: { language?: string } }
export const LANG: Lang = pickLang(page.location?.search ?? '', page.navigator?.language)

export const LOCALE = LOCALES[LANG]
