import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../lib/config/load.js';
import { ExitCode, TaskError } from '../../lib/core/errors.js';
import { loadToolSettings, toolSettingsOf } from '../../lib/tools/tool-settings.js';

function rejected(read: () => unknown): TaskError {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof TaskError, String(error));
    return error;
  }
  assert.fail('expected the settings to be rejected');
}

describe('tool settings (settings table, group tools)', () => {
  test('they load alone: a bad deploy setting, which stops the deploy tasks, does not stop them', () => {
    const env = { DEPLOY_STATE_BUCKET: 'Not_A_Bucket', TOOLS_BUILD_FROM_SOURCE: 'true', TOOLS_CACHE_DIR: '/cache' };
    const tools = loadToolSettings({}, env);
    assert.equal(tools.buildFromSource, true);
    assert.equal(tools.cacheRoot, '/cache');
    assert.match(rejected(() => loadConfig({}, env)).message, /DEPLOY_STATE_BUCKET="Not_A_Bucket"/);
  });

  test('every bad tool setting is listed at once, as bad input (64)', () => {
    const error = rejected(() =>
      loadToolSettings(
        {},
        {
          TOOLS_BUILD_FROM_SOURCE: 'yes',
          TOOLS_DOWNLOAD_TIMEOUT_SECONDS: '0',
          TOOLS_HASHICORP_RELEASES_URL: 'http://mirror.test/hashicorp',
          TOOLS_GITHUB_URL: 'https://mirror.test/gh?x=1',
          TOOLS_SOURCE_DIR: 'relative/src',
          TOOLS_HASHICORP_KEY_FILE: 'key.asc',
          TOOLS_CACHE_DIR: 'cache',
        },
      ),
    );
    assert.equal(error.exitCode, ExitCode.config);
    assert.match(error.message, /Invalid configuration \(7 problems\)/);
    assert.match(error.message, /TOOLS_BUILD_FROM_SOURCE="yes": must be true or false/);
    assert.match(error.message, /TOOLS_DOWNLOAD_TIMEOUT_SECONDS="0": must be a whole number from 1 to 86400/);
    assert.match(error.message, /TOOLS_HASHICORP_RELEASES_URL="http:\/\/mirror.test\/hashicorp": must be an https:\/\/ URL/);
    assert.match(error.message, /TOOLS_GITHUB_URL=.*without query or fragment/);
    for (const name of ['TOOLS_SOURCE_DIR', 'TOOLS_HASHICORP_KEY_FILE', 'TOOLS_CACHE_DIR'])
      assert.match(error.message, new RegExp(`${name}="[^"]*": must be an absolute path`));
  });

  test('a flag beats the environment, and a deploy task reads the same values from its Config', () => {
    const env = { TOOLS_DOWNLOAD_TIMEOUT_SECONDS: '30', TOOLS_CACHE_DIR: '/cache' };
    assert.equal(loadToolSettings({ toolsDownloadTimeoutSeconds: '90' }, env).downloadTimeoutMs, 90_000);
    assert.deepEqual(toolSettingsOf(loadConfig({}, env), env), loadToolSettings({}, env));
  });

  test('defaults: the upstream sites, no trailing slash kept; the cache under XDG_CACHE_HOME, else HOME', () => {
    const tools = loadToolSettings({}, { XDG_CACHE_HOME: '/xdg', TOOLS_GITHUB_URL: 'https://mirror.test/gh/' });
    assert.deepEqual(tools.releaseBases, { hashicorpUrl: 'https://releases.hashicorp.com', githubUrl: 'https://mirror.test/gh' });
    assert.equal(tools.cacheRoot, '/xdg/devcontainer-ecr-tools');
    assert.equal(loadToolSettings({}, { HOME: '/home/me' }).cacheRoot, '/home/me/.cache/devcontainer-ecr-tools');
    assert.equal(tools.sourceDir, undefined);
    assert.equal(tools.hashicorpKeyFile, undefined);
    assert.match(rejected(() => loadToolSettings({}, {})).hint ?? '', /export TOOLS_CACHE_DIR=/);
  });
});
