import { describe, expect, it } from 'vitest';
import {
  logLinesUntil,
  parseEvent,
  parseInspect,
  parseMemory,
  parseStatsLine,
} from '../../src/stack/container-state.js';

describe('docker output parsing', () => {
  it('reads docker inspect: service label, state, exit code, OOM, restarts, health', () => {
    const json = JSON.stringify([
      {
        Id: 'abc123',
        Name: '/shop_app_1',
        RestartCount: 2,
        State: {
          Status: 'exited',
          Running: false,
          ExitCode: 137,
          OOMKilled: true,
          Health: { Status: 'unhealthy' },
        },
        Config: { Labels: { 'com.docker.compose.service': 'app' } },
      },
      { Id: 'def', Name: '/lonely', State: { Status: 'running', Running: true } },
    ]);
    expect(parseInspect(json)).toEqual([
      {
        id: 'abc123',
        name: 'shop_app_1',
        service: 'app',
        state: 'exited',
        running: false,
        exitCode: 137,
        oomKilled: true,
        restarts: 2,
        health: 'unhealthy',
      },
      {
        id: 'def',
        name: 'lonely',
        service: 'lonely',
        state: 'running',
        running: true,
        exitCode: 0,
        oomKilled: false,
        restarts: 0,
      },
    ]);
    expect(parseInspect('not json')).toEqual([]);
  });

  it('reads a docker events line (die with its exit code and service)', () => {
    const line = JSON.stringify({
      Type: 'container',
      Action: 'die',
      Actor: { ID: 'abc', Attributes: { exitCode: '3', 'com.docker.compose.service': 'app' } },
      time: 1795970973,
      timeNano: 1795970973826440000,
    });
    expect(parseEvent(line)).toEqual({
      id: 'abc',
      action: 'die',
      service: 'app',
      exitCode: 3,
      at: 1795970973826,
    });
    expect(parseEvent(JSON.stringify({ Type: 'network', Action: 'connect' }))).toBeUndefined();
  });

  it('reads docker stats stream lines, ANSI redraw codes and all', () => {
    const line =
      '\u001b[2J\u001b[H{"CPUPerc":"187.53%","ID":"e6607b5bcef6","MemUsage":"512MiB / 23.54GiB","Name":"shop_app_1"}';
    expect(parseStatsLine(line)).toEqual({
      id: 'e6607b5bcef6',
      name: 'shop_app_1',
      cpuPercent: 187.5,
      memoryMb: 512,
    });
    expect(parseStatsLine('{"CPUPerc":"--","ID":"x","MemUsage":"-- / --"}')).toBeUndefined();
  });

  it.each([
    ['592KiB', 0.6],
    ['123.4MiB', 123.4],
    ['1.5GiB', 1536],
    ['0B', 0],
    ['--', 0],
  ])('memory %s is %s MiB', (text, mb) => {
    expect(parseMemory(text)).toBe(mb);
  });

  it('keeps the log lines written up to the end of the load, not teardown’s', () => {
    const text = [
      '2026-11-29T16:50:01.123456789Z started',
      'Traceback (most recent call last):',
      '2026-11-29T16:50:02.000000000Z ERROR pool exhausted',
      '2026-11-29T16:50:09.500000000Z shutting down (teardown)',
      'continuation of the teardown line',
    ].join('\n');
    expect(logLinesUntil(text, Date.parse('2026-11-29T16:50:05Z'))).toEqual([
      '16:50:01.123 started',
      'Traceback (most recent call last):',
      '16:50:02.000 ERROR pool exhausted',
    ]);
  });
});
