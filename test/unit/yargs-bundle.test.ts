import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runProcess } from '../../lib/core/process.js';
import { cliOf } from '../support/cli.js';

const projectDir = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs Node with only the given environment (plus PATH), collecting both streams. */
async function node(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stderr = '';
  const result = await runProcess(process.execPath, args, {
    cwd: projectDir,
    env: { PATH: process.env.PATH ?? '', ...env },
    onLine: (line, stream) => {
      if (stream === 'stderr') stderr += `${line}\n`;
    },
  });
  return { code: result.exitCode, stdout: result.stdout, stderr };
}

// A load hook that prints every module URL Node loaded, once the process ends.
const listModules = `data:text/javascript,${encodeURIComponent(
  "import { registerHooks } from 'node:module'; const seen = []; " +
    'registerHooks({ load(url, context, next) { seen.push(url); return next(url, context); } }); ' +
    "process.on('exit', () => process.stderr.write(seen.map((u) => 'loaded ' + u + '\\n').join('')));",
)}`;

test('--help loads yargs as the one module the build made, nothing from node_modules', async () => {
  const { code, stdout, stderr } = await node(['--import', listModules, cliOf(projectDir), '--', 'plan', '--help']);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /Flags of plan:/);
  const loaded = stderr.split('\n').filter((line) => line.startsWith('loaded file:'));
  assert.ok(
    loaded.some((line) => line.endsWith('/dist/vendor/yargs/lib/platform-shims/yargs.js')),
    `the bundled yargs was not loaded:\n${loaded.join('\n')}`,
  );
  assert.deepEqual(
    loaded.filter((line) => line.includes('/node_modules/')),
    [],
  );
});

test('the bundled yargs finds its locale files where the package keeps them', async () => {
  // Our CLI words its own strings (updateStrings turns yargs' locale detection off); yargs
  // alone follows LANG, and reads locales/de.json for it, as it does from node_modules.
  const showHelp = "import('#yargs').then((m) => m.default([]).option('x', { type: 'string' }).showHelp('log'))";
  const bundled = await node(['--input-type=module', '-e', showHelp], { LANG: 'de_DE.UTF-8' });
  assert.equal(bundled.code, 0, bundled.stderr);
  assert.match(bundled.stdout, /^Optionen:$/m);
  assert.match(bundled.stdout, /--help\s+Hilfe anzeigen/);
});
