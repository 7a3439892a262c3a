// `npm run doctor`: the report lives in lib/doctor/report.ts, where the sandbox rehearsal uses it too.
export { doctorReport as run } from '../lib/doctor/report.js';
