import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCommandLine } from '../../cli/parser.js';
import { envExampleSettings, settingsTable } from '../../lib/config/docs.js';
import { envFileFlag, envFileVariable } from '../../lib/config/env-file-names.js';
import { settings } from '../../lib/config/settings.js';
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

// Generated-style tables held against the code they list (not prose): every exit code the CLI can return is documented.
test('README documents every exit code', async () => {
  const readme = await readFile('README.md', 'utf8');
  const table = /<!-- exit-codes:start -->\n([\s\S]*?)\n<!-- exit-codes:end -->/.exec(readme)?.[1];
  assert.ok(table, 'README.md lacks the <!-- exit-codes:start/end --> markers');
  const documented = [...table.matchAll(/^\| `(\d+)` \|/gm)].map((m) => Number(m[1]));
  assert.deepEqual(
    documented,
    [...new Set(Object.values(ExitCode))].sort((a, b) => a - b),
  );
});

test('--env-file and DEPLOY_ENV_FILE choose where settings come from: a global flag, documented as one, never a setting', async () => {
  assert.ok(!settings.some((s) => s.flag === envFileFlag || s.env === envFileVariable), 'the env file is not a setting of the table');
  const globals = /\nGlobal flags:\n([\s\S]*?)\n\n/.exec(`${parseCommandLine(['plan', '--help'], {}).help ?? ''}\n`)?.[1] ?? '';
  assert.match(globals, new RegExp(`^ +--${envFileFlag} .*\\[env: ${envFileVariable}\\]`, 'm'));
  const example = await readFile('.env.example', 'utf8');
  // Documented, but only in a comment: a DEPLOY_ENV_FILE line in an env file is refused.
  assert.match(example, new RegExp(`^# ${envFileVariable}=`, 'm'));
  assert.doesNotMatch(example, new RegExp(`^\\s*(export\\s+)?${envFileVariable}\\s*=`, 'm'));
  assert.match(example, new RegExp(`--${envFileFlag} <path>`));
});

test('lib/tools reads no TOOLS_ variable the settings table does not document', async () => {
  const documented = new Set(settings.map((s) => s.env));
  const files = (await readdir('lib/tools', { recursive: true })).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = await readFile(join('lib/tools', file), 'utf8');
    // Error codes share the prefix (code: 'TOOLS_CACHE'); every other TOOLS_ name is a variable.
    for (const match of text.matchAll(/(?<!code: ')\bTOOLS_[A-Z_]+\b/g)) {
      assert.ok(
        documented.has(match[0]),
        `lib/tools/${file} uses ${match[0]}, which the settings table (lib/config/tool-specs.ts) does not document`,
      );
    }
  }
});
