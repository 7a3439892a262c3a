// `npm run plan`: the work lives in lib/deploy/plan.ts, where the sandbox rehearsal uses it too.
export { planUnit as run } from '../lib/deploy/plan.js';
