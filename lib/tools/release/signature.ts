import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMessage, readKey, readSignature, verify, type Key } from 'openpgp';
import { TaskError } from '../../core/errors.js';
import { isMissing } from '../cache.js';
import { hashicorpKeyFileSetting as keySetting, offlineFix } from '../tool-settings.js';

/**
 * HashiCorp's release signing key, primary fingerprint C874 011F 0AB4 0511 0D02 1055 3436
 * 5D94 72D7 468F (the one www.hashicorp.com/trust/security publishes), valid until 2030-03-01.
 * The text is hashicorp/hc-install's internal/pubkey/pubkey.go (DefaultPublicKey, commit
 * 8233b7ab, 2026-04-20), byte for byte; the minimal export tmatilai/chtf embeds agrees with it
 * packet for packet. test/unit/release-upstream.test.ts computes the fingerprint from the file.
 */
function hashicorpKeyFile(projectDir: string): string {
  return join(projectDir, 'lib', 'tools', 'release', 'hashicorp-release-key.asc');
}

export interface TrustedKey {
  key: Key;
  file: string;
  /** 40 hex digits, upper case. */
  fingerprint: string;
  /** The primary key's short ID, as HashiCorp names its signature files (72D7468F). */
  shortId: string;
}

/** The key TOOLS_HASHICORP_KEY_FILE names, else HashiCorp's committed one. */
export async function readTrustedKey(named: string | undefined, projectDir: string): Promise<TrustedKey> {
  const file = named ?? hashicorpKeyFile(projectDir);
  let armoredKey: string;
  try {
    armoredKey = await readFile(file, 'utf8');
  } catch (error) {
    if (!isMissing(error)) throw error;
    throw new TaskError(`cannot read the key trusted to sign terraform releases: ${file} does not exist`, {
      code: 'CONFIG_INVALID',
      hint:
        named === undefined
          ? 'restore it from git: git checkout -- lib/tools/release'
          : `point ${keySetting} at an armored public key, or unset it`,
    });
  }
  const key = await readKey({ armoredKey }).catch((error: unknown) => {
    throw new TaskError(`${file} holds no readable OpenPGP key: ${(error as Error).message}`, {
      code: 'CONFIG_INVALID',
      hint:
        named === undefined
          ? 'restore it from git: git checkout -- lib/tools/release'
          : `point ${keySetting} at an armored public key, or unset it`,
    });
  });
  const fingerprint = key.getFingerprint().toUpperCase();
  return { key, file, fingerprint, shortId: fingerprint.slice(-8) };
}

/**
 * Checks the detached signature `signature` (binary, as HashiCorp publishes it) over
 * `signed` with the trusted key only. openpgp.js does the OpenPGP work, including the
 * key's and the signature's validity dates.
 */
export async function verifySignature(
  trusted: TrustedKey,
  signed: Uint8Array,
  signature: Uint8Array,
  urls: { signed: string; signature: string },
): Promise<void> {
  try {
    await verify({
      message: await createMessage({ binary: signed }),
      signature: await readSignature({ binarySignature: signature }),
      verificationKeys: trusted.key,
      expectSigned: true,
    });
  } catch (error) {
    throw new TaskError(
      `refusing ${urls.signed}: ${urls.signature} is not a valid signature over it by the trusted key ${trusted.fingerprint} (${trusted.file}): ${(error as Error).message}; nothing from that release was installed`,
      {
        code: 'TOOL_DOWNLOAD_UNVERIFIED',
        hint: `do not use files from that server; if it is a mirror that signs with its own key, point ${keySetting} at that key; ${offlineFix}`,
      },
    );
  }
}
