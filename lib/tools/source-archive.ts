import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskError } from '../core/errors.js';
import { isExecutable, isMissing } from './cache.js';
import { expandLdflags, runGoStep, type BuildRequest, type GoBuildResult } from './go-build.js';
import { sha256Of } from './release/checksums.js';
import { sourceDirSetting } from './tool-settings.js';
import type { SourceArchive } from './tools-lock.js';
import { findOnPath } from './version-check.js';

/** Where the archive would be in TOOLS_SOURCE_DIR (an absolute path, the settings table checks), or why there is none to use. */
export function archivePath(dir: string | undefined, archive: SourceArchive): { file: string } | { missing: string } {
  if (dir === undefined) return { missing: `${sourceDirSetting} is not set` };
  return { file: join(dir, archive.file) };
}

/** The archive's hash must be the pinned one before anything is extracted from it. */
async function verifyArchive(file: string, archive: SourceArchive, tool: string): Promise<void> {
  let actual: string;
  try {
    actual = await sha256Of(file);
  } catch (error) {
    if (!isMissing(error)) throw error;
    throw new TaskError(`no ${archive.file} in ${sourceDirSetting} (${file} does not exist)`, {
      code: 'TOOL_SOURCE_MISSING',
      hint: `put the ${tool} source archive (sha256 ${archive.sha256}) there, or point ${sourceDirSetting} at the folder that holds it`,
    });
  }
  if (actual === archive.sha256) return;
  throw new TaskError(`refusing ${file}: its sha256 is ${actual}, but tools.lock.json pins ${archive.sha256}; nothing was built from it`, {
    code: 'TOOL_SOURCE_TAMPERED',
    hint: `replace it with the archive tools.lock.json pins (sha256 ${archive.sha256}), then rerun: npm run tools`,
  });
}

/**
 * Builds a tool from its verified source archive: extract into `<buildDir>/src`, then
 * `go build` inside the tree, where the nested modules resolve through the tree's own
 * `replace ... => ./internal/...` lines and everything else comes from the Go proxy.
 * The tree has no .git, hence -buildvcs=false.
 */
export async function buildFromArchive(request: BuildRequest & { archive: SourceArchive; file: string }): Promise<GoBuildResult> {
  const { tool, recipe, buildDir, archive, file, required } = request;
  await verifyArchive(file, archive, tool);
  const go = await findOnPath('go', request.env.PATH);
  const tar = await findOnPath('tar', request.env.PATH);
  if (go === undefined || tar === undefined) {
    throw new TaskError(`cannot build ${tool} from ${file}: ${go === undefined ? 'go' : 'tar'} is not on PATH`, {
      code: 'TOOL_BUILD_FAILED',
      hint: `install Go >= ${recipe.goVersion} and tar, put them on PATH, then rerun: npm run tools`,
    });
  }
  const srcRoot = join(buildDir, 'src');
  const tree = join(srcRoot, archive.topDir);
  const binDir = join(buildDir, 'bin');
  // A fresh tree every time: a half-extracted one from an interrupted run must not be built.
  await rm(srcRoot, { recursive: true, force: true });
  await Promise.all([mkdir(srcRoot, { recursive: true }), mkdir(binDir, { recursive: true })]);
  request.log.info(`building ${tool} ${required} from ${file} (sha256 verified) in ${tree}`);
  const logFile = createWriteStream(join(buildDir, 'build.log'), { flags: 'w' });
  const options = { ...request, go };
  const partial = join(binDir, `${recipe.binary}.partial`);
  try {
    const extract = await request.runner({ command: tar, args: ['-xzf', file, '-C', srcRoot], env: request.env, signal: request.signal });
    if (extract.exitCode !== 0 || !(await isDirectory(tree))) {
      throw new TaskError(`cannot extract ${file} into ${srcRoot}: ${extract.spawnError ?? extract.tail.slice(-3).join(' | ')}`, {
        code: 'TOOL_BUILD_FAILED',
        hint: `check that the archive has one top folder ${archive.topDir}/: tar -tzf ${file} | head`,
      });
    }
    const args = ['build', '-v', '-trimpath', '-buildvcs=false', `-ldflags=${expandLdflags(recipe)}`, '-o', partial, '.'];
    const build = await runGoStep(options, logFile, args, tree);
    const binary = join(binDir, recipe.binary);
    if (!(await isExecutable(partial))) throw new TaskError(`go build left no ${partial}`, { code: 'TOOL_BUILD_FAILED' });
    await rename(partial, binary);
    return { binary, durationMs: extract.durationMs + build.durationMs };
  } finally {
    await new Promise<void>((resolve) => logFile.end(resolve));
    // The extracted tree is hundreds of MB and is never reused: only the binary stays.
    await rm(srcRoot, { recursive: true, force: true });
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}
