import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readDotenv } from '../../lib/config/dotenv-file.js';
import { TaskError } from '../../lib/core/errors.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dotenv-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `.env` in a fresh project folder and returns what reading it throws. */
async function refusal(content: string | Buffer): Promise<TaskError> {
  const project = await mkdtemp(join(dir, 'project-'));
  await writeFile(join(project, '.env'), content);
  try {
    readDotenv(project);
  } catch (error) {
    assert.ok(error instanceof TaskError, String(error));
    assert.equal(error.exitCode, 64);
    assert.match(error.message, new RegExp(`${join(project, '.env')}`));
    return error;
  }
  assert.fail(`${JSON.stringify(content.toString())} was accepted`);
}

describe('.env', () => {
  test('no .env is no settings', () => {
    assert.deepEqual(readDotenv(dir), {});
  });

  test('comments, blank lines, export, quotes, inline comments, CRLF and a UTF-8 BOM', async () => {
    const project = await mkdtemp(join(dir, 'project-'));
    const text = [
      '\uFEFF# settings',
      '',
      'export AWS_PROFILE=platform',
      'DEPLOY_STATE_TAGS="Team=a,Purpose=b" # tags',
      'DEPLOY_UNIT = us-east-1/ecr-public-repository',
      "DEPLOY_GALLERY_URL='https://gallery.ecr.aws'",
      'OTHER_TOOL_SETTING=kept as is',
    ].join('\r\n');
    await writeFile(join(project, '.env'), text);
    assert.deepEqual(readDotenv(project), {
      AWS_PROFILE: 'platform',
      DEPLOY_STATE_TAGS: 'Team=a,Purpose=b',
      DEPLOY_UNIT: 'us-east-1/ecr-public-repository',
      DEPLOY_GALLERY_URL: 'https://gallery.ecr.aws',
      OTHER_TOOL_SETTING: 'kept as is',
    });
  });

  test('.env.example copied to .env (as the README says) is read as it is', async () => {
    const project = await mkdtemp(join(dir, 'project-'));
    await copyFile('.env.example', join(project, '.env'));
    assert.equal(readDotenv(project).DEPLOY_REPOSITORY_NAME, 'caylent-solutions/devcontainer-base');
  });

  test('a line without "=" names the file and line', async () => {
    const error = await refusal('# state\nDEPLOY_STATE_BUCKET my-team-state\n');
    assert.match(error.message, /\.env:2: no "=" in this line: write NAME=value \(e\.g\. DEPLOY_STATE_BUCKET=\.\.\.\)/);
  });

  test('a misspelled or lower-case setting names the nearest known one', async () => {
    const error = await refusal('DEPLOY_STATE_BUKCET=my-team-state\ndeploy_state_region=eu-west-1\naws_profile=platform\n');
    assert.match(error.message, /3 problems/);
    assert.match(error.message, /\.env:1: DEPLOY_STATE_BUKCET is not a setting; the nearest is DEPLOY_STATE_BUCKET/);
    assert.match(error.message, /\.env:2: deploy_state_region is not a setting; the nearest is DEPLOY_STATE_REGION/);
    assert.match(error.message, /\.env:3: aws_profile is not a setting; the nearest is AWS_PROFILE/);
  });

  test('a setting given twice and an unclosed quote are refused', async () => {
    const error = await refusal('DEPLOY_STATE_BUCKET=a-bucket\nDEPLOY_STATE_BUCKET=b-bucket\nDEPLOY_STATE_TAGS="Team=a\n');
    assert.match(error.message, /\.env:2: DEPLOY_STATE_BUCKET is already set on line 1/);
    assert.match(error.message, /\.env:3: the quote opened in the value of DEPLOY_STATE_TAGS is not closed/);
  });

  test('a UTF-16 file, with or without its byte order mark, is refused', async () => {
    const text = 'DEPLOY_STATE_BUCKET=my-team-state\n';
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), Buffer.from(text, 'utf16le')])
      assert.match((await refusal(bytes)).message, /is UTF-16 .*save it as UTF-8/);
    assert.match((await refusal(Buffer.from([0x41, 0x3d, 0xc3, 0x28, 0x0a]))).message, /is not valid UTF-8/);
  });

  test('a bare value with "#" inside is refused (dotenv would cut it there); quoted, it is read whole', async () => {
    const error = await refusal('DEPLOY_GALLERY_URL=https://gallery.ecr.aws/#about\n');
    assert.match(
      error.message,
      /\.env:1: the value of DEPLOY_GALLERY_URL holds "#", where dotenv would end it as a comment: put the value in quotes/,
    );
    const project = await mkdtemp(join(dir, 'project-'));
    await writeFile(join(project, '.env'), "DEPLOY_GALLERY_URL='https://gallery.ecr.aws/#about' # the page\nOTHER=a # b\n");
    assert.deepEqual(readDotenv(project), { DEPLOY_GALLERY_URL: 'https://gallery.ecr.aws/#about', OTHER: 'a' });
  });

  test('a lone carriage return ends a line for dotenv, so the setting after it is checked too', async () => {
    const error = await refusal('OTHER=a\rDEPLOY_STATE_BUKCET=b\n');
    assert.match(error.message, /\.env:2: DEPLOY_STATE_BUKCET is not a setting; the nearest is DEPLOY_STATE_BUCKET/);
  });

  test('a 150 KB line and a 10,000-line file are read whole; a 150 KB line without "=" is refused', async () => {
    const project = await mkdtemp(join(dir, 'project-'));
    const long = 'x'.repeat(150_000);
    await writeFile(join(project, '.env'), `${'\n'.repeat(1000)}OTHER_SETTING=${long}\n`);
    assert.equal(readDotenv(project).OTHER_SETTING, long);
    const names = Array.from({ length: 10_000 }, (_, i) => `OTHER_${i}`);
    await writeFile(join(project, '.env'), names.map((n, i) => `${n}="value ${i}"`).join('\n'));
    const values = readDotenv(project);
    assert.equal(Object.keys(values).length, 10_000);
    assert.equal(values.OTHER_9999, 'value 9999');
    const spaced = await refusal(`OTHER ${' '.repeat(150_000)}x\n`);
    assert.match(spaced.message, /\.env:1: no "=" in this line: write NAME=value \(e\.g\. [A-Z_]+=\.\.\.\)/);
    const unknown = await refusal(`DEPLOY_${'A'.repeat(150_000)}=1\n`);
    assert.match(unknown.message, /is not a setting; the nearest is DEPLOY_/);
  });

  test('a .env that is a directory is refused, not a crash', async () => {
    const project = await mkdtemp(join(dir, 'project-'));
    await mkdir(join(project, '.env'));
    assert.throws(
      () => readDotenv(project),
      (error: unknown) => {
        assert.ok(error instanceof TaskError);
        assert.equal(error.exitCode, 64);
        assert.match(error.message, /\.env is a directory, not a file/);
        return true;
      },
    );
  });
});
