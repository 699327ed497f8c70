/**
 * The nonce the server put in this page's style policy (`<meta name="csp-nonce">`,
 * src/server/platform/web.ts): the page allows style elements only when they carry it, and no
 * inline style without it ('unsafe-inline' is not in the policy).
 *
 * antd's CSS-in-JS gets the nonce through ConfigProvider's `csp` (AppProviders.tsx). Two helpers
 * below antd write style elements without asking for one — the scroll locker of modals and drawers
 * and the scrollbar measurement of tables (@rc-component/util `updateCSS` without `csp`) — so style
 * elements this app's own code creates are given the nonce as they are created. Markup injected
 * into the page (innerHTML) does not pass through here and stays refused.
 */
export const CSP_NONCE: string | undefined =
  document.querySelector('meta[name="csp-nonce"]')?.getAttribute('content') || undefined;

if (CSP_NONCE !== undefined) {
  const nonce = CSP_NONCE;
  const create = document.createElement.bind(document);
  document.createElement = ((tagName: string, options?: ElementCreationOptions) => {
    const el = create(tagName, options);
    if (el instanceof HTMLStyleElement && !el.nonce) el.nonce = nonce;
    return el;
  }) as typeof document.createElement;
}
