import { testCheck } from '../support/tester.js';
import { podProcMountUnmasked } from './check.js';

testCheck(podProcMountUnmasked, import.meta.dirname);
