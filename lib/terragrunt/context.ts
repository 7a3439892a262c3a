import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { CallerIdentity } from '../aws/credentials.js';
import type { Config } from '../config/load.js';
import type { PinnedToolchain } from '../tools/toolchain.js';

/**
 * What a terragrunt run in one unit needs of a task's preparation, and all that lib/terragrunt
 * sees of it: where it runs, with which binaries and child environment, how its output is
 * redacted, and the state lock's scope for the clean-up after a kill. lib/deploy/prepare.ts
 * builds one (its DeployContext is one); the log, streams and signals come with the TaskContext.
 */
export interface TerragruntContext {
  /** The validated settings: the lock timeout, the Terragrunt root, the state bucket the lock is in. */
  config: Config;
  unitDir: string;
  toolchain: Pick<PinnedToolchain, 'terraform' | 'terragrunt'>;
  /** The child environment: explicit credentials, no AWS_PROFILE, root.hcl inputs. A saved plan records it too. */
  env: NodeJS.ProcessEnv;
  redact: (text: string) => string;
  /** Whose lock a killed run may release, and the account a saved plan was made in. */
  credentials: AwsCredentialIdentity;
  identity: Pick<CallerIdentity, 'account'>;
}
