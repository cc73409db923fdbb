import { closeSync, openSync } from 'node:fs';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type {
  ComposeProblemFact,
  ContainerCrash,
  ContainerEvent,
  ServiceEvidence,
  ServiceSample,
} from '../model/stack-evidence.js';
import {
  logLinesUntil,
  notableEvent,
  parseEvent,
  parseInspect,
  parseStatsLine,
  toContainerEvent,
  type InspectedContainer,
} from './container-state.js';
import { dockerProblem, type Docker, type DockerStream } from './docker-cli.js';
import { readFileEnd } from './log-tail.js';
import { companionLog } from './stack-log-files.js';

const LABEL = 'com.docker.compose.project';

export interface ContainerWatchOptions {
  project: string;
  docker: { run: Docker; stream: DockerStream };
  env: Record<string, string | undefined>;
  /** When the stack started (ms since the epoch): event and sample times count from it. */
  startedAt: number;
  now?: () => number;
}

/**
 * Watches the containers of a compose project for the whole run, by their
 * `com.docker.compose.project` label: `docker events` from the start (exits, OOM kills,
 * restarts, health), `docker stats` per container once the stack is ready, `docker inspect` and
 * `docker logs --timestamps` before teardown.
 */
export class ContainerWatch {
  private readonly now: () => number;
  private readonly events: ChildProcess;
  private stats: ChildProcess | undefined;
  private readonly byId = new Map<string, InspectedContainer>();
  /** Containers that ran when the stack became ready: their exit is a crash. */
  private readonly watched = new Set<string>();
  private readonly history = new Map<string, ContainerEvent[]>();
  private readonly samples = new Map<string, ServiceSample[]>();
  private stopping = false;
  private onCrash: ((crash: ContainerCrash) => void) | undefined;
  crash: ContainerCrash | undefined;
  problem: ComposeProblemFact | undefined;

  constructor(private readonly options: ContainerWatchOptions) {
    this.now = options.now ?? Date.now;
    const since = String(Math.floor(options.startedAt / 1000) - 1);
    this.events = options.docker.stream(
      [
        'events',
        '--format',
        '{{json .}}',
        '--since',
        since,
        '--filter',
        'type=container',
        '--filter',
        `label=${LABEL}=${options.project}`,
      ],
      (line) => this.onEvent(line),
    );
  }

  /**
   * Finds the project's containers once the stack is ready and starts sampling them; returns
   * why they cannot be watched, or undefined.
   */
  async attach(onCrash: (crash: ContainerCrash) => void): Promise<ComposeProblemFact | undefined> {
    this.onCrash = onCrash;
    const containers = await this.inspectAll();
    if (this.problem) return this.problem;
    if (containers.length === 0) {
      this.problem = { kind: 'no-labelled-container', label: `${LABEL}=${this.options.project}` };
      return this.problem;
    }
    for (const c of containers) if (c.running) this.watched.add(c.id);
    const ids = containers.filter((c) => c.running).map((c) => c.id);
    if (ids.length > 0) {
      this.stats = this.options.docker.stream(['stats', '--format', '{{json .}}', ...ids], (line) =>
        this.onStats(line),
      );
    }
    return undefined;
  }

  /** Teardown begins: exits from now on are expected. */
  markStopping(): void {
    this.stopping = true;
  }

  /**
   * The evidence per service, read before teardown: final state, events, samples, and each
   * container's log (kept beside `logPath`) cut at `until` (ms since the epoch).
   */
  async collect(logPath: string, until: number): Promise<ServiceEvidence[]> {
    this.stats?.kill('SIGKILL');
    const containers = await this.inspectAll();
    const services: ServiceEvidence[] = [];
    for (const c of containers.sort((a, b) => a.service.localeCompare(b.service))) {
      const file = companionLog(logPath, c.service);
      const written = await this.saveLogs(c.id, file);
      // at most the last 256 KiB: a chatty service's log can be huge
      const text = written ? readFileEnd(file, 256 * 1024) : '';
      const samples = this.samples.get(c.id) ?? [];
      services.push({
        service: c.service,
        container: c.name,
        state: c.state,
        ...(c.running ? {} : { exitCode: c.exitCode }),
        ...(c.oomKilled ? { oomKilled: true } : {}),
        ...(c.restarts > 0 ? { restarts: c.restarts } : {}),
        ...(c.health ? { health: c.health } : {}),
        events: this.history.get(c.id) ?? [],
        samples,
        ...(samples.length > 0
          ? {
              peakCpuPercent: Math.max(...samples.map((s) => s.cpuPercent)),
              peakMemoryMb: Math.max(...samples.map((s) => s.memoryMb)),
            }
          : {}),
        ...(written ? { logPath: file } : {}),
        logTail: logLinesUntil(text, until),
      });
      if (this.crash?.container === c.name) {
        // the kernel's verdict, read after the fact: docker's `oom` event may come after `die`
        if (c.oomKilled) Object.assign(this.crash, { kind: 'oom-killed', oomKilled: true });
        else if (c.restarts > 0) this.crash.kind = 'restarted';
      }
    }
    return services;
  }

