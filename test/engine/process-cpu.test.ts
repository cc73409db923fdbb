import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { watchProcessCpu } from '../../src/engine/locust/process-cpu.js';

/** Runs `script` in a child Node process and watches its CPU until it exits. */
async function measure(script: string) {
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  const watch = watchProcessCpu(child.pid as number, { intervalMs: 50 });
  await once(child, 'close');
  return watch.stop();
}

describe('watchProcessCpu (from /proc)', () => {
  it('sees the CPU a busy process burns, up to its last reading before it exits', async () => {
    // burns 0.6 CPU-seconds whatever the machine's load, then exits
    const cpu = await measure(
      'const s = process.cpuUsage(); while (process.cpuUsage(s).user < 600_000);',
    );
    expect(cpu.cpuSeconds).toBeGreaterThan(0.4);
    expect(cpu.wallSeconds).toBeGreaterThanOrEqual(cpu.cpuSeconds * 0.9);
  });

  it('an idle process costs next to nothing', async () => {
    const cpu = await measure('setTimeout(() => {}, 700)');
    expect(cpu.cpuSeconds).toBeLessThan(0.3); // Node's own start-up only
    expect(cpu.wallSeconds).toBeGreaterThan(0.5);
  });
});
