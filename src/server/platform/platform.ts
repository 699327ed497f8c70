import type { FastifyRequest } from 'fastify';
import type { Config } from '../config';
import type { Ctx } from './context';
import type { FieldCrypto } from './crypto';
import { type Pool, withTransaction } from './db';

/** The shared parts every module's routes reach through `app.platform`. */
export interface Platform {
  config: Config;
  pool: Pool;
  crypto: FieldCrypto;
  /** The instant a request starts at. Tests pass a fixed clock to replay decisions. */
  clock: () => Date;
}

declare module 'fastify' {
  interface FastifyInstance {
    platform: Platform;
  }
  interface FastifyRequest {
    now: Date;
  }
}

/** A read context on the pool. */
export function readCtx(platform: Platform, request: FastifyRequest): Ctx {
  return { db: platform.pool, actor: request.actor, requestId: request.id, now: request.now };
}

/** Runs a use case in one transaction: its changes and its events commit together or not at all. */
export function inTx<T>(
  platform: Platform,
  request: FastifyRequest,
  fn: (ctx: Ctx) => Promise<T>,
): Promise<T> {
  return withTransaction(platform.pool, (tx) =>
    fn({ db: tx, actor: request.actor, requestId: request.id, now: request.now }),
  );
}
