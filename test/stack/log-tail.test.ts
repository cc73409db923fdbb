import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLogTail, withoutStackFrames } from '../../src/stack/log-tail.js';

/** Log excerpts as the zoo's frameworks wrote them (test/zoo). */
const LOGS = {
  node: [
    'Error: database is locked',
    '    at file:///app/app.mjs:115:19',
    '    at Layer.handleRequest (/app/node_modules/router/lib/layer.js:169:33) {',
    "  code: 'ERR_SQLITE_ERROR',",
    '}',
  ],
  python: [
    '[2026-12-08 03:18:39,880] ERROR in app: Exception on /api/orders [POST]',
    'Traceback (most recent call last):',
    '  File "/usr/lib/python3/dist-packages/flask/app.py", line 2525, in wsgi_app',
    '    response = self.full_dispatch_request()',
    '                       ~~~~~~~~^^^^^^^^^^^',
    'sqlite3.OperationalError: database is locked',
    '127.0.0.1 - - [08/Dec/2026 03:18:39] "POST /api/orders HTTP/1.1" 500 -',
  ],
  ruby: [
    '2026-12-08 03:19:43 - SQLite3::BusyException - database is locked:',
    "\t/usr/lib/ruby/vendor_ruby/sqlite3/database.rb:147:in `initialize'",
    "\t/work/main/test/zoo/sinatra/app.rb:142:in `block in <main>'",
    '127.0.0.1 - - [08/Dec/2026:03:19:43 +0000] "POST /api/orders HTTP/1.1" 500 30 0.1033',
  ],
  php: [
    '[2026-12-08 03:22:32] local.ERROR: SQLSTATE[HY000]: General error: 5 database is locked',
    '[stacktrace]',
    '#0 /usr/share/php/Illuminate/Database/Connection.php(671): Illuminate\\Database\\Connection->runQueryCallback()',
    '#1 {main}',
  ],
};

describe('the log tail keeps what explains a failure, not its stack frames', () => {
  it.each([
    ['node', ['Error: database is locked', "  code: 'ERR_SQLITE_ERROR',", '}']],
    [
      'python',
      [
        '[2026-12-08 03:18:39,880] ERROR in app: Exception on /api/orders [POST]',
        'Traceback (most recent call last):',
        'sqlite3.OperationalError: database is locked',
        '127.0.0.1 - - [08/Dec/2026 03:18:39] "POST /api/orders HTTP/1.1" 500 -',
      ],
    ],
    [
      'ruby',
      [
        '2026-12-08 03:19:43 - SQLite3::BusyException - database is locked:',
        '127.0.0.1 - - [08/Dec/2026:03:19:43 +0000] "POST /api/orders HTTP/1.1" 500 30 0.1033',
      ],
    ],
    [
      'php',
      [
        '[2026-12-08 03:22:32] local.ERROR: SQLSTATE[HY000]: General error: 5 database is locked',
        '[stacktrace]',
      ],
    ],
  ] as const)('%s', (language, kept) => {
    expect(withoutStackFrames([...LOGS[language]])).toEqual(kept);
  });

  it('a long trace no longer pushes the exception out of the tail, and colours go', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lg-log-tail-'));
    const file = path.join(dir, 'stack.log');
    const frames = Array.from({ length: 60 }, (_, i) => `    at frame${i} (/app/x.js:${i}:1)`);
    writeFileSync(
      file,
      [
        '\u001b[31m[Nest] 1  - ERROR\u001b[39m [ExceptionsHandler] Error: database is locked',
        ...frames,
        'served',
      ].join('\n'),
    );
    expect(readLogTail(file, 40)).toEqual([
      '[Nest] 1  - ERROR [ExceptionsHandler] Error: database is locked',
      'served',
    ]);
  });
});
