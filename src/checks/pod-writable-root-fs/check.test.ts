import { testCheck } from '../framework/tester.js';
import { podWritableRootFs } from './check.js';

testCheck(podWritableRootFs, import.meta.dirname);
