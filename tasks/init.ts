// `npm run init`: the work lives in lib/deploy/init.ts, where the sandbox rehearsal uses it too.
export { initUnit as run } from '../lib/deploy/init.js';
