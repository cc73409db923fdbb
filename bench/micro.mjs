// Micro-benchmarks of two engine parts, for builds compared side by side (CPU time, not wall
// time: a busy machine slows both alike). Interleaved rounds, medians, ratios to the first build.
// Usage: node bench/micro.mjs NAME=BUILD_DIR NAME=BUILD_DIR... (tsc output, e.g. .cache/ab/base)
// Env: MICRO_ROUNDS (7).
//  - parse: RawConnection's response-head parser on a node:http response head, µs per head (the
//    same head again and again: since the head memo, what a server answering alike costs);
//  - sleep: 10,000 users sleeping 100 ms in turn for 2 s on the Sleeper, µs of CPU per wake-up.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROUNDS = Number(process.env.MICRO_ROUNDS ?? 7);
const builds = process.argv.slice(2).map((arg) => arg.split('='));
if (builds.length === 0) {
  process.stderr.write('usage: node bench/micro.mjs NAME=BUILD_DIR [NAME=BUILD_DIR...]\n');
  process.exit(2);
}
const load = async (dir, file) => import(pathToFileURL(path.resolve(dir, file)).href);
const cpuUs = (start) => {
  const used = process.cpuUsage(start);
  return used.user + used.system;
};

const HEAD =
  'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nDate: Sun, 29 Nov 2026 19:53:55 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=60';
const REQUEST = { method: 'GET', path: '/', headers: {}, headersTimeout: 30_000, bytesSent: 0 };

async function parse(dir) {
  const { RawConnection } = await load(dir, 'transport/raw-connection.js');
  const connection = new RawConnection('127.0.0.1', 1, '127.0.0.1:1', { cancelled: false });
  connection.begin(REQUEST, () => 0);
  // since the head memo, onHead reads the head's bytes; before, its text
  const bytes = Buffer.from(HEAD, 'latin1');
  const read =
    connection.onHead.length === 2
      ? () => connection.onHead(bytes, bytes.length)
      : () => connection.onHead(HEAD);
  const n = 200_000;
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    if (!read()) throw new Error('the head was refused');
  }
  return cpuUs(start) / n;
}

async function sleep(dir) {
  const { Sleeper } = await load(dir, 'engine/builtin/sleeper.js');
  const sleeper = new Sleeper();
  let wakes = 0;
  let stopped = false;
  // a user's loop as the engine runs it: one wake callback handed to the sleeper (`after`), or,
  // in builds from before it, an awaited sleep
  const user = sleeper.after
    ? () => {
        const wake = () => {
          if (stopped) return;
          wakes++;
          sleeper.after(100, wake);
        };
        sleeper.after(Math.random() * 100, () => sleeper.after(100, wake));
      }
    : async () => {
        await sleeper.sleep(Math.random() * 100);
        while (!stopped) {
          await sleeper.sleep(100);
          wakes++;
        }
      };
  const start = process.cpuUsage();
  const users = Array.from({ length: 10_000 }, user);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  stopped = true;
  sleeper.stop();
  await Promise.all(users);
  await new Promise((resolve) => setImmediate(resolve)); // the stopped sleeper's last wakes
  return cpuUs(start) / wakes;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const results = { parse: new Map(), sleep: new Map() };
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, dir] of round % 2 ? [...builds].reverse() : builds) {
    for (const [part, run] of [
      ['parse', parse],
      ['sleep', sleep],
    ]) {
      const list = results[part].get(name) ?? [];
      list.push(await run(dir));
      results[part].set(name, list);
    }
  }
}
const [first] = builds[0];
const lines = [
  '| Part | Build | µs of CPU (median) | ratio to ' + first + ' |',
  '| --- | --- | --- | --- |',
];
for (const [part, byBuild] of Object.entries(results)) {
  const base = median(byBuild.get(first));
  for (const [name, values] of byBuild) {
    const m = median(values);
    lines.push(`| ${part} | ${name} | ${m.toFixed(3)} | ${(m / base).toFixed(2)} |`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
