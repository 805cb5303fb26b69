import { testCheck } from '../support/tester.js';
import { exposedKubeletReadonlyPort } from './check.js';

testCheck(exposedKubeletReadonlyPort, import.meta.dirname);
