/**
 * The directory the operator ran the task from: npm sets INIT_CWD to it (its scripts run in
 * the project), a shell sets PWD; else the project.
 */
export function operatorDir(env: NodeJS.ProcessEnv, projectDir: string): string {
  return [env.INIT_CWD, env.PWD].find((dir) => dir !== undefined && dir !== '') ?? projectDir;
}
