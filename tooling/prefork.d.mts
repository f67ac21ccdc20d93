// Types of tooling/prefork.mjs, for the TypeScript that tests it.
import type { PoolRunnerInitializer } from 'vitest/node';

export function prefork(count?: number): void;
export function endSpares(): void;
export function preforkedPool(ForksPoolWorker: unknown): PoolRunnerInitializer & { adopted: number };
export let forkPool: (PoolRunnerInitializer & { adopted: number }) | undefined;
