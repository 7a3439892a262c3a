#!/usr/bin/env node
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';

// Node keeps the compiled code of what the CLI loads (yargs for every run, the AWS SDK for
// most tasks) in its own cache (NODE_COMPILE_CACHE, else the temp dir), keyed by content:
// later runs skip compiling it. It applies to modules loaded after this call, so the CLI
// itself is imported below, not at the top.
enableCompileCache();

/** The project is where this code lives (dist/cli/main.js), whatever directory it is run from. */
const projectDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * package.json runs `node dist/cli/main.js -- <task>`: Node takes an `--env-file` anywhere
 * before a `--` as its own option, even after the script (it exits 9 when that file is missing,
 * before this code runs; nodejs/node#54232), so the scripts put the `--` first and it is dropped here.
 */
const argv = process.argv.slice(2);

const { main } = await import('./run.js');
// Only the entry point sets the exit code; tasks return numbers.
process.exitCode = await main(argv[0] === '--' ? argv.slice(1) : argv, process.env, projectDir);
