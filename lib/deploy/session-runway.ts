import { loginCommand } from '../aws/explain.js';
import type { Config } from '../config/load.js';
import { TaskError } from '../core/errors.js';

/**
 * Before apply and destroy: terraform gets fixed keys it cannot refresh, so the session's
 * expiration is the run's deadline. A session that ends mid-run fails terraform's last
 * writes (the state, the lock's release); refusing up front, before the lock is taken,
 * costs nothing. Long-lived keys (no expiration) have all the time there is.
 */
export function assertSessionRunway(config: Config, expiration: Date | undefined, now: Date): void {
  if (expiration === undefined) return;
  const minutes = Math.floor((expiration.getTime() - now.getTime()) / 60000);
  if (minutes >= config.minSessionMinutes) return;
  const left = minutes < 0 ? `expired at ${expiration.toISOString()}` : `expires in ${minutes} min (${expiration.toISOString()})`;
  throw new TaskError(
    `The AWS session ${left}, sooner than DEPLOY_MIN_SESSION_MINUTES=${config.minSessionMinutes}: the run could lose its credentials half way, with the state lock held. Nothing was started.`,
    { code: 'SESSION_TOO_SHORT', hint: `Refresh the session: ${loginCommand(config)}, then run the task again.` },
  );
}
