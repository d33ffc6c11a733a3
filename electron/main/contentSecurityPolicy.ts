// The renderer's Content-Security-Policy in the desktop app (same policy as the web host and renderer/index.html).

/** No eval, no inline script, nothing from outside the app's own origin; `blob:` workers are Monaco's. */
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"
