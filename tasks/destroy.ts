// `npm run destroy`: the work lives in lib/deploy/destroy.ts, where the sandbox rehearsal uses it too.
export { destroyUnit as run } from '../lib/deploy/destroy.js';
