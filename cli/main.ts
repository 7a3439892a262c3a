#!/usr/bin/env node
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseEnvFile, readEnvFile, underEnvironment, type EnvFile } from '../lib/config/dotenv-file.js';
import { settingFlags } from '../lib/config/flags.js';
import { isCi, processIo, type TaskContext } from '../lib/core/context.js';
import { ExitCode, TaskError } from '../lib/core/errors.js';
import { createLogger, type Logger } from '../lib/core/log.js';
import type { RawArgs } from './flags.js';
import { checkFlagRules, givenFlags, joinRules } from './flag-rules.js';
import { helpText } from './help.js';
import { parseFlags } from './parse-flags.js';
import { globalFlags, globalRules, tasks } from './registry.js';
import { envFileArgument, taskFrom, usageError } from './usage.js';

function report(error: unknown, log: Logger): number {
  if (error instanceof TaskError) {
    log.error(`✖ ${error.message}`);
    if (error.hint) log.error(`  fix: ${error.hint}`);
    return error.exitCode;
  }
  log.error(
    `✖ Unexpected error (a bug in the tasks, please report it with this trace):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return ExitCode.failure;
}

/**
 * The task and its arguments, or a usage error (unknown task, a flag this task does not take,
 * or flags its rules rule out together, env twins in `shell` included); --help prints the help.
 */
function parse(argv: string[], shell: NodeJS.ProcessEnv): { name: string | undefined; args: RawArgs } {
  const name = taskFrom(argv);
  if (name === undefined || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText(name));
    return { name, args: { help: true } };
  }
  try {
    const rules = joinRules(globalRules, tasks[name]?.rules ?? {});
    const check = (given: ReadonlySet<string>): void => checkFlagRules(rules, givenFlags(given, shell), name);
    return { name, args: parseFlags({ ...settingFlags(), ...globalFlags, ...tasks[name]?.flags }, argv.slice(1), check) };
  } catch (error) {
    throw usageError(error, name);
  }
}

export async function main(argv: string[], env: NodeJS.ProcessEnv, projectDir: string): Promise<number> {
  const colorIn = (e: NodeJS.ProcessEnv): boolean =>
    !argv.includes('--no-color') && e.NO_COLOR === undefined && process.stderr.isTTY === true;
  const bootLog = (e: NodeJS.ProcessEnv): Logger => createLogger({ verbose: false, quiet: false, color: colorIn(e), interactive: false });
  let allEnv: NodeJS.ProcessEnv;
  let envFile: EnvFile;
  let parsed: ReturnType<typeof parse>;
  try {
    // The env file (`.env`, or the one --env-file / DEPLOY_ENV_FILE names) fills what the
    // environment leaves unset or empty; a value in the real environment wins. It is read before the flags are.
    envFile = chooseEnvFile(envFileArgument(argv), env, projectDir);
    allEnv = underEnvironment(readEnvFile(envFile), env);
    parsed = parse(argv, env);
  } catch (error) {
    return report(error, bootLog(env));
  }
  const { name, args } = parsed;
  const color = colorIn(allEnv);
  const entry = name === undefined ? undefined : tasks[name];
  if (args.help === true || entry === undefined) return ExitCode.ok;
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true && !isCi(allEnv);
  const log = createLogger({
    verbose: args.verbose === true,
    quiet: args.quiet === true,
    color,
    interactive: process.stderr.isTTY === true && !allEnv.CI,
  });
  // Which account's file ran: its path only, never a value from it.
  if (envFile.namedBy !== undefined && envFile.path !== join(projectDir, '.env'))
    log.info(`Settings from ${envFile.path} (${envFile.namedBy.source})`);
  // The first signal asks for a graceful stop, the second for an immediate one.
  const controller = new AbortController();
  const stopNow = new AbortController();
  const onSignal = (): void => (controller.signal.aborted ? stopNow.abort() : controller.abort());
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal).on('SIGHUP', onSignal);
  const ctx: TaskContext = {
    projectDir,
    env: allEnv,
    log,
    io: processIo(),
    interactive,
    signal: controller.signal,
    stop: stopNow.signal,
  };
  try {
    const code = await entry.start(args, ctx);
    return controller.signal.aborted ? ExitCode.interrupted : code;
  } catch (error) {
    if (!controller.signal.aborted) return report(error, log);
    // Interrupted: 130 either way; a step that knows where it stopped says so.
    if (error instanceof TaskError && error.exitCode === ExitCode.interrupted) report(error, log);
    return ExitCode.interrupted;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('SIGHUP', onSignal);
  }
}

// Node keeps the compiled code of what a task loads (the AWS SDK above all) in its own
// cache (NODE_COMPILE_CACHE, else the temp dir), keyed by content: later runs skip compiling it.
enableCompileCache();

/** The project is where this code lives (dist/cli/main.js), whatever directory it is run from. */
const projectDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * package.json runs `node dist/cli/main.js -- <task>`: Node takes an `--env-file` anywhere
 * before a `--` as its own option, even after the script (it exits 9 when that file is missing,
 * before this code runs; nodejs/node#54232), so the scripts put the `--` first and it is dropped here.
 */
const argv = process.argv.slice(2);

// Only the entry point sets the exit code; tasks return numbers.
process.exitCode = await main(argv[0] === '--' ? argv.slice(1) : argv, process.env, projectDir);
