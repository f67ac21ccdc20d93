// Lesson 07 · A long-lived worker that renders thumbnails. It makes
// ONE blocking connection when it starts (a duplicate, with its own
// 'error' listener: a duplicate inherits none) and keeps it for its
// whole life: BLMOVE waits there for the next job and files it in
// the worker's own in-progress list, LREM acks it once rendered,
// stop() closes it. On start, the worker first finishes what its
// last life took and never acked: a job can be rendered twice, so
// rendering must be safe to repeat (at-least-once delivery).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Example } from '../../lib/example.ts';

interface Thumbnail {
  image: string;
  width: number;
}

export default (async ({ cache }) => {
  const renders = new Map<string, number>();
  let connects = 0;
  let rendered = () => {};
  async function render(job: Thumbnail) {
    renders.set(job.image, (renders.get(job.image) ?? 0) + 1);
    const times = renders.get(job.image)!;
    console.log(
      `rendered ${job.image} at ${job.width} px` +
        (times > 1 ? ` (again: ${times} times)` : ''),
    );
    rendered();
  }

  try {
    // #region worker
    function startWorker(name: string) {
      const inProgress = `thumbs:doing:${name}`;
      const line = cache.duplicate(); // made once, kept for life
      const log = (error: Error) =>
        console.error(`worker ${name}: ${error.message}`);
      line.on('error', log); // without it, a drop kills the process
      let running = true;

      async function finish(raw: string) {
        await render(JSON.parse(raw) as Thumbnail);
        await cache.lRem(inProgress, 1, raw); // ack: done
      }

      const life = (async () => {
        await line.connect();
        try {
          // What my last life took and never acked comes first.
          const left = await cache.lRange(inProgress, 0, -1);
          for (const raw of left.reverse()) await finish(raw);
          while (running) {
            let raw: string | null;
            try {
              raw = await line.blMove(
                'thumbs:todo',
                inProgress,
                'RIGHT',
                'LEFT',
                0.5, // seconds: how soon a stop is noticed
              );
            } catch (error) {
              // e.g. the line dropped mid-wait: it reconnects by
              // itself, so wait a moment and try again
              log(error as Error);
              await sleep(200);
              continue;
            }
            if (raw !== null) await finish(raw);
          }
        } finally {
          await line.close();
        }
      })();

      return {
        line,
        async stop() {
          running = false;
          await life;
        },
      };
    }
    // #endregion worker

    // #region run
    // A worker rendered banner.jpg, then died before its ack:
    const banner = { image: 'banner.jpg', width: 1200 };
    renders.set(banner.image, 1);
    await cache.lPush('thumbs:doing:w1', JSON.stringify(banner));

    const queued = ['cover.jpg', 'logo.png', 'hero.webp'];
    for (const image of queued)
      await cache.lPush(
        'thumbs:todo',
        JSON.stringify({ image, width: 320 }),
      );

    const allDone = new Promise<void>((resolve) => {
      rendered = () => renders.size === 4 && resolve();
    });
    const worker = startWorker('w1'); // its next life
    worker.line.on('connect', () => (connects += 1));
    await allDone;

    const own = worker.line.listenerCount('error');
    const fresh = cache.duplicate().listenerCount('error');
    console.log(`'error' listeners: the worker's line ${own},`);
    console.log(`  a duplicate made and left bare ${fresh}`);

    await worker.stop();
    console.log(`connections the worker made: ${connects}`);
    console.log(
      `its line open after stop(): ${worker.line.isOpen}`,
    );
    const left = await cache.lLen('thumbs:doing:w1');
    console.log(`jobs left in progress: ${left}`);
    // #endregion run
  } finally {
    await cache.del(['thumbs:todo', 'thumbs:doing:w1']);
  }
}) satisfies Example;

// Output:
// rendered banner.jpg at 1200 px (again: 2 times)
// rendered cover.jpg at 320 px
// rendered logo.png at 320 px
// rendered hero.webp at 320 px
// 'error' listeners: the worker's line 1,
//   a duplicate made and left bare 0
// connections the worker made: 1
// its line open after stop(): false
// jobs left in progress: 0
