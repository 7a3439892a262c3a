import { parseKnownFiles } from '@smithy/core/config';
import { ExitCode, TaskError } from '../core/errors.js';

/** What the messages need to know about the profile credentials come from. */
export interface ProfileInfo {
  name: string;
  /** The SSO portal's region, when the profile signs in through AWS SSO. */
  ssoRegion: string | undefined;
  /** The SSO portal's start URL, from the profile or its sso-session. */
  ssoStartUrl?: string | undefined;
}

type Sections = Record<string, Record<string, string | undefined> | undefined>;

/**
 * The profile, read from the same files the SDK reads (~/.aws/config and credentials, or
 * AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE). One that does not exist is bad input that
 * lists the profiles that do: logging in cannot create it.
 */
export async function profileInfo(name: string): Promise<ProfileInfo> {
  const sections = (await parseKnownFiles({})) as Sections;
  const profile = sections[name];
  if (profile === undefined) {
    // sso-session and services sections share the files; they are not profiles.
    const existing = Object.keys(sections).filter((k) => !/^(sso-session|services)\./.test(k));
    throw new TaskError(
      `The AWS profile "${name}" does not exist in the AWS config files (${existing.length === 0 ? 'they define no profiles' : `profiles: ${existing.join(', ')}`}).`,
      {
        code: 'PROFILE_MISSING',
        hint:
          existing.length === 0
            ? 'Create it with aws configure sso (or point AWS_CONFIG_FILE at your config), then set AWS_PROFILE or --profile to it.'
            : 'Set AWS_PROFILE (or --profile) to one of those, or create it with aws configure sso.',
        exitCode: ExitCode.config,
      },
    );
  }
  const session = profile.sso_session === undefined ? undefined : sections[`sso-session.${profile.sso_session}`];
  if (profile.sso_session !== undefined && session === undefined) throw missingSession(name, profile.sso_session);
  return { name, ssoRegion: profile.sso_region ?? session?.sso_region, ssoStartUrl: profile.sso_start_url ?? session?.sso_start_url };
}

/** The SDK fails on this with a TypeError; the operator needs the profile, the session it names, and how to create it. */
function missingSession(profile: string, session: string): TaskError {
  return new TaskError(
    `The AWS profile "${profile}" names sso_session = ${session}, but the AWS config files have no [sso-session ${session}] section.`,
    {
      code: 'SSO_SESSION_MISSING',
      hint: `Create it with aws configure sso --profile ${profile} (it writes the [sso-session] section), or set sso_session in [profile ${profile}] to a session that exists.`,
      exitCode: ExitCode.config,
    },
  );
}
