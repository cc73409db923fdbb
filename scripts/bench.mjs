// npm run bench: loadgate's engine side by side with autocannon, wrk and Locust FastHttpUser, in
// one run, on one trivial target pinned to core 0 (generators on core 1 where taskset exists).
// Interleaved rounds, medians. Writes bench/results.json and bench/RESULTS.md. Ratios, not
// absolute numbers, are what compare: the machines are shared and noisy.
// Env: BENCH_SECONDS (10), BENCH_ROUNDS (3), BENCH_USERS (50), BENCH_TOOLS (all).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const USERS = Number(process.env.BENCH_USERS ?? 50);
const PYTHON = '/usr/bin/python3'; // Debian's: it sees python3-locust
const hasTaskset = existsSync('/usr/bin/taskset') && availableParallelism() >= 2;
const pin = (core, argv) => (hasTaskset ? ['taskset', '-c', String(core), ...argv] : argv);

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});

/** Runs a command and returns its stdout and the CPU seconds and peak RSS of its process tree. */
function measured(argv, { cwd } = {}) {
  const wrapper = `import json,resource,subprocess,sys
p=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.DEVNULL)
r=resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stdout.write(json.dumps({"rc":p.returncode,"cpu":r.ru_utime+r.ru_stime,"maxrss_kb":r.ru_maxrss,"out":p.stdout.decode()}))`;
  const out = execFileSync(PYTHON, ['-c', wrapper, ...argv], { cwd, maxBuffer: 64 * 1024 * 1024 });
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
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

const TOOLS = {
  loadgate: (url) => {
    const r = measured(
      pin(1, [process.execPath, 'bench/loadgate-runner.mjs', url, String(USERS), String(SECONDS)]),
    );
    const j = JSON.parse(r.out);
    return {
      requests: j.requests,
      seconds: j.seconds,
      p50: j.p50,
      p99: j.p99,
      cpu: r.cpu,
      rssMb: r.maxrss_kb / 1024,
    };
  },
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
    return {
      requests: j.requests.total,
      seconds: SECONDS,
      p50: j.latency.p50,
      p99: j.latency.p99,
      cpu: r.cpu,
      rssMb: r.maxrss_kb / 1024,
    };
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
    return {
      requests,
      seconds: SECONDS,
      p50: p(50),
      p99: p(99),
      cpu: r.cpu,
      rssMb: r.maxrss_kb / 1024,
    };
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
    return {
      requests: col('Request Count'),
      seconds: SECONDS,
      p50: col('50%'),
      p99: col('99%'),
      cpu: r.cpu,
      rssMb: r.maxrss_kb / 1024,
    };
  },
};

const median = (values) => {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

const selected = (process.env.BENCH_TOOLS ?? Object.keys(TOOLS).join(',')).split(',');
const target = await startTarget();
const runs = Object.fromEntries(selected.map((t) => [t, []]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [...selected].reverse() : selected; // interleaved
    for (const tool of order) {
      const result = TOOLS[tool](target.url);
      if (result) runs[tool].push(result);
      process.stderr.write(
        `round ${round + 1} ${tool}: ${result ? `${Math.round(result.requests / result.seconds)} req/s` : 'not available'}\n`,
      );
    }
  }
  // memory: 300 users, and 10,000 users with 1 s think time (intended ~10,000 req/s)
  for (const [users, think] of [
    [300, 0],
    [10_000, 1000],
  ]) {
    const r = measured(
      pin(1, [
        process.execPath,
        'bench/loadgate-runner.mjs',
        target.url,
        String(users),
        String(SECONDS),
        String(think),
      ]),
    );
    const j = JSON.parse(r.out);
    runs[`loadgate ${users} users${think ? `, ${think / 1000} s think` : ''}`] = [
      {
        requests: j.requests,
        seconds: j.seconds,
        p50: j.p50,
        p99: j.p99,
        cpu: r.cpu,
        rssMb: r.maxrss_kb / 1024,
        users,
        thinkMs: think,
        heldRps: j.heldRps,
      },
    ];
  }
  // held load: 1,000 users for BENCH_SOAK_SECONDS (60), RSS sampled every second
  runs['loadgate 1000 users held'] = [
    await soak(target.url, 1000, Number(process.env.BENCH_SOAK_SECONDS ?? 60)),
  ];
} finally {
  target.stop();
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
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const samples = [];
  let cpuTicks = 0; // utime + stime of the engine, last read before it exited
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
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuTicks = Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited
    }
  }, 1000);
  await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(timer);
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
    cpu: cpuTicks / 100, // USER_HZ; the last second before exit is not counted
    rssMb: Math.max(...samples.map((x) => x.mb)),
    rssSlopeMbPerMin: Math.round(slope * 60 * 100) / 100,
    users,
  };
}

