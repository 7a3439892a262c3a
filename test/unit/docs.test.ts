import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { envExampleSettings, settingsTable } from '../../lib/config/docs.js';

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
