import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * An AWS config in `home` as `aws configure sso` and `aws sso login` leave it: `sso-dev`
 * with a cached token valid for years, `sso-old` whose token has expired, `no-creds` with
 * a region only, and `static` with keys in the credentials file.
 */
export async function writeAwsHome(home: string): Promise<void> {
  const aws = join(home, '.aws');
  await mkdir(join(aws, 'sso', 'cache'), { recursive: true });
  const sso = (name: string, session: string) =>
    `[profile ${name}]\nsso_session = ${session}\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = us-east-1\n\n`;
  const session = (name: string) => `[sso-session ${name}]\nsso_start_url = https://${name}.awsapps.com/start\nsso_region = us-east-1\n\n`;
  await writeFile(
    join(aws, 'config'),
    `${sso('sso-dev', 'corp')}${sso('sso-old', 'old')}[profile no-creds]\nregion = us-east-1\n\n${session('corp')}${session('old')}`,
  );
  await writeFile(
    join(aws, 'credentials'),
    '[static]\naws_access_key_id = AKIDSTATICPROFILE\naws_secret_access_key = static-profile-secret-value\n',
  );
  const token = (name: string, expiresAt: string) =>
    writeFile(
      join(aws, 'sso', 'cache', `${createHash('sha1').update(name).digest('hex')}.json`),
      JSON.stringify({
        accessToken: `${name}-sso-token-value`,
        expiresAt,
        region: 'us-east-1',
        startUrl: `https://${name}.awsapps.com/start`,
      }),
    );
  await token('corp', '2099-01-01T00:00:00Z');
  await token('old', '2020-01-01T00:00:00Z');
}
