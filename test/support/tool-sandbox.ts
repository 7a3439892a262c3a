import assert from 'node:assert/strict';
import { chmod, copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolveResult, ToolName } from '../../lib/tools/resolve.js';
import { loadToolSettings, type ToolSettings } from '../../lib/tools/tool-settings.js';
import { spawnRunner, type Runner } from '../../lib/tools/version-check.js';
import { testContext } from './context.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export async function script(file: string, body: string): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

/**
 * A temp project (the repo's pins), an empty cache, an empty PATH dir, and a runner that records every command.
 * Its installs build from source (TOOLS_BUILD_FROM_SOURCE=true), the way this machine must; the download way
 * has its own tests (test/unit/release-*.test.ts).
 */
export async function toolSandbox() {
  const root = await mkdtemp(join(tmpdir(), 'resolve-'));
  const project = join(root, 'project');
  const cache = join(root, 'cache');
  const pathDir = join(root, 'path');
  await mkdir(project);
  await mkdir(pathDir);
  for (const file of ['.tool-versions', 'tools.lock.json']) await copyFile(join(repoRoot, file), join(project, file));
  const commands: string[][] = [];
  const cwds: Array<string | undefined> = [];
  const runner: Runner = (request) => {
    commands.push([request.command, ...request.args]);
    cwds.push(request.cwd);
    return spawnRunner(request);
  };
  const ctx = testContext({
    projectDir: project,
    env: { PATH: pathDir, HOME: root, TOOLS_CACHE_DIR: cache, TOOLS_BUILD_FROM_SOURCE: 'true' },
  });
  const log = ctx.log;
  const ran = (name: string): boolean => commands.some((c) => basename(c[0] ?? '') === name);
  // Read when asked, as the tools task does: a test may change the sandbox's environment first.
  const tools = (): ToolSettings => loadToolSettings({}, ctx.env);
  return { root, project, cache, pathDir, ctx, log, runner, commands, cwds, ran, tools };
}

export function statusOf(result: ResolveResult, name: ToolName) {
  const status = result.statuses.find((s) => s.name === name);
  assert.ok(status, `no status for ${name}`);
  return status;
}

/** A `go` that must never run: if it does, it leaves a marker next to itself. */
export async function tripwireGo(pathDir: string): Promise<string> {
  const marker = join(pathDir, 'go-was-run');
  await script(join(pathDir, 'go'), `touch ${marker}; exit 99`);
  return marker;
}
