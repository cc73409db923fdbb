import type { StageAggregator } from './aggregator.js';
import { StartPacer, type StageSchedule } from './stage-schedule.js';
import type { StageUsers } from './stage-users.js';
import { VirtualUser, type StepOutcome } from './virtual-user.js';

/**
 * Open model (k6's constant-arrival-rate): an iteration is due every 1/rate s whatever the
 * latency; it runs on an idle user (at most `maxUsers` exist), else it is dropped and counted.
 * Resolves with the dropped iterations once the stage stops (iterations still running are in
 * `users.running`).
 */
export async function runOpenModel(
  rate: number,
  maxUsers: number,
  users: StageUsers,
  aggregator: StageAggregator,
  schedule: StageSchedule,
): Promise<number> {
  const { start, stop } = schedule;
  const pacer = new StartPacer(schedule);
  const idle: VirtualUser[] = [];
  const inflight = new Set<Promise<void>>();
  let created = 0;
  let missed = 0;
  const interval = 1000 / rate;
  aggregator.startHold(0); // no ramp-up in an open model
  for (let k = 0; !stop.aborted; k++) {
    const due = start + k * interval;
    await pacer.until(due);
    if (stop.aborted) break;
    let user = idle.pop();
    if (!user && created < maxUsers) {
      const row = users.takeRow();
      if (row !== false) {
        user = new VirtualUser(users.context, row);
        created++;
        users.peak = Math.max(users.peak, created);
      }
    }
    if (!user) {
      missed++;
      continue;
    }
    const current = user;
    users.active++;
    const iteration = (async () => {
      if (!(await current.setup())) return;
      await new Promise<StepOutcome>((stepDone, stepThrew) =>
        current.iteration({ stepDone, stepThrew }, due),
      );
    })().finally(() => {
      users.active--;
      idle.push(current);
      inflight.delete(iteration);
    });
    inflight.add(iteration);
  }
  users.running.push(...inflight);
  return missed;
}
