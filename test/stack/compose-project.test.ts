import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  composeInvocation,
  composeProject,
  normalizeProjectName,
  shellWords,
} from '../../src/stack/compose-project.js';

describe('shellWords', () => {
  it.each([
    ['docker compose up -d', ['docker', 'compose', 'up', '-d']],
    [`docker compose -p "my app" up`, ['docker', 'compose', '-p', 'my app', 'up']],
    [
      `cd x && docker-compose -f 'a b.yml' up`,
      ['cd', 'x', '&', '&', 'docker-compose', '-f', 'a b.yml', 'up'],
    ],
    ['echo a\\ b;true', ['echo', 'a b', ';', 'true']],
  ])('%s', (command, words) => {
    expect(shellWords(command)).toEqual(words);
  });
});

describe('composeInvocation', () => {
  it.each([
    ['./start.sh', undefined],
    ['docker run -d api', undefined],
    ['docker compose up -d --wait', { files: [] }],
    ['docker-compose -p Shop up -d', { project: 'Shop', files: [] }],
    [
      'docker compose --project-name=shop -f a.yml --file b.yml up',
      { project: 'shop', files: ['a.yml', 'b.yml'] },
    ],
    ['docker compose --project-directory ops up -d', { files: [], projectDirectory: 'ops' }],
    // options after the subcommand are the subcommand's, not compose's
    ['docker compose up -p not-a-project', { files: [] }],
  ])('%s', (command, expected) => {
    expect(composeInvocation(command)).toEqual(expected);
  });
});

describe('composeProject: what compose itself would name the project', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-compose-name-'));
  const folder = path.join(dir, 'My_Shop.API');
  mkdirSync(path.join(folder, 'ops'), { recursive: true });
  writeFileSync(path.join(folder, 'docker-compose.yml'), 'services: {}\n');
  writeFileSync(path.join(folder, 'ops', 'named.yml'), 'name: billing\nservices: {}\n');
  writeFileSync(path.join(folder, 'ops', 'plain.yml'), 'services: {}\n');

  it.each([
    [
      'the config key first',
      { start: 'docker compose -p x up', explicit: 'chosen' },
      { name: 'chosen', source: 'stack.compose-project' },
    ],
    [
      '-p in the command',
      { start: 'docker compose -p Web_1 up -d' },
      { name: 'web_1', source: '-p in stack.start' },
    ],
    [
      'COMPOSE_PROJECT_NAME',
      { start: 'docker compose up -d', env: { COMPOSE_PROJECT_NAME: 'ci-42' } },
      { name: 'ci-42', source: 'COMPOSE_PROJECT_NAME' },
    ],
    [
      'the top-level name: of the file (v2)',
      { start: 'docker compose -f ops/named.yml up -d' },
      { name: 'billing', source: 'name: in named.yml' },
    ],
    [
      'the folder of the first -f file',
      { start: 'docker compose -f ops/plain.yml up -d' },
      { name: 'ops', source: 'the project folder' },
    ],
    [
      'the working folder, normalised',
      { start: 'docker-compose up -d' },
      { name: 'my_shopapi', source: 'the project folder' },
    ],
  ])('%s', (_what, options, expected) => {
    expect(composeProject({ cwd: folder, env: {}, explicit: undefined, ...options })).toEqual(
      expected,
    );
  });

  it('is undefined for a stack that is not a compose project', () => {
    expect(composeProject({ start: 'node server.js', cwd: folder, env: {} })).toBeUndefined();
  });

  it('normalises as compose does', () => {
    expect(normalizeProjectName('-My.Project 2')).toBe('myproject2');
  });
});
