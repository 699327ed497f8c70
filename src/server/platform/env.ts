/**
 * True when the process runs under the test runner: background jobs (checkpoints, the feed's
 * delivery, the lists' period job) stay off unless a test asks for them with their own setting.
 */
export function underTestRunner(env: Record<string, string | undefined>): boolean {
  return env.NODE_ENV === 'test' || env.VITEST !== undefined;
}
