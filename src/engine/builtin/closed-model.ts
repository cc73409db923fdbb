import type { StageSpec } from '../engine.js';
import type { StageAggregator } from './aggregator.js';
import { pause } from './sleeper.js';
import type { StageSchedule } from './stage-schedule.js';
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
  { start, clock, stop }: StageSchedule,
): Promise<void> {
  // evenly spaced: user i starts at i / spawnRate seconds
  const interval = 1000 / spec.spawnRate;
  for (let i = 0; i < spec.users && !stop.aborted; i++) {
    if (!users.launch()) break;
    const next = start + (i + 1) * interval - clock();
    if (i + 1 < spec.users && next > 0) await pause(next, stop);
  }
  if (!stop.aborted) aggregator.startHold(clock() - start);
}
