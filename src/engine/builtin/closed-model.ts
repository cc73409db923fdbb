import type { StageSpec } from '../engine.js';
import type { StageAggregator } from './aggregator.js';
import { StartPacer, type StageSchedule } from './stage-schedule.js';
import type { StageUsers } from './stage-users.js';

/** The smoke stage: each user runs its iterations; resolves once they all ended. */
export async function runSmoke(
  spec: Extract<StageSpec, { name: 'smoke' }>,
  users: StageUsers,
): Promise<void> {
  for (let i = 0; i < spec.users; i++) users.launch(spec.iterations);
  await Promise.all(users.running);
}

/**
 * Closed model (Locust's users): `users` users started evenly spaced at `spawnRate` a second,
 * each looping until the stage stops; the hold starts once they all run. Resolves once the last
 * user started (or the stage stopped first).
 */
export async function spawnUsers(
  spec: Extract<StageSpec, { name: 'ramp' }>,
  users: StageUsers,
  aggregator: StageAggregator,
  schedule: StageSchedule,
): Promise<void> {
  const { start, clock, stop } = schedule;
  const pacer = new StartPacer(schedule);
  // evenly spaced: user i starts at i / spawnRate seconds
  const interval = 1000 / spec.spawnRate;
  for (let i = 0; i < spec.users && !stop.aborted; i++) {
    if (!users.launch()) break;
    if (i + 1 < spec.users) await pacer.until(start + (i + 1) * interval);
  }
  if (!stop.aborted) aggregator.startHold(clock() - start);
}
