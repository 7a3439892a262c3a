// `npm run drift`: the work lives in lib/deploy/drift.ts.
export { checkDrift as run } from '../lib/deploy/drift.js';
