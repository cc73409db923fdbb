import type { ResourceSample, ServiceEvidence } from '../model/stack-evidence.js';
import type { MessageKey } from './messages.js';

/** Peak CPU, memory and process count of the stack's process group, in one line (raw text). */
export function resourcePeaks(samples: ResourceSample[], t: Record<MessageKey, string>): string {
  const peakCpu = Math.max(...samples.map((s) => s.cpuPercent));
  const peakRss = Math.max(...samples.map((s) => s.rssMb));
  const processes = Math.max(...samples.map((s) => s.processes));
  const peakOf = (value: (s: ResourceSample) => number | undefined) => {
    const known = samples.map(value).filter((v): v is number => v !== undefined);
    return known.length ? Math.max(...known) : undefined;
  };
  const busiestProcess = peakOf((s) => s.busiestProcessCpuPercent);
  const busiestThread = peakOf((s) => s.busiestThreadBusyPercent);
  return [
    `${t.peakCpu}${t.colon} ${peakCpu}%`,
    `${t.peakMemory}${t.colon} ${peakRss} MiB`,
    `${t.processes}${t.colon} ${processes}`,
    busiestProcess !== undefined ? `${t.busiestProcess}${t.colon} ${busiestProcess}%` : '',
    busiestThread !== undefined
      ? `${t.busiestThread}${t.colon} ${busiestThread}% ${t.ofTheTime}`
      : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The columns of the compose services table. */
export function serviceColumns(t: Record<MessageKey, string>): string[] {
  return [t.service, t.state, t.health, t.peakCpu, t.peakMemoryShort];
}

/** One compose service as table cells (raw text: each renderer escapes them). */
export function serviceCells(s: ServiceEvidence, t: Record<MessageKey, string>): string[] {
  return [
    s.service,
    [
      s.state,
      s.exitCode !== undefined ? `${t.exit} ${s.exitCode}` : '',
      s.oomKilled ? t.oomKilled : '',
      s.restarts ? `${s.restarts} ${t.restarts}` : '',
    ]
      .filter(Boolean)
      .join(', '),
    s.health ?? '—',
    s.peakCpuPercent !== undefined ? `${s.peakCpuPercent}%` : '—',
    s.peakMemoryMb !== undefined ? `${s.peakMemoryMb} MiB` : '—',
  ];
}
