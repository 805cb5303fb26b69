import { testCheck } from '../support/tester.js';
import { exposedApiserverPlainHttp } from './check.js';

testCheck(exposedApiserverPlainHttp, import.meta.dirname);
