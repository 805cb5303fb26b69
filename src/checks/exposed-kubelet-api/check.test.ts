import { testCheck } from '../support/tester.js';
import { exposedKubeletApi } from './check.js';

testCheck(exposedKubeletApi, import.meta.dirname);
