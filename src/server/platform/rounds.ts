/**
 * A background job made of rounds: one right after start and then every `intervalMs` (0: none,
 * `runOnce` only), never two at once in this process (other processes are the round's own
 * business, e.g. an advisory lock), a tick skipped while a round runs, and `stop` waiting for the
 * round in flight. Used by the feed's projection, the lists' period job and the audit checkpoints.
 */
export interface Rounds<O, R> {
  /** One round now, after any in flight. */
  runOnce(opts?: O): Promise<R>;
  stop(): Promise<void>;
}

export function startRounds<O, R>(deps: {
  intervalMs: number;
  round: (opts: O | undefined) => Promise<R>;
  /** What a scheduled round found (log it when it did something). */
  done: (result: R) => void;
  failed: (err: unknown) => void;
}): Rounds<O, R> {
  let chain: Promise<unknown> = Promise.resolve();
  let busy = false;
  let stopped = false;
  const runOnce = (opts?: O): Promise<R> => {
    const p = chain.catch(() => undefined).then(() => deps.round(opts));
    chain = p;
    return p;
  };
  const tick = (): void => {
    if (stopped || busy) return;
    busy = true;
    runOnce()
      .then(deps.done, deps.failed)
      .finally(() => {
        busy = false;
      });
  };
  const timer = deps.intervalMs > 0 ? setInterval(tick, deps.intervalMs) : null;
  timer?.unref();
  if (timer) setImmediate(tick);
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await chain.catch(() => undefined);
    },
  };
}
