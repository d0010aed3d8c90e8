/**
 * Checks a screen layout sent by an admin. Every problem is named by its path in the body
 * (`pages.1.figures.0`), all of them at once, so the manager's page can point at each field.
 */
import { z } from 'zod'
import {
  DEFAULT_FIGURES,
  SCREEN_FIGURES,
  SCREEN_LANGS,
  SCREEN_NAME,
  THEMES,
  type ScreenLayoutInput,
} from '../../shared/screens.ts'
import { WINDOWS } from '../../shared/windows.ts'
import { InputError } from '../errors.ts'
import { parseFields } from '../zod-words.ts'

const Names = z
  .array(z.string().trim().min(1, 'expected a name').max(200))
  .min(1, 'expected at least one name, or null for all')
  .max(200)
  .refine((names) => new Set(names).size === names.length, 'names must not repeat')

const QueuesPageSchema = z
  .object({
    kind: z.literal('queues'),
    queues: Names.nullable().default(null),
    figures: z
      .array(z.enum(SCREEN_FIGURES))
      .min(1, 'expected at least one figure')
      .refine((figures) => new Set(figures).size === figures.length, 'figures must not repeat')
      .default([...DEFAULT_FIGURES]),
    window: z.enum(WINDOWS).default('today'),
    total: z.boolean().default(true),
  })
  .strict()

const AgentsPageSchema = z
  .object({
    kind: z.literal('agents'),
    teams: Names.nullable().default(null),
    queues: Names.nullable().default(null),
    window: z.enum(WINDOWS).default('today'),
  })
  .strict()

export const ScreenLayoutSchema = z
  .object({
    pages: z
      .array(z.discriminatedUnion('kind', [QueuesPageSchema, AgentsPageSchema]))
      .min(1, 'expected at least one page')
      .max(12, 'at most 12 pages'),
    rotationSeconds: z
      .number({ message: 'expected 5 to 3600 seconds' })
      .int('expected whole seconds')
      .min(5, 'expected 5 to 3600 seconds')
      .max(3600, 'expected 5 to 3600 seconds')
      .default(20),
    theme: z.enum(THEMES).default('dark'),
    language: z
      .enum(SCREEN_LANGS, {
        message: `expected ${SCREEN_LANGS.join(' or ')}, or null for each viewer's own`,
      })
      .nullable()
      .default(null),
    /** The revision the change was made from; a screen changed since answers 409. */
    revision: z.number().int().min(0).optional(),
    /** Who made the change, when access control is off and no token names anyone. */
    by: z.string().trim().min(1).max(100).optional(),
  })
  .strict()

export type ScreenChange = ScreenLayoutInput & { revision?: number; by?: string }

/** The layout in a PUT body, or a FieldsError naming every wrong field. */
export function readScreenLayout(body: unknown): ScreenChange {
  return parseFields(ScreenLayoutSchema, body)
}

/** The screen name in an address, or an InputError. */
export function readScreenName(name: string): string {
  if (SCREEN_NAME.test(name)) return name
  const expected =
    'expected 1 to 64 letters, digits, ".", "_" or "-", starting with one of the first two'
  throw new InputError(`${expected}; got ${JSON.stringify(name)}`, undefined, 'name')
}
