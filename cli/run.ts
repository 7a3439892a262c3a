import { join } from 'node:path';
import type { EnvFile } from '../lib/config/dotenv-file.js';
import { envFileFlag } from '../lib/config/env-file-names.js';
import { isCi, processIo, type TaskContext } from '../lib/core/context.js';
import { ExitCode, TaskError } from '../lib/core/errors.js';
import { createLogger, type Logger } from '../lib/core/log.js';
import { parseCommandLine, runTask, type CommandLine } from './parser.js';

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
 * One run of the CLI: parse the command line (yargs), print help or read the env file, then
 * start the task with its context, signals forwarded as a graceful then an immediate stop.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv, projectDir: string): Promise<number> {
  const colorIn = (e: NodeJS.ProcessEnv): boolean =>
    !argv.includes('--no-color') && e.NO_COLOR === undefined && process.stderr.isTTY === true;
  const bootLog = (e: NodeJS.ProcessEnv): Logger => createLogger({ verbose: false, quiet: false, color: colorIn(e), interactive: false });
  let line: CommandLine;
  let allEnv: NodeJS.ProcessEnv;
  let envFile: EnvFile;
  try {
    line = parseCommandLine(argv, env);
    // Help is printed before any env file is read: a broken .env never stands in its way.
    if (line.help !== undefined) {
      process.stdout.write(line.help);
      return ExitCode.ok;
    }
    // The env file (`.env`, or the one --env-file / DEPLOY_ENV_FILE names) fills what the
    // environment leaves unset or empty; a value in the real environment wins, and a flag beats both (loadConfig).
    // Loaded past the help: only a task reads a settings file (with dotenv).
    const { chooseEnvFile, readEnvFile, underEnvironment } = await import('../lib/config/dotenv-file.js');
    envFile = chooseEnvFile(typeof line.args[envFileFlag] === 'string' ? line.args[envFileFlag] : undefined, env, projectDir);
    allEnv = underEnvironment(readEnvFile(envFile), env);
  } catch (error) {
    return report(error, bootLog(env));
  }
  const { name, entry, args } = line;
  const color = colorIn(allEnv);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true && !isCi(allEnv);
  const log = createLogger({
    verbose: args.verbose === true,
    quiet: args.quiet === true,
    color,
    interactive: process.stderr.isTTY === true && !isCi(allEnv),
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
    const code = await entry.start(args, ctx, runTask);
    return controller.signal.aborted ? ExitCode.interrupted : code;
  } catch (error) {
    if (!controller.signal.aborted) return report(error, log);
    // Interrupted: 130 either way; a step that knows where it stopped says so, any other is said here.
    if (error instanceof TaskError && error.exitCode === ExitCode.interrupted) report(error, log);
    else log.error(`✖ Interrupted: npm run ${name} stopped before it finished; nothing more was started.`);
    return ExitCode.interrupted;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('SIGHUP', onSignal);
  }
}
