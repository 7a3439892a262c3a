#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseDotenv } from 'dotenv';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { overridesFrom, settingFlags } from '../lib/config/flags.js';
import { loadConfig, type Config } from '../lib/config/load.js';
import type { TaskContext } from '../lib/context.js';
import { ExitCode, TaskError } from '../lib/errors.js';
import { createLogger, paint, type Logger } from '../lib/log.js';
import { suggestFlag } from './suggest.js';
import { tasks } from './registry.js';

/** `.env` fills what the environment leaves unset; the real environment always wins. */
function environmentWithDotenv(projectDir: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = join(projectDir, '.env');
  if (!existsSync(file)) return { ...env };
  return { ...parseDotenv(readFileSync(file)), ...env };
}

function report(error: unknown, log: Logger, color: boolean): number {
  if (error instanceof TaskError) {
    log.error(paint(color, 'red', `✖ ${error.message}`));
    if (error.hint) log.error(`  fix: ${error.hint}`);
    return error.exitCode;
  }
  log.error(
    `✖ Unexpected error (a bug in the tasks, please report it with this trace):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return ExitCode.failure;
}

const globalFlags = ['verbose', 'quiet', 'color'];

/** Every flag any task takes: the settings, the global ones and each task's own. */
function knownFlags(): string[] {
  return [...Object.keys(settingFlags()), ...globalFlags, ...Object.values(tasks).flatMap((t) => Object.keys(t.flags))];
}

function parser(argv: string[]) {
  let cli = yargs(argv)
    .scriptName('npm run')
    .usage('npm run <task> -- [flags]')
    .options(settingFlags())
    .option('verbose', { type: 'boolean', default: false, describe: 'Show each command run (secrets redacted)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'Only errors and requested data' })
    .option('color', { type: 'boolean', default: true, describe: 'Colour output (--no-color; NO_COLOR also turns it off)' })
    .demandCommand(1, 'Name a task: npm run <task>')
    .recommendCommands()
    .strict()
    .fail(false)
    .help()
    .version(false);
  for (const [name, entry] of Object.entries(tasks)) {
    cli = cli.command(name, entry.describe, (y) => y.options(entry.flags));
  }
  return cli;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv, projectDir: string): Promise<number> {
  const allEnv = environmentWithDotenv(projectDir, env);
  const color = !argv.includes('--no-color') && allEnv.NO_COLOR === undefined && process.stderr.isTTY === true;
  const bootLog = createLogger({ verbose: false, quiet: false, color, interactive: false });
  let args: Record<string, unknown>;
  try {
    args = await parser(argv).parseAsync();
  } catch (error) {
    const command = /^Did you mean (\S+)\?/.exec(String(error instanceof Error ? error.message : error))?.[1];
    if (command)
      return report(
        new TaskError(`Unknown task "${argv[0] ?? ''}"`, {
          code: 'USAGE',
          hint: `Did you mean npm run ${command}? (tasks: ${Object.keys(tasks).join(', ')})`,
          exitCode: ExitCode.config,
        }),
        bootLog,
        color,
      );
    const hint = suggestFlag(String(error), knownFlags());
    return report(
      new TaskError(String(error instanceof Error ? error.message : error), {
        code: 'USAGE',
        hint: hint ?? 'See npm run <task> -- --help',
        exitCode: ExitCode.config,
      }),
      bootLog,
      color,
    );
  }
  if (args.help === true) return ExitCode.ok;
  const name = String((args._ as unknown[])[0]);
  const entry = tasks[name];
  if (!entry) return report(new TaskError(`Unknown task ${name}`, { code: 'USAGE', exitCode: ExitCode.config }), bootLog, color);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true && !allEnv.CI;
  const log = createLogger({
    verbose: args.verbose === true,
    quiet: args.quiet === true,
    color,
    interactive: process.stderr.isTTY === true && !allEnv.CI,
  });
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal).on('SIGHUP', onSignal);
  const ctx: TaskContext = { projectDir, env: allEnv, log, interactive, signal: controller.signal };
  try {
    const config: Config | undefined = entry.needsConfig ? loadConfig(overridesFrom(args), allEnv) : undefined;
    const module = await entry.load();
    const code = await module.run(entry.options(args, config, color) as never, ctx);
    return controller.signal.aborted ? ExitCode.interrupted : code;
  } catch (error) {
    return controller.signal.aborted ? ExitCode.interrupted : report(error, log, color);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('SIGHUP', onSignal);
  }
}

/** The project is where this code lives (dist/tasks/cli.js), whatever directory it is run from. */
const projectDir = fileURLToPath(new URL('../..', import.meta.url));

// Only the entry point sets the exit code; tasks return numbers.
process.exitCode = await main(hideBin(process.argv), process.env, projectDir);