  /** Stops the event and stats streams. */
  close(): void {
    this.events.kill('SIGKILL');
    this.stats?.kill('SIGKILL');
  }

  private async inspectAll(): Promise<InspectedContainer[]> {
    const listed = await this.options.docker.run([
      'ps',
      '-a',
      '-q',
      '--no-trunc',
      '--filter',
      `label=${LABEL}=${this.options.project}`,
    ]);
    if (listed.code !== 0) {
      this.problem = dockerProblem(listed);
      return [];
    }
    const ids = listed.stdout.split('\n').filter(Boolean);
    if (ids.length === 0) return [];
    const inspected = await this.options.docker.run(['inspect', ...ids]);
    const containers = parseInspect(inspected.stdout);
    for (const c of containers) this.byId.set(c.id, c);
    return containers;
  }

  private onEvent(line: string): void {
    const event = parseEvent(line);
    if (!event || !notableEvent(event.action) || this.stopping) return;
    const list = this.history.get(event.id) ?? [];
    if (list.length < 200) list.push(toContainerEvent(event, this.options.startedAt));
    this.history.set(event.id, list);
    if (event.action !== 'die' || this.stopping || this.crash || !this.watched.has(event.id))
      return;
    const known = this.byId.get(event.id);
    const oom = (this.history.get(event.id) ?? []).some((e) => e.action === 'oom');
    this.crash = {
      service: event.service ?? known?.service ?? event.id.slice(0, 12),
      container: known?.name ?? event.id.slice(0, 12),
      kind: oom ? 'oom-killed' : 'exited',
      ...(event.exitCode !== undefined ? { exitCode: event.exitCode } : {}),
      oomKilled: oom,
      atMs: Math.max(0, event.at - this.options.startedAt),
    };
    this.onCrash?.(this.crash);
  }

  private onStats(line: string): void {
    const row = parseStatsLine(line);
    if (!row) return;
    const id = [...this.watched].find((full) => full.startsWith(row.id));
    if (!id) return;
    const second = Math.round((this.now() - this.options.startedAt) / 1000);
    const list = this.samples.get(id) ?? [];
    const last = list[list.length - 1];
    const sample = { second, cpuPercent: row.cpuPercent, memoryMb: row.memoryMb };
    if (last?.second === second) list[list.length - 1] = sample;
    else if (list.length < 36_000) list.push(sample);
    this.samples.set(id, list);
  }

  /** `docker logs --timestamps` of one container into `file` (stdout and stderr together). */
  private saveLogs(id: string, file: string): Promise<boolean> {
    return new Promise((resolve) => {
      const fd = openSync(file, 'w');
      const child = spawn('docker', ['logs', '--timestamps', id], {
        env: this.options.env,
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code === 0);
      });
    });
  }
}

/**
 * Removes what `stack.stop` left of the project (containers, then networks and volumes), found
 * by label; returns what was removed ("container app-1", "volume app_data").
 */
export async function removeProjectLeftovers(docker: Docker, project: string): Promise<string[]> {
  const filter = ['--filter', `label=${LABEL}=${project}`];
  const removed: string[] = [];
  const containers = await docker(['ps', '-a', '--format', '{{.ID}} {{.Names}}', ...filter]);
  const rows = lines(containers.stdout);
  if (rows.length > 0) {
    await docker(['rm', '-f', '-v', ...rows.map((r) => r.split(' ')[0] as string)], 60_000);
    removed.push(...rows.map((r) => `container ${r.split(' ')[1] ?? r}`));
  }
  for (const kind of ['network', 'volume'] as const) {
    const listed = await docker([kind, 'ls', '-q', ...filter]);
    const names = lines(listed.stdout);
    if (names.length === 0) continue;
    await docker([kind, 'rm', ...(kind === 'volume' ? ['-f'] : []), ...names], 60_000);
    removed.push(...names.map((n) => `${kind} ${n}`));
  }
  return removed;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}
