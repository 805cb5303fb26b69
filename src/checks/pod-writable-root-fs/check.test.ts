import { testCheck } from '../support/tester.js';
import { podWritableRootFs } from './check.js';

testCheck(podWritableRootFs, import.meta.dirname);
