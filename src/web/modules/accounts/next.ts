/**
 * Where to go after logging in: only a console path of this site is followed, so a crafted
 * `?next=//evil.example` or `?next=https://…` cannot turn the login page into an open redirect.
 */
export function safeNext(next: string | null): string {
  if (!next || next.startsWith('//') || next.includes('\\')) return '/console';
  return /^\/console(\/|\?|$)/.test(next) && !/^\/console\/login/.test(next) ? next : '/console';
}

/** `ABCD EFGH …`: a TOTP key is easier to type into an authenticator in groups of four. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}
