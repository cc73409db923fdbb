import type { ContainerEvent } from '../model/stack-evidence.js';

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** What `docker inspect` says of one container, the fields loadgate reads. */
export interface InspectedContainer {
  id: string;
  name: string;
  service: string;
  state: string;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  restarts: number;
  health?: string;
}

/** Parses `docker inspect` JSON (an array) into the fields loadgate reads. */
export function parseInspect(json: string): InspectedContainer[] {
  let rows: unknown;
  try {
    rows = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(rows)) return [];
  return rows.map((value: unknown) => {
    const row = record(value);
    const state = record(row.State);
    const health = record(state.Health);
    const labels = record(record(row.Config).Labels);
    const name = String(row.Name ?? '').replace(/^\//, '');
    return {
      id: String(row.Id ?? ''),
      name,
      service:
        typeof labels['com.docker.compose.service'] === 'string'
          ? labels['com.docker.compose.service']
          : name,
      state: String(state.Status ?? 'unknown'),
      running: Boolean(state.Running),
      exitCode: Number(state.ExitCode ?? 0),
      oomKilled: Boolean(state.OOMKilled),
      restarts: Number(row.RestartCount ?? 0),
      ...(health.Status ? { health: String(health.Status) } : {}),
    };
  });
}

/** One line of `docker events --format '{{json .}}'`, the parts loadgate reads. */
export interface DockerEvent {
  id: string;
  action: string;
  service?: string;
  exitCode?: number;
  /** Milliseconds since the epoch. */
  at: number;
}

export function parseEvent(line: string): DockerEvent | undefined {
  try {
    const row = record(JSON.parse(line));
    if (row.Type !== 'container' || typeof row.Action !== 'string') return undefined;
    const actor = record(row.Actor);
    const attributes = record(actor.Attributes) as Record<string, string | undefined>;
    const at =
      typeof row.timeNano === 'number'
        ? Math.floor(row.timeNano / 1_000_000)
        : Number(row.time) * 1000;
    return {
      id: String(actor.ID ?? row.id ?? ''),
      action: row.Action,
      ...(attributes['com.docker.compose.service']
        ? { service: attributes['com.docker.compose.service'] }
        : {}),
      ...(attributes.exitCode !== undefined ? { exitCode: Number(attributes.exitCode) } : {}),
      at,
    };
  } catch {
    return undefined;
  }
}

/** Events worth keeping in the report (not exec_* of healthchecks, not attach/create noise). */
export function notableEvent(action: string): boolean {
  return /^(start|die|oom|kill|restart|stop|health_status)/.test(action);
}

export function toContainerEvent(event: DockerEvent, startedAt: number): ContainerEvent {
  return {
    atMs: Math.max(0, event.at - startedAt),
    action: event.action,
    ...(event.exitCode !== undefined ? { exitCode: event.exitCode } : {}),
  };
}

/** One line of `docker stats --format '{{json .}}'` (the stream redraws with ANSI codes). */
export function parseStatsLine(
  line: string,
): { id: string; name: string; cpuPercent: number; memoryMb: number } | undefined {
  // eslint-disable-next-line no-control-regex -- the stream's own ANSI redraw codes
  const clean = line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim();
  if (!clean.startsWith('{')) return undefined;
  try {
    const row = JSON.parse(clean) as Record<string, string>;
    const cpu = Number.parseFloat(row.CPUPerc ?? '');
    if (!Number.isFinite(cpu)) return undefined; // "--": the container is not running
    return {
      id: row.ID ?? '',
      name: row.Name ?? row.Container ?? '',
      cpuPercent: Math.round(cpu * 10) / 10,
      memoryMb: parseMemory((row.MemUsage ?? '').split('/')[0] ?? ''),
    };
  } catch {
    return undefined;
  }
}

const UNITS: Record<string, number> = {
  B: 1 / 1024 / 1024,
  KIB: 1 / 1024,
  KB: 1 / 1024,
  MIB: 1,
  MB: 1,
  GIB: 1024,
  GB: 1024,
  TIB: 1024 * 1024,
};

/** "123.4MiB" → 123.4; "1.5GiB" → 1536; "592KiB" → 0.6 (MiB, one decimal). */
export function parseMemory(text: string): number {
  const match = /^\s*([\d.]+)\s*([KMGT]?i?B)\s*$/i.exec(text);
  if (!match) return 0;
  const factor = UNITS[(match[2] as string).toUpperCase()] ?? 0;
  return Math.round(Number(match[1]) * factor * 10) / 10;
}

/**
 * The lines of a `docker logs --timestamps` output written up to `until` (ms since the epoch),
 * each with its time of day in front: the window a rule may read. Lines without a timestamp
 * follow the line before them.
 */
export function logLinesUntil(text: string, until: number, max = 40): string[] {
  const kept: string[] = [];
  let inWindow = true;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (line === '') continue;
    const match = /^(\d{4}-\d\d-\d\dT(\d\d:\d\d:\d\d)(\.\d+)?Z) (.*)$/.exec(line);
    if (match) {
      inWindow = Date.parse(match[1] as string) <= until;
      if (inWindow) kept.push(`${match[2]}${(match[3] ?? '').slice(0, 4)} ${match[4]}`);
    } else if (inWindow) kept.push(line);
  }
  return kept.slice(-max);
}
