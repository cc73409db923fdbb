import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HttpSample } from '../../src/model/run-result.js';
import { ROOT } from '../support/demo-stack.js';
import type { Fault } from './matrix.js';

/**
 * What a zoo app answered to each fault of the matrix, as the engine kept it (redacted): the
 * classifier's test data (test/diagnose/zoo-samples.test.ts). Written by `npm run zoo:capture`.
 */
export interface ZooSample {
  fault: Fault;
  /** The endpoint of the first failure; none when the run had none. */
  endpoint?: string;
  request?: HttpSample['request'];
  response?: HttpSample['response'];
  /** The app's log lines of the run (frames left out), as the diagnosis read them. */
  log: string[];
}

export interface ZooSamples {
  app: string;
  framework: string;
  samples: ZooSample[];
}

export const SAMPLES_DIR = path.join(ROOT, 'test', 'fixtures', 'zoo-samples');

/** Every app's captured samples. */
export function zooSamples(): ZooSamples[] {
  return readdirSync(SAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(SAMPLES_DIR, f), 'utf8')) as ZooSamples);
}
