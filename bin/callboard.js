#!/usr/bin/env node
// Entry point of the `callboard` command. The code is TypeScript run through tsx's loader,
// so there is no separate build of the server.
import { register } from 'tsx/esm/api'

register()
await import('../server/cli/main.ts')
