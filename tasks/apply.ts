// `npm run apply`: the work lives in lib/deploy/apply.ts, where the sandbox rehearsal uses it too.
export { applyUnit as run } from '../lib/deploy/apply.js';
