import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { envExampleSettings, settingsTable } from '../../lib/config/docs.js';
import { ExitCode } from '../../lib/core/errors.js';

test('README configuration table is the one generated from the settings', async () => {
  const readme = await readFile('README.md', 'utf8');
  const table = /<!-- settings:start -->\n([\s\S]*?)\n<!-- settings:end -->/.exec(readme)?.[1];
  assert.ok(table, 'README.md lacks the <!-- settings:start/end --> markers');
  assert.equal(table, settingsTable(), 'README table drifted: regenerate it with settingsTable() (lib/config/docs.ts)');
});

test('.env.example documents every setting with its default', async () => {
  const example = await readFile('.env.example', 'utf8');
  assert.ok(
    example.includes(envExampleSettings()),
    '.env.example drifted: regenerate its settings part with envExampleSettings() (lib/config/docs.ts)',
  );
});

test('README documents every exit code, and bad input has a code plan --detailed-exitcode never uses', async () => {
  assert.notEqual(ExitCode.config, ExitCode.planChanges);
  const readme = await readFile('README.md', 'utf8');
  const table = /<!-- exit-codes:start -->\n([\s\S]*?)\n<!-- exit-codes:end -->/.exec(readme)?.[1];
  assert.ok(table, 'README.md lacks the <!-- exit-codes:start/end --> markers');
  const documented = [...table.matchAll(/^\| `(\d+)` \|/gm)].map((m) => Number(m[1]));
  assert.deepEqual(
    documented,
    [...new Set(Object.values(ExitCode))].sort((a, b) => a - b),
  );
});
