import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/backups/loaders.js';

/** A task that runs until the test lets it finish, recording that it started. */
function gatedTask(started: number[], n: number) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    task: async () => {
      started.push(n);
      await done;
      return n;
    },
    finish: () => finish(),
  };
}

describe('createLimiter', () => {
  it('once the signal aborts, queued and later tasks never run; running ones finish', async () => {
    const started: number[] = [];
    const controller = new AbortController();
    const limit = createLimiter(2, controller.signal);
    const tasks = [1, 2, 3, 4].map((n) => gatedTask(started, n));
    const results = tasks.map(({ task }) =>
      limit(task).then(
        (value) => value,
        (error: unknown) => error,
      ),
    );
    await Promise.resolve();
    controller.abort();
    const late = gatedTask(started, 5);
    const lateResult = limit(late.task).catch((error: unknown) => error);
    for (const { finish } of [...tasks, late]) finish();
    const settled = await Promise.all([...results, lateResult]);
    expect(started).toEqual([1, 2]);
    expect(settled.slice(0, 2)).toEqual([1, 2]);
    for (const error of settled.slice(2)) expect(error).toMatchObject({ name: 'AbortError' });
  });
});
