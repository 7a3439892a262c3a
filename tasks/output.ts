// `npm run output`: the work lives in lib/deploy/output.ts, where the sandbox rehearsal uses it too.
export { showOutputs as run } from '../lib/deploy/output.js';
