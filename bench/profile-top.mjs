// Prints the top frames of a V8 CPU profile (`node --cpu-prof`) by self time, as a markdown table;
// shares are of the busy time (idle samples left out).
// Usage: node bench/profile-top.mjs FILE.cpuprofile [COUNT]
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [file, count = '12'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-top.mjs FILE.cpuprofile [COUNT]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
// timeDeltas[i] is the time before samples[i]: it is charged to that sample's frame
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const frames = new Map();
let total = 0;
for (const [id, us] of selfUs) {
  const { callFrame } = byId.get(id);
  const where = callFrame.url ? `${path.basename(callFrame.url)}:${callFrame.lineNumber + 1}` : '';
  const key = `${callFrame.functionName || '(anonymous)'} ${where}`.trim();
  if (key === '(idle)') continue; // shares are of the time the generator was busy
  frames.set(key, (frames.get(key) ?? 0) + us);
  total += us;
}
const rows = [...frames].sort((a, b) => b[1] - a[1]).slice(0, Number(count));
const lines = [
  '| Frame | Self time (share of busy time) |',
  '| --- | --- |',
  // a frame name may hold a backtick or a pipe (a RegExp's source): a double-backtick code span
  ...rows.map(
    ([key, us]) =>
      `| \`\` ${key.replaceAll('|', '\\|')} \`\` | ${((us / total) * 100).toFixed(1)} % |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
