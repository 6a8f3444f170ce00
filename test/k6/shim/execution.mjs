// k6/execution: the running scenario and VU, from the shim's context.
import { als } from './context.mjs';

const exec = {
  get scenario() {
    const s = als.getStore()?.scenario;
    return { name: s?.name ?? 'default', executor: s?.executor ?? 'constant-vus', startTime: s?.startTime ?? Date.now(), progress: 0, iterationInInstance: 0, iterationInTest: 0 };
  },
  get vu() {
    const v = als.getStore()?.vu ?? 0;
    return { idInInstance: v, idInTest: v, iterationInInstance: 0, iterationInScenario: 0 };
  },
};
export default exec;
