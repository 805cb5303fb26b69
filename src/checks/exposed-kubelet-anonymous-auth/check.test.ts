import { testCheck } from '../support/tester.js';
import { exposedKubeletAnonymousAuth } from './check.js';

testCheck(exposedKubeletAnonymousAuth, import.meta.dirname);