const summary = Object.fromEntries(
  Object.entries(runs)
    .filter(([, r]) => r.length > 0)
    .map(([tool, r]) => [
      tool,
      {
        rounds: r.length,
        rps: Math.round(median(r.map((x) => x.requests / x.seconds))),
        cpuUsPerRequest: Math.round(median(r.map((x) => (x.cpu / x.requests) * 1e6)) * 100) / 100,
        requestsPerCpuSecond: Math.round(median(r.map((x) => x.requests / x.cpu))),
        p50Ms: Math.round(median(r.map((x) => x.p50)) * 1000) / 1000,
        p99Ms: Math.round(median(r.map((x) => x.p99)) * 1000) / 1000,
        peakRssMb: Math.round(median(r.map((x) => x.rssMb))),
        ...(r[0].rssSlopeMbPerMin !== undefined
          ? { rssSlopeMbPerMin: r[0].rssSlopeMbPerMin, failures: r[0].failures }
          : {}),
        ...(r[0].users
          ? {
              users: r[0].users,
              intendedRps: r[0].thinkMs
                ? Math.round(r[0].users / (r[0].thinkMs / 1000))
                : undefined,
              heldRps: r[0].heldRps,
            }
          : {}),
      },
    ]),
);
const lg = summary.loadgate;
const ratio = (a, b) => (a && b ? Math.round((a / b) * 100) / 100 : undefined);
const big = summary['loadgate 10000 users, 1 s think'];
const targets = [
  [
    'generator CPU per request ≤ autocannon’s',
    ratio(lg?.cpuUsPerRequest, summary.autocannon?.cpuUsPerRequest),
    (v) => v <= 1,
  ],
  [
    'requests per CPU-second ≥ 5× Locust FastHttpUser',
    ratio(lg?.requestsPerCpuSecond, summary.locust?.requestsPerCpuSecond),
    (v) => v >= 5,
  ],
  [
    'p50 within 0.3 ms of wrk (difference, ms)',
    lg && summary.wrk ? Math.round((lg.p50Ms - summary.wrk.p50Ms) * 1000) / 1000 : undefined,
    (v) => Math.abs(v) <= 0.3,
  ],
  ['300 users: peak RSS ≤ 150 MB', summary['loadgate 300 users']?.peakRssMb, (v) => v <= 150],
  ['10,000 users, 1 s think: peak RSS ≤ 1024 MB', big?.peakRssMb, (v) => v <= 1024],
  [
    '10,000 users, 1 s think: share of the intended rate held (median second at full users)',
    big ? ratio(big.heldRps, big.intendedRps) : undefined,
    (v) => v >= 0.9,
  ],
  [
    '10,000 users, 1 s think: requests over the whole run, connecting included (for reference)',
    big ? ratio(big.rps, big.intendedRps) : undefined,
    () => undefined, // not a target
  ],
  [
    '1,000 users held: generator errors',
    summary['loadgate 1000 users held']?.failures,
    (v) => v === 0,
  ],
  [
    '1,000 users held: RSS slope over the second half (MB/min)',
    summary['loadgate 1000 users held']?.rssSlopeMbPerMin,
    (v) => Math.abs(v) < 20,
  ],
].map(([name, value, ok]) => ({ name, value, met: value === undefined ? undefined : ok(value) }));

const machine = {
  cores: availableParallelism(),
  node: process.version,
  pinned: hasTaskset,
  seconds: SECONDS,
  rounds: ROUNDS,
  users: USERS,
};
mkdirSync('bench', { recursive: true });
writeFileSync('bench/results.json', `${JSON.stringify({ machine, summary, targets }, null, 2)}\n`);
const md = [
  '# Benchmark results',
  '',
  `\`npm run bench\` on ${machine.cores} cores, Node ${machine.node}, target ${hasTaskset ? 'pinned to core 0, generators to core 1' : 'not pinned'}; ${USERS} connections/users, ${SECONDS} s per run, ${ROUNDS} interleaved rounds, medians.`,
  '',
  '| Generator | req/s | CPU µs per request | requests per CPU-s | p50 (ms) | p99 (ms) | peak RSS (MB) |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...Object.entries(summary).map(
    ([tool, s]) =>
      `| ${tool} | ${s.rps} | ${s.cpuUsPerRequest} | ${s.requestsPerCpuSecond} | ${s.p50Ms} | ${s.p99Ms} | ${s.peakRssMb} |`,
  ),
  '',
  '| Target | Measured | Met |',
  '| --- | --- | --- |',
  ...targets.map(
    (t) =>
      `| ${t.name} | ${t.value ?? 'n/a'} | ${t.met === undefined ? 'n/a' : t.met ? 'yes' : 'no'} |`,
  ),
  '',
].join('\n');
writeFileSync('bench/RESULTS.md', md);
process.stdout.write(md);
