// PLACEHOLDER until the job bus lands (pg-boss): same interface, no behaviour yet.
import type { Database } from '../db/database.ts';
import type { Logger } from '../log.ts';

export type JobBus = { start(): Promise<void>; stop(): Promise<void>; ready(): boolean };

export function createJobBus(_db: Database, _log: Logger): JobBus {
  let started = false;
  return {
    async start() { started = true; },
    async stop() { started = false; },
    ready: () => started,
  };
}
