/**
 * Response headers that keep the wall's pages from being framed, sniffed or fed foreign
 * code. The policy allows only this server's own scripts, styles and sockets: the built
 * wall has no inline script and needs nothing from elsewhere (checked in Chromium by
 * test/browser/access.test.ts). Strict-Transport-Security is left to the TLS proxy in
 * front, which alone knows whether the site is served over https.
 */
import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

export function wallHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    strictTransportSecurity: false,
    xFrameOptions: 'DENY',
  })
}
