import pg from 'pg';
import type { Pool } from '../../platform/db';
import { ingestRepo } from './ingest.repository';

/*
 * Which live process has taken a spooled batch to resume it. Every server sharing the database and
 * the spool sweeps the spool (ingest.resume.ts), so a batch acknowledged by a server that died is
 * finished by another one. A batch that a live process runs holds its session lock (BATCH_ALIVE,
 * on the connection that runs it); but a batch taken from the spool first waits, without a
 * connection, for its department and item's turn and for a batch slot (ingest.slots.ts), and
 * nothing in the database said so: another server would have found it `processing` with nobody
 * holding it, exactly like one whose server died. So from the moment a process takes a spooled
 * batch until that batch has ended (or turned out to be a live worker's), it holds a second advisory lock
 * on it, its claim (BATCH_CLAIMED), and a sweep takes only batches it can claim and that no live
 * worker holds.
 *
 * The claim is not BATCH_ALIVE itself: the batch's connection must take BATCH_ALIVE when it starts
 * running, and handing it over from the claiming session would leave a gap in which another
 * server's sweep could take the batch. Claims live on a connection of their own, opened outside
 * the pool: a batch waiting for a slot must not hold a pool connection, or waiting and running
 * batches together could take every connection and wait for each other for ever (and requests with
 * them). One such connection per sweep pass, opened only when the spool holds a batch that no live
 * worker runs, and closed at the end of the pass, which also drops any claim left behind.
 *
 * If that connection is lost in the middle of a pass, its claims go with it: another server may
 * then take a batch this one is waiting to run. It still never runs twice: running takes
 * BATCH_ALIVE with a try-lock and checks the batch is still `processing` under it (ingestRepo.takeOver).
 */

export class SpoolClaims {
  private client: Promise<pg.Client> | null = null;
  private readonly held = new Set<number>();

  constructor(private readonly pool: Pool) {}

  private connection(): Promise<pg.Client> {
    if (!this.client) {
      // The pool's own settings (server, credentials, session options), as a single client.
      const client = new pg.Client({ ...this.pool.options, keepAlive: true });
      const opened = client.connect().then(() => client);
      client.on('error', () => {
        // Lost: its claims are gone with it (see above); the next claim opens another connection.
        if (this.client === opened) this.forget();
      });
      opened.catch(() => {
        if (this.client === opened) this.client = null;
      });
      this.client = opened;
    }
    return this.client;
  }

  private forget(): void {
    this.client = null;
    this.held.clear();
  }

  /**
   * Claims batch `id` for this process: false when another live process has claimed it, or a live
   * worker runs it (then it is not claimed).
   */
  async take(id: number): Promise<boolean> {
    if (this.held.has(id)) return false;
    // Most often a live worker runs it (a server's own async batches): said without opening the
    // claims connection. Checked again once claimed, as it may have been taken over meanwhile.
    if (await ingestRepo.workedOn(this.pool, id)) return false;
    const client = await this.connection();
    if (!(await ingestRepo.claim(client, id))) return false;
    this.held.add(id);
    if (await ingestRepo.workedOn(client, id)) {
      await this.release(id);
      return false;
    }
    return true;
  }

  async release(id: number): Promise<void> {
    const client = this.client;
    if (!this.held.delete(id) || !client) return;
    try {
      await ingestRepo.unclaim(await client, id);
    } catch {
      // The connection is unusable: dropped, and the claim with it.
      if (this.client === client) await this.close();
    }
  }

  /** Closes the connection, and with it every claim still held. */
  async close(): Promise<void> {
    const client = this.client;
    this.forget();
    if (client) await client.then((c) => c.end()).catch(() => undefined);
  }
}
