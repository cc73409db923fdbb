import type { ResourceSample, ServiceEvidence } from '../model/stack-evidence.js';
import type { MessageKey } from './messages.js';

/** Peak CPU, memory and process count of the stack's process group, in one line (raw text). */
export function resourcePeaks(samples: ResourceSample[], t: Record<MessageKey, string>): string {
  const peakCpu = Math.max(...samples.map((s) => s.cpuPercent));
  const peakRss = Math.max(...samples.map((s) => s.rssMb));
  const processes = Math.max(...samples.map((s) => s.processes));
  return `${t.peakCpu}: ${peakCpu}% · ${t.peakMemory}: ${peakRss} MiB · ${t.processes}: ${processes}`;
}

/** The columns of the compose services table. */
export function serviceColumns(t: Record<MessageKey, string>): string[] {
  return [t.service, t.state, t.health, t.peakCpu, t.peakMemoryShort];
}

/** One compose service as table cells (raw text: each renderer escapes them). */
export function serviceCells(s: ServiceEvidence): string[] {
  return [
    s.service,
    [
      s.state,
      s.exitCode !== undefined ? `exit ${s.exitCode}` : '',
      s.oomKilled ? 'OOM-killed' : '',
      s.restarts ? `${s.restarts} restarts` : '',
    ]
      .filter(Boolean)
      .join(', '),
    s.health ?? '—',
    s.peakCpuPercent !== undefined ? `${s.peakCpuPercent}%` : '—',
    s.peakMemoryMb !== undefined ? `${s.peakMemoryMb} MiB` : '—',
  ];
}
