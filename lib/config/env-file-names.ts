/**
 * The flag (without dashes) and its environment twin that name the settings file of one run
 * instead of the project's `.env`. Apart from the file's reader (dotenv-file.ts) so that the
 * CLI's parser and help name them without loading dotenv: --help reads no file.
 */
export const envFileFlag = 'env-file';
export const envFileVariable = 'DEPLOY_ENV_FILE';
