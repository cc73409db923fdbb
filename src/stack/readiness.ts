import net from 'node:net';
import { request } from 'undici';
import type { ReadyProbe } from '../config/schema.js';
import type { ReadyCheckFact } from '../model/stack-evidence.js';

/** One readiness attempt: ready, or why it is not (for the report when time runs out). */
export type ProbeOutcome = { ready: true } | { ready: false; check: ReadyCheckFact };

export async function probeOnce(probe: ReadyProbe, timeoutMs = 2000): Promise<ProbeOutcome> {
  return probe.kind === 'http'
    ? probeHttp(probe.url, probe.statuses, timeoutMs)
    : probeTcp(probe.host, probe.port, timeoutMs);
}

async function probeHttp(
  url: string,
  statuses: number[] | undefined,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  try {
    const response = await request(url, {
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body.dump();
    const ok = statuses
      ? statuses.includes(response.statusCode)
      : response.statusCode >= 200 && response.statusCode < 300;
    if (ok) return { ready: true };
    return {
      ready: false,
      check: {
        kind: 'status',
        url,
        status: response.statusCode,
        ...(statuses ? { expected: statuses } : {}),
      },
    };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return {
      ready: false,
      check: { kind: 'no-answer', url, error: code ?? (error as Error).message },
    };
  }
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (outcome: ProbeOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    const noAnswer = (error: string): ProbeOutcome => ({
      ready: false,
      check: { kind: 'no-answer', url: `tcp://${host}:${port}`, error },
    });
    socket.setTimeout(timeoutMs, () => done(noAnswer('timeout')));
    socket.once('connect', () => done({ ready: true }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(noAnswer(error.code ?? error.message)),
    );
  });
}

/** The probe to use when `stack.ready` is omitted: a TCP connect to the target's port. */
export function defaultProbe(target: string): ReadyProbe {
  const url = new URL(target);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { kind: 'tcp', host: url.hostname.replace(/^\[|\]$/g, ''), port };
}
