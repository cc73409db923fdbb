// npm run bench: loadgate's engine side by side with autocannon, wrk and Locust FastHttpUser, in
// one run, on one trivial target pinned to core 0 (generators on core 1 where taskset exists).
// Interleaved rounds, medians. Writes bench/results.json (shape: RESULTS_SCHEMA below, described
// in bench/RESULTS.md) and bench/RESULTS.md. Ratios, not absolute numbers, are what compare: the
// machines are shared and noisy. Beside each figure: the target's and the generator's CPU share
// and the generator's event-loop delay, and from them what limited the run (`limitedBy`).
// Env: BENCH_SECONDS (10), BENCH_ROUNDS (3), BENCH_USERS (50), BENCH_TOOLS (all),
// BENCH_SOAK_SECONDS (60), BENCH_PROFILE (1: profile the 50-user and the 10,000-user runs with
// `node --cpu-prof` and list their top frames by self time).
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const USERS = Number(process.env.BENCH_USERS ?? 50);
/** The 10,000-user run at a ramp's pace: 5 s of spawning, then SECONDS of hold. */
const RAMP_SPAWN_RATE = 2000;
const RAMP_SECONDS = 10_000 / RAMP_SPAWN_RATE + SECONDS;
const PYTHON = '/usr/bin/python3'; // Debian's: it sees python3-locust
const hasTaskset = existsSync('/usr/bin/taskset') && availableParallelism() >= 2;
const pin = (core, argv) => (hasTaskset ? ['taskset', '-c', String(core), ...argv] : argv);

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});

/** CPU seconds (user + system) a process has used so far, from /proc; undefined elsewhere. */
function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ
  } catch {
    return undefined;
  }
}

/**
 * Runs a command and returns its stdout, the CPU seconds and peak RSS of its process tree, its
 * wall time and the target's CPU seconds over the same time.
 */
function measured(argv, { cwd, env } = {}) {
  const targetBefore = cpuSecondsOf(target.pid);
  const machineBefore = machineCpuSeconds();
  const overflowsBefore = listenOverflows();
  const wallStart = performance.now();
  const r = run(argv, { cwd, env });
  const wall = (performance.now() - wallStart) / 1000;
  const targetAfter = cpuSecondsOf(target.pid);
  const targetCpu =
    targetBefore !== undefined && targetAfter !== undefined ? targetAfter - targetBefore : NaN;
  const machineCpu = (machineCpuSeconds() ?? NaN) - (machineBefore ?? NaN);
  const overflows = (listenOverflows() ?? NaN) - (overflowsBefore ?? NaN);
  return { ...r, wall, targetCpu, machineCpu, overflows };
}

/**
 * Connections dropped so far because a listening socket's accept queue was full (the kernel's
 * TcpExt ListenOverflows, /proc/net/netstat); undefined elsewhere. A dropped SYN is sent again
 * a second later: every request on such a connection carries that second, a tail made by the
 * target's accept queue (capped by net.core.somaxconn), not by the generator.
 */
function listenOverflows() {
  try {
    const rows = readFileSync('/proc/net/netstat', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('TcpExt:'));
    const at = rows[0]?.split(' ').indexOf('ListenOverflows') ?? -1;
    return at > 0 && rows[1] ? Number(rows[1].split(' ')[at]) : undefined;
  } catch {
    return undefined;
  }
}

/** net.core.somaxconn: the most connections a listening socket's accept queue holds. */
function somaxconn() {
  try {
    return Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());
  } catch {
    return null;
  }
}

/** CPU seconds all the machine's cores have been busy so far (/proc/stat); undefined elsewhere. */
function machineCpuSeconds() {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
    return (user + nice + system + irq + softirq + steal) / 100; // USER_HZ; idle, iowait left out
  } catch {
    return undefined;
  }
}

