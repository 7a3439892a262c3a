/**
 * Builds yargs into one module, dist/vendor/yargs/lib/platform-shims/yargs.js, which the CLI
 * imports as `#yargs` (package.json "imports"). yargs is ESM in 40 modules (its own 22, then
 * yargs-parser, y18n, cliui and theirs), and Node's ESM loader resolves and links each one:
 * loaded as one, `plan --help` starts in about 15 ms less (see bench/README.md).
 *
 * The file sits where yargs' own platform shim sits inside its package, so the shim's
 * `../../../locales` finds the locale files copied beside it, as in node_modules/yargs.
 * Run by `npm run build` and `npm run prepare`, after tsc.
 */
import { build } from 'esbuild';
import { cp } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const projectDir = fileURLToPath(new URL('../..', import.meta.url));
const vendorDir = `${projectDir}dist/vendor/yargs`;

await build({
  stdin: { contents: "export { default } from 'yargs';", resolveDir: projectDir, loader: 'js' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node26',
  outfile: `${vendorDir}/lib/platform-shims/yargs.js`,
  legalComments: 'inline',
  logLevel: 'warning',
});
await cp(`${projectDir}node_modules/yargs/locales`, `${vendorDir}/locales`, { recursive: true });
