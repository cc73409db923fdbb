import type { CAPACITY, CpuFacts } from '../../../src/report/finding-words/capacity.js';
import type { Samples } from '../../support/word-samples.js';

const knee = { kneeUsers: 10, kneeRps: 300, kneeSecond: 3, peakRps: 330, maxUsers: 20 };
const oneUser = { kneeUsers: 1, kneeRps: 18, kneeSecond: 1, peakRps: 20, maxUsers: 8 };
const withCapacity = { ...knee, capacityUsers: 15 };

const process: CpuFacts = { busiestProcess: true, percent: 100 };
const thread: CpuFacts = { busiestProcess: true, percent: 35, threadBusy: 100 };
const service: CpuFacts = { service: 'api', busiestProcess: false, percent: 12 };
const wholeStack: CpuFacts = { busiestProcess: false, percent: 72, threadBusy: 64 };

const threshold = {
  metric: 'p95' as const,
  scope: 'global',
  limit: '< 500ms',
  actual: 750,
  unit: 'ms' as const,
  status: 'fail' as const,
};

const collapse = {
  fromSecond: 5,
  seconds: 3,
  users: 25,
  requests: 630,
  failures: 620,
  before: { requests: 900, failures: 1 },
  ramp: { requests: 1530, failures: 621 },
  clock: '19:20:04',
};

export const CAPACITY_SAMPLES: Samples<typeof CAPACITY.en> = {
  'capacity.cpu-bound.title': [knee, oneUser],
  'capacity.shared-bottleneck.title': [knee, oneUser],
  'capacity.saturation.title': [knee, withCapacity, oneUser],
  'capacity.knee': [knee, oneUser],
  'capacity.signals': [
    {
      signals: [
        { kind: 'plateau', peakRps: 330, kneeUsers: 10, maxUsers: 20 },
        { kind: 'latency-grew', p95Early: 4, p95Late: 63.5 },
        { kind: 'cpu-saturated', cpu: process, seconds: 4, saturatedPercent: 85 },
        { kind: 'one-at-a-time' },
      ],
    },
    {
      signals: [
        { kind: 'plateau', peakRps: 330, kneeUsers: 10, maxUsers: 20 },
        { kind: 'cpu-saturated', cpu: thread, seconds: 3, saturatedPercent: 85 },
        {
          kind: 'cpu-saturated',
          cpu: { ...wholeStack, percent: 99 },
          seconds: 5,
          saturatedPercent: 85,
        },
      ],
    },
    {
      signals: [
        { kind: 'plateau', peakRps: 100, kneeUsers: 1, maxUsers: 20 },
        { kind: 'cpu-idle', cpu: service },
        { kind: 'served-at-once', atOnce: 5, peakRps: 100 },
        { kind: 'log', line: 'api | 12:00:01.000 WARNING pool wait 180 ms (10/10 in use)' },
        { kind: 'database', service: 'postgres' },
      ],
    },
    {
      signals: [
        { kind: 'cpu-idle', cpu: { busiestProcess: true, percent: 4 } },
        { kind: 'served-at-once', atOnce: 1, peakRps: 20 },
        { kind: 'cpu-between', cpu: wholeStack },
        { kind: 'cpu-between', cpu: { ...service, percent: 72 } },
      ],
    },
    {
      signals: [
        { kind: 'generator-cpu', cpuPercent: 98, seconds: 20 },
        { kind: 'event-loop', lagMs: 340 },
        { kind: 'generator-plateau', peakRps: 330, kneeUsers: 10 },
      ],
    },
    { signals: [{ kind: 'generator-cpu', cpuPercent: 97, seconds: 12.4 }] },
  ],
  'capacity.met-threshold': [{ users: 15 }],
  'capacity.cpu-bound.action': [],
  'capacity.shared-bottleneck.action': [{ atOnce: 1 }, { atOnce: 5 }],
  'capacity.saturation.action': [],
  'capacity.timeouts.title': [{ endpoint: 'GET /items' }],
  'capacity.timeouts.dropped': [
    {
      count: 60,
      requests: 1000,
      errors: [
        { message: 'ReadTimeout: read timed out (read timeout=1.0)', count: 40 },
        { message: 'ECONNRESET', count: 20 },
      ],
    },
    { count: 1, requests: 400, errors: [{ message: 'socket hang up', count: 1 }] },
  ],
  'capacity.timeouts.action': [],
  'generator.saturated.title': [],
  'generator.saturated.action': [],
  'latency.threshold.title': [threshold, { ...threshold, scope: 'GET /items', actual: 1200 }],
  'latency.threshold.measured': [threshold],
  'latency.threshold.explained': [
    { cause: 'capacity.cpu-bound', knee },
    { cause: 'capacity.shared-bottleneck', knee: oneUser },
  ],
  'latency.threshold.slowest': [
    { endpoint: 'GET /items', p95: 750, requests: 3000 },
    { endpoint: 'POST /token', p95: 50, requests: 1 },
  ],
  'latency.threshold.profile': [{ endpoint: 'GET /items' }, { endpoint: undefined }],
  'errors.collapse.title': [collapse],
  'errors.collapse.burst': [collapse, { ...collapse, users: 1, failures: 1, requests: 2 }],
  'errors.collapse.before': [collapse],
  'errors.collapse.action': [collapse],
};
