// Preloaded into a worker started by a test (node --expose-gc --import <this file>): on SIGUSR2 it
// collects garbage until the heap settles and prints one JSON line {"heap_probe": {...}} with
// process.memoryUsage(), so a soak test can compare the live heap at several points. With
// HEAP_PROBE_SNAPSHOT_DIR set it also writes a heap snapshot there, to find what a leak retains
// (compare two snapshots in Chrome DevTools). Test support only: production never loads it.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { writeHeapSnapshot } from 'node:v8';

async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('heap probe: start node with --expose-gc');
  // Finalizers and weak references free more after a turn of the event loop and another pass.
  for (let pass = 0; pass < 3; pass++) {
    gc();
    await nextTurn();
  }
}

process.on('SIGUSR2', async () => {
  await settle();
  const snapshotDir = process.env.HEAP_PROBE_SNAPSHOT_DIR;
  if (snapshotDir) writeHeapSnapshot(`${snapshotDir}/worker-${process.pid}-${Date.now()}.heapsnapshot`);
  const { heapUsed, heapTotal, rss, external, arrayBuffers } = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ heap_probe: { heapUsed, heapTotal, rss, external, arrayBuffers } })}\n`);
});