function run(argv, { cwd, env } = {}) {
  const wrapper = `import json,resource,subprocess,sys
p=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.DEVNULL)
r=resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stdout.write(json.dumps({"rc":p.returncode,"cpu":r.ru_utime+r.ru_stime,"maxrss_kb":r.ru_maxrss,"out":p.stdout.decode()}))`;
  const out = execFileSync(PYTHON, ['-c', wrapper, ...argv], {
    cwd,
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString());
}

async function startTarget() {
  const child = spawn(
    pin(0, [process.execPath, 'bench/target-server.mjs'])[0],
    pin(0, [process.execPath, 'bench/target-server.mjs']).slice(1),
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise((resolve) =>
    child.stdout.once('data', (d) => resolve(Number(String(d).trim()))),
  );
  // taskset execs the command: the pid is the target's
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

/** What every run records: its figures, the CPU of both sides and its own wall time. */
const figures = (r, fields) => ({
  cpu: r.cpu,
  overflows: r.overflows,
  rssMb: r.maxrss_kb / 1024,
  wall: r.wall,
  targetCpu: r.targetCpu,
  machineCpu: r.machineCpu,
  ...fields,
});

/**
 * The loadgate runner: `users` for `seconds`, `thinkMs` between requests; `build`: tsc output;
 * `spawnRate`: users started per second (the runner's default: all within a second).
 */
function loadgate(url, users, seconds, thinkMs = 0, build = undefined, spawnRate = undefined) {
  const r = measured(
    pin(1, [
      process.execPath,
      'bench/loadgate-runner.mjs',
      url,
      String(users),
      String(seconds),
      String(thinkMs),
      ...(spawnRate ? [String(spawnRate)] : []),
    ]),
    { env: build ? { LOADGATE_BUILD: path.resolve(build) } : {} },
  );
  const j = JSON.parse(r.out);
  return figures(r, {
    requests: j.requests,
    seconds: j.seconds,
    p50: j.p50,
    p99: j.p99,
    eventLoopDelayMs: j.eventLoopDelayMs,
    gcPausesMs: j.gcPausesMs,
    heldRps: j.heldRps,
    steadyP99: j.steadyP99,
  });
}

const TOOLS = {
  loadgate: (url) => loadgate(url, USERS, SECONDS),
  autocannon: (url) => {
    const r = measured(
      pin(1, [
        process.execPath,
        'node_modules/autocannon/autocannon.js',
        '-c',
        String(USERS),
        '-d',
        String(SECONDS),
        '-j',
        url,
      ]),
    );
    const j = JSON.parse(r.out);
    return figures(r, {
      requests: j.requests.total,
      seconds: SECONDS,
      p50: j.latency.p50,
      p99: j.latency.p99,
    });
  },
  wrk: (url) => {
    if (!existsSync('/usr/bin/wrk')) return undefined;
    const r = measured(pin(1, ['wrk', '-t1', `-c${USERS}`, `-d${SECONDS}s`, '--latency', url]));
    const requests = Number(/(\d+) requests in/.exec(r.out)?.[1]);
    const toMs = (v, unit) => Number(v) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? 1);
    const p = (q) => {
      const m = new RegExp(`\\s${q}%\\s+([\\d.]+)(us|ms|s)`).exec(r.out);
      return m ? toMs(m[1], m[2]) : NaN;
    };
    return figures(r, { requests, seconds: SECONDS, p50: p(50), p99: p(99) });
  },
  locust: (url) => {
    if (!existsSync('/usr/bin/locust')) return undefined;
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-locust-'));
    const r = measured(
      pin(1, [
        PYTHON,
        '/usr/bin/locust',
        '-f',
        path.resolve('bench/locustfile.py'),
        '--headless',
        '-u',
        String(USERS),
        '-r',
        String(USERS),
        '-t',
        `${SECONDS}s`,
        '--host',
        url,
        '--csv',
        path.join(dir, 'r'),
        '--only-summary',
      ]),
    );
    const csv = readFileSync(path.join(dir, 'r_stats.csv'), 'utf8').trim().split('\n');
    const header = csv[0].split(',');
    const row = csv.find((l) => l.includes('Aggregated')).split(',');
    const col = (name) => Number(row[header.indexOf(name)]);
    return figures(r, {
      requests: col('Request Count'),
      seconds: SECONDS,
      p50: col('50%'),
      p99: col('99%'),
    });
  },
};

const median = (values) => {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const round = (v, digits = 2) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

/** Scenarios: a stable id (the key CI compares on), a label, the tool and the load. */
const scenarioOf = (tool) => ({
  id: `${tool}-${USERS}`,
  label: tool,
  tool,
  users: USERS,
  thinkMs: 0,
});
const selected = (process.env.BENCH_TOOLS ?? Object.keys(TOOLS).join(',')).split(',');
const target = await startTarget();
const runs = new Map(selected.map((t) => [t, { scenario: scenarioOf(t), runs: [] }]));
const profiles = [];
/**
 * BENCH_BUILDS="base=DIR,new=DIR": compares builds of the engine (tsc output under the repo, e.g.
 * .cache/ab/NAME) instead of the tools: the 50-user and the 10,000-user runs of each build,
 * interleaved, into .cache/bench-compare.md; bench/results.json and bench/RESULTS.md are left as they are.
 */
const BUILDS = process.env.BENCH_BUILDS?.split(',').map((b) => b.split('='));
const COMPARED = [
  [USERS, 0, `${USERS}`, `${USERS} users`],
  [10_000, 1000, '10000-think-1s', '10000 users, 1 s think'],
];
try {
  if (BUILDS) runs.clear();
  for (let r = 0; r < ROUNDS && BUILDS; r++) {
    for (const [name, dir] of r % 2 ? [...BUILDS].reverse() : BUILDS) {
      for (const [users, think, suffix, label] of COMPARED) {
        const id = `loadgate@${name}-${suffix}`;
        if (!runs.has(id)) {
          const scenario = {
            id,
            label: `${name}: ${label}`,
            tool: 'loadgate',
            users,
            thinkMs: think,
          };
          runs.set(id, { scenario, runs: [] });
        }
        runs.get(id).runs.push(loadgate(target.url, users, SECONDS, think, dir));
        process.stderr.write(`round ${r + 1} ${id}\n`);
      }
    }
  }
  for (let r = 0; r < ROUNDS && !BUILDS; r++) {
    const order = r % 2 ? [...selected].reverse() : selected; // interleaved
    for (const tool of order) {
      const result = TOOLS[tool](target.url);
      if (result) runs.get(tool).runs.push(result);
      process.stderr.write(
        `round ${r + 1} ${tool}: ${result ? `${Math.round(result.requests / result.seconds)} req/s` : 'not available'}\n`,
      );
    }
  }
  // memory and tail: 300 users, and 10,000 users with 1 s think time (intended ~10,000 req/s),
  // started within a second (a connect storm) and at a ramp's pace (connected before the hold);
  // each run ROUNDS times, medians: one 10,000-user run alone can land on a busy second
  for (const [users, think, id, label, spawnRate, seconds] of BUILDS
    ? []
    : [
        [300, 0, 'loadgate-300', 'loadgate 300 users'],
        [10_000, 1000, 'loadgate-10000-think-1s', 'loadgate 10000 users, 1 s think'],
        [
          10_000,
          1000,
          'loadgate-10000-think-1s-ramp',
          `loadgate 10000 users, 1 s think, ${RAMP_SPAWN_RATE}/s`,
          RAMP_SPAWN_RATE,
          RAMP_SECONDS,
        ],
      ]) {
    const scenario = {
      id,
      label,
      tool: 'loadgate',
      users,
      thinkMs: think,
      spawnRate: spawnRate ?? null,
    };
    runs.set(id, {
      scenario,
      runs: Array.from({ length: ROUNDS }, () =>
        loadgate(target.url, users, seconds ?? SECONDS, think, undefined, spawnRate),
      ),
    });
  }
  // held load: 1,000 users for BENCH_SOAK_SECONDS (60), RSS sampled every second
  if (!BUILDS) {
    runs.set('loadgate-1000-held', {
      scenario: {
        id: 'loadgate-1000-held',
        label: 'loadgate 1000 users held',
        tool: 'loadgate',
        users: 1000,
        thinkMs: 10,
      },
      runs: [await soak(target.url, 1000, Number(process.env.BENCH_SOAK_SECONDS ?? 60))],
    });
  }
  if (process.env.BENCH_PROFILE === '1' && !BUILDS) {
    profiles.push(
      profile(target.url, 'loadgate-50', USERS, 0),
      profile(target.url, 'loadgate-10000-think-1s', 10_000, 1000),
    );
  }
} finally {
  target.stop();
}

/** A run of the loadgate runner under `node --cpu-prof`: its top frames by self time. */
function profile(url, id, users, thinkMs) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-profile-'));
  execFileSync(
    pin(1, [process.execPath])[0],
    [
      ...pin(1, [process.execPath]).slice(1),
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      'bench/loadgate-runner.mjs',
      url,
      String(users),
      String(SECONDS),
      String(thinkMs),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const table = execFileSync(process.execPath, [
    'bench/profile-top.mjs',
    path.join(dir, file),
    '12',
  ]);
  return { id, table: table.toString() };
}

/** Runs the engine with `users` (10 ms think) for `seconds`, sampling its RSS once a second. */
async function soak(url, users, seconds) {
  const argv = pin(1, [
    process.execPath,
    'bench/loadgate-runner.mjs',
    url,
    String(users),
    String(seconds),
    '10',
  ]);
  const targetBefore = cpuSecondsOf(target.pid);
  const machineBefore = machineCpuSeconds();
  const wallStart = performance.now();
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const samples = [];
  let cpu = 0; // of the engine, last read before it exited
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const started = Date.now();
  const timer = setInterval(() => {
    try {
      // taskset execs the command: the pid is the engine's
      const kb = Number(
        /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1],
      );
      if (kb) samples.push({ t: (Date.now() - started) / 1000, mb: kb / 1024 });
      cpu = cpuSecondsOf(child.pid) ?? cpu;
    } catch {
      // exited
    }
  }, 1000);
  await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  const wall = (performance.now() - wallStart) / 1000;
  const targetCpu = (cpuSecondsOf(target.pid) ?? NaN) - (targetBefore ?? NaN);
  const machineCpu = (machineCpuSeconds() ?? NaN) - (machineBefore ?? NaN);
  const j = JSON.parse(out);
  // slope of RSS over the second half (after the spawn phase), MB per minute
  const half = samples.filter((x) => x.t >= seconds / 2);
  const mt = half.reduce((a, x) => a + x.t, 0) / half.length;
  const mm = half.reduce((a, x) => a + x.mb, 0) / half.length;
  const slope =
    half.reduce((a, x) => a + (x.t - mt) * (x.mb - mm), 0) /
    half.reduce((a, x) => a + (x.t - mt) ** 2, 0);
  return {
    requests: j.requests,
    failures: j.failures,
    seconds: j.seconds,
    p50: j.p50,
    p99: j.p99,
    eventLoopDelayMs: j.eventLoopDelayMs,
    cpu, // the last second before exit is not counted
    rssMb: Math.max(...samples.map((x) => x.mb)),
    rssSlopeMbPerMin: Math.round(slope * 60 * 100) / 100,
    wall,
    targetCpu,
    machineCpu,
  };
}

/** A CPU share at or above this (% of one core) is that side's limit. */
const SATURATED_PERCENT = 90;
/** Other processes busy this much (% of one core) took CPU from the two sides: a disturbed run. */
const OTHERS_PERCENT = 50;
/** An event-loop delay p99 above this (ms) is the generator's own limit (its latencies carry it). */
const LAGGING_MS = 5;

/**
 * What limited a run, from the medians beside it: the target's accept queue (a connection
 * dropped in any round: its request waited a second for its SYN to go again), the target's
 * CPU, the generator's CPU, the machine's other processes (a disturbed run), the generator's
 * event loop, the think time (a closed model with think time asks for its rate and no more), or
 * neither (round trips: each user waits for its response).
 */
function limitOf(s) {
  if (s.listenOverflows > 0) return 'target-accept-queue';
  if (s.targetCpuPercent >= SATURATED_PERCENT) return 'target-cpu';
  if (s.generatorCpuPercent >= SATURATED_PERCENT) return 'generator-cpu';
  if (s.otherCpuPercent >= OTHERS_PERCENT) return 'other-processes';
  if (s.eventLoopDelayMs && s.eventLoopDelayMs.p99 > LAGGING_MS) return 'generator-event-loop';
  if (s.thinkMs > 0) return 'think-time';
  return 'round-trips';
}

const scenarios = [...runs.values()]
  .filter(({ runs: r }) => r.length > 0)
  .map(({ scenario, runs: r }) => {
    const lag = r[0].eventLoopDelayMs
      ? Object.fromEntries(
          Object.keys(r[0].eventLoopDelayMs)
            .filter((k) => k !== 'samples')
            .map((k) => [k, round(median(r.map((x) => x.eventLoopDelayMs[k])))]),
        )
      : null;
    const s = {
      ...scenario,
      rounds: r.length,
      rps: round(median(r.map((x) => x.requests / x.seconds)), 0),
      cpuUsPerRequest: round(median(r.map((x) => (x.cpu / x.requests) * 1e6))),
      requestsPerCpuSecond: round(median(r.map((x) => x.requests / x.cpu)), 0),
      p50Ms: round(median(r.map((x) => x.p50)), 3),
      p99Ms: round(median(r.map((x) => x.p99)), 3),
      peakRssMb: round(median(r.map((x) => x.rssMb)), 0),
      generatorCpuPercent: round(median(r.map((x) => (x.cpu / x.wall) * 100)), 1),
      targetCpuPercent: round(median(r.map((x) => (x.targetCpu / x.wall) * 100)), 1),
      // the machine's busy time that was neither side's: another job on the same cores
      otherCpuPercent: round(
        median(r.map((x) => ((x.machineCpu - x.cpu - x.targetCpu) / x.wall) * 100)),
        1,
      ),
      eventLoopDelayMs: lag,
      gcPausesMs: r[0].gcPausesMs
        ? Object.fromEntries(
            ['run', 'steady'].map((part) => [
              part,
              Object.fromEntries(
                Object.keys(r[0].gcPausesMs[part]).map((k) => [
                  k,
                  median(r.map((x) => x.gcPausesMs[part][k])),
                ]),
              ),
            ]),
          )
        : null,
      intendedRps: scenario.thinkMs >= 1000 ? scenario.users / (scenario.thinkMs / 1000) : null,
      heldRps: r[0].heldRps ?? null,
      steadyP99Ms: r[0].steadyP99 ?? null,
      failures: r[0].failures ?? null,
      rssSlopeMbPerMin: r[0].rssSlopeMbPerMin ?? null,
      // the most in one round: a single dropped connection makes a second-long request
      listenOverflows: r.some((x) => Number.isNaN(x.overflows ?? NaN))
        ? null
        : Math.max(...r.map((x) => x.overflows)),
    };
    return { ...s, limitedBy: limitOf(s) };
  });
const byId = Object.fromEntries(scenarios.map((s) => [s.id, s]));
const lg = byId[`loadgate-${USERS}`];
const ratio = (a, b) => (a && b ? round(a / b) : null);
const big = byId['loadgate-10000-think-1s'];
const ramp = byId['loadgate-10000-think-1s-ramp'];
const held = byId['loadgate-1000-held'];
const targets = [
  [
    'cpu-vs-wrk',
    'generator CPU per request ≤ 1.1× wrk’s',
    ratio(lg?.cpuUsPerRequest, byId[`wrk-${USERS}`]?.cpuUsPerRequest),
    (v) => v <= 1.1,
  ],
  [
    'cpu-vs-autocannon',
    'generator CPU per request ≤ autocannon’s',
    ratio(lg?.cpuUsPerRequest, byId[`autocannon-${USERS}`]?.cpuUsPerRequest),
    (v) => v <= 1,
  ],
  [
    'cpu-vs-locust',
    'requests per CPU-second ≥ 5× Locust FastHttpUser',
    ratio(lg?.requestsPerCpuSecond, byId[`locust-${USERS}`]?.requestsPerCpuSecond),
    (v) => v >= 5,
  ],
  [
    'p50-vs-wrk',
    'p50 within 0.3 ms of wrk (difference, ms)',
    lg && byId[`wrk-${USERS}`] ? round(lg.p50Ms - byId[`wrk-${USERS}`].p50Ms, 3) : null,
    (v) => Math.abs(v) <= 0.3,
  ],
  ['rss-300', '300 users: peak RSS ≤ 150 MB', byId['loadgate-300']?.peakRssMb, (v) => v <= 150],
  [
    'p99-10000',
    `10,000 users, 1 s think: p99 within 5 ms of the ${USERS}-user p99 (difference, ms)`,
    big && lg ? round(big.p99Ms - lg.p99Ms) : null,
    (v) => v <= 5,
  ],
  [
    'steady-p99-10000',
    `10,000 users, 1 s think, once connected: median per-second p99 less the ${USERS}-user p99 (difference, ms; for reference)`,
    big && lg && big.steadyP99Ms !== null ? round(big.steadyP99Ms - lg.p99Ms) : null,
    () => null, // not a target: where the tail is made
  ],
  [
    'p99-10000-ramp',
    `10,000 users spawned at ${RAMP_SPAWN_RATE}/s, 1 s think: p99 less the ${USERS}-user p99 (difference, ms; for reference: ${10_000 / RAMP_SPAWN_RATE} s of connecting instead of one)`,
    ramp && lg ? round(ramp.p99Ms - lg.p99Ms) : null,
    () => null, // not a target: the spawn rate is the storm's
  ],
  [
    'steady-p99-10000-ramp',
    `10,000 users spawned at ${RAMP_SPAWN_RATE}/s, 1 s think, once connected: median per-second p99 less the ${USERS}-user p99 (difference, ms; for reference)`,
    ramp && lg && ramp.steadyP99Ms !== null ? round(ramp.steadyP99Ms - lg.p99Ms) : null,
    () => null,
  ],
  ['rss-10000', '10,000 users, 1 s think: peak RSS ≤ 250 MB', big?.peakRssMb, (v) => v <= 250],
  [
    'rate-10000',
    '10,000 users, 1 s think: share of the intended rate held (median second at full users)',
    big ? ratio(big.heldRps, big.intendedRps) : null,
    (v) => v >= 0.9,
  ],
  [
    'rate-10000-whole-run',
    '10,000 users, 1 s think: requests over the whole run, connecting included (for reference)',
    big ? ratio(big.rps, big.intendedRps) : null,
    () => null, // not a target
  ],
  ['errors-1000-held', '1,000 users held: generator errors', held?.failures, (v) => v === 0],
  [
    'rss-slope-1000-held',
    '1,000 users held: RSS slope over the second half (MB/min)',
    held?.rssSlopeMbPerMin,
    (v) => Math.abs(v) < 20,
  ],
].map(([id, name, value, ok]) => ({
  id,
  name,
  value: value ?? null,
  met: value === null || value === undefined ? null : ok(value),
}));

const machine = {
  cores: availableParallelism(),
  node: process.version,
  pinned: hasTaskset,
  seconds: SECONDS,
  rounds: ROUNDS,
  users: USERS,
  loadAverage: loadavg().map((v) => round(v)),
  somaxconn: somaxconn(),
};
/** Bumped when a field changes meaning or goes away (adding one does not). */
const RESULTS_SCHEMA = 2;
/** The shape of bench/results.json, written under every run. */
const RESULTS_DOC = [
  `\`bench/results.json\` (schema ${RESULTS_SCHEMA}; a field that changes meaning or goes away bumps \`schema\`): \`machine\` (cores, node, pinned, seconds, rounds, users, loadAverage, somaxconn), \`scenarios\` and \`targets\`. One object per scenario, keyed by a stable \`id\` (\`loadgate-50\`, \`autocannon-50\`, \`wrk-50\`, \`locust-50\`, \`loadgate-300\`, \`loadgate-10000-think-1s\`, \`loadgate-10000-think-1s-ramp\`, \`loadgate-1000-held\`): \`label\`, \`tool\`, \`users\`, \`thinkMs\`, \`spawnRate\` (users started per second; null: all within a second), \`rounds\`, \`rps\`, \`cpuUsPerRequest\`, \`requestsPerCpuSecond\`, \`p50Ms\`, \`p99Ms\`, \`peakRssMb\`, \`generatorCpuPercent\`, \`targetCpuPercent\` and \`otherCpuPercent\` (CPU time over wall time, % of one core; other: the machine's busy time that was neither side's), \`eventLoopDelayMs\` (the generator's, beyond the sampling period: p50, p90, p99, p999, max; null for other tools), \`gcPausesMs\` (the generator's garbage-collection pauses, \`run\`: over the whole run, \`steady\`: over the seconds \`steadyP99Ms\` reads; each \`count\`, \`perSecond\`, \`total\` and \`max\` in ms; medians over the rounds; null for other tools), \`intendedRps\`, \`heldRps\`, \`steadyP99Ms\` (median per-second p99 once every user has connected), \`failures\`, \`rssSlopeMbPerMin\` (null where they do not apply), \`listenOverflows\` (connections the kernel dropped because the target's accept queue was full, the most in one round; null where it cannot be read) and \`limitedBy\`: \`target-accept-queue\` (a connection dropped in any round: its SYN goes again a second later, so the tail is the target's accept queue, capped by \`net.core.somaxconn\`), \`target-cpu\` (target ≥ ${SATURATED_PERCENT} % CPU), \`generator-cpu\` (generator ≥ ${SATURATED_PERCENT} %), \`other-processes\` (the machine's other processes ≥ ${OTHERS_PERCENT} % of a core: a disturbed run), \`generator-event-loop\` (event-loop delay p99 > ${LAGGING_MS} ms), \`think-time\` (the users asked for no more) or \`round-trips\` (neither side saturated: each user waits for its response), checked in that order. \`targets\`: \`id\`, \`name\`, \`value\`, \`met\` (null: not a target, or not measured).`,
  '',
];
const cell = (v) => (v === null || v === undefined ? 'n/a' : v);
const scenarioTable = (list) => [
  '| Scenario | req/s | CPU µs per request | requests per CPU-s | p50 (ms) | p99 (ms) | peak RSS (MB) | generator CPU % | target CPU % | other CPU % | event-loop delay p50 / p99 / max (ms) | limited by |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...list.map(
    (s) =>
      `| ${s.label} | ${s.rps} | ${s.cpuUsPerRequest} | ${s.requestsPerCpuSecond} | ${s.p50Ms} | ${s.p99Ms} | ${s.peakRssMb} | ${cell(s.generatorCpuPercent)} | ${cell(s.targetCpuPercent)} | ${cell(s.otherCpuPercent)} | ${s.eventLoopDelayMs ? `${s.eventLoopDelayMs.p50} / ${s.eventLoopDelayMs.p99} / ${s.eventLoopDelayMs.max}` : 'n/a'} | ${s.limitedBy} |`,
  ),
];
const setting = `${machine.cores} cores, Node ${machine.node}, target ${hasTaskset ? 'pinned to core 0, generators to core 1' : 'not pinned'}; ${SECONDS} s per run, ${ROUNDS} interleaved rounds, medians; load average ${machine.loadAverage.join(' / ')} at the end`;
if (BUILDS) {
  const [[first]] = BUILDS;
  const compared = BUILDS.slice(1).flatMap(([name]) =>
    COMPARED.map(([, , suffix, label]) => {
      const a = byId[`loadgate@${first}-${suffix}`];
      const b = byId[`loadgate@${name}-${suffix}`];
      return `| ${name} ÷ ${first}, ${label} | ${ratio(b?.cpuUsPerRequest, a?.cpuUsPerRequest)} | ${b && a ? round(b.p99Ms - a.p99Ms) : 'n/a'} | ${ratio(b?.eventLoopDelayMs?.p99, a?.eventLoopDelayMs?.p99)} | ${ratio(b?.peakRssMb, a?.peakRssMb)} |`;
    }),
  );
  const compare = [
    '# Engine builds compared',
    '',
    `\`BENCH_BUILDS=${process.env.BENCH_BUILDS} npm run bench\` on ${setting}.`,
    '',
    ...scenarioTable(scenarios),
    '',
    '| Builds | CPU per request (ratio) | p99 (difference, ms) | event-loop delay p99 (ratio) | peak RSS (ratio) |',
    '| --- | --- | --- | --- | --- |',
    ...compared,
    '',
  ].join('\n');
  writeFileSync('.cache/bench-compare.md', compare);
  process.stdout.write(compare);
  process.exit(0);
}
mkdirSync('bench', { recursive: true });
writeFileSync(
  'bench/results.json',
  `${JSON.stringify({ schema: RESULTS_SCHEMA, machine, scenarios, targets }, null, 2)}\n`,
);
const md = [
  '# Benchmark results',
  '',
  `\`npm run bench\` on ${setting}; ${USERS} connections/users.`,
  '',
  ...scenarioTable(scenarios),
  '',
  ...(big?.gcPausesMs
    ? [
        `Garbage-collection pauses of the generator, 10,000 users with 1 s think (medians over the rounds): over the whole run ${gcLine(big.gcPausesMs.run)}; once every user has connected ${gcLine(big.gcPausesMs.steady)}.`,
        '',
      ]
    : []),
  ...(big?.eventLoopDelayMs
    ? [
        `Event-loop delay of the generator, 10,000 users with 1 s think (ms beyond the ${10} ms sampling period): ${Object.entries(
          big.eventLoopDelayMs,
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}.`,
        '',
      ]
    : []),
  '| Target | Measured | Met |',
  '| --- | --- | --- |',
  ...targets.map(
    (t) => `| ${t.name} | ${cell(t.value)} | ${t.met === null ? 'n/a' : t.met ? 'yes' : 'no'} |`,
  ),
  '',
  ...RESULTS_DOC,
  ...profiles.flatMap((p) => [
    `Top frames by self time, \`${p.id}\` (\`node --cpu-prof\`):`,
    '',
    p.table,
  ]),
].join('\n');
writeFileSync('bench/RESULTS.md', md);

/** "12 pauses (2.4 a second), 41.5 ms in all, the longest 9.8 ms". */
function gcLine(g) {
  return `${g.count} pauses (${g.perSecond ?? 'n/a'} a second), ${g.total} ms in all, the longest ${g.max} ms`;
}
process.stdout.write(md);
