import { isAbsolute } from 'node:path';

/**
 * Whether npm started this process to run a package script: it then sets npm_lifecycle_event
 * (the script's name) and npm_command (`run-script`), moves the working directory to the
 * project, and keeps the directory it was run from in INIT_CWD.
 */
function launchedByNpm(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.npm_lifecycle_event) || Boolean(env.npm_command);
}

/**
 * The directory a relative path the operator typed is taken from: where npm was run (INIT_CWD)
 * when npm launched us, else the process's working directory. Never PWD: a shell variable any
 * parent can leave stale (a `cd` in a script, `env -i`, sudo), so it must not choose which file
 * is read. INIT_CWD alone, without npm's own variables, counts for nothing for the same reason.
 */
export function operatorDir(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string {
  const initCwd = env.INIT_CWD;
  return launchedByNpm(env) && initCwd !== undefined && isAbsolute(initCwd) ? initCwd : cwd;
}
